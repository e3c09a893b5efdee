import { percentile } from './stats.js';

/** Raw figures of one or more closed-loop runs; merge rounds before summarising. */
export interface LoadSample {
  latenciesMs: number[];
  elapsedMs: number;
  errors: number;
}

export interface LoadSummary {
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
}): Promise<LoadSample> {
  const latenciesMs: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + opts.timeCapMs;
  const worker = async () => {
    while (next < opts.calls && performance.now() < deadline) {
      const i = next++;
      const t0 = performance.now();
      const response = await opts.call(i);
      latenciesMs.push(performance.now() - t0);
      if (response.error) errors++;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return { latenciesMs, elapsedMs: performance.now() - started, errors };
}

export function mergeSamples(samples: readonly LoadSample[]): LoadSample {
  return {
    latenciesMs: samples.flatMap((s) => s.latenciesMs),
    elapsedMs: samples.reduce((sum, s) => sum + s.elapsedMs, 0),
    errors: samples.reduce((sum, s) => sum + s.errors, 0),
  };
}

export function summarise(sample: LoadSample): LoadSummary {
  const sorted = [...sample.latenciesMs].sort((a, b) => a - b);
  return {
    calls: sorted.length,
    errors: sample.errors,
    reqPerSec: (sorted.length / sample.elapsedMs) * 1000,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
  };
}
