import { describe, expect, it } from 'vitest';
import { changedParts, partsPhrase, prettyJson } from './tool-text.js';

describe('changedParts', () => {
  const approved = { hash: 'a', title: 'T', description: 'D', inputSchema: { b: 1, a: 2 } };

  it('names the parts that differ from the approved version', () => {
    expect(
      changedParts({ reason: 'changed', approved, current: { ...approved, hash: 'b', description: 'D2' } }),
    ).toEqual(['description']);
    expect(
      changedParts({
        reason: 'changed',
        approved,
        current: { hash: 'b', title: 'T2', description: 'D', inputSchema: { a: 2, b: 3 } },
      }),
    ).toEqual(['title', 'input schema']);
  });

  it('reads keys in any order as the same schema, and names nothing for a new tool', () => {
    expect(
      changedParts({
        reason: 'changed',
        approved,
        current: { ...approved, hash: 'b', inputSchema: { a: 2, b: 1 } },
      }),
    ).toEqual([]);
    expect(changedParts({ reason: 'new', current: approved })).toEqual([]);
    expect(prettyJson({ b: 1, a: 2 })).toBe('{\n  "a": 2,\n  "b": 1\n}');
  });
});

describe('partsPhrase', () => {
  it('joins parts into a phrase', () => {
    expect(partsPhrase([])).toBe('');
    expect(partsPhrase(['description'])).toBe('Description');
    expect(partsPhrase(['description', 'input schema'])).toBe('Description and input schema');
    expect(partsPhrase(['title', 'description', 'input schema'])).toBe('Title, description and input schema');
  });
});
