/** Restart policy: exponential backoff with jitter, and crash-loop detection over a sliding window. */
export interface RestartPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  factor: number;
  /** 0.2 = up to ±20 % around the nominal delay, so many servers do not retry in lockstep. */
  jitter: number;
  /** This many crashes inside the window means a crash loop. */
  crashLoopCount: number;
  crashLoopWindowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  baseDelayMs: 100,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: 0.2,
  crashLoopCount: 5,
  crashLoopWindowMs: 60_000,
};

/** The delay before retry number `attempt` (1-based), jittered by `random()` in [0, 1). */
export function backoffDelay(policy: RestartPolicy, attempt: number, random: () => number): number {
  const nominal = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** Math.max(0, attempt - 1));
  const spread = nominal * policy.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(Math.min(policy.maxDelayMs, nominal + spread)));
}

/** Remembers recent crashes; old ones fall out of the window. */
export class CrashHistory {
  private times: number[] = [];

  constructor(private readonly policy: RestartPolicy) {}

  /** Records a crash at `now` and returns how many fall inside the window. */
  record(now: number): number {
    this.times.push(now);
    this.prune(now);
    return this.times.length;
  }

  countAt(now: number): number {
    this.prune(now);
    return this.times.length;
  }

  isLoop(now: number): boolean {
    return this.countAt(now) >= this.policy.crashLoopCount;
  }

  /** A person acted (or the server stayed up): start counting afresh. */
  reset(): void {
    this.times = [];
  }

  private prune(now: number): void {
    const cutoff = now - this.policy.crashLoopWindowMs;
    while (this.times.length > 0 && this.times[0]! <= cutoff) this.times.shift();
  }
}
