/**
 * Pure data shaping for the server's charts: the engine's figures turned into the columns uPlot
 * draws (x in seconds, one column per series), and the words that say what each chart shows.
 * No DOM, no Vue, no uPlot.
 */
import { formatBytes, formatPercent } from '../../format.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export interface Span {
  start: number;
  end: number;
}

/** A chart's data as uPlot takes it: the x column (seconds since the epoch), then one per series. */
export type Column = (number | null)[];
export type Columns = [xs: number[], ...series: Column[]];

/** A minute of calls, as getServerStats and `server.calls` carry it. */
export interface CallBucket {
  at: number;
  calls: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

/** A restart, as the restart history carries it. */
export interface RestartAt {
  at: number;
  outcome: string;
}

/** A sample of CPU and memory, as getServerStats and `server.usage` carry it. */
export interface UsageSample {
  at: number;
  cpuPercent: number;
  rssBytes: number;
}

/** The smallest of 1, 2, 5 × 10ⁿ at or above `value` (1 for nothing), so an axis ends on a round number. */
export function niceCeil(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const f = value / power;
  const step = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return Number((step * power).toPrecision(12));
}

/**
 * A value axis from 0 that ends on a gridline: a round step (1, 2 or 5 × 10ⁿ; whole for counts)
 * giving about four intervals, and the top as the first multiple of it at or above `max`.
 */
export function niceAxis(max: number, whole = false): { top: number; step: number } {
  let step = niceCeil(max / 4);
  if (whole) step = Math.max(1, Math.round(step));
  const top = Math.max(1, Math.ceil(Number((max / step).toPrecision(12)))) * step;
  return { top: Number(top.toPrecision(12)), step };
}

/** The gridlines of an axis from 0 to `top` (a niceAxis top), one per step. */
export function axisSplits(top: number, whole = false): number[] {
  const { step } = niceAxis(top, whole);
  const splits: number[] = [];
  for (let i = 0; i * step <= top * (1 + 1e-9); i++) splits.push(Number((i * step).toPrecision(12)));
  return splits;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Milliseconds as a short figure: whole above 10, one decimal below. */
export function formatMs(ms: number): string {
  return `${ms >= 10 ? Math.round(ms) : round1(ms)} ms`;
}

/** Mebibytes (the memory charts' unit) as a short figure: MB below a GB, GB with one decimal above. */
export function formatMb(mb: number): string {
  return mb >= 1024 ? `${round1(mb / 1024)} GB` : `${Math.round(mb)} MB`;
}

/** `n` and the word, plural unless one: "1 call", "3 calls". */
export const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** How many of `times` fall in each of `count` bins of `size` ms from `start`; others are dropped. */
export function binCounts(times: readonly number[], start: number, size: number, count: number): number[] {
  const bins = new Array<number>(count).fill(0);
  for (const t of times) {
    const i = Math.floor((t - start) / size);
    if (i >= 0 && i < count) bins[i] = (bins[i] ?? 0) + 1;
  }
  return bins;
}

/** The hour shown: up to now, or up to the end of the newest minute if that is later (clock skew). */
export function hourWindow(now: number, newest?: number): Span {
  const end = Math.max(now, newest === undefined ? now : newest + MINUTE);
  return { start: end - HOUR, end };
}

const seconds = (ms: number) => ms / 1000;

/**
 * Every minute of the span (x at the middle of the minute, so a bar stands over its minute): calls
 * and errors, 0 in a quiet minute; p50 and p99 latency, null (no point) in a quiet minute.
 */
export function minuteColumns(
  buckets: readonly CallBucket[],
  span: Span,
): { calls: Columns; latency: Columns } {
  const byMinute = new Map(buckets.map((b) => [b.at, b] as const));
  const xs: number[] = [];
  const calls: number[] = [];
  const errors: number[] = [];
  const p50: (number | null)[] = [];
  const p99: (number | null)[] = [];
  for (let at = Math.floor(span.start / MINUTE) * MINUTE; at < span.end; at += MINUTE) {
    const b = byMinute.get(at);
    xs.push(seconds(at + MINUTE / 2));
    calls.push(b?.calls ?? 0);
    errors.push(b?.errors ?? 0);
    p50.push(b && b.calls > 0 ? b.p50Ms : null);
    p99.push(b && b.calls > 0 ? b.p99Ms : null);
  }
  return { calls: [xs, calls, errors], latency: [xs, p50, p99] };
}

/** Restarts of the span in bins of `bin` ms (x at the middle of each): all of them, and the failed ones. */
export function restartColumns(restarts: readonly RestartAt[], span: Span, bin = 5 * MINUTE): Columns {
  const bins = Math.ceil((span.end - span.start) / bin);
  const all = binCounts(
    restarts.map((r) => r.at),
    span.start,
    bin,
    bins,
  );
  const failed = binCounts(
    restarts.filter((r) => r.outcome === 'failed').map((r) => r.at),
    span.start,
    bin,
    bins,
  );
  const xs = all.map((_, i) => seconds(span.start + i * bin + bin / 2));
  return [xs, all, failed];
}

/**
 * Samples further apart than this break the line: the server was not running (or nobody sampled
 * it). The engine samples every 5 s while the window is open, every minute when it is closed.
 */
export const USAGE_GAP_MS = 150_000;
/** The engine keeps one sample per slot of this many ms; so does the window. */
export const USAGE_SLOT_MS = 5_000;

/**
 * CPU % and memory (in MB of 1024²) of the samples in the span, oldest first, with a null point
 * between two samples more than USAGE_GAP_MS apart so the line breaks there.
 */
export function usageColumns(samples: readonly UsageSample[], span: Span): { cpu: Columns; memory: Columns } {
  const xs: number[] = [];
  const cpu: (number | null)[] = [];
  const mb: (number | null)[] = [];
  let previous: number | undefined;
  for (const s of samples) {
    if (s.at < span.start || s.at > span.end) continue;
    if (previous !== undefined && s.at - previous > USAGE_GAP_MS) {
      xs.push(seconds((previous + s.at) / 2));
      cpu.push(null);
      mb.push(null);
    }
    xs.push(seconds(s.at));
    cpu.push(s.cpuPercent);
    mb.push(s.rssBytes / (1024 * 1024));
    previous = s.at;
  }
  return { cpu: [xs, cpu], memory: [xs, mb] };
}

/**
 * Samples merged as the engine keeps them: oldest first, one per 5-second slot (the newest in a slot
 * wins), none older than an hour before `now`. For the history answered plus the live samples.
 */
export function mergeUsage(
  kept: readonly UsageSample[],
  more: readonly UsageSample[],
  now: number,
): UsageSample[] {
  const slot = (s: UsageSample) => Math.floor(s.at / USAGE_SLOT_MS);
  const all = [...kept, ...more].filter((s) => s.at > now - HOUR).sort((a, b) => a.at - b.at);
  const merged: UsageSample[] = [];
  for (const s of all) {
    const last = merged.at(-1);
    if (last && slot(last) === slot(s)) merged[merged.length - 1] = s;
    else merged.push(s);
  }
  return merged;
}

/** The highest value of a column (0 for none). */
export function peakOf(column: readonly (number | null)[]): number {
  let peak = 0;
  for (const v of column) if (v !== null && v > peak) peak = v;
  return peak;
}

// What each chart shows, in words: its accessible name, since a canvas says nothing to a screen reader.

export function cpuSummary(samples: readonly UsageSample[]): string {
  const last = samples.at(-1);
  if (!last) return 'No CPU samples in the last hour';
  const peak = Math.max(...samples.map((s) => s.cpuPercent));
  return `CPU ${formatPercent(last.cpuPercent)} now, peak ${formatPercent(peak)} in the last hour`;
}

export function memorySummary(samples: readonly UsageSample[]): string {
  const last = samples.at(-1);
  if (!last) return 'No memory samples in the last hour';
  const peak = Math.max(...samples.map((s) => s.rssBytes));
  return `Memory ${formatBytes(last.rssBytes)} now, peak ${formatBytes(peak)} in the last hour`;
}

export function latencySummary(buckets: readonly CallBucket[]): string {
  const last = buckets.at(-1);
  if (!last) return 'No calls over the last 60 minutes';
  const peak = Math.max(...buckets.map((b) => b.p99Ms));
  return (
    `p50 ${formatMs(last.p50Ms)}, p99 ${formatMs(last.p99Ms)} in the latest minute; ` +
    `highest p99 ${formatMs(peak)} over the last 60 minutes`
  );
}

export function callsSummary(buckets: readonly CallBucket[]): string {
  const calls = buckets.reduce((n, b) => n + b.calls, 0);
  const errors = buckets.reduce((n, b) => n + b.errors, 0);
  const busiest = Math.max(0, ...buckets.map((b) => b.calls));
  return `${count(calls, 'call')} (${count(errors, 'error')}) over the last 60 minutes; busiest minute ${count(busiest, 'call')}`;
}

export function restartsSummary(restarts: readonly RestartAt[], busiest: number): string {
  const failed = restarts.filter((r) => r.outcome === 'failed').length;
  return (
    `${count(restarts.length, 'restart')} over the last hour (${failed} failed); ` +
    `at most ${busiest} in 5 minutes`
  );
}

/** `color` (#rgb, #rrggbb or rgb(…)) at `alpha` opacity, as rgba(…); other forms come back as they are. */
export function withAlpha(color: string, alpha: number): string {
  const c = color.trim();
  let rgb: number[] | undefined;
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(c)?.[1];
  if (hex) {
    const full = hex.length === 3 ? [...hex].map((h) => h + h).join('') : hex;
    rgb = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16));
  } else {
    const m = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/i.exec(c);
    if (m) rgb = [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  return rgb ? `rgba(${rgb.join(', ')}, ${alpha})` : c;
}
