import type { CallBucketDto } from '../../shared/api.js';
import type { ServerCallsEvent } from '../../shared/events.js';
import type { Clock, TimerHandle } from '../flow/clock.js';

const MINUTE_MS = 60_000;
/** Minutes kept per server: the window's charts show the last hour. */
const KEEP_MINUTES = 60;
// Latencies go into log-spaced bins (10 µs … ~80 s, 4 % apart): percentiles within 4 %, and a
// minute of calls costs the same memory however many there were.
const BIN_BASE = 0.01;
const BIN_RATIO = 1.04;
const BINS = 400;

interface OpenMinute {
  minute: number;
  calls: number;
  errors: number;
  bins: Uint32Array;
}

/**
 * Calls per server per minute (count, errors, p50, p99) for the window's charts. The minute in
 * progress is binned; when it is over it is summarised, kept for an hour and published as a
 * `server.calls` event, so the window updates without asking.
 */
export class CallSeries {
  private readonly open = new Map<string, OpenMinute>();
  private readonly closed = new Map<string, CallBucketDto[]>();
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly publish: (event: ServerCallsEvent) => void,
  ) {}

  observe(server: string, status: string, seconds: number): void {
    const minute = this.minuteOf(this.clock.now());
    let current = this.open.get(server);
    if (current && current.minute !== minute) {
      this.close(server, current);
      current = undefined;
    }
    if (!current) {
      current = { minute, calls: 0, errors: 0, bins: new Uint32Array(BINS) };
      this.open.set(server, current);
    }
    current.calls++;
    if (status !== 'ok') current.errors++;
    current.bins[binOf(seconds * 1000)]!++;
  }

  /** The last hour, oldest first, with the minute in progress last. */
  buckets(server: string): CallBucketDto[] {
    const current = this.open.get(server);
    const done = this.closed.get(server) ?? [];
    const horizon = this.minuteOf(this.clock.now()) - KEEP_MINUTES * MINUTE_MS;
    const kept = done.filter((b) => b.at > horizon);
    return current ? [...kept, summarise(current)] : kept;
  }

  forget(server: string): void {
    this.open.delete(server);
    this.closed.delete(server);
  }

  /** Closes each minute when it is over, even if no call comes after it. */
  start(): void {
    const tick = () => {
      const minute = this.minuteOf(this.clock.now());
      for (const [server, current] of this.open) if (current.minute < minute) this.close(server, current);
      this.timer = this.clock.setTimeout(tick, minute + MINUTE_MS - this.clock.now() + 5);
    };
    tick();
  }

  stop(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private close(server: string, current: OpenMinute): void {
    this.open.delete(server);
    const bucket = summarise(current);
    const done = this.closed.get(server) ?? [];
    done.push(bucket);
    if (done.length > KEEP_MINUTES) done.splice(0, done.length - KEEP_MINUTES);
    this.closed.set(server, done);
    const { at: minute, ...figures } = bucket;
    this.publish({ type: 'server.calls', server, minute, ...figures, at: this.clock.now() });
  }

  private minuteOf(ms: number): number {
    return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
  }
}

function binOf(ms: number): number {
  if (ms <= BIN_BASE) return 0;
  return Math.min(BINS - 1, Math.ceil(Math.log(ms / BIN_BASE) / Math.log(BIN_RATIO)));
}

/** The upper edge of a bin: a percentile read from it is never below the real one. */
function binUpperMs(bin: number): number {
  return BIN_BASE * BIN_RATIO ** bin;
}

function percentileMs(bins: Uint32Array, calls: number, p: number): number {
  const rank = Math.ceil((p / 100) * calls);
  let seen = 0;
  for (let i = 0; i < bins.length; i++) {
    seen += bins[i]!;
    if (seen >= rank) return Math.round(binUpperMs(i) * 1000) / 1000;
  }
  return 0;
}

function summarise(m: OpenMinute): CallBucketDto {
  return {
    at: m.minute,
    calls: m.calls,
    errors: m.errors,
    p50Ms: percentileMs(m.bins, m.calls, 50),
    p99Ms: percentileMs(m.bins, m.calls, 99),
  };
}
