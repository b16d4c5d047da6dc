import type { Clock } from './clock.ts';

/**
 * A fixed-window request limit as both SaaS APIs announce it: `limit` requests per window, windows
 * aligned to multiples of the window length, the count reset at each boundary. Greenhouse: 30-second
 * windows, X-RateLimit-Limit/Remaining/Reset and Retry-After on 429. Beamery: 1-second windows, 40 per
 * tenant, x-ratelimit-limit `40;w=1`, -remaining, -reset.
 */
export interface WindowVerdict {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Whole seconds until the current window ends (at least 1). */
  readonly resetSeconds: number;
}

export class FixedWindowLimit {
  private windowStart = -1;
  private used = 0;
  rejected = 0;

  constructor(
    public limit: number,
    /** Settable for tests that must wait many windows (the client follows the server's announced window end). */
    public windowMs: number,
    private readonly clock: Clock,
  ) {}

  take(): WindowVerdict {
    const now = this.clock.now();
    const start = now - (now % this.windowMs);
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.used = 0;
    }
    const resetSeconds = Math.max(1, Math.ceil((start + this.windowMs - now) / 1000));
    if (this.used >= this.limit) {
      this.rejected++;
      return { allowed: false, limit: this.limit, remaining: 0, resetSeconds };
    }
    this.used++;
    return { allowed: true, limit: this.limit, remaining: this.limit - this.used, resetSeconds };
  }
}
