import type { Clock, TimerHandle } from './clock.js';

interface Waiter {
  condition: () => boolean;
  wake: () => void;
}

/** "Wait until this holds, but no longer than that": drains and shutdown use it. */
export class ConditionWaiters {
  private waiters: Waiter[] = [];

  constructor(private readonly clock: Clock) {}

  /** Resolves once `condition()` holds at a `recheck`, or after `timeoutMs`. */
  wait(condition: () => boolean, timeoutMs: number): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => {
      let timer: TimerHandle | undefined = undefined;
      const waiter: Waiter = {
        condition,
        wake: () => {
          if (timer !== undefined) this.clock.clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve();
        },
      };
      timer = this.clock.setTimeout(waiter.wake, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Something changed: wake every waiter whose condition now holds. Free when nobody waits. */
  recheck(): void {
    if (this.waiters.length === 0) return;
    for (const waiter of [...this.waiters]) if (waiter.condition()) waiter.wake();
  }
}
