import type { RestartSpan } from './storm-reload.js';
import type { CallRecord } from './storm-calls.js';

export interface HeldCheck {
  /** The longest any call took. */
  maxHeldMs: number;
  /** Calls that took longer than the longest restart they overlapped plus the slack. */
  overdue: string[];
}

/**
 * A call held across a restart may wait for that restart, not longer: its time is compared with
 * the longest restart whose span [startedAt, startedAt + durationMs] overlaps the call (relative,
 * not a wall-clock bound, so a slow machine does not fail it).
 */
export function checkHeld(records: readonly CallRecord[], restarts: readonly RestartSpan[], slackMs: number) {
  const result: HeldCheck = { maxHeldMs: 0, overdue: [] };
  for (const call of records) {
    const took = call.end - call.start;
    result.maxHeldMs = Math.max(result.maxHeldMs, took);
    let longest = 0;
    for (const r of restarts)
      if (r.startedAt <= call.end && r.startedAt + r.durationMs >= call.start)
        longest = Math.max(longest, r.durationMs);
    if (took > longest + slackMs)
      result.overdue.push(`${call.channel} took ${took} ms, restarts overlapped ≤ ${longest} ms`);
  }
  return result;
}
