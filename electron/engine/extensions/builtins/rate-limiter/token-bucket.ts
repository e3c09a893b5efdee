/** How fast a bucket refills and how many calls it holds. */
export interface BucketLimits {
  perMinute: number;
  burst: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterMs: number };

/** Float slack, so a bucket refilled by exactly one token's worth of time counts as holding one. */
const EPSILON = 1e-9;

/**
 * A token bucket refilled from clock time on each use (no timers): `burst` calls at once, then
 * `perMinute` a minute. Limits are passed on every take, so new settings apply at once.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private limits: BucketLimits;

  constructor(limits: BucketLimits, now: number) {
    this.tokens = limits.burst;
    this.updatedAt = now;
    this.limits = limits;
  }

  take(limits: BucketLimits, now: number): TakeResult {
    this.limits = limits;
    this.refill(now);
    if (this.tokens + EPSILON >= 1) {
      this.tokens = Math.max(0, this.tokens - 1);
      return { ok: true };
    }
    return {
      ok: false,
      retryAfterMs: Math.max(1, Math.ceil(((1 - this.tokens) * 60_000) / limits.perMinute)),
    };
  }

  /** Back at `burst` with the limits of its last take: forgetting it changes nothing. */
  isFull(now: number): boolean {
    this.refill(now);
    return this.tokens + EPSILON >= this.limits.burst;
  }

  private refill(now: number): void {
    // A clock that went back (suspend, NTP step) refills nothing rather than draining.
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.limits.burst, this.tokens + (elapsed * this.limits.perMinute) / 60_000);
    this.updatedAt = Math.max(this.updatedAt, now);
  }
}

/**
 * Buckets by key, bounded: past `maxBuckets` the full ones go first (they hold nothing), then the
 * least recently used, down to 90% so the sweep runs rarely.
 */
export class BucketTable {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly maxBuckets = 10_000) {}

  get size(): number {
    return this.buckets.size;
  }

  take(key: string, limits: BucketLimits, now: number): TakeResult {
    let bucket = this.buckets.get(key);
    if (bucket)
      this.buckets.delete(key); // re-inserted below: the map's order is least recently used first
    else bucket = new TokenBucket(limits, now);
    this.buckets.set(key, bucket);
    const result = bucket.take(limits, now);
    if (this.buckets.size > this.maxBuckets) this.prune(now);
    return result;
  }

  clear(): void {
    this.buckets.clear();
  }

  private prune(now: number): void {
    const target = Math.floor(this.maxBuckets * 0.9);
    for (const [key, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(key);
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= target) break;
      this.buckets.delete(key);
    }
  }
}
