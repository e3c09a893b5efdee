import type { Clock, TimerHandle } from './clock.js';

/**
 * Timeouts for many requests on one timer. A timer per request cost an allocation and a timer-list
 * insert and removal for every message on the hot path; here a request is one map entry, and the
 * single timer is re-armed only when a deadline earlier than the armed one arrives.
 */
export class Deadlines<K> {
  private readonly deadlines = new Map<K, number>();
  private timer: TimerHandle | undefined;
  private armedFor = Infinity;

  constructor(
    private readonly clock: Clock,
    private readonly onExpire: (key: K) => void,
  ) {}

  add(key: K, timeoutMs: number): void {
    const at = this.clock.now() + timeoutMs;
    this.deadlines.set(key, at);
    if (at < this.armedFor) this.arm(at);
  }

  delete(key: K): void {
    this.deadlines.delete(key);
  }

  private arm(at: number): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.armedFor = at;
    this.timer = this.clock.setTimeout(() => this.sweep(), Math.max(0, at - this.clock.now()));
  }

  private sweep(): void {
    this.timer = undefined;
    this.armedFor = Infinity;
    const now = this.clock.now();
    let next = Infinity;
    const expired: K[] = [];
    for (const [key, at] of this.deadlines) {
      if (at <= now) expired.push(key);
      else if (at < next) next = at;
    }
    for (const key of expired) {
      this.deadlines.delete(key);
      this.onExpire(key);
    }
    if (next < Infinity && next < this.armedFor) this.arm(next);
  }
}
