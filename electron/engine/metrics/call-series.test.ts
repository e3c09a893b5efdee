import { describe, expect, it } from 'vitest';
import type { ServerCallsEvent } from '../../shared/events.js';
import { FakeClock } from '../testing/fake-clock.js';
import { CallSeries } from './call-series.js';

const MINUTE = 60_000;

describe('CallSeries', () => {
  it('summarises each minute: count, errors, p50 and p99 within the bin width', () => {
    const clock = new FakeClock(10 * MINUTE);
    const series = new CallSeries(clock, () => undefined);
    for (let i = 1; i <= 100; i++) series.observe('a', i % 10 === 0 ? 'error' : 'ok', i / 1000);
    const [bucket] = series.buckets('a');
    expect(bucket).toMatchObject({ at: 10 * MINUTE, calls: 100, errors: 10 });
    // Real p50 = 50 ms, p99 = 99 ms; bins are 4 % wide and read at their upper edge.
    expect(bucket!.p50Ms).toBeGreaterThanOrEqual(50);
    expect(bucket!.p50Ms).toBeLessThan(52.1);
    expect(bucket!.p99Ms).toBeGreaterThanOrEqual(99);
    expect(bucket!.p99Ms).toBeLessThan(103);
    expect(series.buckets('b')).toEqual([]);
  });

  it('publishes a minute when it is over, by the timer, even with no call after it', () => {
    const clock = new FakeClock(10 * MINUTE + 5_000);
    const events: ServerCallsEvent[] = [];
    const series = new CallSeries(clock, (e) => events.push(e));
    series.start();
    series.observe('a', 'ok', 0.002);
    series.observe('a', 'ok', 0.004);
    clock.advance(30_000);
    expect(events).toEqual([]);
    clock.advance(30_000);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'server.calls',
        server: 'a',
        minute: 10 * MINUTE,
        calls: 2,
        errors: 0,
      }),
    ]);
    // A quiet minute publishes nothing; the closed one stays in the series.
    clock.advance(MINUTE);
    expect(events).toHaveLength(1);
    expect(series.buckets('a').map((b) => b.calls)).toEqual([2]);
    series.stop();
    expect(clock.pending).toBe(0);
  });

  it('keeps one hour per server and forgets a removed server', () => {
    const clock = new FakeClock(0);
    const series = new CallSeries(clock, () => undefined);
    for (let m = 0; m < 90; m++) {
      series.observe('a', 'ok', 0.001);
      clock.advance(MINUTE);
    }
    const buckets = series.buckets('a');
    expect(buckets.length).toBeLessThanOrEqual(60);
    expect(buckets.at(-1)!.at).toBe(89 * MINUTE);
    series.forget('a');
    expect(series.buckets('a')).toEqual([]);
  });
});
