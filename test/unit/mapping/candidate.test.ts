import { describe, expect, it } from 'vitest';
import type { BeameryContact } from '#core/beamery/records';
import type { CandidateCreate, CandidateWrite } from '#core/ports/greenhouse-api';
import type { Candidate } from '#core/greenhouse/records';
import {
  candidateCreateFromContact,
  candidateWriteForGroups,
  isSocialMediaLink,
  normaliseSourceName,
  referrerIdFor,
  sourceIdFor,
  type CandidateCreateOptions,
} from '#core/mapping/candidate';
import { NAME_PLACEHOLDER, PERSON_GROUPS, personFromCandidate, personFromContact, personGroupHashes, type PersonGroup } from '#core/mapping/person';
import { CONSENT_KEYS, contact } from './beamery-fixtures.ts';
import { candidate } from './fixtures.ts';

const OPTIONS: CandidateCreateOptions = { consentKeys: CONSENT_KEYS };

interface Row {
  /** The seed's "Contact Data Mapping" row, Beamery → Greenhouse. */
  readonly row: string;
  readonly given?: Partial<BeameryContact>;
  readonly options?: Partial<CandidateCreateOptions>;
  readonly read: (create: CandidateCreate) => unknown;
  readonly expected: unknown;
}

/** One entry per row of the seed's table, column "Beamery to Greenhouse" (and the rows that do not flow that way). */
const CONTACT_DATA_MAPPING: readonly Row[] = [
  {
    row: 'Integration > Greenhouse > ID: not in the body; the created candidate’s id becomes the link',
    read: (c) => 'id' in c,
    expected: false,
  },
  {
    row: 'View in ATS URL: Greenhouse → Beamery only',
    read: (c) => JSON.stringify(c).includes('/people/'),
    expected: false,
  },
  {
    row: 'First Name (required) → First Name',
    read: (c) => c.first_name,
    expected: 'Noor',
  },
  {
    row: 'Last Name (required) → Last Name',
    read: (c) => c.last_name,
    expected: 'Vantongeren',
  },
  {
    row: 'First / Last Name (required): missing in Beamery, split from the full name',
    given: { firstName: undefined, lastName: undefined, fullName: 'Noor van Tongeren' },
    read: (c) => [c.first_name, c.last_name],
    expected: ['Noor', 'van Tongeren'],
  },
  {
    row: 'First / Last Name (required): missing in Beamery and not in the full name, the placeholder (Greenhouse requires both)',
    given: { firstName: 'Noor', lastName: undefined, fullName: 'Noor' },
    read: (c) => [c.first_name, c.last_name],
    expected: ['Noor', NAME_PLACEHOLDER],
  },
  {
    row: 'Email (required) → Email Address: the primary `personal`, the others `other`',
    given: { emails: ['noor.v@example.test', ' noor@kestrel.example.test', 'NOOR.V@example.test'] },
    read: (c) => c.email_addresses,
    expected: [
      { value: 'noor.v@example.test', type: 'personal' },
      { value: 'noor@kestrel.example.test', type: 'other' },
    ],
  },
  {
    row: 'Attachment: Greenhouse → Beamery only',
    read: (c) => Object.keys(c).filter((k) => k.includes('attach')),
    expected: [],
  },
  {
    row: 'Consent Status → Custom Field (the configured name_key)',
    options: { consentKeys: { status: 'consent_status' } },
    read: (c) => c.custom_fields,
    expected: [{ name_key: 'consent_status', value: 'true' }],
  },
  {
    row: 'Consent Status: no key configured, not synced',
    options: { consentKeys: {} },
    read: (c) => c.custom_fields,
    expected: undefined,
  },
  {
    row: 'Global Tag → Tags (labels)',
    given: { tags: [{ id: 'g1', label: 'Referral' }, { id: 'g2', label: ' referral' }, { id: 'g3' }] },
    read: (c) => c.tags,
    expected: ['Referral'],
  },
  {
    row: 'Phone → Phone Number: the primary `mobile`, the others `other`, one per number',
    given: { phoneNumbers: ['+44 20 7946 0001', '+44 7700 900123', '+44-20-7946-0001'] },
    read: (c) => c.phone_numbers,
    expected: [
      { value: '+44 20 7946 0001', type: 'mobile' },
      { value: '+44 7700 900123', type: 'other' },
    ],
  },
  {
    row: 'Last Consent Date → Custom Field (the configured name_key), YYYY-MM-DD',
    options: { consentKeys: { lastConsentDate: 'last_consent_date' } },
    read: (c) => c.custom_fields,
    expected: [{ name_key: 'last_consent_date', value: '2026-09-01' }],
  },
  {
    row: 'Links → Website (`personal`) and Social Media, by host',
    given: { links: ['https://noor.example.test', 'https://www.linkedin.com/in/noorv/', 'https://x.com/noorv', 'github.com/noorv', 'https://noor.example.test/'] },
    read: (c) => [c.website_addresses, c.social_media_addresses],
    expected: [[{ value: 'https://noor.example.test', type: 'personal' }], [{ value: 'https://www.linkedin.com/in/noorv/' }, { value: 'https://x.com/noorv' }, { value: 'github.com/noorv' }]],
  },
  {
    row: 'Location > Address → Address (`home`)',
    read: (c) => c.addresses,
    expected: [{ value: '12 Quay Street, Bristol', type: 'home' }],
  },
  {
    row: 'Location > Country, Post Code: Greenhouse has no such field',
    read: (c) => JSON.stringify(c).match(/United Kingdom|BS1 4DJ/),
    expected: null,
  },
  {
    row: 'Primary Role title → Title',
    read: (c) => c.title,
    expected: 'Data Engineer',
  },
  {
    row: 'Primary Company → Company',
    read: (c) => c.company,
    expected: 'Kestrel Labs',
  },
  {
    row: 'Profile Tags → Tags',
    read: (c) => c.tags,
    expected: ['Python', 'Referral'],
  },
  {
    row: 'Source → the first application’s source (only on contact creation)',
    options: { sourceId: 401 },
    read: (c) => c.application,
    expected: { prospect: true, source_id: 401 },
  },
  {
    row: 'Vacancy Integration ID → an application on the vacancy’s Greenhouse job',
    options: { jobId: 801 },
    read: (c) => c.application,
    expected: { job_id: 801 },
  },
  {
    row: 'Vacancy Integration ID: no vacancy linked to a job, a prospect',
    read: (c) => c.application,
    expected: { prospect: true },
  },
  {
    row: 'Vacancy Stage: never set (the bridge never moves in Greenhouse); the job’s first stage',
    options: { jobId: 801 },
    read: (c) => c.application && 'initial_stage_id' in c.application,
    expected: false,
  },
  {
    row: 'Rejection Reason: Greenhouse → Beamery only',
    read: (c) => JSON.stringify(c).includes('reject'),
    expected: false,
  },
  {
    row: 'Credited To ← Beamery’s assigned-to user: the first application’s referrer (only on creation)',
    options: { jobId: 801, sourceId: 402, referrerId: 451 },
    read: (c) => c.application,
    expected: { job_id: 801, source_id: 402, referrer_id: 451 },
  },
];

