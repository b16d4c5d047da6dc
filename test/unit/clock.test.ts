import { describe, expect, it } from 'vitest';
import { isoNow } from '#core/clock';

describe('isoNow', () => {
  it("renders the clock's time, not the system's, as ISO 8601 in UTC", () => {
    expect(isoNow({ now: () => Date.UTC(2024, 1, 29, 23, 59, 58, 7) })).toBe('2024-02-29T23:59:58.007Z');
  });
});
