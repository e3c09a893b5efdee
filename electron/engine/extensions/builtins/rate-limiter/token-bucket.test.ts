import { describe, expect, it } from 'vitest';
import { BucketTable, TokenBucket } from './token-bucket.js';

const limits = { perMinute: 60, burst: 3 };

describe('TokenBucket', () => {
  it('allows the burst at once, then refills at the rate', () => {
    const bucket = new TokenBucket(limits, 0);
    expect([1, 2, 3].map(() => bucket.take(limits, 0).ok)).toEqual([true, true, true]);
    expect(bucket.take(limits, 0)).toEqual({ ok: false, retryAfterMs: 1000 });
    expect(bucket.take(limits, 400)).toEqual({ ok: false, retryAfterMs: 600 });
    expect(bucket.take(limits, 1000)).toEqual({ ok: true });
    expect(bucket.take(limits, 1000).ok).toBe(false);
  });

  it('never holds more than the burst, however long it was idle', () => {
    const bucket = new TokenBucket(limits, 0);
    bucket.take(limits, 0);
    const later = 24 * 3_600_000;
    expect([1, 2, 3, 4].map(() => bucket.take(limits, later).ok)).toEqual([true, true, true, false]);
  });

  it('handles fractional rates', () => {
    const slow = { perMinute: 0.5, burst: 1 };
    const bucket = new TokenBucket(slow, 0);
    expect(bucket.take(slow, 0).ok).toBe(true);
    expect(bucket.take(slow, 60_000)).toEqual({ ok: false, retryAfterMs: 60_000 });
    expect(bucket.take(slow, 120_000).ok).toBe(true);
  });

  it('refills nothing when the clock goes back', () => {
    const bucket = new TokenBucket({ perMinute: 60, burst: 1 }, 10_000);
    bucket.take({ perMinute: 60, burst: 1 }, 10_000);
    expect(bucket.take({ perMinute: 60, burst: 1 }, 5_000).ok).toBe(false);
    expect(bucket.take({ perMinute: 60, burst: 1 }, 11_000).ok).toBe(true);
  });

  it('uses new limits from the next take', () => {
    const bucket = new TokenBucket(limits, 0);
    for (let i = 0; i < 3; i++) bucket.take(limits, 0);
    const faster = { perMinute: 600, burst: 3 };
    expect(bucket.take(faster, 100).ok).toBe(true);
    const smaller = { perMinute: 60, burst: 1 };
    expect(bucket.isFull(0)).toBe(false);
    bucket.take(smaller, 60_000);
    expect(bucket.take(smaller, 60_000).ok).toBe(false);
  });
});

describe('BucketTable', () => {
  it('keeps a bucket per key', () => {
    const table = new BucketTable();
    const one = { perMinute: 60, burst: 1 };
    expect(table.take('a', one, 0).ok).toBe(true);
    expect(table.take('a', one, 0).ok).toBe(false);
    expect(table.take('b', one, 0).ok).toBe(true);
    expect(table.size).toBe(2);
  });

  it('stays bounded, dropping full buckets before busy ones', () => {
    const table = new BucketTable(100);
    const one = { perMinute: 1, burst: 1 };
    // 50 busy buckets (empty, slow to refill)...
    for (let i = 0; i < 50; i++) table.take(`busy${i}`, one, 0);
    // ...then many used once, 1 ms apart, that are full again a millisecond later.
    const quick = { perMinute: 1_000_000, burst: 1 };
    for (let i = 0; i < 1000; i++) table.take(`idle${i}`, quick, 1 + i);
    expect(table.size).toBeLessThanOrEqual(100);
    // The busy buckets were kept: they still refuse.
    for (let i = 0; i < 50; i++) expect(table.take(`busy${i}`, one, 1001).ok).toBe(false);
  });

  it('drops the least recently used when every bucket is busy', () => {
    const table = new BucketTable(10);
    const one = { perMinute: 1, burst: 1 };
    for (let i = 0; i < 10; i++) table.take(`k${i}`, one, 0);
    table.take('k0', one, 0); // k0 is now the most recently used
    table.take('k10', one, 0);
    expect(table.size).toBe(9);
    expect(table.take('k0', one, 0).ok).toBe(false); // kept
    expect(table.take('k1', one, 0).ok).toBe(true); // dropped, so new and full
  });
});
