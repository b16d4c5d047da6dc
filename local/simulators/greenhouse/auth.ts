import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../shared/clock.ts';
import type { ApiContract } from './api-contract.ts';
import { GreenhouseApiError, missingScope } from './api-errors.ts';
import type { GreenhouseState } from './state.ts';

/**
 * OAuth 2.0 client credentials as Greenhouse runs it for Harvest v3 (reference §1.3–1.5):
 * - `POST /token`, Basic client auth, form body `grant_type=client_credentials[&sub=<user id>]` [H];
 *   `grant_type` as a query parameter and a JSON body are accepted too, as observed [M];
 * - errors as measured by one team [M]: no credential → 401 `{"message":"Unauthorized","errorId"}`,
 *   wrong id/secret → 401 `{"error":"invalid_client"}`, missing/invalid grant_type → 400 listing the
 *   allowed grants;
 * - tokens are opaque here (real ones are JWTs [M]); the client must not care;
 * - the expiry field varies between sources (`expires_at` ISO vs `expires_in` seconds) [L]: both
 *   are configurable so the client's two paths are testable;
 * - API calls: unknown/expired token → 401, missing scope → 403 naming the scope; scopes are read
 *   live from the credential, since removed scopes apply at once even to unexpired tokens [H];
 * - list endpoints need a Site Admin acting user [M]: a token whose `sub` is not an active Site
 *   Admin gets 403 on lists. A token without `sub` acts as the integration's service user and is
 *   allowed (open question 3; assumed).
 */
export interface SimCredential {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Granted scopes; 'all' grants every scope the simulator knows. */
  scopes: ReadonlySet<string> | 'all';
}

export interface TokenSettings {
  lifetimeSeconds: number;
  expiryField: 'expires_at' | 'expires_in';
}

export interface IssuedToken {
  readonly clientId: string;
  readonly sub: number | null;
  readonly expiresAt: number;
}

const ALLOWED_GRANTS = 'authorization_code, refresh_token, client_credentials, urn:ietf:params:oauth:grant-type:token-exchange';

/** The token a request authenticated with, for handlers that attribute writes (note author). */
const requestTokens = new WeakMap<FastifyRequest, IssuedToken>();
export const tokenOf = (request: FastifyRequest): IssuedToken | undefined => requestTokens.get(request);

/** Route config: the scope a route needs, and whether it is a list (Site Admin rule). */
export interface ScopeConfig {
  readonly scope?: string;
  readonly list?: boolean;
}

export class TokenIssuer {
  private readonly tokens = new Map<string, IssuedToken>();
  readonly credentials = new Map<string, SimCredential>();

  constructor(
    private readonly clock: Clock,
    readonly settings: TokenSettings,
    credentials: readonly SimCredential[],
  ) {
    for (const c of credentials) this.credentials.set(c.clientId, c);
  }

  mint(clientId: string, sub: number | null): { token: string; issued: IssuedToken } {
    const token = randomBytes(24).toString('base64url');
    const issued = { clientId, sub, expiresAt: this.clock.now() + this.settings.lifetimeSeconds * 1000 };
    this.tokens.set(token, issued);
    return { token, issued };
  }

  verify(token: string): IssuedToken | 'unknown' | 'expired' {
    const issued = this.tokens.get(token);
    if (!issued) return 'unknown';
    return issued.expiresAt <= this.clock.now() ? 'expired' : issued;
  }

  /** Forgets every token: the next API call with one answers 401 (for re-mint tests). */
  revokeAll(): number {
    const n = this.tokens.size;
    this.tokens.clear();
    return n;
  }

  hasScope(clientId: string, scope: string): boolean {
    const credential = this.credentials.get(clientId);
    if (!credential) return false;
    return credential.scopes === 'all' || credential.scopes.has(scope);
  }
}

function unauthorized(reason: string): GreenhouseApiError {
  return new GreenhouseApiError(401, { message: 'Unauthorized', errors: [reason] });
}

/**
 * The client id and secret of a Basic header, read as ASSUMED `tokenBasicAuth` says (api-contract.ts).
 * Split at the first colon either way: a raw secret may hold colons, an id may not (RFC 7617).
 * `invalid` is a form-urlencoded credential that does not decode (a raw `%` not starting an escape).
 */
function basicCredentials(header: string | undefined, reading: ApiContract['tokenBasicAuth']): { id: string; secret: string } | 'invalid' | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const id = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  if (reading === 'raw') return { id, secret };
  try {
    const formDecode = (part: string) => decodeURIComponent(part.replaceAll('+', ' '));
    return { id: formDecode(id), secret: formDecode(secret) };
  } catch {
    return 'invalid';
  }
}

export function registerTokenRoute(app: FastifyInstance, issuer: TokenIssuer, contract: () => ApiContract): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.post('/token', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const query = request.query as Record<string, string>;
    const client = basicCredentials(request.headers.authorization, contract().tokenBasicAuth);
    if (!client) return reply.code(401).send({ message: 'Unauthorized', errorId: randomUUID() });
    if (client === 'invalid') return reply.code(401).send({ error: 'invalid_client' });

    const grantType = body['grant_type'] ?? query['grant_type'];
    if (grantType !== 'client_credentials') {
      return reply.code(400).send({ error: 'unsupported_grant_type', message: `grant_type must be one of: ${ALLOWED_GRANTS}` });
    }
    const credential = issuer.credentials.get(client.id);
    if (!credential || credential.clientSecret !== client.secret) return reply.code(401).send({ error: 'invalid_client' });

    const rawSub = body['sub'] ?? query['sub'];
    let sub: number | null = null;
    if (rawSub !== undefined && rawSub !== '') {
      sub = Number(rawSub);
      if (!Number.isSafeInteger(sub) || sub <= 0) return reply.code(400).send({ error: 'invalid_request', message: 'sub must be a user id' });
    }

    const { token, issued } = issuer.mint(client.id, sub);
    const expiry =
      issuer.settings.expiryField === 'expires_at'
        ? { expires_at: new Date(issued.expiresAt).toISOString() }
        : { expires_in: issuer.settings.lifetimeSeconds };
    return reply.code(200).send({ access_token: token, token_type: 'Bearer', ...expiry });
  });
}

/** Whether the request carries `Authorization: Bearer <a valid, unexpired token>`. */
export function hasValidBearer(issuer: TokenIssuer, request: FastifyRequest): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match !== null && typeof issuer.verify(match[1]!) === 'object';
}

/** preHandler for `/v3/*`: 401, then 403 for scope, then 403 for the Site Admin rule on lists. */
export function bearerAuth(issuer: TokenIssuer, state: GreenhouseState) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const config = request.routeOptions.config as ScopeConfig;
    if (!config.scope) return;
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) throw unauthorized('Token could not be decoded. Please check the Authorization header.');
    const verdict = issuer.verify(match[1]!);
    if (verdict === 'unknown') throw unauthorized('Token could not be decoded. Please check the Authorization header.');
    if (verdict === 'expired') throw unauthorized('Token has expired.');
    if (!issuer.hasScope(verdict.clientId, config.scope)) throw missingScope(config.scope);
    if (config.list && verdict.sub !== null) {
      const user = state.get('users', verdict.sub);
      if (!user || !user.site_admin || user.deactivated) {
        throw new GreenhouseApiError(403, { message: 'Forbidden', errors: ['List endpoints require authorization by a Site Admin.'] });
      }
    }
    requestTokens.set(request, verdict);
  };
}
