import { describe, expect, it } from 'vitest';
import { parseLimit, readBeameryRateLimit } from '#adapters/beamery/wire/rate-limit-headers';
import { beameryErrorDetail, redact } from '#adapters/beamery/wire/error-body';

const response = (status: number, headers: Record<string, string>) => new Response(null, { status, headers });

describe('Beamery rate-limit headers', () => {
  it('reads x-ratelimit-limit "40;w=1" and remaining, but not the whole-second reset as a window end', () => {
    expect(readBeameryRateLimit(response(200, { 'x-ratelimit-limit': '40;w=1', 'x-ratelimit-remaining': '24', 'x-ratelimit-reset': '1' }))).toEqual({
      status: 200,
      limit: 40,
      remaining: 24,
    });
  });

  it('a 429 without Retry-After still tells when to retry: at the reset', () => {
    const observation = readBeameryRateLimit(response(429, { 'x-ratelimit-limit': '40;w=1', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' }));
    expect(observation).toEqual({ status: 429, limit: 40, remaining: 0, retryAfterMs: 1_000 });
  });

  it('honours a Retry-After if one ever appears, and the un-prefixed draft names', () => {
    expect(readBeameryRateLimit(response(429, { 'ratelimit-limit': '40', 'ratelimit-reset': '2', 'retry-after': '3' }))).toEqual({ status: 429, limit: 40, retryAfterMs: 3_000 });
  });

  it('reads no limits from a response without the headers', () => {
    expect(readBeameryRateLimit(response(200, {}))).toEqual({ status: 200 });
  });

  it.each([
    ['40;w=1', 40],
    ['40', 40],
    ['40, 40;w=1', 40],
    ['abc', undefined],
    ['0;w=1', undefined],
  ])('parses the limit %s', (value, expected) => {
    expect(parseLimit(value)).toBe(expected);
  });
});

describe('Beamery error bodies', () => {
  it('reads {code, message} (the one public example, S4)', () => {
    expect(beameryErrorDetail(400, { code: 400, message: 'JSON parse error' })).toEqual({ messages: ['JSON parse error'] });
  });

  it('reads error and errors[] variants, with field names', () => {
    expect(beameryErrorDetail(422, { error: 'Unprocessable', errors: ['lastName is required', { field: 'emails.0', message: 'invalid' }] })).toEqual({
      messages: ['Unprocessable', 'lastName is required', 'emails.0: invalid'],
    });
  });

  it('ignores bodies that are not objects (HTML error pages, plain text)', () => {
    expect(beameryErrorDetail(502, '<html>Bad gateway for someone@example.com</html>')).toEqual({ messages: [] });
    expect(beameryErrorDetail(500, undefined)).toEqual({ messages: [] });
  });

  it('redacts email addresses and phone numbers a message echoes', () => {
    expect(redact('duplicate: jo.doe+tag@example.co.uk, call +44 (20) 7946-0958')).toBe('duplicate: [email], call [number]');
    expect(redact('limit must be at most 100')).toBe('limit must be at most 100');
  });
});
