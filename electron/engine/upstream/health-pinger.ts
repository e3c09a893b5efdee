import type { Clock, TimerHandle } from '../flow/clock.js';

export interface HealthPingerOptions {
  clock: Clock;
  /** 0 or undefined: no pings. */
  intervalMs?: number;
  timeoutMs?: number;
  /** Sends one ping; resolves when answered, rejects when not. */
  ping: (timeoutMs: number) => Promise<unknown>;
  /** The ping of this connection went unanswered (the caller restarts or reconnects). */
  onUnanswered: (detail: string) => void;
}

/**
 * Health check shared by local and remote upstreams: a ping per interval while a connection is up.
 * `start(isCurrent)` ties the pings to one connection: once it is no longer current they stop.
 */
export class HealthPinger {
  private timer: TimerHandle | undefined;

  constructor(private readonly options: HealthPingerOptions) {}

  start(isCurrent: () => boolean): void {
    const interval = this.options.intervalMs ?? 0;
    if (interval <= 0) return;
    this.stop();
    this.timer = this.options.clock.setTimeout(() => {
      if (!isCurrent()) return;
      const timeoutMs = this.options.timeoutMs ?? 10_000;
      this.options.ping(timeoutMs).then(
        () => {
          if (isCurrent()) this.start(isCurrent);
        },
        (err: Error) => {
          if (isCurrent())
            this.options.onUnanswered(`no answer to ping within ${timeoutMs} ms (${err.message})`);
        },
      );
    }, interval);
  }

  stop(): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
