import type { RateObservation } from '#core/rate/budget';

/**
 * Beamery's rate-limit headers (HIGH, S1/S2), in the style of the IETF RateLimit-fields draft:
 * `x-ratelimit-limit: 40;w=1` (limit; window in seconds), `x-ratelimit-remaining: 24`,
 * `x-ratelimit-reset: 1` (seconds until the window resets). No `Retry-After` is documented, so a 429
 * is retried after `reset`; one is honoured if it ever appears. The un-prefixed draft names are read
 * too, in case a later API version drops the `x-`.
 *
 * `reset` is whole seconds on a one-second window (S1 calls it "static"), so it says nothing about
 * where Beamery's windows start: it is not reported as a window end, which would shift the budget's
 * windows on every response. The budget paces evenly instead (BEAMERY_BUDGET_POLICY).
 */
export function readBeameryRateLimit(response: Response): RateObservation {
  const header = (name: string) => response.headers.get(`x-${name}`) ?? response.headers.get(name);
  const limit = parseLimit(header('ratelimit-limit'));
  const remaining = parseSeconds(header('ratelimit-remaining'));
  const reset = parseSeconds(header('ratelimit-reset'));
  const retryAfter = parseSeconds(response.headers.get('retry-after'));
  return {
    status: response.status,
    ...(limit !== undefined ? { limit } : {}),
    ...(remaining !== undefined ? { remaining } : {}),
    ...(response.status === 429 && (retryAfter ?? reset) !== undefined ? { retryAfterMs: (retryAfter ?? reset)! * 1000 } : {}),
  };
}

/** `40;w=1`, `40`, or the draft's list form `40, 40;w=1` → 40. */
export function parseLimit(value: string | null): number | undefined {
  if (!value) return undefined;
  const first = value.split(',')[0]!.split(';')[0]!.trim();
  const n = Number(first);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

function parseSeconds(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
