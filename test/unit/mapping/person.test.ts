import { describe, expect, it } from 'vitest';
import { hashFieldGroup } from '#core/mapping/field-groups';
import { derivedTagId } from '#core/mapping/contact';
import {
  consentDate,
  consentGivenAt,
  consentStatusText,
  contactNames,
  diffGroups,
  emailKey,
  isListGroup,
  linkHost,
  linkKey,
  NAME_PLACEHOLDER,
  nextBase,
  PERSON_GROUPS,
  personFromCandidate,
  personFromContact,
  personGroupHashes,
  phoneKey,
  tagKey,
  type PersonGroup,
  type PersonView,
} from '#core/mapping/person';
import { CONSENT_KEYS, contact } from './beamery-fixtures.ts';
import { candidate } from './fixtures.ts';

const consentFields = (status: unknown, date: unknown) => ({
  consent_status: { name: 'Consent status', type: 'single_select', value: status },
  last_consent_date: { name: 'Last consent date', type: 'short_text', value: date },
});

interface Row {
  readonly group: PersonGroup;
  readonly rule: string;
  readonly greenhouse: Parameters<typeof candidate>[0];
  readonly beamery: Parameters<typeof contact>[0];
  /** What both projections give. */
  readonly expected: unknown;
}

/** One entry per row of person.ts's table: both sides of the same person project to the same value. */
const PERSON_VIEW: readonly Row[] = [
  {
    group: 'name',
    rule: 'first_name / last_name ↔ firstName / lastName, trimmed',
    greenhouse: { first_name: ' Noor ', last_name: 'Vantongeren' },
    beamery: { firstName: 'Noor', lastName: ' Vantongeren ' },
    expected: { first: 'Noor', last: 'Vantongeren' },
  },
  {
    group: 'name',
    rule: 'the Greenhouse placeholder reads as no name; Beamery without a last name',
    greenhouse: { first_name: 'Noor', last_name: NAME_PLACEHOLDER },
    beamery: { firstName: 'Noor', lastName: undefined, fullName: 'Noor' },
    expected: { first: 'Noor' },
  },
  {
    group: 'emails',
    rule: 'email_addresses ↔ emails: lower-cased, unique, sorted',
    greenhouse: { email_addresses: [{ value: 'Noor@Kestrel.example.test', type: 'work' }, { value: ' noor.v@example.test', type: 'personal' }, { value: 'NOOR.V@example.test', type: 'other' }] },
    beamery: { emails: ['noor.v@example.test', 'noor@kestrel.example.test'] },
    expected: ['noor.v@example.test', 'noor@kestrel.example.test'],
  },
  {
    group: 'phones',
    rule: 'phone_numbers ↔ phoneNumbers: by digits with the leading +, however formatted',
    greenhouse: { phone_numbers: [{ value: '+44 (20) 7946-0001', type: 'mobile' }, { value: '+447700900123', type: 'work' }] },
    beamery: { phoneNumbers: ['+44 7700 900123', '+44 20 7946 0001', '+44-20-7946-0001'] },
    expected: ['+442079460001', '+447700900123'],
  },
  {
    group: 'links',
    rule: 'website + social media addresses ↔ links: host case, scheme, www and trailing slash do not matter',
    greenhouse: { website_addresses: [{ value: 'http://noor.example.test/', type: 'personal' }], social_media_addresses: [{ value: 'https://LinkedIn.com/in/noorv' }] },
    beamery: { links: ['https://noor.example.test', 'https://www.linkedin.com/in/noorv/'] },
    expected: ['linkedin.com/in/noorv', 'noor.example.test'],
  },
  {
    group: 'address',
    rule: 'addresses (the first) ↔ location > address, trimmed',
    greenhouse: { addresses: [{ value: ' 12 Quay Street, Bristol ', type: 'home' }, { value: '1 Dock Road, Lisbon', type: 'work' }] },
    beamery: { location: { address: '12 Quay Street, Bristol', country: 'United Kingdom' } },
    expected: '12 Quay Street, Bristol',
  },
  {
    group: 'address',
    rule: 'no address on either side',
    greenhouse: { addresses: [] },
    beamery: { location: { country: 'United Kingdom' } },
    expected: undefined,
  },
  {
    group: 'role',
    rule: 'title / company ↔ current role title / company',
    greenhouse: { title: 'Data Engineer ', company: 'Kestrel Labs' },
    beamery: { currentRole: { title: 'Data Engineer', company: ' Kestrel Labs' } },
    expected: { title: 'Data Engineer', company: 'Kestrel Labs' },
  },
  {
    group: 'tags',
    rule: 'tags ↔ tag labels: trimmed, unique by normalised name, sorted by it',
    greenhouse: { tags: ['referral', ' Python', 'python'] },
    beamery: { tags: [{ id: 't1', label: 'Python' }, { id: 't2', label: 'referral ' }, { id: 't3' }] },
    expected: ['Python', 'referral'],
  },
  {
    group: 'consent',
    rule: 'configured custom fields ↔ consentStatus, lastConsentDate: status a string, date YYYY-MM-DD',
    greenhouse: { custom_fields: consentFields(true, '2026-09-01') },
    beamery: { consentStatus: 'true', lastConsentDate: '2026-09-01T10:00:00.000Z' },
    expected: { status: 'true', lastConsentDate: '2026-09-01' },
  },
  {
    group: 'consent',
    rule: 'a select option given as {name} reads as its label',
    greenhouse: { custom_fields: consentFields({ id: 7, name: 'Opted in' }, null) },
    beamery: { consentStatus: 'Opted in', lastConsentDate: undefined },
    expected: { status: 'Opted in' },
  },
];

