/** What a client is told about its budget (IETF draft RateLimit-* headers, draft 6 style). */
export interface RateLimitVerdict {
  allowed: boolean;
  /** The bucket's size (RateLimit-Limit). */
  limit: number;
  /** Requests left right now, after this one (RateLimit-Remaining). */
  remaining: number;
  /** Seconds until the bucket is full again (RateLimit-Reset). */
  resetSeconds: number;
  /** When refused: seconds until one request is allowed (Retry-After). */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Per-client token buckets held in this process's memory: `burst` requests at once, refilled at `perMinute`.
 * Several processes each keep their own, so a client behind a load balancer gets up to N times the rate.
 * Buckets that have refilled completely are forgotten, so memory follows the active clients only.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private lastSweep = 0;

  constructor(
    readonly perMinute: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.perMs = perMinute / 60_000;
  }

  /** The window the policy is announced with: the seconds an empty bucket takes to refill. */
  get windowSeconds(): number {
    return Math.max(1, Math.ceil(this.burst / (this.perMs * 1000)));
  }

  take(client: string): RateLimitVerdict {
    const now = this.now();
    this.sweep(now);
    const bucket = this.buckets.get(client) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(client, bucket);
    const missing = this.burst - bucket.tokens;
    return {
      allowed,
      limit: this.burst,
      remaining: Math.floor(bucket.tokens),
      resetSeconds: Math.ceil(missing / this.perMs / 1000),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)),
    };
  }

  /** Seconds until the client may make one request again, or 0 when it may now; takes nothing from its bucket. */
  waitSeconds(client: string): number {
    const bucket = this.buckets.get(client);
    if (!bucket) return 0;
    const tokens = Math.min(this.burst, bucket.tokens + (this.now() - bucket.at) * this.perMs);
    return tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000));
  }

  /** Clients tracked now. */
  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < 10_000) return;
    this.lastSweep = now;
    for (const [client, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.perMs >= this.burst) this.buckets.delete(client);
    }
  }
}
