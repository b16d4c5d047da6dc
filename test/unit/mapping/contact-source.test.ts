import { describe, expect, it } from 'vitest';
import { contactWriteForCreate, firstApplicationSourceId, mapCandidateToContact } from '#core/mapping/contact';
import { application, candidateSnapshot } from './fixtures.ts';

/** Seed contact table: Source (`source`, enum), "Only on contact creation". */
describe('Source ← the Greenhouse source, on contact creation only', () => {
  it('is the source of the first application: earliest created_at, then lowest id', () => {
    expect(
      firstApplicationSourceId([
        application({ id: 12, created_at: '2026-03-01T00:00:00Z', source_id: 402 }),
        application({ id: 11, created_at: '2026-02-01T00:00:00Z', source_id: 401 }),
      ]),
    ).toBe(401);
    expect(firstApplicationSourceId([application({ id: 21, created_at: null, source_id: 403 }), application({ id: 20, created_at: null, source_id: 404 })])).toBe(404);
    expect(firstApplicationSourceId([application({ id: 30, source_id: null })])).toBeUndefined();
    expect(firstApplicationSourceId([])).toBeUndefined();
  });

  it('is written with the creation source when the contact is created, never on an update', () => {
    const mapped = mapCandidateToContact(candidateSnapshot({ sourceName: ' Referral ' }));
    expect(mapped.creationOnly).toEqual({ creationSource: 'Greenhouse', source: 'Referral' });
    expect(contactWriteForCreate(mapped).source).toBe('Referral');
    expect(mapped.contact).not.toHaveProperty('source');
  });

  it('is left out when the candidate has no source', () => {
    expect(mapCandidateToContact(candidateSnapshot()).creationOnly).toEqual({ creationSource: 'Greenhouse' });
  });
});