describe('person view: both projections of the same person are equal', () => {
  for (const { group, rule, greenhouse, beamery, expected } of PERSON_VIEW) {
    it(`${group}: ${rule}`, () => {
      const fromGreenhouse = personFromCandidate(candidate(greenhouse), CONSENT_KEYS);
      const fromBeamery = personFromContact(contact(beamery), CONSENT_KEYS);
      expect(fromGreenhouse[group]).toEqual(expected);
      expect(fromBeamery[group]).toEqual(expected);
      expect(personGroupHashes(fromGreenhouse)[group]).toBe(personGroupHashes(fromBeamery)[group]);
    });
  }

  it('consent: unset keys mean consent is not synced, and the group is empty on both sides', () => {
    const greenhouse = candidate({ custom_fields: consentFields('true', '2026-09-01') });
    expect(personFromCandidate(greenhouse, {}).consent).toEqual({});
    expect(personFromContact(contact(), {}).consent).toEqual({});
    expect(personFromCandidate(greenhouse, { status: 'consent_status' }).consent).toEqual({ status: 'true' });
    expect(personFromContact(contact(), { status: 'consent_status' }).consent).toEqual({ status: 'true' });
  });

  it('consent: without keys the Beamery side gives both fields (pass the keys to match Greenhouse)', () => {
    expect(personFromContact(contact()).consent).toEqual({ status: 'true', lastConsentDate: '2026-09-01' });
  });

  it('consent: a configured field the candidate lacks is no value', () => {
    expect(personFromCandidate(candidate({ custom_fields: null }), CONSENT_KEYS).consent).toEqual({});
  });

  it('Beamery fields Greenhouse does not hold are not in the view (country, post code, source, status)', () => {
    const view = personFromContact(contact());
    expect(JSON.stringify(view)).not.toMatch(/United Kingdom|BS1 4DJ|LinkedIn \(Prospecting\)|Lead/);
  });

  it('gives exactly the eight groups', () => {
    expect(Object.keys(personGroupHashes(personFromContact(contact()))).sort()).toEqual([...PERSON_GROUPS].sort());
  });
});

