import { describe, expect, it } from 'vitest';
import { refreshAt } from '#adapters/greenhouse/token-cache';

const T0 = Date.UTC(2026, 10, 23, 10, 0, 0);

describe('when a cached token is refreshed', () => {
  it('reads expires_at first, 60 s early', () => {
    expect(refreshAt({ expires_at: new Date(T0 + 3600_000).toISOString(), expires_in: 10 }, T0)).toBe(T0 + 3540_000);
  });

  it('else expires_in seconds from the request', () => {
    expect(refreshAt({ expires_in: 1800 }, T0)).toBe(T0 + 1740_000);
  });

  it('else assumes one hour', () => {
    expect(refreshAt({}, T0)).toBe(T0 + 3540_000);
    expect(refreshAt({ expires_at: 'not a date' }, T0)).toBe(T0 + 3540_000);
  });

  it('refreshes a short-lived token at half-life rather than never using it', () => {
    expect(refreshAt({ expires_in: 60 }, T0)).toBe(T0 + 30_000);
  });
});
