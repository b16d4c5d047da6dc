import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseContact } from '#adapters/beamery/wire/contact';
import { parsePage } from '#adapters/beamery/wire/envelope';
import { WireShapeError } from '#adapters/beamery/wire/values';
import { FIXTURES_DIR } from '../../support/fixtures.ts';

const docsPage = JSON.parse(readFileSync(join(FIXTURES_DIR, 'beamery', 'get_v1_contacts_paginated.response.json'), 'utf8')) as unknown;

describe('contact parser', () => {
  it('reads the documented example (S2): `email` instead of primaryEmail, no timestamps', () => {
    const page = parsePage(docsPage, 'contacts', (raw) => parseContact(raw), { offset: 0, limit: 50 });
    expect(page.items).toEqual([
      { id: 'contact_123', firstName: 'John', lastName: 'Doe', fullName: 'John Doe', primaryEmail: 'john.doe@example.com', emails: ['john.doe@example.com'], phoneNumbers: [], links: [], experience: [], tags: [], profileTags: [], customFields: [], mergedFromIds: [], anonymized: false },
    ]);
  });

  it.each([
    ['objects (S2 read shape)', [{ id: 'e1', value: 'a@example.com', type: 'work' }, { id: 'e2', value: 'b@example.com' }]],
    ['strings (S4 write shape)', ['a@example.com', 'b@example.com']],
    ['a keyed map (legacy S5/S6), in key order', { keys: ['e1', 'e2'], values: { e2: { value: 'b@example.com' }, e1: { value: 'a@example.com' } } }],
    ['a keyed map without keys', { values: { e1: { value: 'a@example.com' }, e2: { value: 'b@example.com' } } }],
  ])('reads emails given as %s', (_shape, emails) => {
    expect(parseContact({ id: 'c', emails }).emails).toEqual(['a@example.com', 'b@example.com']);
  });

  it('puts the primary address first and de-duplicates case-insensitively', () => {
    expect(parseContact({ id: 'c', primaryEmail: 'B@example.com', emails: ['a@example.com', 'b@example.com'] }).emails).toEqual(['B@example.com', 'a@example.com']);
  });

  it('takes the first address as primary when none is marked', () => {
    expect(parseContact({ id: 'c', emails: [{ value: 'x@example.com' }] }).primaryEmail).toBe('x@example.com');
  });

  it.each([
    [{ updatedAt: '2026-11-01T10:00:00Z', createdAt: '2026-10-01T10:00:00Z' }],
    [{ updatedTime: '2026-11-01T10:00:00.000Z', createdTime: '2026-10-01T10:00:00.000Z' }],
    [{ updatedTime: Date.parse('2026-11-01T10:00:00Z'), createdTime: Date.parse('2026-10-01T10:00:00Z') / 1000 }],
  ])('reads timestamps in either spelling and as epoch numbers, normalised to ISO UTC', (stamps) => {
    expect(parseContact({ id: 'c', ...stamps })).toMatchObject({ updatedAt: '2026-11-01T10:00:00.000Z', createdAt: '2026-10-01T10:00:00.000Z' });
  });

  it('reads phones, links and experience in any list shape', () => {
    const contact = parseContact({
      id: 'c',
      phoneNumbers: { keys: ['p'], values: { p: { value: '+1 555 0100', type: 'mobile' } } },
      links: [{ value: 'https://github.com/x', service: 'github' }, 'https://example.com'],
      experience: { keys: ['x1', 'x2'], values: { x1: { organisationName: 'Old', role: 'Dev' }, x2: { organisationName: 'Now', role: 'Lead', current: true } } },
    });
    expect(contact).toMatchObject({
      phoneNumbers: ['+1 555 0100'],
      primaryPhoneNumber: '+1 555 0100',
      links: ['https://github.com/x', 'https://example.com'],
      currentRole: { title: 'Lead', company: 'Now' },
    });
  });

  it('falls back to primaryExperience for the current role (read-only on Beamery, S4)', () => {
    expect(parseContact({ id: 'c', primaryExperience: { organisationName: 'Acme', role: 'Engineer' } }).currentRole).toEqual({ title: 'Engineer', company: 'Acme' });
  });

  it('reads status, creation source and owner as {value}/{id} objects or plain strings', () => {
    expect(parseContact({ id: 'c', status: { value: 'Lead' }, creationSource: 'linkedin', assignedTo: { id: 'u1' } })).toMatchObject({ statusLabel: 'Lead', creationSource: 'linkedin', assignedToUserId: 'u1' });
    expect(parseContact({ id: 'c', status: 'Passive', assignedTo: '7a53d58c17c8d7f03751' })).toMatchObject({ statusLabel: 'Passive', assignedToUserId: '7a53d58c17c8d7f03751' });
  });

  it('reads source like creationSource, as {value} or a plain string (ASSUMED)', () => {
    expect(parseContact({ id: 'c', source: { value: 'LinkedIn' } }).source).toBe('LinkedIn');
    expect(parseContact({ id: 'c', source: 'Event' }).source).toBe('Event');
    expect(parseContact({ id: 'c', source: { id: 's1' } })).not.toHaveProperty('source');
  });

  it.each([
    [true, 'true'],
    [false, 'false'],
    ['Opted in', 'Opted in'],
    [{ value: true }, 'true'],
    [{ value: 'Opted out' }, 'Opted out'],
  ])('reads consentStatus %j (the seed: a boolean) as %j', (consentStatus, expected) => {
    expect(parseContact({ id: 'c', consentStatus }).consentStatus).toBe(expected);
  });

  it('reads lastConsentDate as a date, a timestamp or epoch, normalised to ISO UTC', () => {
    expect(parseContact({ id: 'c', lastConsentDate: '2026-09-01' }).lastConsentDate).toBe('2026-09-01T00:00:00.000Z');
    expect(parseContact({ id: 'c', lastConsentDate: '2026-09-01T10:00:00+02:00' }).lastConsentDate).toBe('2026-09-01T08:00:00.000Z');
    expect(parseContact({ id: 'c', lastConsentDate: Date.parse('2026-09-01T10:00:00Z') }).lastConsentDate).toBe('2026-09-01T10:00:00.000Z');
  });

  it('leaves source and consent out when absent or of an unexpected type, without failing the record', () => {
    const parsed = parseContact({ id: 'c', source: 42, consentStatus: ['yes'], lastConsentDate: 'soon' });
    expect(parsed).not.toHaveProperty('source');
    expect(parsed).not.toHaveProperty('consentStatus');
    expect(parsed).not.toHaveProperty('lastConsentDate');
  });

  it.each([
    ['integrations.greenhouse.id (the seed mapping)', { integrations: { greenhouse: { id: '603', url: 'https://x' } } }],
    ['integration.greenhouse.id (the seed spelling)', { integration: { greenhouse: { id: 603 } } }],
    ['integrations.greenhouse as a bare id', { integrations: { greenhouse: '603' } }],
    ['an array of integrations', { integrations: [{ type: 'workday', id: 'w' }, { provider: 'Greenhouse', externalId: '603' }] }],
    ['the configured custom field', { customFields: [{ id: 'cf-gh', value: '603', displayName: 'Greenhouse Candidate ID' }] }],
  ])('finds the Greenhouse candidate id in %s', (_where, fields) => {
    expect(parseContact({ id: 'c', ...fields }, { greenhouseIdCustomFieldId: 'cf-gh' }).greenhouseCandidateId).toBe('603');
  });

  it('reads merge bookkeeping in several shapes', () => {
    expect(parseContact({ id: 'b', mergedIn: 'a' }).mergedIntoId).toBe('a');
    expect(parseContact({ id: 'b', mergedIn: { id: 'a' } }).mergedIntoId).toBe('a');
    expect(parseContact({ id: 'b', mergedIn: ['a'] }).mergedIntoId).toBe('a');
    expect(parseContact({ id: 'a', mergedWith: ['b', { id: 'c' }, 'b'] }).mergedFromIds).toEqual(['b', 'c']);
    expect(parseContact({ id: 'a', mergedWith: 'b' }).mergedFromIds).toEqual(['b']);
  });

  it('reads a contact as anonymized when it is archived and its names are gone (ASSUMED rule)', () => {
    expect(parseContact({ id: 'c', archivedAt: '2026-11-01T00:00:00Z', emails: ['x@example.com'] }).anonymized).toBe(true);
    expect(parseContact({ id: 'c', archivedAt: '2026-11-01T00:00:00Z', firstName: 'Kept' }).anonymized).toBe(false);
    expect(parseContact({ id: 'c', archivedAt: null }).anonymized).toBe(false);
    // A merged-away contact is archived too, but it is not anonymized.
    expect(parseContact({ id: 'c', archivedAt: '2026-11-01T00:00:00Z', mergedIn: 'a' }).anonymized).toBe(false);
  });

  it('drops fields of an unexpected type instead of failing the contact', () => {
    const contact = parseContact({ id: 42, firstName: 7, emails: [{ nope: 1 }, 'ok@example.com', null], location: 'Lisbon', globalTags: [{ id: 't' }, { value: 'no id' }], updatedAt: 'yesterday' });
    expect(contact).toMatchObject({ id: '42', emails: ['ok@example.com'], tags: [{ id: 't' }] });
    expect(contact.firstName).toBeUndefined();
    expect(contact.location).toBeUndefined();
    expect(contact.updatedAt).toBeUndefined();
  });

  it('fails on a contact without an id, naming the field and not the values', () => {
    const error = (() => {
      try {
        parseContact({ firstName: 'Secret', primaryEmail: 'secret@example.com' });
      } catch (e) {
        return e as WireShapeError;
      }
    })()!;
    expect(error).toBeInstanceOf(WireShapeError);
    expect(error.issues.join()).toContain('id');
    expect(error.message).not.toContain('secret@example.com');
  });

  it('keeps the raw payload, but not as an enumerable property', () => {
    const raw = { id: 'c', firstName: 'A' };
    const contact = parseContact(raw);
    expect(contact.raw).toBe(raw);
    expect(Object.keys(contact)).not.toContain('raw');
  });
});