describe('compare keys', () => {
  it('emails: trimmed and lower-cased', () => {
    expect(emailKey(' Noor.V@Example.TEST ')).toBe('noor.v@example.test');
  });

  it.each([
    ['+44 (20) 7946-0001', '+442079460001'],
    [' 020 7946 0001 ', '02079460001'],
    ['+1 555 0100 ext. 12', '+1555010012'],
    ['n/a', 'n/a'],
  ])('phones: %s → %s (digits, a leading + kept)', (phone, key) => {
    expect(phoneKey(phone)).toBe(key);
  });

  it.each([
    ['https://www.LinkedIn.com/in/noorv/', 'linkedin.com/in/noorv'],
    ['http://linkedin.com/in/noorv', 'linkedin.com/in/noorv'],
    ['linkedin.com/in/noorv', 'linkedin.com/in/noorv'],
    ['https://example.test/Path/?q=A#Top', 'example.test/Path?q=A#Top'],
    ['https://example.test:8443/x//', 'example.test:8443/x'],
    ['localhost:8080/x', 'localhost:8080/x'],
    ['mailto:noor@example.test', 'mailto:noor@example.test'],
    ['not a link/', 'not a link'],
  ])('links: %s → %s', (link, key) => {
    expect(linkKey(link)).toBe(key);
  });

  it('link hosts: lower-cased, without www and port; none for what is no web link', () => {
    expect(linkHost('https://WWW.GitHub.com:443/noorv')).toBe('github.com');
    expect(linkHost('github.com/noorv')).toBe('github.com');
    expect(linkHost('mailto:noor@example.test')).toBeUndefined();
    expect(linkHost('')).toBeUndefined();
  });

  it('tags: the Greenhouse → Beamery mapping rule (trimmed, case-insensitive)', () => {
    expect(tagKey(' Python ')).toBe('python');
  });
});

describe('names from Beamery', () => {
  it.each([
    ['first and last given', { firstName: 'Noor', lastName: 'Vantongeren', fullName: 'Someone Else' }, { first: 'Noor', last: 'Vantongeren' }],
    ['only fullName: the first word and the rest', { fullName: ' Noor  van Tongeren ' }, { first: 'Noor', last: 'van Tongeren' }],
    ['only fullName, one word', { fullName: 'Noor' }, { first: 'Noor' }],
    ['no last name: the rest of fullName', { firstName: 'Noor', fullName: 'noor Vantongeren' }, { first: 'Noor', last: 'Vantongeren' }],
    ['no last name, fullName not starting with the first name', { firstName: 'Noor', fullName: 'N. Vantongeren' }, { first: 'Noor' }],
    ['no first name: the start of fullName', { lastName: 'Vantongeren', fullName: 'Noor Vantongeren' }, { first: 'Noor', last: 'Vantongeren' }],
    ['no names at all', {}, {}],
  ])('%s', (_case, names, expected) => {
    expect(contactNames(names)).toEqual(expected);
  });
});

describe('consent values', () => {
  it.each([
    [true, 'true'],
    [false, 'false'],
    [' Opted in ', 'Opted in'],
    [1, '1'],
    [{ name: 'Given' }, 'Given'],
    [{ value: false }, 'false'],
    // A Beamery yes/no select (consent kept in custom fields) equals a Greenhouse yes_no boolean.
    ['Yes', 'true'],
    [' no ', 'false'],
    [{ name: 'No' }, 'false'],
    ['TRUE', 'true'],
    ['', undefined],
    [null, undefined],
    [['a'], undefined],
    [Number.NaN, undefined],
  ])('status %j → %j', (value, expected) => {
    expect(consentStatusText(value)).toBe(expected);
  });

  it.each([
    ['2026-09-01', '2026-09-01'],
    ['2026-09-01T23:30:00-05:00', '2026-09-02'],
    ['2026-09-01T10:00:00.000Z', '2026-09-01'],
    [Date.parse('2026-09-01T10:00:00Z'), '2026-09-01'],
    [Date.parse('2026-09-01T10:00:00Z') / 1000, '2026-09-01'],
    ['last spring', 'last spring'],
    [' ', undefined],
    [undefined, undefined],
  ])('date %j → %j', (value, expected) => {
    expect(consentDate(value)).toBe(expected);
  });
});

