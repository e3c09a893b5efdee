import { describe, expect, it } from 'vitest';
import { byteUnitOf, bytesText } from './field-units.js';

describe('byte units', () => {
  const MB = 1024 * 1024;

  it('picks the largest byte unit that divides the value exactly', () => {
    expect(byteUnitOf(5 * MB)).toBe(MB);
    expect(byteUnitOf(25600)).toBe(1024);
    expect(byteUnitOf(2048)).toBe(1024);
    expect(byteUnitOf(1000)).toBe(1);
    expect(byteUnitOf(0)).toBe(1);
    expect(bytesText(65536)).toBe('64 KB');
    expect(bytesText(300)).toBe('300 bytes');
  });
});
