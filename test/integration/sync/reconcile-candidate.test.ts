import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconcileCandidate } from '#core/sync/reconcile-candidate';
import { identityHash } from '#core/identity-hash';
import { collect } from '#adapters/greenhouse/client';
import { IDENTITY_KEY, startSyncHarness, type SyncHarness } from './candidate-harness.ts';
import { clientFor } from '../beamery/harness.ts';

/** Greenhouse → Beamery contact sync, rule by rule, through both simulators' APIs. */
describe('reconcile a Greenhouse candidate into a Beamery contact', () => {
  let h: SyncHarness;
  beforeEach(async () => {
    h = await startSyncHarness();
  });
  afterEach(async () => h.close());

  const contactOf = (id: string) => h.beamery.state.contacts.get(id)!;
  const later = async () => h.greenhouse.clock.advance(1_000);

  it('creates a contact with the mapped fields, the Greenhouse id and the link', async () => {
    const result = await reconcileCandidate(h.trigger(901), h.deps);
    expect(result.outcome).toBe('created');
    if (result.outcome !== 'created') return;
    const contact = contactOf(result.contactId);
    expect(contact).toMatchObject({ firstName: 'Lena', lastName: 'Marsh' });
    expect(JSON.stringify(contact)).toContain('lena.marsh@example.test');
    expect(JSON.stringify(contact)).toContain('901');
    expect(await h.idMap.byGreenhouse('greenhouse#candidate#901')).toMatchObject({ beameryKey: `beamery#contact#${result.contactId}`, status: 'active' });
  });

  it('writes nothing when nothing changed (a duplicate or replayed message)', async () => {
    await reconcileCandidate(h.trigger(901), h.deps);
    await later();
    const writes = h.beameryWrites();
    const result = await reconcileCandidate(h.trigger(901), h.deps);
    expect(result.outcome).toBe('unchanged');
    expect(h.beameryWrites()).toBe(writes);
  });

  it('acknowledges a message observed before the last reconcile with zero API calls (a prospect: nothing pending)', async () => {
    const early = h.trigger(904);
    await later();
    await reconcileCandidate(h.trigger(904), h.deps);
    const reads = h.greenhouseReads();
    const writes = h.beameryWrites();
    expect(await reconcileCandidate(early, h.deps)).toEqual({ outcome: 'covered' });
    expect(h.greenhouseReads()).toBe(reads);
    expect(h.beameryWrites()).toBe(writes);
  });

  it('writes only the field group that changed in Greenhouse', async () => {
    await reconcileCandidate(h.trigger(901), h.deps);
    await h.greenhouse.admin('PATCH', '/candidates/901', { title: 'Staff Engineer' });
    await later();
    const result = await reconcileCandidate(h.trigger(901), h.deps);
    expect(result).toMatchObject({ outcome: 'updated', groupsWritten: ['role'] });
  });

  it('links and updates the one Beamery contact with that email and no Greenhouse id (the one auto-merge)', async () => {
    const seeded = await h.beamery.app.inject({ method: 'POST', url: '/_admin/contacts', payload: { firstName: 'L', lastName: 'M', primaryEmail: 'lena.marsh@example.test', emails: ['lena.marsh@example.test'] } });
    const existingId = seeded.json().id as string;
    const result = await reconcileCandidate(h.trigger(901), h.deps);
    expect(result).toMatchObject({ outcome: 'linked', contactId: existingId });
    expect(contactOf(existingId)).toMatchObject({ firstName: 'Lena' });
  });

  it('creates a new contact when the email belongs to a contact of another Greenhouse candidate', async () => {
    const first = await reconcileCandidate(h.trigger(901), h.deps);
    // A Greenhouse duplicate of the same person (same email, another candidate id).
    const created = await h.greenhouse.admin<{ candidate: { id: number } }>('POST', '/candidates', {
      first_name: 'Lena',
      last_name: 'Marsh',
      email_addresses: [{ value: 'lena.marsh@example.test', type: 'personal' }],
    });
    const duplicate = await reconcileCandidate(h.trigger(created.candidate.id), h.deps);
    expect(duplicate.outcome).toBe('created');
    expect(duplicate.outcome === 'created' && first.outcome === 'created' && duplicate.contactId).not.toBe(first.outcome === 'created' && first.contactId);
  });

  describe('a crash between creating a contact and storing its link (a candidate without an email)', () => {
    const contactsCarrying = async (candidateId: number) => {
      const found = [];
      for await (const contact of clientFor(h.beamery).contactsUpdatedSince('2000-01-01T00:00:00.000Z')) if (contact.greenhouseCandidateId === String(candidateId)) found.push(contact.id);
      return found;
    };
    const candidateWithoutEmail = async () =>
      (await h.greenhouse.admin<{ candidate: { id: number } }>('POST', '/candidates', { first_name: 'Noor', last_name: 'Haddad', title: 'Welder' })).candidate.id;
    /** The deps of an invocation that dies right after Beamery answered the create: the link is never stored. */
    const crashingBeforeTheLink = () => ({
      ...h.deps,
      idMap: Object.assign(Object.create(h.deps.idMap) as typeof h.deps.idMap, {
        put: async () => {
          throw new Error('the invocation ended before the link was stored');
        },
      }),
    });

    it('links the contact the interrupted attempt made instead of creating a second one', async () => {
      const id = await candidateWithoutEmail();
      await expect(reconcileCandidate(h.trigger(id), crashingBeforeTheLink())).rejects.toThrow('before the link was stored');
      const made = await contactsCarrying(id);
      expect(made).toHaveLength(1);
      await later();
      const retry = await reconcileCandidate(h.trigger(id), h.deps);
      expect(await contactsCarrying(id)).toEqual(made);
      expect(retry).toMatchObject({ outcome: 'linked', contactId: made[0] });
      expect(await h.idMap.byGreenhouse(`greenhouse#candidate#${id}`)).toMatchObject({ beameryKey: `beamery#contact#${made[0]}`, status: 'active' });
    });

    it('creates the contact when the interrupted attempt never reached Beamery, and lists no contacts on an uninterrupted create', async () => {
      const listings = () => h.beamery.requests.snapshot()['GET /v1/contacts']?.total ?? 0;
      const id = await candidateWithoutEmail();
      const failing = { ...h.deps, beamery: Object.assign(Object.create(h.deps.beamery) as typeof h.deps.beamery, { createContact: async () => { throw new Error('the invocation ended before the create was sent'); } }) };
      await expect(reconcileCandidate(h.trigger(id), failing)).rejects.toThrow('before the create was sent');
      await later();
      expect(await reconcileCandidate(h.trigger(id), h.deps)).toMatchObject({ outcome: 'created' });
      expect(await contactsCarrying(id)).toHaveLength(1);
      const before = listings();
      expect(before, 'the listing is counted under this route').toBeGreaterThan(0);
      const other = await candidateWithoutEmail();
      expect(await reconcileCandidate(h.trigger(other), h.deps)).toMatchObject({ outcome: 'created' });
      expect(listings()).toBe(before);
    });
  });

  it('does not create a candidate private at first sight', async () => {
    const writes = h.beameryWrites();
    expect(await reconcileCandidate(h.trigger(905), h.deps)).toEqual({ outcome: 'skipped', reason: 'private-at-first-sight' });
    expect(h.beameryWrites()).toBe(writes);
    expect((await h.audit.list('greenhouse#candidate#905'))[0]).toMatchObject({ kind: 'sync-skipped' });
  });

  it('stops updates once a linked candidate becomes private', async () => {
    await reconcileCandidate(h.trigger(901), h.deps);
    await h.greenhouse.admin('PATCH', '/candidates/901', { is_private: true, title: 'Secret Title' });
    await later();
    expect(await reconcileCandidate(h.trigger(901), h.deps)).toEqual({ outcome: 'skipped', reason: 'private-updates-blocked' });
  });

  it('copies notes and attachments once each', async () => {
    const noteReads = () => h.beamery.requests.snapshot()['GET /v1/contact/:id/notes']?.total ?? 0;
    const first = await reconcileCandidate(h.trigger(901), h.deps);
    expect(first).toMatchObject({ outcome: 'created', attachmentsCopied: 1 });
    expect(first.outcome === 'created' && first.notesCopied).toBeGreaterThan(0);
    // A contact just created holds no copies yet: its notes are not read.
    expect(noteReads()).toBe(0);
    await h.greenhouse.client().createNote({ candidate_id: 901, body: 'Second call went well.', visibility: 'public' });
    await later();
    expect(await reconcileCandidate(h.trigger(901), h.deps)).toMatchObject({ outcome: 'unchanged', notesCopied: 1 });
    expect(noteReads()).toBe(1);
    await h.greenhouse.admin('PATCH', '/candidates/901', { title: 'Principal Engineer' });
    await later();
    const second = await reconcileCandidate(h.trigger(901), h.deps);
    expect(second).toMatchObject({ outcome: 'updated', notesCopied: 0, attachmentsCopied: 0 });
  });

  it('does not re-create an anonymized person who comes back with the same email until consent', async () => {
    await h.ledger.recordAnonymized(identityHash('lena.marsh@example.test', IDENTITY_KEY), '2026-01-01T00:00:00.000Z');
    expect(await reconcileCandidate(h.trigger(901), h.deps)).toEqual({ outcome: 'skipped', reason: 'anonymized-until-consent' });
    await h.ledger.recordConsent(identityHash('lena.marsh@example.test', IDENTITY_KEY), '2026-02-01T00:00:00.000Z');
    await later();
    expect((await reconcileCandidate(h.trigger(901), h.deps)).outcome).toBe('created');
  });

  it('names the jobs that have no vacancy yet, and puts the contact on the vacancy once its job is linked', async () => {
    const early = h.trigger(901);
    await later();
    const first = await reconcileCandidate(h.trigger(901), h.deps);
    expect(first.outcome === 'created' && first.unlinkedJobIds).toEqual([801]);
    // Not complete while its job has no vacancy: an earlier message is not covered by this reconcile.
    expect((await reconcileCandidate(early, h.deps)).outcome).not.toBe('covered');
    // The job's vacancy, with the job's interview stages, as the job sync creates it.
    const stages = await collect(h.greenhouse.client().listJobInterviewStages([801]));
    const vacancy = await clientFor(h.beamery).createVacancy({ title: 'Senior Backend Engineer', greenhouseJobId: '801', stages: stages.map((s, order) => ({ name: s.name!, order })) });
    await h.idMap.put({ greenhouseKey: 'greenhouse#job#801', beameryKey: `beamery#vacancy#${vacancy.id}`, status: 'active', updatedAt: new Date().toISOString() });
    await later();
    const second = await reconcileCandidate(h.trigger(901), h.deps);
    expect(second).toMatchObject({ outcome: 'updated', groupsWritten: ['applications'], unlinkedJobIds: [] });
  });

  it('creates a prospect (no job) as a contact on no vacancy', async () => {
    const result = await reconcileCandidate(h.trigger(904), h.deps);
    expect(result).toMatchObject({ outcome: 'created', unlinkedJobIds: [] });
    if (result.outcome !== 'created') return;
    expect([...h.beamery.state.memberships.values()].filter((m) => m.contactId === result.contactId)).toEqual([]);
  });

  it('leaves out a candidate whose only applications are on confidential jobs, when configured', async () => {
    await h.greenhouse.admin('PATCH', '/jobs/801', { confidential: true });
    const deps = { ...h.deps, options: { ...h.deps.options, excludeConfidentialJobs: true } };
    const writes = h.beameryWrites();
    expect(await reconcileCandidate(h.trigger(901), deps)).toEqual({ outcome: 'skipped', reason: 'only-confidential-applications' });
    expect(h.beameryWrites()).toBe(writes);
    // The seed's default imports them as ordinary contacts.
    expect((await reconcileCandidate(h.trigger(901), h.deps)).outcome).toBe('created');
  });
});
