import { ProcessUsageSampler, readGroupsTotals } from '../process/process-stats.js';
import type { ServerUsageEvent } from '../../shared/events.js';

export interface UsageSamplingOptions {
  /** How often (0 = never). */
  intervalMs: number;
  /** Each running local server's name and pid. */
  running: () => Iterable<[string, number]>;
  publish: (event: ServerUsageEvent) => void;
  now: () => number;
}

/** CPU and memory of the running local servers, sampled on an interval into `server.usage` events. */
export class UsageSampling {
  private readonly samplers = new Map<number, ProcessUsageSampler>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly options: UsageSamplingOptions) {}

  start(): void {
    if (this.options.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.sample(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One sample of every running server now, from one read of the process table. */
  async sample(): Promise<void> {
    const running = [...this.options.running()];
    const totals = await readGroupsTotals(new Set(running.map(([, pid]) => pid))).catch(() => undefined);
    if (!totals) return;
    const live = new Set<number>();
    for (const [server, pid] of running) {
      live.add(pid);
      let sampler = this.samplers.get(pid);
      if (!sampler) this.samplers.set(pid, (sampler = new ProcessUsageSampler(pid)));
      const usage = sampler.fromTotals(totals.get(pid));
      if (usage)
        this.options.publish({
          type: 'server.usage',
          server,
          cpuPercent: usage.cpuPercent,
          rssBytes: usage.rssBytes,
          at: this.options.now(),
        });
    }
    for (const pid of this.samplers.keys()) if (!live.has(pid)) this.samplers.delete(pid);
  }
}
