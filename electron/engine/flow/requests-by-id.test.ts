import { describe, expect, it } from 'vitest';
import { RequestsById } from './requests-by-id.js';

describe('requests by id', () => {
  it('keeps 1 and "1" apart, and take removes what it returns', () => {
    const open = new RequestsById<string>();
    open.set(1, 'number');
    open.set('1', 'string');
    expect(open.size).toBe(2);
    expect(open.get(1)).toBe('number');
    expect(open.take('1')).toBe('string');
    expect(open.has('1')).toBe(false);
    expect(open.take('1')).toBeUndefined();
    expect([...open.values()]).toEqual(['number']);
    open.set(2, 'other');
    open.deleteWhere((v) => v === 'number');
    expect([...open.values()]).toEqual(['other']);
  });
});
