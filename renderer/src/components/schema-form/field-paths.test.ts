import { describe, expect, it } from 'vitest';
import { fieldOfPath } from './field-paths.js';

describe('fieldOfPath', () => {
  it('finds the field a problem path points at', () => {
    const names = ['limit', 'odd name'];
    expect(fieldOfPath('limit', names)).toBe('limit');
    expect(fieldOfPath('config.limit', names)).toBe('limit');
    expect(fieldOfPath('config["odd name"]', names)).toBe('odd name');
    expect(fieldOfPath('config.other', names)).toBeUndefined();
    // A key of an object field points at the field.
    expect(fieldOfPath('limit.github__x', names)).toBe('limit');
    expect(fieldOfPath('config["odd name"][0]', names)).toBe('odd name');
    expect(fieldOfPath('', names)).toBeUndefined();
  });
});
