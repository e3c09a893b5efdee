import uPlot from 'uplot';
import { axisSplits, niceAxis, withAlpha, type Span } from './chart-math.js';
import type { ChartTheme } from './chart-theme.js';

/** One series of a chart: a line (optionally with a soft area under it) or bars standing on zero. */
export interface SeriesSpec {
  label: string;
  color: string;
  kind: 'line' | 'area' | 'bars';
}

export interface ChartSpec {
  theme: ChartTheme;
  series: readonly SeriesSpec[];
  /** The time span across the x axis, read at each redraw (it moves with the clock). */
  span: () => Span;
  /** A value axis label. */
  yValue: (value: number) => string;
  /** Counts: the value axis steps by whole numbers only. */
  whole?: boolean;
  /** The value axis' lowest top (a flat 0 % CPU still gets an axis up to this). */
  yMinTop?: number;
}

/** The charts' height in CSS pixels; the width follows the card. */
export const CHART_HEIGHT = 168;

/** How close to the plot's left edge a time label's tick may be (about half a label). */
const EDGE_LABEL_PX = 26;

/** The x axis' labels: the time of day in the person's own time zone and format ("2:30 PM", "14:30"). */
export function clockLabel(seconds: number): string {
  return new Date(seconds * 1000).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
}

/** Points of a line drawn only where the line cannot show (a sample with no neighbour). */
function isolated(u: uPlot, seriesIdx: number): number[] | null {
  const ys = u.data[seriesIdx] ?? [];
  const lone: number[] = [];
  for (let i = 0; i < ys.length; i++) {
    if (ys[i] == null) continue;
    if (ys[i - 1] == null && ys[i + 1] == null) lone.push(i);
  }
  return lone.length > 0 ? lone : null;
}

/** A fill fading from the line's colour at the top of the plot to nothing at the bottom. */
function fade(color: string): uPlot.Series.Fill {
  return (u) => {
    const { top, height } = u.bbox;
    const gradient = u.ctx.createLinearGradient(0, top, 0, top + height);
    gradient.addColorStop(0, withAlpha(color, 0.28));
    gradient.addColorStop(1, withAlpha(color, 0.02));
    return gradient;
  };
}

function series(spec: SeriesSpec, bars: uPlot.Series.PathBuilder | undefined): uPlot.Series {
  if (spec.kind === 'bars') {
    return {
      label: spec.label,
      stroke: spec.color,
      fill: spec.color,
      width: 0,
      ...(bars ? { paths: bars } : {}),
      points: { show: false },
    };
  }
  return {
    label: spec.label,
    stroke: spec.color,
    width: 1.75,
    spanGaps: false,
    ...(spec.kind === 'area' ? { fill: fade(spec.color) } : {}),
    points: { show: false, filter: isolated, size: 5, fill: spec.color, stroke: spec.color },
  };
}

/**
 * uPlot's options for one of the server's charts (all but the size): local-time x axis over the
 * span, value axis from 0 to a round top, light horizontal grid lines, muted axis labels, no legend
 * (the figure has its own) and no drag-to-zoom (the span is fixed).
 */
export function chartOptions(spec: ChartSpec): Omit<uPlot.Options, 'width' | 'height'> {
  const { theme } = spec;
  const font = `11px ${theme.font}`;
  const hasBars = spec.series.some((s) => s.kind === 'bars');
  const bars = hasBars ? uPlot.paths.bars?.({ size: [0.72, 18], align: 0, radius: [0.2, 0] }) : undefined;
  const axis: uPlot.Axis = {
    stroke: theme.muted,
    font,
    ticks: { show: false },
    gap: 6,
  };
  return {
    // Room on the right for half of the last time label, centred on its tick.
    padding: [12, 28, 0, 0],
    legend: { show: false },
    cursor: {
      y: false,
      drag: { x: false, y: false, setScale: false },
      points: {
        // uPlot's own (default) show draws the hover dots on lines; bars need none.
        ...(hasBars ? { show: false } : {}),
        size: 7,
        width: 2,
        stroke: (_u, i) => spec.series[i - 1]?.color ?? theme.accent,
        fill: theme.bg,
      },
    },
    scales: {
      x: { time: true, range: () => [spec.span().start / 1000, spec.span().end / 1000] },
      y: {
        range: (_u, _min, max) => [0, niceAxis(Math.max(max ?? 0, spec.yMinTop ?? 0), spec.whole).top],
      },
    },
    axes: [
      {
        ...axis,
        space: 72,
        size: 26,
        grid: { show: false },
        border: { show: true, stroke: theme.grid, width: 1 },
        // A label centred on a tick at the very left would run into the value axis: left out.
        filter: (u, splits) => splits.map((s) => (u.valToPos(s, 'x') < EDGE_LABEL_PX ? null : s)),
        values: (_u, splits) => splits.map((s) => (s === null ? '' : clockLabel(s))),
      },
      {
        ...axis,
        grid: { stroke: theme.grid, width: 1 },
        // Gridlines from 0 to the top in round steps: the top always has its label.
        splits: (_u, _axis, _min, max) => axisSplits(max, spec.whole),
        values: (_u, splits) => splits.map(spec.yValue),
        size: (u, values) => {
          if (!values) return 40;
          u.ctx.font = font;
          const widest = Math.max(...values.map((v) => u.ctx.measureText(v).width));
          return Math.ceil(widest) + 14;
        },
      },
    ],
    series: [{}, ...spec.series.map((s) => series(s, bars))],
  };
}
