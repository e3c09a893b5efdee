/** One line of a unified diff, with what it does: file headers, hunk headers, added, removed, context. */
export interface UnifiedDiffLine {
  kind: 'file' | 'hunk' | 'added' | 'removed' | 'same';
  text: string;
}

/** Splits a unified diff into lines a view can colour; the final newline adds no empty line. */
export function unifiedDiffLines(diff: string): UnifiedDiffLine[] {
  if (diff === '') return [];
  const lines = diff.replace(/\r?\n$/, '').split(/\r?\n/);
  // `--- x` inside a hunk is a removed line that starts with "-- ": headers come before the first hunk.
  let inHunk = false;
  return lines.map((text): UnifiedDiffLine => {
    if (!inHunk && (text.startsWith('+++ ') || text.startsWith('--- '))) return { kind: 'file', text };
    if (text.startsWith('@@')) {
      inHunk = true;
      return { kind: 'hunk', text };
    }
    if (text.startsWith('+')) return { kind: 'added', text };
    if (text.startsWith('-')) return { kind: 'removed', text };
    return { kind: 'same', text };
  });
}
