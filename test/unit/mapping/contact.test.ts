import { describe, expect, it } from 'vitest';
import {
  contactFieldGroups,
  contactWriteForCreate,
  contactWriteForGroups,
  derivedTagId,
  mapCandidateToContact,
  normaliseTagName,
  type CandidateSnapshot,
  type ContactMapping,
  type ContactMappingOptions,
} from '#core/mapping/contact';
import { changedFieldGroups, hashFieldGroups } from '#core/mapping/field-groups';
import { application, attachment, candidate, candidateSnapshot } from './fixtures.ts';

interface Row {
  /** The seed's "Contact Data Mapping" row, Beamery ← Greenhouse. */
  readonly row: string;
  readonly given?: Partial<CandidateSnapshot>;
  readonly options?: ContactMappingOptions;
  readonly read: (mapped: ContactMapping) => unknown;
  readonly expected: unknown;
}

/** One entry per row of the seed's table that flows Greenhouse → Beamery (and the rows that do not). */
const CONTACT_DATA_MAPPING: readonly Row[] = [
  {
    row: 'Integration > Greenhouse > ID (required) ← Candidate ID',
    read: (m) => m.contact.greenhouseCandidateId,
    expected: '4401',
  },
  {
    row: 'View in ATS URL (required): the Greenhouse URL is generated from the candidate id',
    read: (m) => m.contact.greenhouseProfileUrl,
    expected: 'https://app.greenhouse.io/people/4401',
  },
  {
    row: 'View in ATS URL: the Greenhouse app URL is configurable',
    options: { greenhouseAppUrl: 'https://eu.greenhouse.example.test/' },
    read: (m) => m.contact.greenhouseProfileUrl,
    expected: 'https://eu.greenhouse.example.test/people/4401',
  },
  {
    row: 'First Name (required) ← First Name',
    read: (m) => m.contact.firstName,
    expected: 'Noor',
  },
  {
    row: 'Last Name (required) ← Last Name',
    read: (m) => m.contact.lastName,
    expected: 'Vantongeren',
  },
  {
    row: 'Email (required) ← Email Address: every address, the first one primary',
    read: (m) => [m.contact.primaryEmail, m.contact.emails],
    expected: ['noor.v@example.test', ['noor.v@example.test', 'noor@kestrel.example.test']],
  },
  {
    row: 'Email ← Email Address: the same address twice (any case) is one address',
    given: { candidate: candidate({ email_addresses: [{ value: ' Noor.V@example.test ' }, { value: 'noor.v@EXAMPLE.test' }] }) },
    read: (m) => m.contact.emails,
    expected: ['Noor.V@example.test'],
  },
  {
    row: 'Attachment ← Attachments: resumes are imported',
    given: { attachments: [attachment({ id: 801 })] },
    read: (m) => m.attachments.copy.map((a) => a.id),
    expected: [801],
  },
  {
    row: 'Consent Status ← Custom Field: not synced from Greenhouse',
    read: (m) => m.contact.customFields,
    expected: undefined,
  },
  {
    row: 'Phone ← Phone Number: every number, the first one primary',
    given: { candidate: candidate({ phone_numbers: [{ value: '+44 20 7946 0001', type: 'mobile' }, { value: '+44 20 7946 0002', type: 'work' }] }) },
    read: (m) => [m.contact.primaryPhoneNumber, m.contact.phoneNumbers],
    expected: ['+44 20 7946 0001', ['+44 20 7946 0001', '+44 20 7946 0002']],
  },
  {
    row: 'Links ← Website, Social Media',
    read: (m) => m.contact.links,
    expected: ['https://noor.example.test', 'https://social.example.test/noorv'],
  },
  {
    row: 'Location > Address ← Address (the first one)',
    given: { candidate: candidate({ addresses: [{ value: '12 Quay Street, Bristol', type: 'home' }, { value: '1 Dock Road, Lisbon', type: 'work' }] }) },
    read: (m) => m.contact.location,
    expected: { address: '12 Quay Street, Bristol' },
  },
  {
    row: 'Location > Country and Post Code: Greenhouse has no such field',
    read: (m) => [m.contact.location?.country, m.contact.location?.postCode],
    expected: [undefined, undefined],
  },
  {
    row: 'Primary Role title ← Title',
    read: (m) => m.contact.currentRole?.title,
    expected: 'Data Engineer',
  },
  {
    row: 'Primary Company ← Company',
    read: (m) => m.contact.currentRole?.company,
    expected: 'Kestrel Labs',
  },
  {
    row: 'Profile Tags ← Tags: the tag names as profile tags, no global tags',
    read: (m) => [m.contact.profileTags, m.contact.tags],
    expected: [['Python', 'Referral'], undefined],
  },
  {
    row: 'Source: the creation source is Greenhouse, only on contact creation',
    read: (m) => [m.contact.creationSource, m.creationOnly.creationSource, contactWriteForCreate(m).creationSource],
    expected: [undefined, 'Greenhouse', 'Greenhouse'],
  },
  {
    row: 'Vacancy Integration ID ← the job the contact applied to',
    read: (m) => m.memberships.map((v) => v.vacancyId),
    expected: ['vac-71'],
  },
  {
    row: 'Vacancy Stage (required) ← Workflow Step (the current job interview stage)',
    given: { applications: [application({ id: 5001, job_interview_stage_id: 9003, stage_name: 'stale name' })] },
    read: (m) => m.memberships,
    expected: [{ vacancyId: 'vac-71', stageName: 'Onsite' }],
  },
  {
    row: 'Rejection Reason ← Rejection Reason (associated to the vacancies the contact applied to)',
    given: { applications: [application({ id: 5001, status: 'rejected', rejection_reason_id: 61, rejected_at: '2026-09-30T10:00:00Z' })] },
    read: (m) => m.memberships,
    expected: [{ vacancyId: 'vac-71', stageName: 'Phone Screen', rejectionReason: 'Lacks skills or qualifications' }],
  },
  {
    row: 'Credited To: not available to synchronise from Greenhouse to Beamery',
    given: { applications: [application({ id: 5001, referrer_id: 77 })] },
    read: (m) => m.contact.assignedToUserId,
    expected: undefined,
  },
];

