import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerUsageEvent } from '../../shared/events.js';
import { UsageSampling } from './usage-sampling.js';

let reads: number;
let events: ServerUsageEvent[];
let sampling: UsageSampling;

beforeEach(() => {
  vi.useFakeTimers();
  reads = 0;
  events = [];
  sampling = new UsageSampling({
    intervalMs: 5_000,
    unwatchedIntervalMs: 60_000,
    running: () => [['notes', 42]],
    publish: (event) => events.push(event),
    now: () => Date.now(),
    read: async () => {
      reads++;
      return new Map([[42, { cpuMs: reads * 10, rssBytes: 1024, processes: 1 }]]);
    },
  });
});

afterEach(() => {
  sampling.stop();
  vi.useRealTimers();
});

describe('UsageSampling', () => {
  it('samples once at start, then only every minute while nobody looks', async () => {
    sampling.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(reads).toBe(1);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(reads).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(reads).toBe(2);
    expect(events.map((e) => e.server)).toEqual(['notes', 'notes']);
  });

  it('samples every 5 s while someone follows, and slows down again after the release', async () => {
    sampling.start();
    await vi.advanceTimersByTimeAsync(10_000);
    const release = sampling.watch(); // the last sample is 10 s old: a fresh one now
    await vi.advanceTimersByTimeAsync(0);
    expect(reads).toBe(2);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(reads).toBe(6);
    release();
    // A follower counts as having asked: the quick pace holds a minute after, then the slow one.
    await vi.advanceTimersByTimeAsync(60_000);
    const afterMinute = reads;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(reads - afterMinute).toBeLessThanOrEqual(2);
  });

  it('reads the table for a fresh() only when the last sample is older than the quick pace', async () => {
    sampling.start();
    await vi.advanceTimersByTimeAsync(0);
    await sampling.fresh();
    expect(reads).toBe(1); // just sampled
    await vi.advanceTimersByTimeAsync(6_000);
    await sampling.fresh();
    expect(reads).toBe(2);
  });
});

describe('UsageSampling of a server with several processes', () => {
  it('publishes one figure for all of them: memory added up, and how many', async () => {
    const seen: ServerUsageEvent[] = [];
    const several = new UsageSampling({
      intervalMs: 5_000,
      unwatchedIntervalMs: 60_000,
      running: () => [
        ['notes', 42],
        ['notes', 43],
        ['other', 44],
      ],
      publish: (event) => seen.push(event),
      now: () => Date.now(),
      read: async () =>
        new Map([
          [42, { cpuMs: 10, rssBytes: 1000, processes: 1 }],
          [43, { cpuMs: 10, rssBytes: 2000, processes: 1 }],
          [44, { cpuMs: 10, rssBytes: 500, processes: 1 }],
        ]),
    });
    await several.sample();
    expect(seen.map(({ server, rssBytes, processes }) => ({ server, rssBytes, processes }))).toEqual([
      { server: 'notes', rssBytes: 3000, processes: 2 },
      { server: 'other', rssBytes: 500, processes: 1 },
    ]);
  });
});
