import { describe, expect, it } from 'vitest';
import {
  HOUR,
  MINUTE,
  USAGE_GAP_MS,
  axisSplits,
  binCounts,
  callsSummary,
  cpuSummary,
  formatMb,
  formatMs,
  hourWindow,
  latencySummary,
  memorySummary,
  mergeUsage,
  minuteColumns,
  niceAxis,
  niceCeil,
  peakOf,
  restartColumns,
  restartsSummary,
  usageColumns,
  withAlpha,
  type CallBucket,
} from './chart-math.js';

const MB = 1024 * 1024;
const hour = { start: 10 * HOUR, end: 11 * HOUR };
const bucket = (minute: number, more: Partial<CallBucket> = {}): CallBucket => ({
  at: hour.start + minute * MINUTE,
  calls: 10,
  errors: 0,
  p50Ms: 3,
  p99Ms: 12,
  ...more,
});
const sample = (at: number, cpuPercent = 1, rssBytes = 10 * MB) => ({ at, cpuPercent, rssBytes });

describe('chart maths', () => {
  it('rounds an axis top up to 1, 2 or 5 times a power of ten', () => {
    expect(niceCeil(0)).toBe(1);
    expect(niceCeil(-4)).toBe(1);
    expect(niceCeil(1)).toBe(1);
    expect(niceCeil(3)).toBe(5);
    expect(niceCeil(7)).toBe(10);
    expect(niceCeil(12)).toBe(20);
    expect(niceCeil(500)).toBe(500);
    expect(niceCeil(501)).toBe(1000);
    expect(niceCeil(0.3)).toBe(0.5);
  });

  it('ends a value axis on a gridline, about four round steps from 0', () => {
    expect(niceAxis(12)).toEqual({ top: 15, step: 5 });
    expect(niceAxis(57)).toEqual({ top: 60, step: 20 });
    expect(niceAxis(5)).toEqual({ top: 6, step: 2 });
    expect(niceAxis(0.3)).toEqual({ top: 0.3, step: 0.1 });
    expect(niceAxis(0)).toEqual({ top: 1, step: 1 });
    // Counts never step by less than one.
    expect(niceAxis(2, true)).toEqual({ top: 2, step: 1 });
    expect(axisSplits(60)).toEqual([0, 20, 40, 60]);
    expect(axisSplits(0.3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(axisSplits(3, true)).toEqual([0, 1, 2, 3]);
  });

  it('counts times per bin and drops the ones outside', () => {
    expect(binCounts([0, 1, 5, 9, 10, -1, 30], 0, 5, 3)).toEqual([2, 2, 1]);
  });

  it('shows the last hour, stretched to the newest minute if it is later than now', () => {
    expect(hourWindow(10 * HOUR)).toEqual({ start: 9 * HOUR, end: 10 * HOUR });
    expect(hourWindow(10 * HOUR, 10 * HOUR)).toEqual({ start: 9 * HOUR + MINUTE, end: 10 * HOUR + MINUTE });
    expect(hourWindow(10 * HOUR, 2 * HOUR).end).toBe(10 * HOUR);
  });

  it('writes milliseconds, megabytes and peaks short', () => {
    expect(formatMs(3.14)).toBe('3.1 ms');
    expect(formatMs(12.6)).toBe('13 ms');
    expect(formatMb(45.4)).toBe('45 MB');
    expect(formatMb(1536)).toBe('1.5 GB');
    expect(peakOf([null, 3, 9, null, 2])).toBe(9);
    expect(peakOf([])).toBe(0);
  });

  it('lays every minute of the hour out for uPlot: calls and errors as bars, latency with gaps', () => {
    const { calls, latency } = minuteColumns([bucket(3, { calls: 4, errors: 1 }), bucket(59)], hour);
    const [xs, count, errors] = calls;
    expect(xs).toHaveLength(60);
    // x in seconds, at the middle of each minute, so a bar stands over its minute.
    expect(xs[0]).toBe((hour.start + 30_000) / 1000);
    expect(xs[59]).toBe((hour.end - 30_000) / 1000);
    expect(count?.[3]).toBe(4);
    expect(errors?.[3]).toBe(1);
    expect(count?.[4]).toBe(0);
    expect(latency[0]).toBe(xs);
    expect(latency[1]?.[3]).toBe(3);
    expect(latency[2]?.[59]).toBe(12);
    // A quiet minute has no latency: no point, and the line breaks.
    expect(latency[1]?.[4]).toBeNull();
  });

  it('bins the restarts of the hour by 5 minutes, the failed ones apart', () => {
    const [xs, all, failed] = restartColumns(
      [
        { at: hour.start + 1000, outcome: 'ready' },
        { at: hour.start + 2 * MINUTE, outcome: 'failed' },
        { at: hour.start + 31 * MINUTE, outcome: 'ready' },
        { at: hour.start - MINUTE, outcome: 'ready' },
      ],
      hour,
    );
    expect(xs).toHaveLength(12);
    expect(xs[0]).toBe((hour.start + 2.5 * MINUTE) / 1000);
    expect(all).toEqual([2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
    expect(failed?.[0]).toBe(1);
    expect(peakOf(all ?? [])).toBe(2);
  });

  it('turns CPU and memory samples into columns, breaking the line where samples stop', () => {
    const t = hour.start + 10 * MINUTE;
    const { cpu, memory } = usageColumns(
      [
        sample(hour.start - 1000, 99), // before the hour: left out
        sample(t, 2, 40 * MB),
        sample(t + 5000, 4, 41 * MB),
        sample(t + 5000 + USAGE_GAP_MS + 1, 6, 42 * MB), // the server was not running meanwhile
      ],
      hour,
    );
    expect(cpu[0]).toEqual([
      t / 1000,
      (t + 5000) / 1000,
      expect.any(Number),
      (t + 5001 + USAGE_GAP_MS) / 1000,
    ]);
    expect(cpu[1]).toEqual([2, 4, null, 6]);
    expect(memory[1]).toEqual([40, 41, null, 42]);
  });

  it('merges history and live samples as the engine keeps them: one per 5 s, none past the hour', () => {
    const now = hour.end;
    const merged = mergeUsage(
      [sample(now - HOUR - 1), sample(now - 20_000, 1), sample(now - 10_000, 2)],
      [sample(now - 9_000, 3), sample(now - 1_000, 4), sample(now - 15_000, 5)],
      now,
    );
    expect(merged.map((s) => s.cpuPercent)).toEqual([1, 5, 3, 4]);
  });

  it('says what each chart shows, in words', () => {
    expect(cpuSummary([sample(1, 12), sample(2, 3.14)])).toBe('CPU 3.1% now, peak 12% in the last hour');
    expect(cpuSummary([])).toBe('No CPU samples in the last hour');
    expect(memorySummary([sample(1, 0, 80 * MB), sample(2, 0, 40 * MB)])).toBe(
      'Memory 40.0 MB now, peak 80.0 MB in the last hour',
    );
    expect(latencySummary([bucket(1, { p99Ms: 40 }), bucket(2)])).toBe(
      'p50 3 ms, p99 12 ms in the latest minute; highest p99 40 ms over the last 60 minutes',
    );
    expect(callsSummary([bucket(1, { calls: 4 }), bucket(2, { calls: 10, errors: 1 })])).toBe(
      '14 calls (1 error) over the last 60 minutes; busiest minute 10 calls',
    );
    expect(restartsSummary([{ at: 1, outcome: 'failed' }], 1)).toBe(
      '1 restart over the last hour (1 failed); at most 1 in 5 minutes',
    );
  });

  it('gives a token colour an opacity for area fills', () => {
    expect(withAlpha('#1d4ed8', 0.25)).toBe('rgba(29, 78, 216, 0.25)');
    expect(withAlpha(' #fff', 0.5)).toBe('rgba(255, 255, 255, 0.5)');
    expect(withAlpha('rgb(1, 2, 3)', 0.1)).toBe('rgba(1, 2, 3, 0.1)');
    expect(withAlpha('oklch(0.5 0.1 200)', 0.1)).toBe('oklch(0.5 0.1 200)');
  });
});
