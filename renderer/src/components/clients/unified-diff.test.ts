import { describe, expect, it } from 'vitest';
import { unifiedDiffLines } from './unified-diff.js';

describe('unifiedDiffLines', () => {
  it('tells file and hunk headers from added, removed and context lines', () => {
    const diff = '--- a.json\n+++ a.json\n@@ -1,3 +1,3 @@\n {\n-  "x": 1\n+  "x": 2\n--- y\n }\n';
    expect(unifiedDiffLines(diff).map((l) => l.kind)).toEqual([
      'file',
      'file',
      'hunk',
      'same',
      'removed',
      'added',
      'removed',
      'same',
    ]);
    expect(unifiedDiffLines(diff).at(-1)).toEqual({ kind: 'same', text: ' }' });
  });

  it('has no lines for an empty diff and keeps a last line without newline', () => {
    expect(unifiedDiffLines('')).toEqual([]);
    expect(unifiedDiffLines('+a\r\n-b')).toEqual([
      { kind: 'added', text: '+a' },
      { kind: 'removed', text: '-b' },
    ]);
  });
});