describe('group hashes', () => {
  it('one hashFieldGroup per group', () => {
    const view = personFromContact(contact());
    const hashes = personGroupHashes(view);
    for (const group of PERSON_GROUPS) expect(hashes[group]).toBe(hashFieldGroup(view[group]));
  });

  it('a formatting difference is no change; a new value is', () => {
    const before = personGroupHashes(personFromContact(contact()));
    const reformatted = personGroupHashes(personFromContact(contact({ phoneNumbers: ['+44-20-7946-0001', '+447700900123'], emails: ['NOOR.V@example.test', 'noor@kestrel.example.test'] })));
    expect(reformatted).toEqual(before);
    const changed = personGroupHashes(personFromContact(contact({ phoneNumbers: ['+44 20 7946 0002'] })));
    expect(changed.phones).not.toBe(before.phones);
    expect({ ...changed, phones: before.phones }).toEqual(before);
  });

  it('list order does not matter (the view is sorted)', () => {
    const a = personGroupHashes(personFromContact(contact()));
    const b = personGroupHashes(personFromContact(contact({ emails: ['noor@kestrel.example.test', 'noor.v@example.test'], tags: [{ id: '2', label: 'Referral' }, { id: '1', label: 'Python' }] })));
    expect(b).toEqual(a);
  });
});

describe('the three-way rule (diffGroups)', () => {
  const view = (patch: Partial<PersonView> = {}): Record<PersonGroup, string> =>
    personGroupHashes({ ...personFromContact(contact(), CONSENT_KEYS), ...patch });
  const base = view();
  const none = { write: [], conflicts: [], alreadyEqual: [], targetKept: [] };

  it('the source did not change: nothing, whatever the target did', () => {
    expect(diffGroups(base, base, view({ role: { title: 'Lead' } }))).toEqual(none);
  });

  it('the source changed, the target holds the base: write', () => {
    expect(diffGroups(base, view({ role: { title: 'Lead' } }), base)).toEqual({ ...none, write: ['role'] });
  });

  it('the source changed, the target already holds the same value (our own write read back): already equal', () => {
    const moved = view({ role: { title: 'Lead' }, emails: ['new@example.test'] });
    expect(diffGroups(base, moved, moved)).toEqual({ ...none, alreadyEqual: ['emails', 'role'] });
  });

  it('a scalar group both sides moved: a conflict', () => {
    for (const group of ['name', 'address', 'role', 'consent'] as const) {
      const source = { ...base, [group]: 'source' };
      const target = { ...base, [group]: 'target' };
      expect(diffGroups(base, source, target)).toEqual({ ...none, conflicts: [group] });
    }
  });

  it('a list group both sides moved: written (as a union), never a conflict', () => {
    for (const group of ['emails', 'phones', 'links', 'tags'] as const) {
      const source = { ...base, [group]: 'source' };
      const target = { ...base, [group]: 'target' };
      expect(diffGroups(base, source, target)).toEqual({ ...none, write: [group] });
    }
  });

  it('no base: equal groups are already equal, differing lists written as unions, differing scalars kept on the target', () => {
    const source = view({ emails: ['a@example.test'], tags: ['A'], role: { title: 'Lead' }, name: { first: 'N' } });
    expect(diffGroups(undefined, source, base)).toEqual({
      write: ['emails', 'tags'],
      conflicts: [],
      alreadyEqual: ['phones', 'links', 'address', 'consent'],
      targetKept: ['name', 'role'],
    });
  });

  it('a base without a group (stored before the group existed): that group is decided as with no base', () => {
    const { consent: _missing, ...partial } = base;
    const source = view({ consent: { status: 'false' } });
    expect(diffGroups(partial, source, base)).toEqual({ ...none, targetKept: ['consent'] });
    expect(diffGroups(partial, base, base)).toEqual({ ...none, alreadyEqual: ['consent'] });
  });

  it('classifies every group exactly once or not at all, in PERSON_GROUPS order', () => {
    const source = view({ name: { first: 'X' }, emails: ['x@example.test'], address: 'Elsewhere', tags: [] });
    const target = view({ name: { first: 'Y' }, emails: ['y@example.test'] });
    const diff = diffGroups(base, source, target);
    expect(diff).toEqual({ write: ['emails', 'address', 'tags'], conflicts: ['name'], alreadyEqual: [], targetKept: [] });
  });

  it('list and scalar groups', () => {
    expect(PERSON_GROUPS.filter(isListGroup)).toEqual(['emails', 'phones', 'links', 'tags']);
  });
});

