import { readFileSync } from 'node:fs';

/** Resident memory of a process in MiB (Linux /proc); NaN where there is no /proc. */
export function rssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return Number.NaN;
  }
}

/** A leak check, not a budget: the engine may grow by this much over a whole fuzz run. */
export const RSS_GROWTH_LIMIT_MIB = 256;

export interface Latency {
  p50: number;
  p99: number;
}

/** `count` sequential calls of `call`, timed; milliseconds. Printed, never asserted. */
export async function latency(call: () => Promise<unknown>, count: number): Promise<Latency> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { p50: round(at(0.5)), p99: round(at(0.99)) };
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** `{"-32700": 12, ...}` as `-32700×12 -32600×3`, for the one-line summaries. */
export function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}×${v}`)
    .join(' ');
}
