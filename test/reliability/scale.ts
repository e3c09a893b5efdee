/**
 * How hard the reliability suite pushes. `npm test` runs it small (a bounded part, minutes on a
 * busy two-core machine); `npm run test:reliability` sets RELIABILITY_SCALE=full.
 */
export const FULL_SCALE = process.env.RELIABILITY_SCALE === 'full';

/** `small` under `npm test`, `full` under `npm run test:reliability`. */
export function scaled(small: number, full: number): number {
  return FULL_SCALE ? full : small;
}
