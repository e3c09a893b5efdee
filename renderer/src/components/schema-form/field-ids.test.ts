import { describe, expect, it } from 'vitest';
import { fieldIds } from './field-ids.js';

describe('fieldIds', () => {
  it('makes unique, id-safe ids from the prefix and names', () => {
    expect(fieldIds('t1', ['name', 'a b', 'a_b'])).toEqual({
      name: 't1-name',
      'a b': 't1-a_b',
      a_b: 't1-a_b-2',
    });
  });
});
