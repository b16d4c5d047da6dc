import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GreenhouseEventEnvelope } from '#core/envelope';
import { identityHash } from '#core/identity-hash';
import { reconcileCandidate } from '#core/sync/reconcile-candidate';
import { handleCandidateLifecycle, type LifecycleDependencies, type LifecycleOptions } from '#core/sync/candidate-lifecycle';
import type { BeameryClient } from '#adapters/beamery/client';
import { IDENTITY_KEY, startSyncHarness, type SyncHarness } from './candidate-harness.ts';
import { clientFor } from '../beamery/harness.ts';

/**
 * Greenhouse merges, anonymizations and deletions applied to Beamery, through both simulators' APIs.
 * The linked contacts are made by the candidate reconciler first; the lifecycle envelopes are built
 * here with the webhook payloads' shapes (local/simulators/greenhouse/webhooks/payloads.ts).
 */
describe('candidate lifecycle: merge, anonymize, delete', () => {
  let h: SyncHarness;
  // The harness's client is typed for the reconciler; the lifecycle needs get, merge and anonymize too.
  let beamery: BeameryClient;
  beforeEach(async () => {
    h = await startSyncHarness();
    beamery = clientFor(h.beamery);
  });
  afterEach(async () => h.close());

  const key = (id: number) => `greenhouse#candidate#${id}`;
  const contactOf = (id: string) => h.beamery.state.contacts.get(id)!;
  // Greenhouse's tags are the contact's profile tags; the bridge's own (merge, deletion) are global tags.
  const tagLabels = (id: string) => [...contactOf(id).tags, ...contactOf(id).globalTags.map((t) => t.value)];
  const later = async () => h.greenhouse.clock.advance(1_000);

  const deps = (options: Partial<LifecycleOptions> = {}): LifecycleDependencies => ({
    beamery,
    idMap: h.idMap,
    ledger: h.ledger,
    audit: h.audit,
    clock: h.greenhouse.clock,
    options: { identityKey: IDENTITY_KEY, anonymization: { mode: 'bidirectional' }, ...options },
  });

  const envelope = (action: string, subjectId: number, payload: Record<string, unknown>, refs: GreenhouseEventEnvelope['refs']): GreenhouseEventEnvelope => ({
    v: 1,
    kind: 'greenhouse.event',
    entityKey: key(subjectId),
    origin: 'webhook',
    observedAt: new Date(h.greenhouse.clock.now()).toISOString(),
    deliveryId: randomUUID(),
    action,
    refs,
    payload,
  });
  const person = (id: number) => ({ id, first_name: 'Anon', last_name: 'Person', company: null, title: null, created_at: '2026-01-05T09:00:00.000Z', headline: null, is_private: false });
  // Grouped by the winner, as the router does (lambdas/core/webhooks/catalogue.ts).
  const mergeEvent = (loser: number, winner: number) =>
    envelope('merge_candidate', winner, { person: { ...person(loser), new_candidate_id: winner } }, { candidateId: String(loser), winnerCandidateId: String(winner) });
  const anonymizedEvent = (id: number, fields: string[]) => envelope('candidate_anonymized', id, { candidate_id: id, anonymized_fields: fields }, { candidateId: String(id) });
  const deleteEvent = (id: number) => envelope('delete_candidate', id, { person: { ...person(id), deleted_application_ids: [] } }, { candidateId: String(id) });

  async function linked(candidateId: number): Promise<string> {
    const result = await reconcileCandidate(h.trigger(candidateId), h.deps);
    if (result.outcome !== 'created') throw new Error(`candidate ${candidateId} not created: ${JSON.stringify(result)}`);
    return result.contactId;
  }
  async function newGreenhouseCandidate(email: string): Promise<number> {
    const created = await h.greenhouse.admin<{ candidate: { id: number } }>('POST', '/candidates', {
      first_name: 'Lena',
      last_name: 'Marsh',
      email_addresses: [{ value: email, type: 'personal' }],
    });
    return created.candidate.id;
  }
  async function capabilities(settings: { merge?: boolean; anonymize?: boolean }): Promise<void> {
    const response = await h.beamery.app.inject({ method: 'PUT', url: '/_admin/capabilities', payload: settings });
    expect(response.statusCode).toBe(200);
  }
  /** Runs the event again and checks that nothing at all was written. */
  async function expectReplayWritesNothing(event: GreenhouseEventEnvelope, options: Partial<LifecycleOptions> = {}): Promise<void> {
    const writes = h.beameryWrites();
    const links = JSON.stringify([...(await Promise.all([901, 902].map((id) => h.idMap.byGreenhouse(key(id)))))]);
    const audits = (await h.audit.list(event.entityKey)).length + (event.refs.candidateId ? (await h.audit.list(key(Number(event.refs.candidateId)))).length : 0);
    expect(await handleCandidateLifecycle(event, deps(options))).toMatchObject({ outcome: 'unchanged' });
    expect(h.beameryWrites()).toBe(writes);
    expect(JSON.stringify([...(await Promise.all([901, 902].map((id) => h.idMap.byGreenhouse(key(id)))))])).toBe(links);
    expect((await h.audit.list(event.entityKey)).length + (event.refs.candidateId ? (await h.audit.list(key(Number(event.refs.candidateId)))).length : 0)).toBe(audits);
  }

  describe('merge', () => {
    it('moves the link of a linked loser to an unlinked winner, whose next reconcile updates that contact', async () => {
      const contactId = await linked(901);
      const winner = await newGreenhouseCandidate('lena.new@example.test');
      const event = mergeEvent(901, winner);

      const result = await handleCandidateLifecycle(event, deps());
      expect(result).toEqual({ outcome: 'merged', action: 'merge_candidate', loserKey: key(901), winnerKey: key(winner), contactId, beamery: 'link-moved' });
      expect(await h.idMap.byGreenhouse(key(901))).toMatchObject({ status: 'merged-into', mergedInto: key(winner), beameryKey: `beamery#contact#${contactId}` });
      expect(await h.idMap.byGreenhouse(key(winner))).toMatchObject({ status: 'active', beameryKey: `beamery#contact#${contactId}` });
      expect(contactOf(contactId).mergedIn).toBeUndefined();

      await expectReplayWritesNothing(event);
      await later();
      expect(await reconcileCandidate(h.trigger(winner), h.deps)).toMatchObject({ outcome: 'updated', contactId });
    });

    it('merges two linked contacts in Beamery, the winner’s as primary', async () => {
      const winnerContact = await linked(901);
      const loserContact = await linked(902);
      const event = mergeEvent(902, 901);

      const result = await handleCandidateLifecycle(event, deps());
      expect(result).toMatchObject({ outcome: 'merged', contactId: winnerContact, beamery: 'contacts-merged' });
      expect(contactOf(loserContact).mergedIn).toBe(winnerContact);
      expect(contactOf(winnerContact).mergedWith).toContain(loserContact);
      // Nothing deleted: the loser's contact is still there, its address folded into the winner's.
      expect(h.beamery.state.contacts.has(loserContact)).toBe(true);
      expect(contactOf(winnerContact).emails.map((e) => e.value)).toContain('omar.quill@example.test');
      expect(await h.idMap.byGreenhouse(key(902))).toMatchObject({ status: 'merged-into', mergedInto: key(901), beameryKey: `beamery#contact#${loserContact}` });
      expect(await h.idMap.byGreenhouse(key(901))).toMatchObject({ status: 'active', beameryKey: `beamery#contact#${winnerContact}` });

      await expectReplayWritesNothing(event);
      await later();
      expect(await reconcileCandidate(h.trigger(902), h.deps)).toEqual({ outcome: 'skipped', reason: 'link-merged-into' });
    });

    it('tags the loser’s contact (keeping its tags) and raises an operator task where Beamery cannot merge', async () => {
      await capabilities({ merge: false });
      const winnerContact = await linked(901);
      const loserContact = await linked(902);
      const event = mergeEvent(902, 901);

      const result = await handleCandidateLifecycle(event, deps());
      expect(result).toMatchObject({ outcome: 'merged', contactId: winnerContact, beamery: 'operator-task' });
      expect(contactOf(loserContact).mergedIn).toBeUndefined();
      expect(tagLabels(loserContact)).toEqual(['Referral', 'Merged in Greenhouse']);
      expect(await h.idMap.byGreenhouse(key(902))).toMatchObject({ status: 'merged-into', mergedInto: key(901) });

      const [task] = await h.audit.list(key(902));
      expect(task).toMatchObject({ kind: 'operator-task', detail: { reason: 'merge-unsupported', loserContactId: loserContact, winnerContactId: winnerContact } });
      // Ids only: no names or addresses in Audit.
      expect(JSON.stringify(task)).not.toMatch(/@|Omar|Quill|Lena|Marsh/);

      await expectReplayWritesNothing(event);
    });
  });

  describe('anonymization', () => {
    it('anonymizes the contact through the API, records the person’s addresses as identity hashes and marks the link', async () => {
      const contactId = await linked(901);
      const event = anonymizedEvent(901, ['full_name', 'emails', 'phone_numbers']);

      const result = await handleCandidateLifecycle(event, deps({ anonymization: { mode: 'greenhouse-authoritative' } }));
      expect(result).toMatchObject({ outcome: 'anonymized', contactId, beamery: 'anonymized', mode: 'greenhouse-authoritative', identitiesRecorded: 2, notBlanked: [] });
      expect(contactOf(contactId).anonymized).toBe(true);
      expect(h.beamery.state.contacts.has(contactId)).toBe(true);
      expect(await h.idMap.byGreenhouse(key(901))).toMatchObject({ status: 'anonymized' });
      for (const email of ['lena.marsh@example.test', 'lena@quillfeather.example.test']) {
        expect(await h.ledger.isBlockedAsAnonymized(identityHash(email, IDENTITY_KEY))).toBe(true);
      }

      await expectReplayWritesNothing(event);
    });

    it('blanks the mapped fields with an update where the API cannot anonymize, and names the rest in an operator task', async () => {
      await capabilities({ anonymize: false });
      const contactId = await linked(901);
      await h.beamery.app.inject({ method: 'PATCH', url: `/_admin/contacts/${contactId}`, payload: { location: { city: 'Berlin', country: 'Germany' } } });
      const event = anonymizedEvent(901, ['full_name', 'current_title', 'tags', 'addresses', 'emails', 'phone_numbers', 'notes', 'source']);

      const result = await handleCandidateLifecycle(event, deps());
      expect(result).toMatchObject({ outcome: 'anonymized', contactId, beamery: 'fields-blanked', identitiesRecorded: 2, notBlanked: ['emails', 'notes', 'phone_numbers'] });
      const contact = contactOf(contactId);
      expect(contact.firstName || undefined).toBeUndefined();
      expect(contact.lastName || undefined).toBeUndefined();
      expect(contact.fullName).toBeUndefined();
      expect(contact.tags).toEqual([]);
      expect(contact.location ?? {}).toEqual({});
      // current_title only: the role keeps its company.
      expect(contact.experience).toEqual([expect.objectContaining({ organisationName: 'Quillfeather Systems', current: true })]);
      expect(contact.experience[0]?.['role']).toBeUndefined();
      expect(await h.idMap.byGreenhouse(key(901))).toMatchObject({ status: 'anonymized' });
      const [task] = await h.audit.list(key(901));
      expect(task).toMatchObject({ kind: 'operator-task', detail: { reason: 'anonymize-unsupported', contactId, notBlanked: 'emails,notes,phone_numbers' } });
      expect(JSON.stringify(task)).not.toMatch(/@|Lena|Marsh/);

      await expectReplayWritesNothing(event);
    });

    it('keeps an anonymized person out until consent: a re-added candidate with the same email and the old one are both skipped', async () => {
      await linked(901);
      await handleCandidateLifecycle(anonymizedEvent(901, ['full_name', 'emails']), deps());
      await later();

      const readded = await newGreenhouseCandidate('lena.marsh@example.test');
      const writes = h.beameryWrites();
      expect(await reconcileCandidate(h.trigger(readded), h.deps)).toEqual({ outcome: 'skipped', reason: 'anonymized-until-consent' });
      expect(await reconcileCandidate(h.trigger(901), h.deps)).toEqual({ outcome: 'skipped', reason: 'link-anonymized' });
      expect(h.beameryWrites()).toBe(writes);
    });
  });

  describe('deletion', () => {
    it('marks the link deleted and keeps the contact, tagged, with its existing tags', async () => {
      const contactId = await linked(901);
      const before = tagLabels(contactId);
      expect(before).toEqual(['Beamery', 'Python']);
      const event = deleteEvent(901);

      const result = await handleCandidateLifecycle(event, deps());
      expect(result).toEqual({ outcome: 'deleted', action: 'delete_candidate', candidateKey: key(901), contactId, tag: 'added' });
      expect(h.beamery.state.contacts.has(contactId)).toBe(true);
      expect(tagLabels(contactId)).toEqual([...before, 'Deleted in Greenhouse']);
      expect(contactOf(contactId)).toMatchObject({ firstName: 'Lena', lastName: 'Marsh' });
      expect(await h.idMap.byGreenhouse(key(901))).toMatchObject({ status: 'deleted', beameryKey: `beamery#contact#${contactId}` });

      await expectReplayWritesNothing(event);
      await later();
      expect(await reconcileCandidate(h.trigger(901), h.deps)).toEqual({ outcome: 'skipped', reason: 'link-deleted' });
    });

    it('writes nothing to Beamery with tagging off, and only an Audit skip for a candidate never linked', async () => {
      const contactId = await linked(901);
      const writes = h.beameryWrites();
      expect(await handleCandidateLifecycle(deleteEvent(901), deps({ deletionTag: false }))).toMatchObject({ outcome: 'deleted', tag: 'disabled' });
      expect(h.beameryWrites()).toBe(writes);
      expect(tagLabels(contactId)).toEqual(['Beamery', 'Python']);

      expect(await handleCandidateLifecycle(deleteEvent(903), deps())).toEqual({ outcome: 'skipped', action: 'delete_candidate', candidateKey: key(903), reason: 'not-linked' });
      expect(h.beameryWrites()).toBe(writes);
      expect((await h.audit.list(key(903)))[0]).toMatchObject({ kind: 'sync-skipped', detail: { reason: 'not-linked' } });
    });
  });
});
