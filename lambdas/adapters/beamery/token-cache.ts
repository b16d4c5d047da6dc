import type { Clock } from '#core/clock';

/**
 * Bearer tokens, cached at module scope so every client in a Lambda container (and every invocation
 * it serves) shares one token per tenant and client id: the token endpoint allows only 30 requests a
 * second (HIGH, S1), and Beamery documents no refresh token. Concurrent callers share one mint
 * (single-flight). A token is replaced shortly before `expires_in` runs out, and dropped at once when
 * a request carrying it is answered 401.
 */

export interface MintResult {
  readonly accessToken: string;
  readonly tokenType: string;
  readonly expiresInSeconds?: number;
}

interface CachedToken {
  readonly header: string;
  readonly accessToken: string;
  readonly refreshAt: number;
}

const cache = new Map<string, CachedToken>();
const minting = new Map<string, Promise<CachedToken>>();

/** Token lifetime when the response omits `expires_in` (undocumented; a 401 still triggers a re-mint). */
export const ASSUMED_LIFETIME_SECONDS = 15 * 60;
/** Renew this long before expiry: a minute, or a tenth of a short lifetime. */
const MAX_REFRESH_MARGIN_MS = 60_000;

export function refreshAtFor(mintedAt: number, expiresInSeconds: number | undefined): number {
  const lifetimeMs = (expiresInSeconds ?? ASSUMED_LIFETIME_SECONDS) * 1000;
  return mintedAt + lifetimeMs - Math.min(MAX_REFRESH_MARGIN_MS, lifetimeMs * 0.1);
}

/** The header a minted token makes: always `Bearer` (S2); one S4 script sends the bare token, which is not relied on. */
export function authorizationFor(minted: MintResult): string {
  const scheme = /^bearer$/i.test(minted.tokenType) ? 'Bearer' : minted.tokenType;
  return `${scheme} ${minted.accessToken}`;
}

/** `Authorization` header value for `key` (base URL + client id), minting through `mint` when needed. */
export async function authorizationHeader(key: string, mint: () => Promise<MintResult>, clock: Clock): Promise<string> {
  const cached = cache.get(key);
  if (cached && clock.now() < cached.refreshAt) return cached.header;
  let pending = minting.get(key);
  if (!pending) {
    pending = (async () => {
      const minted = await mint();
      const token: CachedToken = { header: authorizationFor(minted), accessToken: minted.accessToken, refreshAt: refreshAtFor(clock.now(), minted.expiresInSeconds) };
      cache.set(key, token);
      return token;
    })().finally(() => minting.delete(key));
    minting.set(key, pending);
  }
  return (await pending).header;
}

/** Forgets a token the API rejected; a newer token minted meanwhile is kept. */
export function dropRejectedToken(authorization: string | null | undefined): void {
  if (!authorization) return;
  for (const [key, token] of cache) if (token.header === authorization) cache.delete(key);
}

/** For tests: start every case with a cold cache. */
export function clearBeameryTokenCache(): void {
  cache.clear();
  minting.clear();
}
