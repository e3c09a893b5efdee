import { describe, expect, it } from 'vitest';
import { RestartBuffer } from './restart-buffer.js';

const item = (id: number, bytes = 10) => ({ id, bytes });

describe('RestartBuffer', () => {
  it('keeps arrival order', () => {
    const buffer = new RestartBuffer<{ id: number; bytes: number }>({ maxMessages: 10, maxBytes: 1000 });
    for (let i = 0; i < 5; i++) expect(buffer.push(item(i))).toBe(true);
    expect(buffer.takeAll().map((x) => x.id)).toEqual([0, 1, 2, 3, 4]);
    expect(buffer.size).toBe(0);
    expect(buffer.bytes).toBe(0);
  });

  it('refuses the message that would pass the count limit', () => {
    const buffer = new RestartBuffer<{ id: number; bytes: number }>({ maxMessages: 2, maxBytes: 1000 });
    expect(buffer.push(item(1))).toBe(true);
    expect(buffer.push(item(2))).toBe(true);
    expect(buffer.push(item(3))).toBe(false);
    expect(buffer.size).toBe(2);
  });

  it('refuses the message that would pass the byte limit, but takes a smaller one after', () => {
    const buffer = new RestartBuffer<{ id: number; bytes: number }>({ maxMessages: 10, maxBytes: 100 });
    expect(buffer.push(item(1, 60))).toBe(true);
    expect(buffer.push(item(2, 41))).toBe(false);
    expect(buffer.push(item(3, 40))).toBe(true);
    expect(buffer.bytes).toBe(100);
  });

  it('removes a matching item and frees its bytes', () => {
    const buffer = new RestartBuffer<{ id: number; bytes: number }>({ maxMessages: 10, maxBytes: 100 });
    buffer.push(item(1, 50));
    buffer.push(item(2, 50));
    expect(buffer.removeFirst((x) => x.id === 1)?.id).toBe(1);
    expect(buffer.removeFirst((x) => x.id === 9)).toBeUndefined();
    expect(buffer.bytes).toBe(50);
    expect(buffer.push(item(3, 50))).toBe(true);
  });
});
