import { describe, expect, it } from 'vitest';
import { HookTimings } from './hook-timings.js';

describe('HookTimings', () => {
  it('has no quantiles before the first call', () => {
    expect(new HookTimings().quantile(0.5)).toBeUndefined();
  });

  it('gives the median and the 99th percentile of what was recorded', () => {
    const t = new HookTimings();
    for (let i = 1; i <= 100; i++) t.record(i);
    expect(t.quantile(0.5)).toBe(50);
    expect(t.quantile(0.99)).toBe(99);
    expect(t.calls).toBe(100);
  });

  it('keeps only the most recent calls, so an old slow spell stops counting', () => {
    const t = new HookTimings();
    for (let i = 0; i < 1024; i++) t.record(500);
    for (let i = 0; i < 1024; i++) t.record(1);
    expect(t.quantile(0.99)).toBe(1);
    expect(t.calls).toBe(2048);
  });
});
