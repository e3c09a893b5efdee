import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import type { JsonRpcMessage } from '../jsonrpc/messages.js';
import { PendingRequests, type PendingRequest } from './pending-requests.js';

function setup(limits = { maxMessages: 3, maxBytes: 100 }) {
  const clock = new FakeClock();
  let settled = 0;
  const table = new PendingRequests(clock, limits, () => settled++);
  const outcomes = new Map<number, string>();
  const make = (id: number, bytes = 10): PendingRequest => ({
    id,
    method: 'tools/call',
    params: {},
    body: '{}',
    bytes,
    internal: false,
    resolve: (m: JsonRpcMessage) => outcomes.set(id, `answer ${JSON.stringify(m.result)}`),
    reject: (e: Error) => outcomes.set(id, `error ${e.message}`),
    timer: clock.setTimeout(() => {}, 1000),
  });
  return { clock, table, outcomes, make, settled: () => settled };
}

describe('PendingRequests', () => {
  it('bounds the held requests by count and by bytes', () => {
    const { table, make } = setup();
    expect(table.fits(101)).toBe(false);
    for (const id of [1, 2, 3]) {
      const p = make(id, 30);
      table.add(p);
      table.hold(p);
    }
    expect(table.held).toBe(3);
    expect(table.fits(1)).toBe(false); // count
    const first = table.takeHeld();
    expect(table.held).toBe(0);
    expect(table.fits(100)).toBe(true);
    table.hold(first[0]!);
    table.hold(first[1]!);
    expect(table.fits(41)).toBe(false); // bytes: 60 + 41 > 100
    expect(table.fits(40)).toBe(true);
  });

  it('gives back held requests oldest first, whatever order they were held in', () => {
    const { table, make } = setup();
    const [a, b, c] = [make(1), make(2), make(3)];
    for (const p of [a, b, c]) table.add(p);
    table.hold(c);
    table.hold(a);
    expect(table.awaitsAnswer(2)).toBe(true);
    expect(table.awaitsAnswer(1)).toBe(false);
    expect(table.noneSent()).toBe(false);
    table.hold(b);
    expect(table.noneSent()).toBe(true);
    expect(table.takeHeld().map((p) => p.id)).toEqual([1, 2, 3]);
  });

  it('settles once, clearing the timer, and fails the matching ones with their own errors', () => {
    const { clock, table, outcomes, make, settled } = setup();
    const [a, b] = [make(1), make(2)];
    table.add(a);
    table.add(b);
    table.hold(b);
    table.settle(a, { jsonrpc: '2.0', id: 1, result: 'ok' });
    table.settle(a, new Error('late'));
    expect(outcomes.get(1)).toBe('answer "ok"');
    table.fail('held', (p) => new Error(`gone ${p.id}`));
    expect(outcomes.get(2)).toBe('error gone 2');
    expect(table.size).toBe(0);
    expect(table.held).toBe(0);
    expect(settled()).toBe(2);
    expect(clock.pending).toBe(0);
  });
});
