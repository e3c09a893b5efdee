/**
 * Time spent in one extension's hooks: the last SIZE calls in a ring, so p50/p99 follow what the
 * extension costs now (a slow start-up does not stick), and recording is two array writes.
 */
const SIZE = 1024;

export class HookTimings {
  private readonly ring = new Float64Array(SIZE);
  private next = 0;
  private filled = 0;
  calls = 0;
  failures = 0;

  record(ms: number): void {
    this.ring[this.next] = ms;
    this.next = (this.next + 1) % SIZE;
    if (this.filled < SIZE) this.filled++;
    this.calls++;
  }

  /** The q-quantile (0..1) of the recorded times in ms, undefined before any call. */
  quantile(q: number): number | undefined {
    if (this.filled === 0) return undefined;
    const sorted = this.ring.slice(0, this.filled).sort();
    const index = Math.min(this.filled - 1, Math.max(0, Math.ceil(q * this.filled) - 1));
    return sorted[index];
  }

  reset(): void {
    this.next = 0;
    this.filled = 0;
    this.calls = 0;
    this.failures = 0;
  }
}
