import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entityKey } from '#core/envelope';
import { collect } from '#core/async-iterables';
import { reconcileCandidate } from '#core/sync/reconcile-candidate';
import { reconcileContact, type ContactSyncDependencies, type ContactTrigger } from '#core/sync/reconcile-contact';
import { pairStateKey } from '#core/sync/pair-state';
import { DEFAULT_GREENHOUSE_ANONYMIZE_FIELDS } from '#lambdas/config';
import type { BeameryClient } from '#adapters/beamery/client';
import { IDENTITY_KEY, startSyncHarness, type SyncHarness } from './candidate-harness.ts';

/**
 * Beamery → Greenhouse, the reconciler alone: both simulators in this process, in-memory stores, the
 * Greenhouse → Beamery reconciler beside it for the echo cases. End to end through the local stack:
 * test/e2e/beamery-to-greenhouse.test.ts.
 */
describe('reconcileContact', () => {
  let h: SyncHarness;
  let deps: ContactSyncDependencies;
  let beamery: BeameryClient;

  // The default Greenhouse scenario has no consent fields: two of its candidate custom fields stand in.
  const CONSENT = { status: 'work_remotely', lastConsentDate: 'desired_salary' };

  beforeEach(async () => {
    h = await startSyncHarness();
    beamery = h.deps.beamery as BeameryClient;
    deps = {
      greenhouse: h.greenhouse.client(),
      beamery,
      idMap: h.idMap,
      ledger: h.ledger,
      audit: h.audit,
      clock: h.greenhouse.clock,
      options: {
        consentKeys: CONSENT,
        anonymization: { mode: 'bidirectional', greenhouseFields: [...DEFAULT_GREENHOUSE_ANONYMIZE_FIELDS] },
        identityKey: IDENTITY_KEY,
      },
    };
  });
  afterEach(async () => {
    await h?.close();
  });

  const beameryAdmin = <T = unknown>(method: 'POST' | 'PATCH', url: string, payload: object) => h.beameryAdmin<T>(method, url, payload);
  const sourcedContact = (extra: object = {}) =>
    beameryAdmin<{ id: string }>('POST', '/contacts', {
      firstName: 'Noor',
      lastName: 'Vale',
      primaryEmail: 'noor.vale@example.test',
      emails: ['noor.vale@example.test', 'noor@work.example.test'],
      phoneNumbers: ['+44 20 7946 0001'],
      links: ['https://www.linkedin.com/in/noorvale', 'https://noorvale.dev'],
      experience: [{ organisationName: 'Kestrel Labs', role: 'Data Engineer', current: true }],
      globalTags: [{ id: 'g-python', value: 'Python' }],
      ...extra,
    });
  const trigger = (contactId: string, pushRequested = false): ContactTrigger => h.contactTrigger(contactId, pushRequested);
  const greenhouseWrites = () =>
    Object.entries(h.greenhouse.sim.counts.snapshot()).reduce((sum, [route, n]) => (/^(POST|PATCH|PUT|DELETE) \/v3\//.test(route) ? sum + n : sum), 0);
  const later = () => h.greenhouse.clock.advance(1_000);

  it('does nothing for a contact nobody asked to push', async () => {
    const contact = await sourcedContact();
    expect(await reconcileContact(trigger(contact.id), deps)).toEqual({ outcome: 'not-pushed' });
    expect(greenhouseWrites()).toBe(0);
    expect(await h.idMap.byBeamery(entityKey('beamery', 'contact', contact.id))).toEqual([]);
  });

  it('pushes a contact on no linked vacancy as a prospect with the mapped fields, and links it', async () => {
    const contact = await sourcedContact({ consentStatus: true, lastConsentDate: '2026-10-01' });
    const result = await reconcileContact(trigger(contact.id, true), deps);
    expect(result).toMatchObject({ outcome: 'created' });
    const candidateId = (result as { candidateId: number }).candidateId;
    const candidate = await deps.greenhouse.getCandidate(candidateId);
    expect(candidate).toMatchObject({ first_name: 'Noor', last_name: 'Vale', title: 'Data Engineer', company: 'Kestrel Labs', tags: ['Python'] });
    expect(candidate!.email_addresses!.map((e) => e.value)).toEqual(['noor.vale@example.test', 'noor@work.example.test']);
    expect(candidate!.social_media_addresses!.map((s) => s.value)).toEqual(['https://www.linkedin.com/in/noorvale']);
    expect(candidate!.website_addresses!.map((w) => w.value)).toEqual(['https://noorvale.dev']);
    // A yes_no field is written as a boolean, whatever text the consent status had.
    expect(candidate!.custom_fields?.['work_remotely']?.value).toBe(true);
    expect(candidate!.custom_fields?.['desired_salary']?.value).toBe('2026-10-01');
    const applications = await collect(h.greenhouse.client().listApplications({ candidate_ids: [candidateId] }));
    expect(applications).toHaveLength(1);
    expect(applications[0]!.prospect).toBe(true);
    expect(await h.idMap.byGreenhouse(entityKey('greenhouse', 'candidate', candidateId))).toMatchObject({
      beameryKey: entityKey('beamery', 'contact', contact.id),
      status: 'active',
    });
    // The same push again: the contact is linked now, nothing left to write.
    later();
    const before = greenhouseWrites();
    expect(await reconcileContact(trigger(contact.id, true), deps)).toMatchObject({ outcome: 'unchanged', candidateId });
    expect(greenhouseWrites()).toBe(before);
  });

  it('pushes a contact on a vacancy linked to a Greenhouse job as a candidate on that job', async () => {
    const contact = await sourcedContact();
    const vacancy = await beamery.createVacancy({ title: 'Data Analyst', stages: [{ name: 'Application Review', order: 0 }] });
    expect(await beamery.addContactToVacancy(contact.id, vacancy.id)).not.toBe('unsupported');
    await h.idMap.put({ greenhouseKey: entityKey('greenhouse', 'job', 802), beameryKey: entityKey('beamery', 'vacancy', vacancy.id), status: 'active', updatedAt: new Date(0).toISOString() });
    const result = await reconcileContact(trigger(contact.id, true), deps);
    const candidateId = (result as { candidateId: number }).candidateId;
    const applications = await collect(h.greenhouse.client().listApplications({ candidate_ids: [candidateId] }));
    expect(applications.map((a) => [a.job_id, a.prospect])).toEqual([[802, false]]);
  });

  it('applies a linked candidate to the job of each further linked vacancy the contact is put on, once; a job that refuses goes to Audit', async () => {
    const contact = await sourcedContact();
    const { candidateId } = (await reconcileContact(trigger(contact.id, true), deps)) as { candidateId: number };
    const linkedVacancy = async (jobId: number) => {
      const vacancy = await beamery.createVacancy({ title: `Job ${jobId}`, stages: [{ name: 'Application Review', order: 0 }] });
      await h.idMap.put({ greenhouseKey: entityKey('greenhouse', 'job', jobId), beameryKey: entityKey('beamery', 'vacancy', vacancy.id), status: 'active', updatedAt: new Date(0).toISOString() });
      expect(await beamery.addContactToVacancy(contact.id, vacancy.id)).not.toBe('unsupported');
    };
    await linkedVacancy(802);
    await linkedVacancy(801);
    // A vacancy of no linked job: nothing to apply to.
    const unlinked = await beamery.createVacancy({ title: 'Beamery only', stages: [{ name: 'Sourced', order: 0 }] });
    await beamery.addContactToVacancy(contact.id, unlinked.id);
    await h.greenhouse.admin('PATCH', '/jobs/801', { status: 'closed' });

    later();
    expect(await reconcileContact(trigger(contact.id), deps)).toMatchObject({ outcome: 'updated', jobsApplied: [802] });
    const applications = await collect(h.greenhouse.client().listApplications({ candidate_ids: [candidateId] }));
    expect(applications.filter((a) => !a.prospect).map((a) => a.job_id)).toEqual([802]);
    const refused = (await h.audit.list(entityKey('greenhouse', 'candidate', candidateId))).filter((e) => e.detail?.['reason'] === 'application-refused');
    expect(refused.map((e) => e.detail?.['jobId'])).toEqual([801]);

    // Read again: the application is there, so nothing is posted.
    later();
    await beameryAdmin('PATCH', `/contacts/${contact.id}`, { firstName: 'Noor' });
    const posts = h.greenhouse.requests('POST /v3/applications');
    expect(await reconcileContact(trigger(contact.id), deps)).not.toHaveProperty('jobsApplied');
    expect(h.greenhouse.requests('POST /v3/applications') - posts).toBe(1); // only the closed job's, refused again
  });

  it('credits the new application to the Greenhouse user linked to the contact\'s assigned-to Beamery user, with its source', async () => {
    await h.idMap.put({ greenhouseKey: entityKey('greenhouse', 'user', 302), beameryKey: entityKey('beamery', 'user', 'e0000000000000000302'), status: 'active', updatedAt: new Date(0).toISOString() });
    const sources = await collect(h.greenhouse.client().listSources());
    const contact = await sourcedContact({ assignedTo: 'e0000000000000000302', source: { value: sources[0]!.name! } });
    const { candidateId } = (await reconcileContact(trigger(contact.id, true), deps)) as { candidateId: number };
    const [application] = await collect(h.greenhouse.client().listApplications({ candidate_ids: [candidateId] }));
    // Referrer 451 is user 302's record in the default scenario: v3 credits to a Referrer, not a user.
    expect(application).toMatchObject({ referrer_id: 451, source_id: sources[0]!.id });
  });

  it('links the one unlinked Greenhouse candidate with the email instead of creating a duplicate', async () => {
    const existing = await deps.greenhouse.createCandidate({ first_name: 'Noor', last_name: 'Vale', email_addresses: [{ value: 'noor.vale@example.test', type: 'personal' }] });
    const contact = await sourcedContact();
    expect(await reconcileContact(trigger(contact.id, true), deps)).toMatchObject({ outcome: 'linked', candidateId: existing.id });
    expect(await collect(deps.greenhouse.listCandidates({ email: 'noor.vale@example.test' }))).toHaveLength(1);
    // Lists are unions: the contact's second address joined the candidate's.
    const candidate = await deps.greenhouse.getCandidate(existing.id);
    expect(candidate!.email_addresses!.map((e) => e.value).sort()).toEqual(['noor.vale@example.test', 'noor@work.example.test']);
  });

  it('carries a Beamery edit of a linked contact once; its echo through the other direction writes nothing back', async () => {
    const contact = await sourcedContact();
    const { candidateId } = (await reconcileContact(trigger(contact.id, true), deps)) as { candidateId: number };
    // Greenhouse → Beamery sees the new candidate (its webhook): only the integration id and URL are new to Beamery.
    later();
    await reconcileCandidate(h.trigger(candidateId), h.deps);
    const stored = await beamery.getContact(contact.id);
    expect(stored?.greenhouseCandidateId).toBe(String(candidateId));

    later();
    await beameryAdmin('PATCH', `/contacts/${contact.id}`, { experience: [{ organisationName: 'Kestrel Labs', role: 'Staff Data Engineer', current: true }] });
    const writesBefore = greenhouseWrites();
    expect(await reconcileContact(trigger(contact.id), deps)).toMatchObject({ outcome: 'updated', groupsWritten: ['role'] });
    expect(greenhouseWrites() - writesBefore).toBe(1);
    expect((await deps.greenhouse.getCandidate(candidateId))?.title).toBe('Staff Data Engineer');

    // The echo: Greenhouse's update webhook, reconciled to Beamery, finds the title already there.
    later();
    const beameryBefore = h.beameryWrites();
    await reconcileCandidate(h.trigger(candidateId), h.deps);
    expect(h.beameryWrites()).toBe(beameryBefore);
    // And the poller finding the contact again writes nothing to Greenhouse.
    later();
    expect(await reconcileContact(trigger(contact.id), deps)).toMatchObject({ outcome: 'unchanged' });
    expect(greenhouseWrites() - writesBefore).toBe(1);
  });

  it.each([
    ['a second after the version Greenhouse → Beamery last read', true],
    // Greenhouse's updated_at has whole seconds: the rename keeps the one Greenhouse → Beamery last read.
    ['in the second of the version Greenhouse → Beamery last read', false],
  ])('takes a Beamery write for an echo only when it was the one change Greenhouse → Beamery had not seen: a rename %s', async (_when, clockMoves) => {
    const contact = await sourcedContact();
    const { candidateId } = (await reconcileContact(trigger(contact.id, true), deps)) as { candidateId: number };
    if (clockMoves) later();
    await reconcileCandidate(h.trigger(candidateId), h.deps);
    // A recruiter renames the candidate; before its webhook is handled, a Beamery edit is written over it.
    if (clockMoves) later();
    await deps.greenhouse.updateCandidate(candidateId, { last_name: 'Renamed' });
    await beameryAdmin('PATCH', `/contacts/${contact.id}`, { experience: [{ organisationName: 'Kestrel Labs', role: 'Staff Data Engineer', current: true }] });
    expect(await reconcileContact(trigger(contact.id), deps)).toMatchObject({ outcome: 'updated', groupsWritten: ['role'] });
    // The rename's update_candidate: the candidate is as the Beamery write left it, but that state holds the rename.
    later();
    expect(await reconcileCandidate({ ...h.trigger(candidateId), action: 'update_candidate' }, h.deps)).not.toMatchObject({ outcome: 'echo' });
    expect((await beamery.getContact(contact.id))?.lastName).toBe('Renamed');
  });

  it('takes a Beamery write for an echo when Greenhouse held nothing unsynced, also for the next write before the echo is read', async () => {
    const contact = await sourcedContact();
    const { candidateId } = (await reconcileContact(trigger(contact.id, true), deps)) as { candidateId: number };
    later();
    await reconcileCandidate(h.trigger(candidateId), h.deps);
    for (const title of ['Staff Data Engineer', 'Principal Data Engineer']) {
      later();
      await beameryAdmin('PATCH', `/contacts/${contact.id}`, { experience: [{ organisationName: 'Kestrel Labs', role: title, current: true }] });
      expect(await reconcileContact(trigger(contact.id), deps)).toMatchObject({ outcome: 'updated', groupsWritten: ['role'] });
    }
    later();
    // What may concern more than the candidate's fields is read in full, though the fingerprint matches:
    // the poller's note or application finding, an operator's reconcile, a backfill.
    for (const trigger of [
      { ...h.trigger(candidateId), origin: 'poll' as const, action: 'candidate_records_changed' },
      { ...h.trigger(candidateId), origin: 'backfill' as const, action: 'update_candidate' },
    ]) {
      expect(await reconcileCandidate(trigger, h.deps)).not.toMatchObject({ outcome: 'echo' });
    }
    expect(await reconcileCandidate({ ...h.trigger(candidateId), action: 'update_candidate' }, h.deps)).toEqual({ outcome: 'echo' });
  });

  it('resolves an edit of the same field on both sides with Greenhouse winning, and records the conflict', async () => {
    const contact = await sourcedContact();
    const { candidateId } = (await reconcileContact(trigger(contact.id, true), deps)) as { candidateId: number };
    later();
    await deps.greenhouse.updateCandidate(candidateId, { title: 'Head of Data' });
    await beameryAdmin('PATCH', `/contacts/${contact.id}`, { experience: [{ organisationName: 'Kestrel Labs', role: 'Principal Engineer', current: true }] });

    expect(await reconcileContact(trigger(contact.id), deps)).toMatchObject({ outcome: 'unchanged', conflicts: ['role'] });
    expect((await deps.greenhouse.getCandidate(candidateId))?.title).toBe('Head of Data');
    const [conflict] = (await h.audit.list(entityKey('greenhouse', 'candidate', candidateId))).filter((e) => e.kind === 'sync-conflict');
    expect(conflict?.detail).toMatchObject({ groups: 'role', direction: 'beamery-to-greenhouse' });

    // Greenhouse's own change then reaches Beamery: both sides end on Greenhouse's value.
    later();
    await reconcileCandidate(h.trigger(candidateId), h.deps);
    expect((await beamery.getContact(contact.id))?.currentRole?.title).toBe('Head of Data');
    later();
    expect(await reconcileContact(trigger(contact.id), deps)).toMatchObject({ outcome: 'unchanged', conflicts: [] });
  });

  it('copies Beamery notes once each, public as public and private as private', async () => {
    const contact = await sourcedContact();
    const { candidateId } = (await reconcileContact(trigger(contact.id, true), deps)) as { candidateId: number };
    await beamery.createNote(contact.id, { text: 'Met at PyData, strong on Spark', isPrivate: false });
    await beamery.createNote(contact.id, { text: 'Salary expectations: see call notes', isPrivate: true });
    later();
    expect(await reconcileContact(trigger(contact.id), deps)).toMatchObject({ notesCopied: 2 });
    later();
    expect(await reconcileContact(trigger(contact.id), deps)).toMatchObject({ notesCopied: 0 });
    const notes = await collect(h.greenhouse.client().listNotes({ candidate_ids: [candidateId] }));
    expect(notes.map((n) => [n.body, n.visibility]).sort()).toEqual([
      ['Met at PyData, strong on Spark', 'publicly_visible'],
      ['Salary expectations: see call notes', 'privately_visible'],
    ]);
    // Greenhouse → Beamery does not send them back (it writes the Greenhouse id and URL, new to the contact).
    later();
    expect(await reconcileCandidate(h.trigger(candidateId), h.deps)).toMatchObject({ notesCopied: 0 });
    const beameryNotes = await beamery.listNotesSince(contact.id);
    expect(beameryNotes !== 'unsupported' && beameryNotes.length).toBe(2);
  });

  it('anonymizes the Greenhouse candidate when Beamery anonymizes the contact (bidirectional), and stops updates', async () => {
    const contact = await sourcedContact();
    const { candidateId } = (await reconcileContact(trigger(contact.id, true), deps)) as { candidateId: number };
    expect(await beamery.anonymizeContact(contact.id)).toBe('done');
    later();
    expect(await reconcileContact(trigger(contact.id), deps)).toMatchObject({ outcome: 'anonymized', candidateId });
    const candidate = await deps.greenhouse.getCandidate(candidateId);
    expect(candidate?.email_addresses ?? []).toEqual([]);
    expect((await h.idMap.byGreenhouse(entityKey('greenhouse', 'candidate', candidateId)))?.status).toBe('anonymized');
    // Greenhouse → Beamery no longer writes to the contact.
    later();
    expect(await reconcileCandidate(h.trigger(candidateId), h.deps)).toMatchObject({ outcome: 'skipped', reason: 'link-anonymized' });
  });

  it('keeps a person anonymized in Beamery out of Greenhouse until a Beamery contact shows consent dated after the anonymization', async () => {
    const contact = await sourcedContact();
    await reconcileContact(trigger(contact.id, true), deps);
    expect(await beamery.anonymizeContact(contact.id)).toBe('done');
    later();
    await reconcileContact(trigger(contact.id), deps);
    const anonymizedAt = h.greenhouse.clock.now();

    // The person comes back as a new Beamery contact: consent from before the anonymization does not count.
    later();
    const again = await sourcedContact({ consentStatus: true, lastConsentDate: new Date(anonymizedAt - 86_400_000).toISOString() });
    expect(await reconcileContact(trigger(again.id, true), deps)).toEqual({ outcome: 'skipped', reason: 'anonymized-until-consent' });
    // Nor does a refusal, whatever its date.
    later();
    await beameryAdmin('PATCH', `/contacts/${again.id}`, { consentStatus: false, lastConsentDate: new Date(anonymizedAt + 60_000).toISOString() });
    expect(await reconcileContact(trigger(again.id, true), deps)).toEqual({ outcome: 'skipped', reason: 'anonymized-until-consent' });

    later();
    await beameryAdmin('PATCH', `/contacts/${again.id}`, { consentStatus: true });
    expect(await reconcileContact(trigger(again.id, true), deps)).toMatchObject({ outcome: 'created' });
  });

  it('in greenhouse-authoritative mode leaves the Greenhouse candidate alone, but still stops updates to the contact', async () => {
    const authoritative = { ...deps, options: { ...deps.options, anonymization: { ...deps.options.anonymization, mode: 'greenhouse-authoritative' as const } } };
    const contact = await sourcedContact();
    const { candidateId } = (await reconcileContact(trigger(contact.id, true), authoritative)) as { candidateId: number };
    expect(await beamery.anonymizeContact(contact.id)).toBe('done');
    later();
    const writes = greenhouseWrites();
    expect(await reconcileContact(trigger(contact.id), authoritative)).toMatchObject({ outcome: 'anonymized' });
    expect(greenhouseWrites()).toBe(writes);
    expect((await deps.greenhouse.getCandidate(candidateId))?.first_name).toBe('Noor');
    expect((await h.idMap.byGreenhouse(entityKey('greenhouse', 'candidate', candidateId)))?.status).toBe('anonymized');
  });

  it('merges the two Greenhouse candidates when Beamery merges two linked contacts, and moves the IdMap', async () => {
    const winner = await sourcedContact();
    const loser = await sourcedContact({ firstName: 'Noor', lastName: 'Vale-Duplicate', primaryEmail: 'nv@example.test', emails: ['nv@example.test'] });
    const a = (await reconcileContact(trigger(winner.id, true), deps)) as { candidateId: number };
    const b = (await reconcileContact(trigger(loser.id, true), deps)) as { candidateId: number };
    expect(a.candidateId).not.toBe(b.candidateId);
    expect(await beamery.mergeContacts(winner.id, loser.id)).toBe('done');
    later();
    expect(await reconcileContact(trigger(loser.id), deps)).toMatchObject({ outcome: 'merged', candidateId: a.candidateId });
    expect(await deps.greenhouse.getCandidate(b.candidateId)).toBeUndefined();
    expect(await h.idMap.byGreenhouse(entityKey('greenhouse', 'candidate', b.candidateId))).toMatchObject({
      status: 'merged-into',
      mergedInto: entityKey('greenhouse', 'candidate', a.candidateId),
    });
    // A replay finds nothing left to do.
    later();
    expect(await reconcileContact(trigger(loser.id), deps)).toMatchObject({ outcome: 'skipped' });
    expect(await h.ledger.getSyncState(pairStateKey(winner.id))).toBeDefined();
  });
});
