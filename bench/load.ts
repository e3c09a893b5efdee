import { percentile } from './stats.js';

export interface LoadResult {
  concurrency: number;
  calls: number;
  errors: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * Closed loop: `concurrency` workers each send the next call when the last one is answered,
 * until `calls` are done or `timeCapMs` passes.
 */
export async function closedLoop(opts: {
  concurrency: number;
  calls: number;
  timeCapMs: number;
  call: (i: number) => Promise<{ error?: unknown }>;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const deadline = performance.now() + opts.timeCapMs;
  const started = performance.now();
  const worker = async () => {
    while (next < opts.calls && performance.now() < deadline) {
      const i = next++;
      const t0 = performance.now();
      const response = await opts.call(i);
      latencies.push(performance.now() - t0);
      if (response.error) errors++;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    concurrency: opts.concurrency,
    calls: latencies.length,
    errors,
    reqPerSec: (latencies.length / elapsed) * 1000,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}
