import { ProcessUsageSampler, readGroupsTotals } from '../process/process-stats.js';
import type { ServerUsageEvent } from '../../shared/events.js';

export interface UsageSamplingOptions {
  /** How often while someone looks (0 = never sample on a timer). */
  intervalMs: number;
  /** How often while nobody looks: the window closed and no one asked for a while. */
  unwatchedIntervalMs: number;
  /** Each running local server's name and pid. */
  running: () => Iterable<[string, number]>;
  publish: (event: ServerUsageEvent) => void;
  now: () => number;
  /** Reads the process table (a seam for tests). */
  read?: typeof readGroupsTotals;
}

/** A read of the figures (status, the window's list) counts as looking for this long. */
const ASKED_LOOKS_FOR_MS = 60_000;

/**
 * CPU and memory of the running local servers, sampled into `server.usage` events. At the quick
 * pace only while someone looks (a follower of the events, such as the open window, or a read
 * within the last minute), else at a slow one: a tray app idles all day. One timer for every
 * server, and one read of the process table per sample.
 */
export class UsageSampling {
  private readonly samplers = new Map<number, ProcessUsageSampler>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private started = false;
  private watchers = 0;
  private askedAt = Number.NEGATIVE_INFINITY;
  private sampledAt = Number.NEGATIVE_INFINITY;
  private sampling: Promise<void> | undefined;

  constructor(private readonly options: UsageSamplingOptions) {}

  start(): void {
    if (this.options.intervalMs <= 0 || this.started) return;
    this.started = true;
    this.schedule();
  }

  stop(): void {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Someone follows the figures (the window is open): the quick pace until the release. */
  watch(): () => void {
    this.watchers++;
    void this.fresh();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.watchers--;
    };
  }

  /** Someone reads the figures now: sampled first when the last sample is older than the quick pace. */
  async fresh(): Promise<void> {
    this.askedAt = this.options.now();
    if (this.options.now() - this.sampledAt >= this.options.intervalMs) await this.sample();
    this.schedule();
  }

  /** One sample of every running server now, from one read of the process table. */
  sample(): Promise<void> {
    this.sampling ??= this.sampleOnce().finally(() => (this.sampling = undefined));
    return this.sampling;
  }

  private get pace(): number {
    const looking = this.watchers > 0 || this.options.now() - this.askedAt < ASKED_LOOKS_FOR_MS;
    return looking ? this.options.intervalMs : this.options.unwatchedIntervalMs;
  }

  /** The next sample, a pace after the last one (re-planned whenever someone starts looking). */
  private schedule(): void {
    if (!this.started) return;
    if (this.timer) clearTimeout(this.timer);
    const delay = Math.max(0, this.sampledAt + this.pace - this.options.now());
    this.timer = setTimeout(() => void this.sample().then(() => this.schedule()), delay);
    this.timer.unref();
  }

  private async sampleOnce(): Promise<void> {
    this.sampledAt = this.options.now();
    const running = [...this.options.running()];
    const read = this.options.read ?? readGroupsTotals;
    const totals = await read(new Set(running.map(([, pid]) => pid))).catch(() => undefined);
    if (!totals) return;
    const live = new Set<number>();
    // A server with client sessions of their own has several processes: one figure of them all.
    const byServer = new Map<string, { cpuPercent: number; rssBytes: number; processes: number }>();
    for (const [server, pid] of running) {
      live.add(pid);
      let sampler = this.samplers.get(pid);
      if (!sampler) this.samplers.set(pid, (sampler = new ProcessUsageSampler(pid)));
      const usage = sampler.fromTotals(totals.get(pid));
      if (!usage) continue;
      const sum = byServer.get(server) ?? { cpuPercent: 0, rssBytes: 0, processes: 0 };
      byServer.set(server, {
        cpuPercent: sum.cpuPercent + usage.cpuPercent,
        rssBytes: sum.rssBytes + usage.rssBytes,
        processes: sum.processes + 1,
      });
    }
    for (const [server, usage] of byServer)
      this.options.publish({ type: 'server.usage', server, ...usage, at: this.options.now() });
    for (const pid of this.samplers.keys()) if (!live.has(pid)) this.samplers.delete(pid);
  }
}
