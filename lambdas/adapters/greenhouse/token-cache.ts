import * as z from '#core/zod-mini';
import type { Clock } from '#core/clock';
import { ApiClient, type RetryPolicy } from '../http/api-client.ts';
import { Unauthorized } from '#core/api-errors';
import type { TraceSpans } from '#core/ports/trace-spans';
import { greenhouseErrorDetail } from './error-bodies.ts';
import { readGreenhouseRateLimit } from './rate-limit-headers.ts';

/**
 * Harvest v3 access tokens (OAuth 2.0 client credentials, reference §1.3, §7):
 * - `POST <tokenUrl>` with Basic client auth and a form body `grant_type=client_credentials`
 *   (+ `sub=<user id>` to act as that user) [H];
 * - the Basic credentials go raw, as the public clients send them [M]. RFC 6749 §2.3.1 would
 *   form-urlencode them first; for a credential where the two differ, a refused raw mint is tried
 *   once form-urlencoded, and the reading that worked is kept for that credential;
 * - cached at MODULE scope per (token URL, client id, sub), so every invocation a warm Lambda
 *   serves reuses one token, and single-flight: concurrent callers share one mint [H guidance];
 * - the expiry field varies between sources [L]: `expires_at` (ISO), else `expires_in` (seconds),
 *   else one hour; refreshed 60 s early (or at half-life for tokens shorter than two minutes);
 * - the token endpoint has its own 60-second rate window [M]: the cache keeps mints rare, so no
 *   budget is spent on it.
 * The caller drops a token on a 401 (`invalidate`) and the next `get` mints a new one.
 */
export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** How the client id and secret are put into the Basic header. */
export type BasicAuthEncoding = 'raw' | 'form-urlencoded';

/** A token and what its reply said about it. */
export interface MintedToken {
  readonly accessToken: string;
  /** Clock ms after which the token is no longer handed out. */
  readonly refreshAt: number;
  /** The reply's `scope` split on spaces, when the reply has one (OAuth 2.0 §5.1 makes it optional). */
  readonly scopes?: readonly string[];
  /** The Basic encoding the token endpoint accepted. */
  readonly basicAuth: BasicAuthEncoding;
}
type CachedToken = MintedToken;

const DEFAULT_LIFETIME_S = 3600;
const REFRESH_EARLY_MS = 60_000;

const cache = new Map<string, CachedToken>();
const minting = new Map<string, Promise<CachedToken>>();
/** The Basic encoding a credential was last accepted with, by cache key. */
const acceptedEncoding = new Map<string, BasicAuthEncoding>();

/** For tests: forget every cached token. */
export function clearGreenhouseTokenCache(): void {
  cache.clear();
  minting.clear();
  acceptedEncoding.clear();
}

