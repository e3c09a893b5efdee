/** Pure maths for the small inline-SVG charts: scales, paths, bars, bins. No DOM, no Vue. */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** The SVG's size and the margins around the plot (for axis labels). */
export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export const FRAME: Frame = { width: 320, height: 120, left: 34, right: 8, top: 8, bottom: 18 };

export interface Point {
  x: number;
  y: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type Scale = (value: number) => number;

/** Maps `domain` onto `range` linearly; a zero-width domain maps everything to the range's start. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (d1 === d0) return () => r0;
  const k = (r1 - r0) / (d1 - d0);
  return (value) => r0 + (value - d0) * k;
}

/** The smallest of 1, 2, 5 × 10ⁿ at or above `value` (1 for nothing), so an axis ends on a round number. */
export function niceCeil(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const f = value / power;
  const step = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return Number((step * power).toPrecision(12));
}

/** One decimal is plenty in a 320-unit viewBox, and keeps the path text short. */
export const round1 = (n: number) => Math.round(n * 10) / 10;

/** An SVG path through the points in order ("" for none). */
export function linePath(points: readonly Point[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${round1(p.x)} ${round1(p.y)}`).join(' ');
}

/** A bar from `x0` to `x1` standing on `baseline` up to `y`, with `gap` left free on each side. */
export function barRect(x0: number, x1: number, y: number, baseline: number, gap = 1): Rect {
  const width = Math.max(x1 - x0 - 2 * gap, 1);
  const top = Math.min(y, baseline);
  return { x: round1(x0 + gap), y: round1(top), width: round1(width), height: round1(baseline - top) };
}

/** How many of `times` fall in each of `count` bins of `size` ms from `start`; others are dropped. */
export function binCounts(times: readonly number[], start: number, size: number, count: number): number[] {
  const bins = new Array<number>(count).fill(0);
  for (const t of times) {
    const i = Math.floor((t - start) / size);
    if (i >= 0 && i < count) bins[i] = (bins[i] ?? 0) + 1;
  }
  return bins;
}

export interface Span {
  start: number;
  end: number;
}

/** The hour shown: up to now, or up to the end of the newest minute if that is later (clock skew). */
export function hourWindow(now: number, newest?: number): Span {
  const end = Math.max(now, newest === undefined ? now : newest + MINUTE);
  return { start: end - HOUR, end };
}

/** The scales of a chart over `span` with values from 0 to `yMax`. */
export function frameScales(span: Span, yMax: number, frame: Frame = FRAME): { x: Scale; y: Scale } {
  return {
    x: linearScale([span.start, span.end], [frame.left, frame.width - frame.right]),
    y: linearScale([0, yMax], [frame.height - frame.bottom, frame.top]),
  };
}

/** Milliseconds as a short figure: whole above 10, one decimal below. */
export function formatMs(ms: number): string {
  return `${ms >= 10 ? Math.round(ms) : round1(ms)} ms`;
}
