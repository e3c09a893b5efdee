/** A line of a diff: in both texts, only in the old one (removed), or only in the new one (added). */
export interface DiffLine {
  kind: 'same' | 'removed' | 'added';
  text: string;
}

/**
 * Past this many differing lines on either side the diff is shown as the whole old block replaced by
 * the whole new one: the LCS table grows with the product of both sides (2000 × 2000 is 8 MB).
 */
export const MAX_DIFF_LINES = 2000;

/** Lines of a text; an empty text has none (so "" → "a" is one added line, not a changed one). */
export function splitLines(text: string): string[] {
  return text === '' ? [] : text.split(/\r?\n/);
}

/**
 * A line diff of two texts by longest common subsequence, in order: removed lines come before the
 * added lines that replace them. Lines common to both ends are matched first, so a small change in a
 * long text stays cheap.
 */
export function diffLines(before: string, after: string, maxLines = MAX_DIFF_LINES): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const same = (lines: string[]): DiffLine[] => lines.map((text) => ({ kind: 'same', text }));
  const middleA = a.slice(start, endA);
  const middleB = b.slice(start, endB);
  const middle =
    middleA.length > maxLines || middleB.length > maxLines
      ? replaceBlock(middleA, middleB)
      : lcsDiff(middleA, middleB);
  return [...same(a.slice(0, start)), ...middle, ...same(a.slice(endA))];
}

function replaceBlock(a: string[], b: string[]): DiffLine[] {
  return [
    ...a.map((text): DiffLine => ({ kind: 'removed', text })),
    ...b.map((text): DiffLine => ({ kind: 'added', text })),
  ];
}

function lcsDiff(a: string[], b: string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return replaceBlock(a, b);
  // lengths[i * (m + 1) + j]: the LCS length of a[i..] and b[j..]. Each side is at most MAX_DIFF_LINES.
  const width = m + 1;
  const lengths = new Uint16Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      lengths[i * width + j] =
        a[i] === b[j]
          ? (lengths[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(lengths[(i + 1) * width + j] ?? 0, lengths[i * width + j + 1] ?? 0);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  // Each step moves i or j forward, so this ends within n + m steps.
  while (i < n && j < m) {
    const lineA = a[i] ?? '';
    const lineB = b[j] ?? '';
    if (lineA === lineB) {
      out.push({ kind: 'same', text: lineA });
      i += 1;
      j += 1;
    } else if ((lengths[(i + 1) * width + j] ?? 0) >= (lengths[i * width + j + 1] ?? 0)) {
      out.push({ kind: 'removed', text: lineA });
      i += 1;
    } else {
      out.push({ kind: 'added', text: lineB });
      j += 1;
    }
  }
  return [...out, ...replaceBlock(a.slice(i), b.slice(j))];
}

/** Whether a diff changes anything. */
export function hasChanges(lines: readonly DiffLine[]): boolean {
  return lines.some((line) => line.kind !== 'same');
}
