import { describe, expect, it } from 'vitest';
import { identityHash } from '#core/identity-hash';

describe('identity hash of an email', () => {
  it('is the same for the same address written differently', () => {
    expect(identityHash(' Ada.Lovelace@Example.test ', 'k')).toBe(identityHash('ada.lovelace@example.test', 'k'));
  });

  it('differs with another key, and never contains the address', () => {
    const hash = identityHash('ada@example.test', 'k1');
    expect(hash).not.toBe(identityHash('ada@example.test', 'k2'));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
