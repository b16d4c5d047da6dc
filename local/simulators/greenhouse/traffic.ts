import type { FastifyInstance } from 'fastify';
import type { Clock } from '../shared/clock.ts';
import { ADMIN_PREFIX } from '../shared/faults.ts';
import { FixedWindowLimit } from '../shared/fixed-window.ts';

/**
 * Rate limits and request counting.
 *
 * Harvest v3 counts requests in fixed 30-second windows [M] and announces the count on every
 * response, errors included: `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset`
 * (UTC epoch seconds) [M]; over the limit → 429 with `Retry-After` in seconds [M]. The limit itself
 * is unpublished: 75 is the docs' example [M], the default here. The token endpoint is metered on
 * its own 60-second window [M]; its limit is unknown (20 assumed).
 *
 * The window is settable (admin `PUT /rate-limit {"windowSeconds"}`) only so that a scenario that must
 * wait many windows runs in seconds: the bridge takes each window's end from `X-RateLimit-Reset`, so
 * it follows a shorter window as it would follow Greenhouse's 30 seconds.
 *
 * Counts per route (method + route pattern) let tests prove what a client did and did not call.
 */
export const API_WINDOW_MS = 30_000;
export const TOKEN_WINDOW_MS = 60_000;
export const DEFAULT_API_LIMIT = 75;
export const DEFAULT_TOKEN_LIMIT = 20;

export class RateLimits {
  readonly api: FixedWindowLimit;
  readonly token: FixedWindowLimit;

  constructor(
    private readonly clock: Clock,
    limits: { api?: number; token?: number } = {},
  ) {
    this.api = new FixedWindowLimit(limits.api ?? DEFAULT_API_LIMIT, API_WINDOW_MS, clock);
    this.token = new FixedWindowLimit(limits.token ?? DEFAULT_TOKEN_LIMIT, TOKEN_WINDOW_MS, clock);
  }

  /** Registered before fault injection, so injected 5xx answers carry the headers too. */
  install(app: FastifyInstance): void {
    app.addHook('onRequest', async (request, reply) => {
      const path = request.url;
      const limit = path.startsWith('/v3/') || path === '/v3' ? this.api : path.startsWith('/token') ? this.token : undefined;
      if (!limit) return;
      const verdict = limit.take();
      const resetEpoch = Math.floor(this.clock.now() / 1000) + verdict.resetSeconds;
      reply.header('X-RateLimit-Limit', verdict.limit);
      reply.header('X-RateLimit-Remaining', verdict.remaining);
      reply.header('X-RateLimit-Reset', resetEpoch);
      if (!verdict.allowed) {
        reply.header('Retry-After', verdict.resetSeconds);
        return reply.code(429).send({ message: 'Too Many Requests' });
      }
    });
  }

  settings() {
    return {
      limit: this.api.limit,
      windowSeconds: this.api.windowMs / 1000,
      tokenLimit: this.token.limit,
      apiRejected: this.api.rejected,
      tokenRejected: this.token.rejected,
    };
  }
}

export class RequestCounts {
  private counts = new Map<string, number>();

  install(app: FastifyInstance): void {
    // Counted on arrival (routing is already done then), so a count is final when the answer is.
    app.addHook('onRequest', async (request) => {
      if (request.url.startsWith(ADMIN_PREFIX)) return;
      const key = `${request.method} ${request.routeOptions.url ?? '(unmatched)'}`;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    });
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }

  count(method: string, route: string): number {
    return this.counts.get(`${method} ${route}`) ?? 0;
  }

  reset(): void {
    this.counts = new Map();
  }
}
