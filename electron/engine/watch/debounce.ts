import type { Clock, TimerHandle } from '../flow/clock.js';

/** One coalesced burst of file events. */
export interface ChangeBatch {
  /** Distinct paths, in order of first appearance. */
  paths: string[];
  /** The path that started the burst (what a log line usually names). */
  first: string;
  /** Raw events in the burst, duplicates included. */
  count: number;
}

export interface ChangeDebouncerOptions {
  /** Upper bound from the first event to the flush; defaults to 10 × delay. */
  maxWaitMs?: number;
}

/**
 * Coalesces a burst of file events into one flush, `delayMs` after the last event.
 * Editors and build tools write several files (or one file several times) per save,
 * and each restart of a server is expensive, so we restart once per burst. The max
 * wait keeps a never-ending stream (a log file we failed to ignore, a watch-mode
 * compiler) from starving restarts forever.
 */
export class ChangeDebouncer {
  private readonly maxWaitMs: number;
  private paths = new Set<string>();
  private count = 0;
  private trailing: TimerHandle | undefined;
  private deadline: TimerHandle | undefined;
  private disposed = false;

  constructor(
    private readonly clock: Clock,
    private readonly delayMs: number,
    private readonly onFlush: (batch: ChangeBatch) => void,
    options: ChangeDebouncerOptions = {},
  ) {
    // A max wait shorter than the delay would make the delay meaningless.
    this.maxWaitMs = Math.max(delayMs, options.maxWaitMs ?? delayMs * 10);
  }

  /** True while a burst is waiting to be flushed. */
  get pending(): boolean {
    return this.count > 0;
  }

  add(path: string): void {
    if (this.disposed) return;
    if (this.count === 0) {
      // The deadline is measured from the first event of the burst, not restarted.
      this.deadline = this.clock.setTimeout(() => this.flushNow(), this.maxWaitMs);
    }
    this.paths.add(path);
    this.count++;
    if (this.trailing !== undefined) this.clock.clearTimeout(this.trailing);
    this.trailing = this.clock.setTimeout(() => this.flushNow(), this.delayMs);
  }

  /** Flushes the pending burst immediately, if there is one. */
  flushNow(): void {
    if (this.count === 0) return;
    const paths = [...this.paths];
    const batch: ChangeBatch = { paths, first: paths[0] ?? '', count: this.count };
    // Reset before calling out so a throwing or re-entrant listener sees a clean state.
    this.cancel();
    this.onFlush(batch);
  }

  /** Drops the pending burst without flushing it. */
  cancel(): void {
    if (this.trailing !== undefined) this.clock.clearTimeout(this.trailing);
    if (this.deadline !== undefined) this.clock.clearTimeout(this.deadline);
    this.trailing = undefined;
    this.deadline = undefined;
    this.paths = new Set();
    this.count = 0;
  }

  /** Drops the pending burst and ignores every later `add`. */
  dispose(): void {
    this.cancel();
    this.disposed = true;
  }
}