describe('Contact Data Mapping (Greenhouse → Beamery)', () => {
  for (const { row, given, options, read, expected } of CONTACT_DATA_MAPPING) {
    it(row, () => {
      expect(read(mapCandidateToContact(candidateSnapshot(given), options))).toEqual(expected);
    });
  }
});

describe('Contacts / Candidates: prospects, candidates, hired and rejected', () => {
  const map = (given: Partial<CandidateSnapshot>, options?: ContactMappingOptions) => mapCandidateToContact(candidateSnapshot(given), options);

  it('Contact (prospect): a prospect is not in any vacancy', () => {
    const mapped = map({ applications: [application({ id: 5001, prospect: true, job_id: null, prospective_job_ids: [71] })] });
    expect(mapped.memberships).toEqual([]);
    expect(mapped.applications).toEqual([{ applicationId: 5001, outcome: 'prospect' }]);
  });

  it('Contact (candidate): a candidate is in at least 1 vacancy', () => {
    const mapped = map({ applications: [application({ id: 5001 }), application({ id: 5002, job_id: 73 })] });
    expect(mapped.memberships).toEqual([{ vacancyId: 'vac-71', stageName: 'Phone Screen' }]);
  });

  it('In Greenhouse Hired and Rejected are flags and not stages: a hired candidate keeps its stage and no flag', () => {
    const mapped = map({ applications: [application({ id: 5001, status: 'hired', job_interview_stage_id: 9004, stage_name: 'Offer' })] });
    expect(mapped.memberships).toEqual([{ vacancyId: 'vac-71', stageName: 'Offer' }]);
  });

  it('a rejection reason travels only while the application is rejected', () => {
    const mapped = map({ applications: [application({ id: 5001, status: 'in_process', rejection_reason_id: 61 })] });
    expect(mapped.memberships[0]).not.toHaveProperty('rejectionReason');
  });

  it('an application on a job not synced yet has no vacancy: the job is named for syncing first', () => {
    const mapped = map({ applications: [application({ id: 5001, job_id: 73 }), application({ id: 5002, job_id: 74 })] });
    expect(mapped.memberships).toEqual([]);
    expect(mapped.unlinkedJobIds).toEqual([73, 74]);
  });

  it('Vacancy Stage (required): without a stage name the application is not written', () => {
    const mapped = map({ applications: [application({ id: 5001, job_interview_stage_id: 9999, stage_name: null })] });
    expect(mapped.memberships).toEqual([]);
    expect(mapped.applications).toEqual([{ applicationId: 5001, jobId: 71, outcome: 'stage-unknown' }]);
  });

  it('a converted prospect application is left out; its candidate application counts', () => {
    const mapped = map({ applications: [application({ id: 5001, status: 'converted', prospect: true }), application({ id: 5002 })] });
    expect(mapped.applications.map((a) => a.outcome)).toEqual(['converted', 'membership']);
  });

  it('two applications on one vacancy: the active one beats the rejected one', () => {
    const mapped = map({
      applications: [application({ id: 5003, status: 'rejected', rejection_reason_id: 61 }), application({ id: 5002, job_interview_stage_id: 9001 })],
    });
    expect(mapped.memberships).toEqual([{ vacancyId: 'vac-71', stageName: 'Application Review' }]);
    expect(mapped.applications).toEqual([
      { applicationId: 5002, jobId: 71, outcome: 'membership' },
      { applicationId: 5003, jobId: 71, outcome: 'superseded' },
    ]);
  });

  it('Confidential Candidates: by default confidential Greenhouse contacts are mapped as public Beamery contacts', () => {
    const mapped = map({ applications: [application({ id: 5001, job_id: 72 })] });
    expect(mapped.memberships).toEqual([{ vacancyId: 'vac-72', stageName: 'Phone Screen' }]);
    expect(mapped.skip).toBeUndefined();
  });

  it('Block Confidential Candidate Updates (configurable): applications on confidential jobs are left out, with their files', () => {
    const mapped = map(
      {
        applications: [application({ id: 5001 }), application({ id: 5002, job_id: 72 })],
        attachments: [attachment({ id: 801, application_id: 5001 }), attachment({ id: 802, application_id: 5002 })],
      },
      { excludeConfidentialJobs: true },
    );
    expect(mapped.memberships.map((v) => v.vacancyId)).toEqual(['vac-71']);
    expect(mapped.excludedApplicationIds).toEqual([5002]);
    expect(mapped.attachments.copy.map((a) => a.id)).toEqual([801]);
    expect(mapped.attachments.skipped).toEqual([{ attachment: expect.objectContaining({ id: 802 }), reason: 'application-excluded' }]);
    expect(mapped.skip).toBeUndefined();
  });

  it('Block Confidential Candidates: a contact known only through confidential jobs is not imported', () => {
    const mapped = map({ applications: [application({ id: 5002, job_id: 72 })] }, { excludeConfidentialJobs: true });
    expect(mapped.skip).toEqual({ reason: 'only-confidential-applications' });
  });
});

