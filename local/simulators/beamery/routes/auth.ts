import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { parseInput, type SimContext } from '../context.ts';
import { SimError } from '../sim-error.ts';

/**
 * `POST /v1/oauth/token` with a JSON `{clientId, clientSecret}` body (MED-HIGH: S2 docs, S4 code;
 * camelCase, no grant_type, not form-encoded) → `{access_token, token_type: "Bearer", expires_in}`.
 */
const tokenRequest = z.object({ clientId: z.string(), clientSecret: z.string() });

export function registerAuthRoutes(app: FastifyInstance, context: SimContext): void {
  app.post('/v1/oauth/token', async (request) => {
    const { clientId, clientSecret } = parseInput(tokenRequest, request.body);
    const { credentials, tokenLifetimeSeconds } = context.settings.current;
    if (clientId !== credentials.clientId || clientSecret !== credentials.clientSecret) {
      throw new SimError(401, 'invalid client credentials');
    }
    const { token, expiresInSeconds } = context.tokens.mint(tokenLifetimeSeconds);
    return { access_token: token, token_type: 'Bearer', expires_in: expiresInSeconds };
  });
}
