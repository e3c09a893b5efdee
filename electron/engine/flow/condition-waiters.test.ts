import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { settle } from '../testing/fake-process.js';
import { ConditionWaiters } from './condition-waiters.js';

describe('ConditionWaiters', () => {
  it('resolves at once when the condition already holds', async () => {
    const waiters = new ConditionWaiters(new FakeClock());
    await expect(waiters.wait(() => true, 1000)).resolves.toBeUndefined();
  });

  it('wakes on the recheck after the condition comes true, not before', async () => {
    const clock = new FakeClock();
    const waiters = new ConditionWaiters(clock);
    let done = false;
    let open = 3;
    void waiters.wait(() => open === 0, 1000).then(() => (done = true));
    open = 1;
    waiters.recheck();
    await settle();
    expect(done).toBe(false);
    open = 0;
    waiters.recheck();
    await settle();
    expect(done).toBe(true);
    expect(clock.pending).toBe(0);
  });

  it('gives up after the timeout', async () => {
    const clock = new FakeClock();
    const waiters = new ConditionWaiters(clock);
    let done = false;
    void waiters.wait(() => false, 500).then(() => (done = true));
    clock.advance(499);
    await settle();
    expect(done).toBe(false);
    clock.advance(1);
    await settle();
    expect(done).toBe(true);
  });
});