describe('Contact Data Mapping (Beamery → Greenhouse): candidateCreateFromContact', () => {
  for (const { row, given, options, read, expected } of CONTACT_DATA_MAPPING) {
    it(row, () => {
      expect(read(candidateCreateFromContact(contact(given), { ...OPTIONS, ...options }))).toEqual(expected);
    });
  }

  it('a contact with nothing but an email: placeholders for both names, and no empty collections', () => {
    const bare = contact({
      firstName: undefined, lastName: undefined, fullName: undefined, phoneNumbers: [], primaryPhoneNumber: undefined, links: [],
      location: undefined, currentRole: undefined, tags: [], consentStatus: undefined, lastConsentDate: undefined,
    });
    expect(candidateCreateFromContact(bare, OPTIONS)).toEqual({
      first_name: NAME_PLACEHOLDER,
      last_name: NAME_PLACEHOLDER,
      email_addresses: [
        { value: 'noor.v@example.test', type: 'personal' },
        { value: 'noor@kestrel.example.test', type: 'other' },
      ],
      application: { prospect: true },
    });
  });
});

/** Greenhouse storing a write: scalars and collections replaced, custom fields merged by key (null clears). */
function applyWrite(current: Candidate, write: CandidateWrite): Candidate {
  const { custom_fields, application: _creationOnly, ...fields } = write as CandidateCreate;
  const next = { ...current, ...structuredClone(fields) } as Candidate;
  if (custom_fields) {
    const values = { ...current.custom_fields };
    for (const { name_key, value } of custom_fields) {
      if (value === null || value === undefined) delete values[name_key];
      else values[name_key] = { name: name_key, type: 'short_text', value };
    }
    next.custom_fields = values;
  }
  return next;
}

