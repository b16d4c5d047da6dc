import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { parseInput, type SimContext } from '../context.ts';
import { SimError } from '../sim-error.ts';

/**
 * The two ways to mint a token, served per the `auth` setting (the other answers 404 like an unknown
 * route):
 * - `POST /v1/oauth/token` with a JSON `{clientId, clientSecret}` body (MED-HIGH: S2 docs, S4 code;
 *   camelCase, no grant_type, not form-encoded) → `{access_token, token_type: "Bearer", expires_in}`;
 * - `GET /v1/auth` with Basic `username:password` (MED: S1's older render) → `{token}`. The reply's
 *   shape is not public: the simulator answers the barest plausible one (no type, no lifetime), so the
 *   client's defaults for both are what is exercised.
 */
const tokenRequest = z.object({ clientId: z.string(), clientSecret: z.string() });

export function registerAuthRoutes(app: FastifyInstance, context: SimContext): void {
  const served = (variant: 'oauth' | 'basic') => {
    const { auth } = context.settings.current;
    if (auth !== variant && auth !== 'both') throw new SimError(404, 'Not Found');
  };

  app.post('/v1/oauth/token', async (request) => {
    served('oauth');
    const { clientId, clientSecret } = parseInput(tokenRequest, request.body);
    const { credentials, tokenLifetimeSeconds } = context.settings.current;
    if (clientId !== credentials.clientId || clientSecret !== credentials.clientSecret) {
      throw new SimError(401, 'invalid client credentials');
    }
    const { token, expiresInSeconds } = context.tokens.mint(tokenLifetimeSeconds);
    return { access_token: token, token_type: 'Bearer', expires_in: expiresInSeconds };
  });

  app.get('/v1/auth', async (request) => {
    served('basic');
    const login = basicLogin(request.headers.authorization);
    const { credentials, tokenLifetimeSeconds } = context.settings.current;
    if (!login || login.username !== credentials.clientId || login.password !== credentials.clientSecret) {
      throw new SimError(401, 'invalid username or password');
    }
    return { token: context.tokens.mint(tokenLifetimeSeconds).token };
  });
}

function basicLogin(header: string | undefined): { username: string; password: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
