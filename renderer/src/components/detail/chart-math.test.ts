import { describe, expect, it } from 'vitest';
import {
  FRAME,
  HOUR,
  MINUTE,
  barRect,
  binCounts,
  formatMs,
  frameScales,
  hourWindow,
  linePath,
  linearScale,
  niceCeil,
} from './chart-math.js';

describe('chart maths', () => {
  it('maps a domain onto a range, inverted ranges included', () => {
    const s = linearScale([0, 10], [100, 0]);
    expect(s(0)).toBe(100);
    expect(s(5)).toBe(50);
    expect(s(10)).toBe(0);
    expect(linearScale([10, 20], [0, 200])(12.5)).toBe(50);
  });

  it('maps a zero-width domain to the start of the range instead of dividing by zero', () => {
    expect(linearScale([3, 3], [7, 70])(3)).toBe(7);
  });

  it('rounds an axis top up to 1, 2 or 5 times a power of ten', () => {
    expect(niceCeil(0)).toBe(1);
    expect(niceCeil(-4)).toBe(1);
    expect(niceCeil(1)).toBe(1);
    expect(niceCeil(3)).toBe(5);
    expect(niceCeil(7)).toBe(10);
    expect(niceCeil(12)).toBe(20);
    expect(niceCeil(500)).toBe(500);
    expect(niceCeil(501)).toBe(1000);
    expect(niceCeil(0.3)).toBe(0.5);
  });

  it('draws a path through the points in order, to one decimal', () => {
    expect(linePath([])).toBe('');
    expect(
      linePath([
        { x: 1, y: 2 },
        { x: 3.14159, y: 4.06 },
        { x: 5, y: 6 },
      ]),
    ).toBe('M1 2 L3.1 4.1 L5 6');
  });

  it('builds a bar between two x positions from the baseline up', () => {
    expect(barRect(10, 20, 30, 100, 1)).toEqual({ x: 11, y: 30, width: 8, height: 70 });
    // Never thinner than 1, never a negative height.
    expect(barRect(10, 10.5, 100, 100, 1)).toEqual({ x: 11, y: 100, width: 1, height: 0 });
  });

  it('counts times per bin and drops the ones outside', () => {
    expect(binCounts([0, 1, 5, 9, 10, -1, 30], 0, 5, 3)).toEqual([2, 2, 1]);
  });

  it('shows the last hour, stretched to the newest minute if it is later than now', () => {
    expect(hourWindow(10 * HOUR)).toEqual({ start: 9 * HOUR, end: 10 * HOUR });
    expect(hourWindow(10 * HOUR, 10 * HOUR)).toEqual({ start: 9 * HOUR + MINUTE, end: 10 * HOUR + MINUTE });
    expect(hourWindow(10 * HOUR, 2 * HOUR).end).toBe(10 * HOUR);
  });

  it('puts the window across the plot and 0..max from the baseline to the top', () => {
    const { x, y } = frameScales({ start: 0, end: HOUR }, 10);
    expect(x(0)).toBe(FRAME.left);
    expect(x(HOUR)).toBe(FRAME.width - FRAME.right);
    expect(x(HOUR / 2)).toBe((FRAME.left + FRAME.width - FRAME.right) / 2);
    expect(y(0)).toBe(FRAME.height - FRAME.bottom);
    expect(y(10)).toBe(FRAME.top);
  });

  it('writes milliseconds short', () => {
    expect(formatMs(3.14)).toBe('3.1 ms');
    expect(formatMs(12.6)).toBe('13 ms');
  });
});
