import { describe, expect, it } from 'vitest';
import { RingBuffer } from './ring-buffer.js';

describe('RingBuffer', () => {
  it('keeps items oldest first until full', () => {
    const ring = new RingBuffer<number>(3);
    ring.push(1);
    ring.push(2);
    expect(ring.toArray()).toEqual([1, 2]);
    expect(ring.size).toBe(2);
  });

  it('overwrites the oldest item once full', () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 1; i <= 7; i++) ring.push(i);
    expect(ring.toArray()).toEqual([5, 6, 7]);
    expect(ring.size).toBe(3);
  });

  it('wraps exactly at the capacity boundary', () => {
    const ring = new RingBuffer<number>(2);
    [1, 2, 3, 4].forEach((n) => ring.push(n));
    expect(ring.toArray()).toEqual([3, 4]);
  });

  it('returns a copy, not its storage', () => {
    const ring = new RingBuffer<number>(2);
    ring.push(1);
    ring.toArray().push(99);
    expect(ring.toArray()).toEqual([1]);
  });

  it('clears', () => {
    const ring = new RingBuffer<string>(2);
    ['a', 'b', 'c'].forEach((s) => ring.push(s));
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.toArray()).toEqual([]);
    ring.push('d');
    expect(ring.toArray()).toEqual(['d']);
  });

  it('with capacity 0 keeps nothing', () => {
    const ring = new RingBuffer<number>(0);
    ring.push(1);
    expect(ring.toArray()).toEqual([]);
  });

  it('rejects a negative or fractional capacity', () => {
    expect(() => new RingBuffer(-1)).toThrow(RangeError);
    expect(() => new RingBuffer(1.5)).toThrow(RangeError);
  });
});
