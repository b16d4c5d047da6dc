import { describe, expect, it } from 'vitest';
import { readGreenhouseRateLimit } from '#adapters/greenhouse/rate-limit-headers';

const NOW = Date.UTC(2026, 10, 23, 10, 0, 0);
const response = (status: number, headers: Record<string, string>) => ({ status, headers: new Headers(headers) });

describe('readGreenhouseRateLimit', () => {
  it('reads limit, remaining and the window end from epoch seconds', () => {
    const reset = NOW / 1000 + 12;
    expect(readGreenhouseRateLimit(response(200, { 'X-RateLimit-Limit': '75', 'X-RateLimit-Remaining': '70', 'X-RateLimit-Reset': String(reset) }), NOW)).toEqual({
      status: 200,
      limit: 75,
      remaining: 70,
      windowEndsAt: reset * 1000,
    });
  });

  it('reads Retry-After in seconds on a 429', () => {
    expect(readGreenhouseRateLimit(response(429, { 'Retry-After': '17', 'X-RateLimit-Remaining': '0' }), NOW)).toEqual({
      status: 429,
      remaining: 0,
      retryAfterMs: 17_000,
    });
  });

  it('accepts Retry-After as an HTTP date and a small Reset as seconds from now', () => {
    const observation = readGreenhouseRateLimit(response(429, { 'Retry-After': new Date(NOW + 5_000).toUTCString(), 'X-RateLimit-Reset': '9' }), NOW);
    expect(observation.retryAfterMs).toBe(5_000);
    expect(observation.windowEndsAt).toBe(NOW + 9_000);
  });

  it('ignores missing or malformed headers', () => {
    expect(readGreenhouseRateLimit(response(500, { 'X-RateLimit-Limit': 'lots', 'Retry-After': 'soon' }), NOW)).toEqual({ status: 500 });
  });
});
