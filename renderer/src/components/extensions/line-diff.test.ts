import { describe, expect, it } from 'vitest';
import { diffLines, hasChanges, splitLines, type DiffLine } from './line-diff.js';
import { prettyJson, toolSections } from './tool-text.js';

/** A diff as the markers a person reads: "  same", "- removed", "+ added". */
const marked = (lines: DiffLine[]) =>
  lines.map((l) => `${l.kind === 'same' ? ' ' : l.kind === 'removed' ? '-' : '+'} ${l.text}`);

describe('diffLines', () => {
  it('finds nothing to change in equal texts', () => {
    const lines = diffLines('a\nb\nc', 'a\nb\nc');
    expect(marked(lines)).toEqual(['  a', '  b', '  c']);
    expect(hasChanges(lines)).toBe(false);
  });

  it('marks a changed line as removed then added, keeping the lines around it', () => {
    expect(marked(diffLines('a\nb\nc', 'a\nB\nc'))).toEqual(['  a', '- b', '+ B', '  c']);
  });

  it('finds lines added and removed in the middle by longest common subsequence', () => {
    const before = ['x', 'a', 'b', 'c', 'd', 'y'].join('\n');
    const after = ['x', 'b', 'c', 'e', 'd', 'f', 'y'].join('\n');
    expect(marked(diffLines(before, after))).toEqual([
      '  x',
      '- a',
      '  b',
      '  c',
      '+ e',
      '  d',
      '+ f',
      '  y',
    ]);
  });

  it('treats an empty text as no lines', () => {
    expect(splitLines('')).toEqual([]);
    expect(marked(diffLines('', 'new tool'))).toEqual(['+ new tool']);
    expect(marked(diffLines('gone', ''))).toEqual(['- gone']);
    expect(diffLines('', '')).toEqual([]);
  });

  it('keeps every line of both texts, in order, whatever the change', () => {
    const before = 'one\ntwo\nthree\nfour\nfive';
    const after = 'zero\ntwo\nfour\nthree\nsix';
    const lines = diffLines(before, after);
    expect(lines.filter((l) => l.kind !== 'added').map((l) => l.text)).toEqual(splitLines(before));
    expect(lines.filter((l) => l.kind !== 'removed').map((l) => l.text)).toEqual(splitLines(after));
    expect(lines.filter((l) => l.kind === 'same')).toHaveLength(2);
  });

  it('shows the whole block replaced when the changed part is longer than the bound', () => {
    const before = ['head', 'a1', 'a2', 'a3', 'tail'].join('\n');
    const after = ['head', 'a1', 'b2', 'a3', 'x', 'tail'].join('\n');
    expect(marked(diffLines(before, after, 2))).toEqual([
      '  head',
      '  a1',
      '- a2',
      '- a3',
      '+ b2',
      '+ a3',
      '+ x',
      '  tail',
    ]);
    expect(marked(diffLines(before, after, 4))).toEqual([
      '  head',
      '  a1',
      '- a2',
      '+ b2',
      '  a3',
      '+ x',
      '  tail',
    ]);
  });

  it('diffs two texts of 2000 different lines quickly', () => {
    const before = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n');
    const after = Array.from({ length: 2000 }, (_, i) => (i % 3 === 0 ? `changed ${i}` : `line ${i}`)).join(
      '\n',
    );
    const started = performance.now();
    const lines = diffLines(`start\n${before}`, `begin\n${after}`);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(lines.filter((l) => l.kind === 'removed')).toHaveLength(1 + 667);
    expect(lines.filter((l) => l.kind === 'added')).toHaveLength(1 + 667);
  });
});

describe('prettyJson and toolSections', () => {
  it('sorts keys at every depth, so key order alone is no change', () => {
    const a = prettyJson({ type: 'object', properties: { b: { type: 'string' }, a: { type: 'number' } } });
    const b = prettyJson({ properties: { a: { type: 'number' }, b: { type: 'string' } }, type: 'object' });
    expect(a).toBe(b);
    expect(a.split('\n')[1]).toBe('  "properties": {');
    expect(prettyJson(undefined)).toBe('');
    expect(prettyJson([3, { z: 1, y: 2 }])).toBe('[\n  3,\n  {\n    "y": 2,\n    "z": 1\n  }\n]');
  });

  it('gives title, description and schema of both versions, empty where a version has none', () => {
    const sections = toolSections(
      { hash: 'h2', description: 'Reads files', inputSchema: { type: 'object' } },
      { hash: 'h1', title: 'Read', description: 'Reads a file' },
    );
    expect(sections).toEqual([
      { label: 'Title', before: 'Read', after: '' },
      { label: 'Description', before: 'Reads a file', after: 'Reads files' },
      { label: 'Input schema', before: '', after: '{\n  "type": "object"\n}' },
    ]);
    expect(toolSections({ hash: 'h' }).every((s) => s.before === '' && s.after === '')).toBe(true);
  });
});
