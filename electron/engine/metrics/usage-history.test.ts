import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { USAGE_KEEP_MS, USAGE_MAX_POINTS, USAGE_SLOT_MS, UsageHistory } from './usage-history.js';

const sample = (server: string, at: number, cpuPercent = 1, rssBytes = 1000) => ({
  server,
  at,
  cpuPercent,
  rssBytes,
});

describe('UsageHistory', () => {
  it('keeps each server’s samples oldest first, CPU to two decimals', () => {
    const clock = new FakeClock(0);
    const history = new UsageHistory(() => clock.now());
    history.record(sample('a', 10_000, 3.14159, 2048));
    history.record(sample('b', 10_000, 50, 1));
    history.record(sample('a', 15_000, 12, 4096));
    clock.advance(20_000);
    expect(history.points('a')).toEqual([
      { at: 10_000, cpuPercent: 3.14, rssBytes: 2048 },
      { at: 15_000, cpuPercent: 12, rssBytes: 4096 },
    ]);
    expect(history.points('b')).toEqual([{ at: 10_000, cpuPercent: 50, rssBytes: 1 }]);
    expect(history.points('never')).toEqual([]);
  });

  it('keeps one point per 5-second slot, the newest sample of the slot', () => {
    const history = new UsageHistory(() => 60_000);
    history.record(sample('a', 10_000, 1));
    history.record(sample('a', 11_000, 2));
    history.record(sample('a', 14_999, 3));
    history.record(sample('a', 15_000, 4));
    // One that arrives late, for a slot already over, does not rewrite it.
    history.record(sample('a', 12_000, 99));
    expect(history.points('a').map((p) => [p.at, p.cpuPercent])).toEqual([
      [14_999, 3],
      [15_000, 4],
    ]);
  });

  it('answers the last hour only, and holds at most one point per slot of it however fast it samples', () => {
    const clock = new FakeClock(0);
    const history = new UsageHistory(() => clock.now());
    // Two hours sampled every second.
    for (let t = 0; t < 2 * USAGE_KEEP_MS; t += 1000) {
      clock.advance(1000);
      history.record(sample('a', clock.now(), t / 1000));
    }
    const points = history.points('a');
    expect(points.length).toBeLessThanOrEqual(USAGE_MAX_POINTS);
    expect(points.length).toBeGreaterThanOrEqual(USAGE_MAX_POINTS - 1);
    expect(points[0]!.at).toBeGreaterThan(clock.now() - USAGE_KEEP_MS);
    expect(points.at(-1)!.at).toBe(clock.now());
    const slots = points.map((p) => Math.floor(p.at / USAGE_SLOT_MS));
    expect(new Set(slots).size).toBe(slots.length);

    // Nothing sampled for an hour (the server was stopped): nothing left to show.
    clock.advance(USAGE_KEEP_MS);
    expect(history.points('a')).toEqual([]);
  });

  it('goes on across a restart of the process and forgets a removed server', () => {
    const clock = new FakeClock(0);
    const history = new UsageHistory(() => clock.now());
    history.record(sample('a', 5_000, 1));
    // The process restarted: samples of the new one follow the old ones (the history is the entry's).
    history.record(sample('a', 30_000, 2));
    clock.advance(60_000);
    expect(history.points('a').map((p) => p.cpuPercent)).toEqual([1, 2]);

    history.forget('a');
    expect(history.points('a')).toEqual([]);
    // Added again under the same name: a fresh history.
    history.record(sample('a', 61_000, 7));
    expect(history.points('a').map((p) => p.cpuPercent)).toEqual([7]);
  });
});