/** The Basic header value for a credential in one encoding. */
export function basicAuthorization({ clientId, clientSecret }: ClientCredentials, encoding: BasicAuthEncoding): string {
  const encode = encoding === 'raw' ? (v: string) => v : (v: string) => new URLSearchParams({ v }).toString().slice(2);
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

const tokenResponse = z.looseObject({
  access_token: z.string().check(z.minLength(1)),
  token_type: z.optional(z.string()),
  expires_at: z.optional(z.string()),
  expires_in: z.optional(z.union([z.number(), z.pipe(z.string().check(z.regex(/^\d+$/)), z.transform(Number))])),
  scope: z.optional(z.string()),
});

export interface TokenSourceOptions {
  readonly tokenUrl: string;
  readonly credentials: () => Promise<ClientCredentials>;
  /** Acting user; without it the token acts as the credential's integration service user [M]. */
  readonly sub?: number | string;
  readonly clock: Clock;
  readonly fetch?: typeof fetch;
  readonly retry?: Partial<RetryPolicy>;
  readonly timeoutMs?: number;
  readonly spans?: TraceSpans;
}

/** Hands out tokens for one (token URL, credential, sub); the cache behind it is shared by all. */
export class TokenSource {
  private credentialsPromise: Promise<ClientCredentials> | undefined;
  private readonly client: ApiClient;
  /** The encoding of the mint in progress (one mint per key at a time, so one field suffices). */
  private encoding: BasicAuthEncoding = 'raw';

  constructor(private readonly options: TokenSourceOptions) {
    this.client = new ApiClient({
      system: 'greenhouse',
      authorize: async () => basicAuthorization(await this.credentials(), this.encoding),
      // A 401 from the token endpoint means the stored credential is stale (a rotated secret): read it again once.
      onUnauthorized: () => {
        this.credentialsPromise = undefined;
      },
      readRateLimit: readGreenhouseRateLimit,
      errorDetail: greenhouseErrorDetail,
      clock: options.clock,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.spans ? { spans: options.spans } : {}),
    });
  }

  /** A valid access token, minted only when the cache has none. */
  async get(): Promise<string> {
    return (await this.current()).accessToken;
  }

  /**
   * The token `get` hands out, with the granted scopes when the token reply names them and the Basic
   * encoding the endpoint accepted (for `bridge doctor`).
   */
  async current(): Promise<MintedToken> {
    const key = await this.key();
    const cached = cache.get(key);
    if (cached && cached.refreshAt > this.options.clock.now()) return cached;
    let pending = minting.get(key);
    if (!pending) {
      pending = this.mint(key).finally(() => minting.delete(key));
      minting.set(key, pending);
      pending.then((token) => cache.set(key, token)).catch(() => undefined);
    }
    return pending;
  }

  /** Drops `accessToken` if it is still cached (a newer token minted meanwhile stays). */
  invalidate(accessToken: string): void {
    for (const [key, cached] of cache) if (cached.accessToken === accessToken) cache.delete(key);
  }

  private credentials(): Promise<ClientCredentials> {
    this.credentialsPromise ??= this.options.credentials().catch((error: unknown) => {
      this.credentialsPromise = undefined;
      throw error;
    });
    return this.credentialsPromise;
  }

  private async key(): Promise<string> {
    const { clientId } = await this.credentials();
    return `${this.options.tokenUrl}\u0000${clientId}\u0000${this.options.sub ?? ''}`;
  }

  private async mint(key: string): Promise<CachedToken> {
    const first = acceptedEncoding.get(key) ?? 'raw';
    try {
      return await this.mintWith(key, first);
    } catch (error) {
      const other: BasicAuthEncoding = first === 'raw' ? 'form-urlencoded' : 'raw';
      // Only a refused credential whose two encodings differ can be the other reading's; anything else is final.
      const credentials = await this.credentials();
      if (!(error instanceof Unauthorized) || basicAuthorization(credentials, 'raw') === basicAuthorization(credentials, 'form-urlencoded')) throw error;
      return this.mintWith(key, other);
    }
  }

  private async mintWith(key: string, encoding: BasicAuthEncoding): Promise<CachedToken> {
    this.encoding = encoding;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.options.sub !== undefined) form.set('sub', String(this.options.sub));
    const requestedAt = this.options.clock.now();
    const { body } = await this.client.request({
      method: 'POST',
      url: this.options.tokenUrl,
      form,
      parse: (raw) => tokenResponse.parse(raw),
      // Minting twice is harmless (an earlier token stays valid [M]), so an ambiguous failure is retried.
      verifyWrite: async () => undefined,
    });
    acceptedEncoding.set(key, encoding);
    const scopes = body.scope?.split(' ').filter(Boolean);
    return { accessToken: body.access_token, refreshAt: refreshAt(body, requestedAt), basicAuth: encoding, ...(scopes ? { scopes } : {}) };
  }
}

/** When to stop using a token, from whichever expiry field the response has. */
export function refreshAt(body: { expires_at?: string | undefined; expires_in?: number | undefined }, requestedAt: number): number {
  let expiresAt = requestedAt + DEFAULT_LIFETIME_S * 1000;
  const at = body.expires_at !== undefined ? Date.parse(body.expires_at) : Number.NaN;
  if (!Number.isNaN(at)) expiresAt = at;
  else if (body.expires_in !== undefined && Number.isFinite(body.expires_in)) expiresAt = requestedAt + body.expires_in * 1000;
  const lifetime = expiresAt - requestedAt;
  return expiresAt - Math.min(REFRESH_EARLY_MS, Math.max(0, lifetime / 2));
}
