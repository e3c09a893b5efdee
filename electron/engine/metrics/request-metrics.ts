import { Counter, Histogram, type Registry } from 'prom-client';
import { methodLabel } from './mcp-methods.js';

type RequestLabel = 'server' | 'method' | 'status';

/** 0.5 ms (a cached list answered locally) up to 30 s (a slow tool call). */
export const REQUEST_DURATION_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

interface Series {
  readonly labels: Record<RequestLabel, string>;
  count: number;
  readonly duration: Histogram.Internal<RequestLabel>;
}

/**
 * Count and duration of proxied requests; `observe` runs once per request. prom-client re-validates
 * and re-hashes the labels on every call, even through a cached child (~200 ns for a counter), so
 * the count is a plain number handed to the counter at scrape time and only the histogram is fed
 * live, through a child found in nested maps (no key string or label object per call).
 */
export class RequestMetrics {
  private readonly count: Counter<RequestLabel>;
  private readonly duration: Histogram<RequestLabel>;
  private readonly byServer = new Map<string, Map<string, Map<string, Series>>>();
  private readonly series: Series[] = [];

  constructor(registry: Registry) {
    const labelNames: RequestLabel[] = ['server', 'method', 'status'];
    this.count = new Counter({
      name: 'switchboard_requests_total',
      help: 'Requests proxied to a server, by MCP method and outcome.',
      labelNames,
      registers: [registry],
      collect: () => {
        this.count.reset();
        for (const s of this.series) this.count.inc(s.labels, s.count);
      },
    });
    this.duration = new Histogram({
      name: 'switchboard_request_duration_seconds',
      help: 'Time from receiving a request to answering it, by server, MCP method and outcome.',
      labelNames,
      buckets: REQUEST_DURATION_BUCKETS,
      registers: [registry],
    });
  }

  observe(server: string, method: string, status: string, seconds: number): void {
    const series = this.seriesFor(server, methodLabel(method), status);
    series.count += 1;
    // A metric must never fail the request it measures: prom-client throws on NaN/Infinity.
    series.duration.observe(Number.isFinite(seconds) && seconds > 0 ? seconds : 0);
  }

  private seriesFor(server: string, method: string, status: string): Series {
    let byMethod = this.byServer.get(server);
    if (!byMethod) this.byServer.set(server, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map()));
    let series = byStatus.get(status);
    if (!series) {
      const labels = { server, method, status };
      series = { labels, count: 0, duration: this.duration.labels(labels) };
      byStatus.set(status, series);
      this.series.push(series);
    }
    return series;
  }
}
