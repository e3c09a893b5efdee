import type uPlot from 'uplot';
import { describe, expect, it } from 'vitest';
import { HOUR } from './chart-math.js';
import { chartOptions, clockLabel } from './chart-options.js';
import { readChartTheme } from './chart-theme.js';

const theme = { ...readChartTheme(), accent: '#1d4ed8', bad: '#dc2626', muted: '#52525b', grid: '#d9dce1' };
const span = { start: 10 * HOUR, end: 11 * HOUR };
const u = {} as uPlot;

describe('chart options', () => {
  it('labels the time axis with the local time of day', () => {
    // 14:30 on the 2nd of January, in the time zone this runs in.
    const local = new Date(2026, 0, 2, 14, 30).getTime() / 1000;
    expect(clockLabel(local)).toMatch(/^(14|0?2):30/);
  });

  it('spans the hour across the x axis and 0 to a round top up the value axis', () => {
    let now = span;
    const options = chartOptions({ theme, series: [], span: () => now, yValue: String, yMinTop: 5 });
    const x = options.scales?.x;
    const y = options.scales?.y;
    expect(x?.time).toBe(true);
    const rangeX = x?.range as (u: uPlot, min: number, max: number) => [number, number];
    expect(rangeX(u, 0, 0)).toEqual([span.start / 1000, span.end / 1000]);
    // The span moves with the clock: read at each redraw.
    now = { start: span.start + 60_000, end: span.end + 60_000 };
    expect(rangeX(u, 0, 0)[1]).toBe(now.end / 1000);
    const rangeY = y?.range as (u: uPlot, min: number, max: number) => [number, number];
    expect(rangeY(u, 0, 12)).toEqual([0, 15]);
    // A flat line still gets an axis up to its lowest top (rounded to a gridline).
    expect(rangeY(u, 0, 0)).toEqual([0, 6]);
  });

  it('draws each series in its own colour from the theme, with muted labels and light grid lines', () => {
    const options = chartOptions({
      theme,
      series: [
        { label: 'calls', color: theme.accent, kind: 'bars' },
        { label: 'errors', color: theme.bad, kind: 'bars' },
      ],
      span: () => span,
      yValue: (v) => `${v} ms`,
      whole: true,
    });
    expect(options.series.map((s) => s.stroke)).toEqual([undefined, theme.accent, theme.bad]);
    expect(options.series[1]?.paths).toBeTypeOf('function');
    const [xAxis, yAxis] = options.axes ?? [];
    expect(xAxis?.stroke).toBe(theme.muted);
    expect(yAxis?.grid?.stroke).toBe(theme.grid);
    expect(xAxis?.grid?.show).toBe(false);
    const splits = yAxis?.splits as (u: uPlot, axis: number, min: number, max: number) => number[];
    // Counts step by whole numbers, up to the top.
    expect(splits(u, 1, 0, 2)).toEqual([0, 1, 2]);
    expect(splits(u, 1, 0, 15)).toEqual([0, 5, 10, 15]);
    const yValues = yAxis?.values as (u: uPlot, splits: number[]) => string[];
    expect(yValues(u, [0, 10])).toEqual(['0 ms', '10 ms']);
    // A time label whose tick is at the left edge would run into the value axis' labels.
    const filter = xAxis?.filter as (u: uPlot, splits: number[]) => (number | null)[];
    const at = { valToPos: (s: number) => s - 100 } as unknown as uPlot;
    expect(filter(at, [100, 110, 200])).toEqual([null, null, 200]);
    const xValues = xAxis?.values as (u: uPlot, splits: (number | null)[]) => string[];
    expect(xValues(u, [null, 0])).toEqual(['', clockLabel(0)]);
    // The figure has its own legend; the hour is fixed, so no drag-to-zoom.
    expect(options.legend?.show).toBe(false);
    expect(options.cursor?.drag).toMatchObject({ x: false, y: false });
  });
});