describe('nextBase', () => {
  const source = personGroupHashes(personFromContact(contact()));

  it('is the source’s hashes for every group', () => {
    expect(nextBase(undefined, source)).toEqual(source);
    expect(nextBase({ name: 'old', emails: 'old' }, source)).toEqual(source);
  });

  it('keeps keys of the stored base that are not person groups', () => {
    expect(nextBase({ applications: 'h', name: 'old' }, source)).toEqual({ ...source, applications: 'h' });
  });

  it("settles a conflict Greenhouse's way: after B→GH keeps Greenhouse, the G→B direction sees its side as the change", () => {
    const beamery = personGroupHashes(personFromContact(contact({ currentRole: { title: 'Lead' } })));
    const greenhouse = personGroupHashes(personFromContact(contact({ currentRole: { title: 'Principal' } })));
    const base = personGroupHashes(personFromContact(contact()));
    expect(diffGroups(base, beamery, greenhouse).conflicts).toEqual(['role']);
    const stored = nextBase(base, beamery);
    expect(diffGroups(stored, greenhouse, beamery)).toEqual({ write: ['role'], conflicts: [], alreadyEqual: [], targetKept: [] });
    // ...and once G→B has written it, B→GH reads Beamery back and has nothing left to do.
    const settled = nextBase(stored, greenhouse);
    expect(diffGroups(settled, greenhouse, greenhouse)).toEqual({ write: [], conflicts: [], alreadyEqual: [], targetKept: [] });
  });
});

describe('consentGivenAt', () => {
  it('gives the instant of a consent: a timestamp as it is, a date from the start of its UTC day', () => {
    expect(consentGivenAt(true, '2026-12-04T09:30:00+01:00')).toBe('2026-12-04T08:30:00.000Z');
    expect(consentGivenAt('Yes', '2026-12-04')).toBe('2026-12-04T00:00:00.000Z');
    expect(consentGivenAt({ name: 'yes' }, ' 2026-12-04 ')).toBe('2026-12-04T00:00:00.000Z');
    // Only the date synced (no status field): the date is the evidence.
    expect(consentGivenAt(undefined, '2026-12-04')).toBe('2026-12-04T00:00:00.000Z');
  });

  it('gives nothing for a refusal, an unknown status, no date, or a date that is no date', () => {
    expect(consentGivenAt(false, '2026-12-04')).toBeUndefined();
    expect(consentGivenAt('No', '2026-12-04')).toBeUndefined();
    expect(consentGivenAt('Pending', '2026-12-04')).toBeUndefined();
    expect(consentGivenAt(true, undefined)).toBeUndefined();
    expect(consentGivenAt(true, '')).toBeUndefined();
    expect(consentGivenAt(true, 'last spring')).toBeUndefined();
    // No zone: which instant it names depends on where it is read.
    expect(consentGivenAt(true, '2026-12-04T09:30:00')).toBeUndefined();
    expect(consentGivenAt(true, 20261204)).toBeUndefined();
  });
});

describe('the Beamery side\'s tags', () => {
  it('are the global and the profile tags, without the global tags the bridge wrote itself', () => {
    const beamery = contact({
      tags: [
        { id: 'g-talent-pool', label: 'Talent Pool' },
        { id: derivedTagId('Deleted in Greenhouse'), label: 'Deleted in Greenhouse' },
        // Written from a Greenhouse tag before profile tags: removed there, it must not come back.
        { id: derivedTagId('Old Greenhouse Tag'), label: 'Old Greenhouse Tag' },
      ],
      profileTags: ['SRE', 'talent pool'],
    });
    expect(personFromContact(beamery, {}).tags).toEqual(['SRE', 'Talent Pool']);
  });
});