describe('Profile Tags ← Tags: profile tag labels; the bridge\'s own global tags', () => {
  it('a global tag gets an id derived from its name, the same every time', () => {
    expect(derivedTagId('Referral')).toBe(derivedTagId(' referral '));
    expect(derivedTagId('Referral')).toMatch(/^greenhouse-tag-[0-9a-f]{16}$/);
    expect(derivedTagId('Referral')).not.toBe(derivedTagId('Python'));
  });

  it('tags are one per name (any case), sorted by name', () => {
    const mapped = mapCandidateToContact(candidateSnapshot({ candidate: candidate({ tags: ['zeta', 'Alpha', 'ALPHA', ' '] }) }));
    expect(mapped.contact.profileTags).toEqual(['Alpha', 'zeta']);
    expect(normaliseTagName(' Alpha ')).toBe('alpha');
  });
});

describe('a candidate with little data', () => {
  it('fields Greenhouse does not have are absent, lists are empty', () => {
    const bare = candidate({
      company: null,
      title: null,
      tags: null,
      email_addresses: null,
      phone_numbers: [],
      addresses: [],
      website_addresses: null,
      social_media_addresses: null,
    });
    const mapped = mapCandidateToContact(candidateSnapshot({ candidate: bare, applications: [] }));
    expect(mapped.contact).toEqual({
      firstName: 'Noor',
      lastName: 'Vantongeren',
      emails: [],
      phoneNumbers: [],
      links: [],
      profileTags: [],
      greenhouseCandidateId: '4401',
      greenhouseProfileUrl: 'https://app.greenhouse.io/people/4401',
    });
  });
});

describe('contact field groups', () => {
  const mapped = mapCandidateToContact(candidateSnapshot());

  it('split the mapped contact into identity, integration, emails, phones, links, location, role, tags and applications', () => {
    expect(contactFieldGroups(mapped)).toEqual({
      identity: { firstName: 'Noor', lastName: 'Vantongeren' },
      integration: { greenhouseCandidateId: '4401', greenhouseProfileUrl: 'https://app.greenhouse.io/people/4401' },
      emails: { primaryEmail: 'noor.v@example.test', emails: ['noor.v@example.test', 'noor@kestrel.example.test'] },
      phones: { primaryPhoneNumber: '+44 20 7946 0001', phoneNumbers: ['+44 20 7946 0001'] },
      links: { links: ['https://noor.example.test', 'https://social.example.test/noorv'] },
      location: { location: { address: '12 Quay Street, Bristol' } },
      role: { currentRole: { title: 'Data Engineer', company: 'Kestrel Labs' } },
      tags: { profileTags: ['Python', 'Referral'] },
      applications: [{ vacancyId: 'vac-71', stageName: 'Phone Screen' }],
    });
  });

  it('a change to one field changes only its group, and the write carries only that group', () => {
    const before = hashFieldGroups(contactFieldGroups(mapped));
    const moved = mapCandidateToContact(candidateSnapshot({ candidate: candidate({ title: 'Staff Data Engineer' }) }));
    const changed = changedFieldGroups(hashFieldGroups(contactFieldGroups(moved)), before);
    expect(changed).toEqual(['role']);
    expect(contactWriteForGroups(moved, changed)).toEqual({ currentRole: { title: 'Staff Data Engineer', company: 'Kestrel Labs' } });
  });

  it('a stage move changes only the applications group', () => {
    const before = hashFieldGroups(contactFieldGroups(mapped));
    const moved = mapCandidateToContact(candidateSnapshot({ applications: [application({ id: 5001, job_interview_stage_id: 9003 })] }));
    expect(changedFieldGroups(hashFieldGroups(contactFieldGroups(moved)), before)).toEqual(['applications']);
  });

  it('Greenhouse tags listed in another order map to the same hashes', () => {
    const reordered = mapCandidateToContact(candidateSnapshot({ candidate: candidate({ tags: ['Referral', 'Python'] }) }));
    expect(hashFieldGroups(contactFieldGroups(reordered))).toEqual(hashFieldGroups(contactFieldGroups(mapped)));
  });
});
