import { describe, expect, it } from 'vitest';
import { entityIdOf, entityKey } from '#core/envelope';

describe('entity keys', () => {
  it('entityIdOf gives back the id entityKey was built from', () => {
    expect(entityIdOf(entityKey('greenhouse', 'candidate', 42))).toBe('42');
    expect(entityIdOf(entityKey('beamery', 'contact', '0b7e1c9a-0000-4000-8000-000000000002'))).toBe('0b7e1c9a-0000-4000-8000-000000000002');
  });
});