const readBack = (create: CandidateCreate): Candidate => applyWrite({ id: 9001 }, create);

describe('round trip: what is written reads back as the same person', () => {
  it.each([
    ['the full fixture', {}],
    ['a contact with only a full name and an email', { firstName: undefined, lastName: undefined, fullName: 'Noor', phoneNumbers: [], links: [], location: undefined, currentRole: undefined, tags: [] }],
    ['consent withdrawn, a label status', { consentStatus: 'Withdrawn', lastConsentDate: '2026-10-02' }],
  ] as [string, Partial<BeameryContact>][])('create: %s', (_case, given) => {
    const source = contact(given);
    const created = readBack(candidateCreateFromContact(source, OPTIONS));
    expect(personFromCandidate(created, CONSENT_KEYS)).toEqual(personFromContact(source, CONSENT_KEYS));
    expect(personGroupHashes(personFromCandidate(created, CONSENT_KEYS))).toEqual(personGroupHashes(personFromContact(source, CONSENT_KEYS)));
  });

  it('update: after the write of every scalar group, the candidate projects like the contact; lists hold the union', () => {
    const source = contact({ currentRole: { title: 'Lead Data Engineer' }, location: { address: '3 Harbour Row, Bristol' }, consentStatus: 'false' });
    const current = candidate({ custom_fields: { consent_status: { name: 'Consent status', type: 'short_text', value: 'true' } } });
    const written = applyWrite(current, candidateWriteForGroups(source, PERSON_GROUPS, current, CONSENT_KEYS)!);
    const after = personFromCandidate(written, CONSENT_KEYS);
    const wanted = personFromContact(source, CONSENT_KEYS);
    for (const group of ['name', 'address', 'role', 'consent'] as const) expect(after[group]).toEqual(wanted[group]);
    for (const group of ['emails', 'phones', 'links', 'tags'] as const) {
      const before = personFromCandidate(current, CONSENT_KEYS)[group];
      expect(after[group]).toEqual(expect.arrayContaining([...before, ...wanted[group]]));
    }
    // Written once, nothing is left to write.
    expect(candidateWriteForGroups(source, PERSON_GROUPS, written, CONSENT_KEYS)).toBeUndefined();
  });
});

