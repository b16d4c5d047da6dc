import { describe, expect, it } from 'vitest';
import { contactBody, vacancyBody } from '#adapters/beamery/wire/bodies';

const integrations = { kind: 'integrations' } as const;
const customField = { kind: 'custom-field', fieldId: 'cf-gh' } as const;

describe('contact bodies', () => {
  it('writes identity lists as plain strings (S4) and lists the primary address', () => {
    expect(contactBody({ firstName: 'A', primaryEmail: 'a@example.com', emails: ['b@example.com', 'A@example.com'], phoneNumbers: ['+1'], links: ['https://x'] }, integrations)).toEqual({
      firstName: 'A',
      primaryEmail: 'a@example.com',
      emails: ['a@example.com', 'b@example.com'],
      phoneNumbers: ['+1'],
      links: ['https://x'],
    });
  });

  it('writes the current role as the one current experience entry (S4), never primaryExperience', () => {
    expect(contactBody({ currentRole: { title: 'SRE', company: 'Acme' } }, integrations)).toEqual({ experience: [{ organisationName: 'Acme', role: 'SRE', current: true }] });
  });

  it('writes tags as globalTags, status and creation source as {value}', () => {
    expect(contactBody({ tags: [{ id: 't1', label: 'Community' }, { id: 't2' }], statusLabel: 'Lead', creationSource: 'greenhouse', assignedToUserId: 'u' }, integrations)).toEqual({
      globalTags: [{ id: 't1', value: 'Community' }, { id: 't2' }],
      status: { value: 'Lead' },
      creationSource: { value: 'greenhouse' },
      assignedTo: 'u',
    });
  });

  it('never sends an empty custom field list (S4: it can blank existing values)', () => {
    expect(contactBody({ customFields: [] }, integrations)).toEqual({});
    expect(contactBody({ emails: [], phoneNumbers: [] }, integrations)).toEqual({});
  });

  it('writes the Greenhouse id to integrations.greenhouse by default', () => {
    expect(contactBody({ greenhouseCandidateId: '603', greenhouseProfileUrl: 'https://app.greenhouse.io/people/603' }, integrations)).toEqual({
      integrations: { greenhouse: { id: '603', url: 'https://app.greenhouse.io/people/603' } },
    });
  });

  it('or into the configured custom field, carrying the other custom fields along', () => {
    expect(contactBody({ greenhouseCandidateId: '603' }, customField, [{ id: 'cf-consent', value: 'yes' }, { id: 'cf-gh', value: 'old' }])).toEqual({
      customFields: [{ id: 'cf-consent', value: 'yes' }, { id: 'cf-gh', value: '603' }],
    });
    expect(contactBody({ greenhouseCandidateId: '603', customFields: [{ id: 'cf-x', value: 1 }] }, customField)).toEqual({
      customFields: [{ id: 'cf-x', value: 1 }, { id: 'cf-gh', value: '603' }],
    });
  });
});

describe('vacancy bodies', () => {
  it('writes S2 names, the Greenhouse job id in integrations and ordered stages', () => {
    expect(vacancyBody({ title: 'Engineer', employmentType: 'full_time', salary: '100k', ownerUserId: 'u', greenhouseJobId: '4004001', stages: [{ name: 'Screen' }, { name: 'Onsite', order: 5 }] })).toEqual({
      title: 'Engineer',
      type: 'full_time',
      salary: '100k',
      owner: 'u',
      integrations: { greenhouse: { id: '4004001' } },
      stages: [{ name: 'Screen', order: 1 }, { name: 'Onsite', order: 5 }],
    });
  });
});
