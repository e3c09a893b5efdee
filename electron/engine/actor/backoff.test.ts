import { describe, expect, it } from 'vitest';
import { backoffDelay, CrashHistory, DEFAULT_RESTART_POLICY, type RestartPolicy } from './backoff.js';

const policy: RestartPolicy = { ...DEFAULT_RESTART_POLICY, baseDelayMs: 100, maxDelayMs: 1000, jitter: 0.2 };

describe('backoffDelay', () => {
  it('doubles per attempt without jitter (random = 0.5)', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(policy, n, () => 0.5))).toEqual([100, 200, 400, 800]);
  });

  it('is capped', () => {
    expect(backoffDelay(policy, 10, () => 0.5)).toBe(1000);
    expect(backoffDelay(policy, 10, () => 0.999)).toBe(1000);
  });

  it('jitters within ±jitter', () => {
    expect(backoffDelay(policy, 2, () => 0)).toBe(160);
    expect(backoffDelay(policy, 2, () => 0.9999)).toBe(240);
  });
});

describe('CrashHistory', () => {
  it('counts crashes inside the sliding window only', () => {
    const history = new CrashHistory({ ...policy, crashLoopCount: 3, crashLoopWindowMs: 1000 });
    expect(history.record(0)).toBe(1);
    expect(history.record(500)).toBe(2);
    expect(history.isLoop(900)).toBe(false);
    expect(history.record(1200)).toBe(2); // the crash at 0 fell out
    expect(history.record(1300)).toBe(3);
    expect(history.isLoop(1300)).toBe(true);
    history.reset();
    expect(history.countAt(1300)).toBe(0);
  });
});
