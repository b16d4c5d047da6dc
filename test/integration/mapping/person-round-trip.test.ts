import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, type GreenhouseClient } from '#adapters/greenhouse/client';
import { candidateCreateFromContact, candidateWriteForGroups, referrerIdFor, sourceIdFor } from '#core/mapping/candidate';
import { diffGroups, PERSON_GROUPS, personFromCandidate, personFromContact, personGroupHashes } from '#core/mapping/person';
import { contact } from '../../unit/mapping/beamery-fixtures.ts';
import { startHarness, type Harness } from '../greenhouse/support.ts';

/**
 * The Beamery → Greenhouse mapping against the Greenhouse simulator: what the bridge creates or
 * writes, read back through the client, projects to the same person view as the contact, so the
 * next reconcile in either direction finds nothing to do. The default scenario has no consent
 * fields; two of its candidate custom fields stand in for them (the simulator stores any value).
 */
const CONSENT_KEYS = { status: 'work_remotely', lastConsentDate: 'desired_salary' };

let h: Harness;
let client: GreenhouseClient;

beforeAll(async () => {
  h = await startHarness();
  client = h.client({ sub: 305 });
});
afterAll(() => h.close());

describe('person view round trip through the Greenhouse simulator', () => {
  it('a created prospect reads back as the contact, with source and credited-to on its application', async () => {
    const source = contact({ links: ['https://noor.example.test', 'https://www.linkedin.com/in/noorv/', 'github.com/noorv'] });
    const sources = await collect(client.listSources());
    const create = candidateCreateFromContact(source, {
      consentKeys: CONSENT_KEYS,
      sourceId: sourceIdFor(source.source, sources),
      referrerId: referrerIdFor(302, [{ id: 451, user_id: 302 }]),
    });
    const created = await client.createCandidate(create);
    const readBack = (await client.getCandidate(created.id))!;
    expect(personFromCandidate(readBack, CONSENT_KEYS)).toEqual(personFromContact(source, CONSENT_KEYS));
    const [application] = await collect(client.listApplications({ candidate_ids: [created.id] }));
    expect(application).toMatchObject({ prospect: true, source_id: 401, referrer_id: 451 });
  });

  it('an update of every group settles: the next reconcile finds every group already equal', async () => {
    const original = contact({ emails: ['rae.okoro@example.test'], firstName: 'Rae', lastName: 'Okoro', fullName: 'Rae Okoro' });
    const created = await client.createCandidate(candidateCreateFromContact(original, { consentKeys: CONSENT_KEYS }));
    const base = personGroupHashes(personFromContact(original, CONSENT_KEYS));

    const edited = contact({
      ...original,
      lastName: 'Okoro-Hale',
      emails: [...original.emails, 'rae@new.example.test'],
      phoneNumbers: ['+44 7700 900999'],
      links: ['https://rae.example.test'],
      location: { address: '3 Harbour Row, Bristol' },
      currentRole: { title: 'Principal Engineer', company: 'Osprey' },
      tags: [{ id: 't', label: 'Kotlin' }],
      consentStatus: 'false',
      lastConsentDate: '2026-10-02T08:00:00.000Z',
    });
    const current = (await client.getCandidate(created.id))!;
    const diff = diffGroups(base, personGroupHashes(personFromContact(edited, CONSENT_KEYS)), personGroupHashes(personFromCandidate(current, CONSENT_KEYS)));
    expect(diff.write).toEqual(['name', 'emails', 'phones', 'links', 'address', 'role', 'tags', 'consent']);
    await client.updateCandidate(created.id, candidateWriteForGroups(edited, diff.write, current, CONSENT_KEYS)!);

    const after = personFromCandidate((await client.getCandidate(created.id))!, CONSENT_KEYS);
    const wanted = personFromContact(edited, CONSENT_KEYS);
    for (const group of ['name', 'address', 'role', 'consent'] as const) expect(after[group]).toEqual(wanted[group]);
    // Lists hold the union: nothing Greenhouse had is lost.
    expect(after.emails).toEqual(['rae.okoro@example.test', 'rae@new.example.test']);
    expect(after.phones).toEqual(['+442079460001', '+447700900123', '+447700900999']);
    expect(after.tags).toEqual(['Kotlin', 'Python', 'Referral']);
    expect(candidateWriteForGroups(edited, PERSON_GROUPS, (await client.getCandidate(created.id))!, CONSENT_KEYS)).toBeUndefined();
  });
});
