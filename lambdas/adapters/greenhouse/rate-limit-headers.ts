import type { RateObservation } from '#core/rate/budget';

/**
 * Greenhouse announces its 30-second window on every response, errors included [M]:
 * `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` (UTC epoch seconds), and
 * `Retry-After` (seconds) on a 429 [M]. Reset is also accepted as seconds-until-reset when it is
 * too small to be an epoch (some readers of the guide describe it that way) — assumed.
 */
const EPOCH_SECONDS_FLOOR = 1_000_000_000;

export function readGreenhouseRateLimit(response: Pick<Response, 'status' | 'headers'>, now: number): RateObservation {
  const limit = intHeader(response.headers, 'x-ratelimit-limit');
  const remaining = intHeader(response.headers, 'x-ratelimit-remaining');
  const reset = intHeader(response.headers, 'x-ratelimit-reset');
  const retryAfterMs = retryAfter(response.headers.get('retry-after'), now);
  return {
    status: response.status,
    ...(limit !== undefined ? { limit } : {}),
    ...(remaining !== undefined ? { remaining } : {}),
    ...(reset !== undefined ? { windowEndsAt: reset >= EPOCH_SECONDS_FLOOR ? reset * 1000 : now + reset * 1000 } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
}

function intHeader(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : undefined;
}

/** Seconds, or an HTTP date (RFC 9110 allows both). */
function retryAfter(raw: string | null, now: number): number | undefined {
  if (raw === null || raw.trim() === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