describe('candidateWriteForGroups', () => {
  const write = (given: Partial<BeameryContact>, groups: readonly PersonGroup[], current: Partial<Candidate> = {}) =>
    candidateWriteForGroups(contact(given), groups, candidate(current), CONSENT_KEYS);

  it('nothing would change: undefined', () => {
    const same = candidate({
      phone_numbers: [{ value: '+44 20 7946 0001', type: 'mobile' }, { value: '+447700900123', type: 'work' }],
      social_media_addresses: [{ value: 'https://linkedin.com/in/noorv' }],
      custom_fields: { consent_status: { name: 'c', type: 't', value: 'true' }, last_consent_date: { name: 'd', type: 't', value: '2026-09-01' } },
    });
    expect(candidateWriteForGroups(contact(), PERSON_GROUPS, same, CONSENT_KEYS)).toBeUndefined();
  });

  it('no groups: undefined', () => {
    expect(write({ firstName: 'Other' }, [])).toBeUndefined();
  });

  it('writes only the groups asked for', () => {
    expect(write({ firstName: 'Nora', currentRole: { title: 'Lead' } }, ['role'])).toEqual({ title: 'Lead', company: null });
  });

  describe('name', () => {
    it('sets the part that changed', () => {
      expect(write({ firstName: 'Nora' }, ['name'])).toEqual({ first_name: 'Nora' });
    });
    it('a name Beamery no longer has becomes the placeholder (Greenhouse requires one)', () => {
      expect(write({ lastName: undefined, fullName: 'Noor' }, ['name'])).toEqual({ last_name: NAME_PLACEHOLDER });
    });
    it('the placeholder already there is no change', () => {
      expect(write({ lastName: undefined, fullName: 'Noor' }, ['name'], { last_name: NAME_PLACEHOLDER })).toBeUndefined();
    });
    it('whitespace is no change', () => {
      expect(write({}, ['name'], { first_name: ' Noor ' })).toBeUndefined();
    });
  });

  describe('role', () => {
    it('sets title and company from the current role', () => {
      expect(write({ currentRole: { title: 'Lead', company: 'Osprey' } }, ['role'])).toEqual({ title: 'Lead', company: 'Osprey' });
    });
    it('no current role in Beamery: clears them', () => {
      expect(write({ currentRole: undefined }, ['role'])).toEqual({ title: null, company: null });
    });
  });

  describe('address', () => {
    const two = { addresses: [{ value: '12 Quay Street, Bristol', type: 'home' }, { value: '1 Dock Road, Lisbon', type: 'work' }] };
    it('replaces the first address only, keeping its type and the others', () => {
      expect(write({ location: { address: '3 Harbour Row, Bristol' } }, ['address'], two)).toEqual({
        addresses: [{ value: '3 Harbour Row, Bristol', type: 'home' }, { value: '1 Dock Road, Lisbon', type: 'work' }],
      });
    });
    it('an address the candidate holds further down moves up, nothing is lost', () => {
      expect(write({ location: { address: '1 Dock Road, Lisbon' } }, ['address'], two)).toEqual({
        addresses: [{ value: '1 Dock Road, Lisbon', type: 'work' }, { value: '12 Quay Street, Bristol', type: 'home' }],
      });
    });
    it('a candidate without addresses gets a `home` one', () => {
      expect(write({}, ['address'], { addresses: null })).toEqual({ addresses: [{ value: '12 Quay Street, Bristol', type: 'home' }] });
    });
    it('no address in Beamery: the first address is removed, the others kept', () => {
      expect(write({ location: undefined }, ['address'], two)).toEqual({ addresses: [{ value: '1 Dock Road, Lisbon', type: 'work' }] });
      expect(write({ location: undefined }, ['address'], { addresses: [] })).toBeUndefined();
    });
    it('the same address is no change', () => {
      expect(write({}, ['address'], two)).toBeUndefined();
    });
  });

  describe('lists: unions with the current collection', () => {
    it('emails: every current one kept with its type, Beamery’s new ones added as `other`', () => {
      expect(write({ emails: ['NOOR.V@example.test', 'noor@new.example.test'] }, ['emails'])).toEqual({
        email_addresses: [
          { value: 'noor.v@example.test', type: 'personal' },
          { value: 'noor@kestrel.example.test', type: 'work' },
          { value: 'noor@new.example.test', type: 'other' },
        ],
      });
    });
    it('emails: a candidate without any gets Beamery’s primary as `personal`', () => {
      expect(write({ emails: ['a@example.test', 'b@example.test'] }, ['emails'], { email_addresses: [] })).toEqual({
        email_addresses: [{ value: 'a@example.test', type: 'personal' }, { value: 'b@example.test', type: 'other' }],
      });
    });
    it('emails: a type missing on a current one reads as `other`', () => {
      expect(write({ emails: ['b@example.test'] }, ['emails'], { email_addresses: [{ value: 'a@example.test', type: null }] })).toEqual({
        email_addresses: [{ value: 'a@example.test', type: 'other' }, { value: 'b@example.test', type: 'other' }],
      });
    });
    it('phones: the same number formatted differently is not added again', () => {
      expect(write({ phoneNumbers: ['+44-20-7946-0001', '+44 7700 900123'] }, ['phones'])).toEqual({
        phone_numbers: [{ value: '+44 20 7946 0001', type: 'mobile' }, { value: '+44 7700 900123', type: 'other' }],
      });
      expect(write({ phoneNumbers: ['+44-20-7946-0001'] }, ['phones'])).toBeUndefined();
    });
    it('phones: a candidate without any gets Beamery’s primary as `mobile`', () => {
      expect(write({ phoneNumbers: ['+44 20 7946 0001'] }, ['phones'], { phone_numbers: null })).toEqual({ phone_numbers: [{ value: '+44 20 7946 0001', type: 'mobile' }] });
    });
    it('links: new ones go to the right collection; links held in either collection are not added', () => {
      expect(write({ links: ['http://noor.example.test/', 'https://social.example.test/noorv', 'https://github.com/noorv', 'https://blog.example.test'] }, ['links'])).toEqual({
        website_addresses: [{ value: 'https://noor.example.test', type: 'personal' }, { value: 'https://blog.example.test', type: 'personal' }],
        social_media_addresses: [{ value: 'https://social.example.test/noorv' }, { value: 'https://github.com/noorv' }],
      });
    });
    it('links: only the collection that gains is written', () => {
      expect(write({ links: ['https://github.com/noorv'] }, ['links'])).toEqual({ social_media_addresses: [{ value: 'https://social.example.test/noorv' }, { value: 'https://github.com/noorv' }] });
      expect(write({ links: ['https://noor.example.test'] }, ['links'])).toBeUndefined();
    });
    it('tags: a union of names, by normalised name', () => {
      expect(write({ tags: [{ id: '1', label: 'python' }, { id: '2', label: 'Data' }] }, ['tags'])).toEqual({ tags: ['Python', 'Referral', 'Data'] });
      expect(write({ tags: [{ id: '1', label: ' PYTHON' }] }, ['tags'])).toBeUndefined();
      expect(write({ tags: [{ id: '1', label: 'Data' }] }, ['tags'], { tags: null })).toEqual({ tags: ['Data'] });
    });
    it('a list Beamery emptied removes nothing', () => {
      expect(write({ emails: [], phoneNumbers: [], links: [], tags: [] }, ['emails', 'phones', 'links', 'tags'])).toBeUndefined();
    });
  });

  describe('consent', () => {
    it('sets the configured custom fields that differ', () => {
      expect(write({ consentStatus: 'false', lastConsentDate: '2026-10-02T08:00:00Z' }, ['consent'])).toEqual({
        custom_fields: [
          { name_key: 'consent_status', value: 'false' },
          { name_key: 'last_consent_date', value: '2026-10-02' },
        ],
      });
    });
    it('a value Greenhouse already holds in another form is no change', () => {
      expect(write({}, ['consent'], { custom_fields: { consent_status: { name: 'c', type: 'yes_no', value: true }, last_consent_date: { name: 'd', type: 'date', value: '2026-09-01T00:00:00Z' } } })).toBeUndefined();
    });
    it('absent in Beamery: cleared', () => {
      expect(write({ consentStatus: undefined }, ['consent'], { custom_fields: { consent_status: { name: 'c', type: 't', value: 'true' }, last_consent_date: { name: 'd', type: 't', value: '2026-09-01' } } })).toEqual({
        custom_fields: [{ name_key: 'consent_status', value: null }],
      });
    });
    it('keys not configured: never written', () => {
      expect(candidateWriteForGroups(contact({ consentStatus: 'false' }), ['consent'], candidate(), {})).toBeUndefined();
    });
  });
});

