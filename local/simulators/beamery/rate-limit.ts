import type { FastifyInstance } from 'fastify';
import { ADMIN_PREFIX } from '../shared/faults.ts';
import { FixedWindowLimit } from '../shared/fixed-window.ts';
import type { SimContext } from './context.ts';
import { errorBody } from './sim-error.ts';

export const TOKEN_PATH = '/v1/oauth/token';
/** The older Basic login (S1); it shares the authentication endpoint's limit and needs no bearer token. */
export const BASIC_AUTH_PATH = '/v1/auth';

/** Either way of minting a token: limited on their own, and called without a bearer token. */
export function isTokenRequest(url: string): boolean {
  const path = url.split('?')[0];
  return path === TOKEN_PATH || path === BASIC_AUTH_PATH;
}

/**
 * Beamery's limits (HIGH, S1/S2): 40 requests per second per tenant, the token endpoint 30 per
 * second on its own. Every response carries `x-ratelimit-limit: 40;w=1`, `x-ratelimit-remaining`,
 * `x-ratelimit-reset` (seconds to the window's end); a 429 carries no Retry-After, as documented.
 */
export function installRateLimit(app: FastifyInstance, context: SimContext): { api: FixedWindowLimit; token: FixedWindowLimit } {
  const { rateLimit } = context.settings.current;
  const api = new FixedWindowLimit(rateLimit.perSecond, 1000, context.clock);
  const token = new FixedWindowLimit(rateLimit.tokenPerSecond, 1000, context.clock);
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith(ADMIN_PREFIX)) return;
    // Limits may change through the admin API while the simulator runs.
    api.limit = context.settings.current.rateLimit.perSecond;
    token.limit = context.settings.current.rateLimit.tokenPerSecond;
    const window = isTokenRequest(request.url) ? token : api;
    const verdict = window.take();
    reply.header('x-ratelimit-limit', `${verdict.limit};w=1`);
    reply.header('x-ratelimit-remaining', String(verdict.remaining));
    reply.header('x-ratelimit-reset', String(verdict.resetSeconds));
    if (!verdict.allowed) return reply.code(429).send(errorBody(429, 'Too Many Requests'));
  });
  return { api, token };
}
