import { describe, expect, it } from 'vitest';
import { parseAttachment, parseMembership, parseNote, parseToken, parseUser } from '#adapters/beamery/wire/activity';
import { parseVacancy } from '#adapters/beamery/wire/vacancy';

describe('vacancy parser', () => {
  it('reads the S2 fields, the Greenhouse job id and stages sorted by order', () => {
    const vacancy = parseVacancy({
      id: 'v1', title: 'Engineer', salary: 100000, type: 'full_time', remote: true, owner: 'u1',
      location: { city: 'Lisbon', countryCode: 'PT', geometry: { type: 'Point', coordinates: [0, 0] } },
      integrations: { greenhouse: { id: 4004001 } },
      stages: [{ id: 's2', name: 'Onsite', order: 2 }, { id: 's1', name: 'Screen', order: 1 }],
      updatedTime: '2026-11-01T00:00:00Z',
    });
    expect(vacancy).toMatchObject({ id: 'v1', title: 'Engineer', salary: '100000', employmentType: 'full_time', remote: true, ownerUserId: 'u1', greenhouseJobId: '4004001', location: { city: 'Lisbon', countryCode: 'PT' }, updatedAt: '2026-11-01T00:00:00.000Z' });
    expect(vacancy.stages).toEqual([{ id: 's1', name: 'Screen', order: 1 }, { id: 's2', name: 'Onsite', order: 2 }]);
  });

  it('reads legacy normalised stages (S5: stages.entities.stages{<id>: {...}})', () => {
    const vacancy = parseVacancy({ id: 'v', stages: { entities: { stages: { b: { id: 'b', name: 'Offer', order: 3 }, a: { id: 'a', name: 'Applied', order: 1 } } } } });
    expect(vacancy.stages.map((s) => s.name)).toEqual(['Applied', 'Offer']);
  });
});

describe('activity parsers', () => {
  it('reads a note in our guessed shape and in obvious alternatives', () => {
    expect(parseNote({ id: 'n', text: 'Hi', private: true, authorId: 'u', createdAt: '2026-01-01T00:00:00Z' })).toEqual({ id: 'n', text: 'Hi', isPrivate: true, authorUserId: 'u', createdAt: '2026-01-01T00:00:00.000Z' });
    expect(parseNote({ id: 'n', body: 'Hi', isPrivate: false, author: { id: 'u' } })).toEqual({ id: 'n', text: 'Hi', isPrivate: false, authorUserId: 'u' });
  });

  it('reads a note without a private flag as public (the product default, S12)', () => {
    expect(parseNote({ id: 'n', text: 'x' }).isPrivate).toBe(false);
  });

  it('reads attachments', () => {
    expect(parseAttachment({ id: 'a', filename: 'cv.pdf', mimeType: 'application/pdf', size: '12' })).toEqual({ id: 'a', fileName: 'cv.pdf', contentType: 'application/pdf', sizeBytes: 12 });
  });

  it('reads a membership stage as {id, name}, {value} (legacy) or a plain name', () => {
    expect(parseMembership({ vacancyId: 'v', stage: { id: 's', name: 'Onsite' } }, { contactId: 'c' })).toEqual({ contactId: 'c', vacancyId: 'v', stage: { id: 's', name: 'Onsite' } });
    expect(parseMembership({ id: 'v', stage: { value: 'Onsite' } }, { contactId: 'c' }).stage).toEqual({ name: 'Onsite' });
    expect(parseMembership({ stage: 'Onsite' }, { contactId: 'c', vacancyId: 'v' })).toEqual({ contactId: 'c', vacancyId: 'v', stage: { name: 'Onsite' } });
    expect(parseMembership({ vacancyId: 'v', stage: null }, { contactId: 'c' }).stage).toBeUndefined();
  });

  it('reads users, building a name from its parts', () => {
    expect(parseUser({ id: 'u', email: 'r@example.com', firstName: 'Riley', lastName: 'Recruiter' })).toEqual({ id: 'u', email: 'r@example.com', name: 'Riley Recruiter' });
  });

  it('reads the token answer; token_type defaults to Bearer, expires_in may be missing', () => {
    expect(parseToken({ access_token: 't', token_type: 'Bearer', expires_in: 3600 })).toEqual({ accessToken: 't', tokenType: 'Bearer', expiresInSeconds: 3600 });
    expect(parseToken({ access_token: 't' })).toEqual({ accessToken: 't', tokenType: 'Bearer' });
    expect(() => parseToken({ token_type: 'Bearer' })).toThrow();
    // GET /v1/auth (S1's Basic login): reply shape unpublished; `{token}` and `{accessToken}` are ASSUMED, also inside `{success, …}`.
    expect(parseToken({ token: 't' })).toEqual({ accessToken: 't', tokenType: 'Bearer' });
    expect(parseToken({ success: true, accessToken: 't', expiresIn: 60 })).toEqual({ accessToken: 't', tokenType: 'Bearer', expiresInSeconds: 60 });
    expect(() => parseToken({ token: '' })).toThrow();
  });
});
