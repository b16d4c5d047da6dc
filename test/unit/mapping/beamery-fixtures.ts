import type { BeameryContact } from '#core/beamery/records';

/**
 * A literal Beamery contact for the same fictional person as fixtures.ts's Greenhouse candidate
 * (example.test addresses), as the wire parser hands it over.
 */

export const CONTACT_ID = '0b7e1c9a-0000-4000-8000-00000000c001';

export function contact(patch: Partial<BeameryContact> = {}): BeameryContact {
  return {
    id: CONTACT_ID,
    firstName: 'Noor',
    lastName: 'Vantongeren',
    fullName: 'Noor Vantongeren',
    primaryEmail: 'noor.v@example.test',
    emails: ['noor.v@example.test', 'noor@kestrel.example.test'],
    primaryPhoneNumber: '+44 20 7946 0001',
    phoneNumbers: ['+44 20 7946 0001', '+44 7700 900123'],
    links: ['https://noor.example.test', 'https://www.linkedin.com/in/noorv/'],
    location: { address: '12 Quay Street, Bristol', city: 'Bristol', country: 'United Kingdom', postCode: 'BS1 4DJ' },
    currentRole: { title: 'Data Engineer', company: 'Kestrel Labs' },
    experience: [{ title: 'Data Engineer', company: 'Kestrel Labs', current: true }],
    tags: [
      { id: 'tag-py', label: 'Python' },
      { id: 'tag-ref', label: 'Referral' },
    ],
    customFields: [],
    assignedToUserId: 'beamery-user-ines',
    statusLabel: 'Lead',
    source: 'LinkedIn (Prospecting)',
    consentStatus: 'true',
    lastConsentDate: '2026-09-01T10:00:00.000Z',
    mergedFromIds: [],
    anonymized: false,
    createdAt: '2026-09-01T09:00:00.000Z',
    updatedAt: '2026-10-01T09:00:00.000Z',
    raw: {},
    ...patch,
  };
}

export const CONSENT_KEYS = { status: 'consent_status', lastConsentDate: 'last_consent_date' } as const;