describe('links by host', () => {
  it.each([
    ['https://www.linkedin.com/in/noorv', true],
    ['https://uk.linkedin.com/in/noorv', true],
    ['x.com/noorv', true],
    ['https://twitter.com/noorv', true],
    ['https://github.com/noorv', true],
    ['https://www.facebook.com/noorv', true],
    ['https://notlinkedin.com/x', false],
    ['https://noor.example.test', false],
    ['mailto:noor@example.test', false],
  ])('%s is social media: %s', (link, social) => {
    expect(isSocialMediaLink(link)).toBe(social);
  });
});

describe('sourceIdFor', () => {
  const sources = [
    { id: 401, name: 'LinkedIn (Prospecting)' },
    { id: 402, name: 'Referral' },
    { id: 404, name: null },
    { id: 405, name: 'referral' },
  ];
  it.each([
    ['LinkedIn (Prospecting)', 401],
    ['linkedin_prospecting', 401],
    [' REFERRAL ', 402],
    ['Event', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%j → %j', (name, id) => {
    expect(sourceIdFor(name, sources)).toBe(id);
  });
  it('normalises names: lower-cased, other characters as one space', () => {
    expect(normaliseSourceName('  Jobs page -- on  your website! ')).toBe('jobs page on your website');
  });
});

describe('referrerIdFor', () => {
  it('the Referrer record of the Greenhouse user, not the user id', () => {
    const referrers = [{ id: 451, name: 'Mira Kestrel', user_id: 302 }, { id: 452, name: 'External', user_id: null }];
    expect(referrerIdFor(302, referrers)).toBe(451);
    expect(referrerIdFor(303, referrers)).toBeUndefined();
    expect(referrerIdFor(undefined, referrers)).toBeUndefined();
  });
});
