import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '#lambdas/config';
import { beameryClientFrom } from '#wiring/api-clients';
import type { Note } from '#core/greenhouse/records';
import type { DynamoDbIdMap } from '#adapters/store/id-map';
import { AI_NOTE_PREFIX } from '#core/ai/ai-notes';
import { mapNote } from '#core/mapping/notes';
import type { LocalStack } from '#local/stack';
import { STRICT_API_CONTRACT } from '#local/simulators/greenhouse/api-contract';
import { startE2eStack, type E2eStack } from '../support/e2e-stack.ts';
import { SEED_WAIT_MS, seedScenarios, type StoredContact } from '../support/seed-e2e.ts';
import { eventually } from '../support/queues.ts';

/**
 * The seed's rules on deletions, notes and rejection reasons, end to end on the local stack, with the
 * Greenhouse simulator on its strict contract (STRICT_API_CONTRACT: rejection reasons only on
 * rejection_details, bearer-only attachment links, form-encoded Basic credentials, ...). Changes are
 * made in the simulators, the real ingest handler, queues, consumers and the scheduled poller carry
 * them, and the assertions read the Beamery simulator and the IdMap.
 */
const SECRET = 'seed-deletions-notes-secret';
const WAIT = SEED_WAIT_MS;
const AUTHOR = { id: 302, name: 'Mira Kestrel' } as const;

describe('the seed document’s deletion, note and rejection rules, end to end on the local stack (strict Greenhouse)', () => {
  let e2e: E2eStack;
  let stack: LocalStack;
  let idMap: DynamoDbIdMap;

  beforeAll(async () => {
    e2e = await startE2eStack({
      webhookSecret: SECRET,
      pollIntervalMs: 0,
      greenhouseRateLimit: 50_000,
      saas: { greenhouse: { kind: 'simulator', port: 0 }, beamery: { kind: 'simulator', port: 0 }, variants: { greenhouse: STRICT_API_CONTRACT } },
    });
    ({ stack, idMap } = e2e);
    scenario = seedScenarios(e2e, { webhookSecret: SECRET, emailDomain: 'seed-deletions.example.test' });
  }, 120_000);
  afterAll(async () => {
    await e2e?.stop();
  });

  let scenario: ReturnType<typeof seedScenarios>;

  describe('hard deletes that no webhook announced', () => {
    it('a candidate and a job deleted with webhooks off are found by the deletions poller: the links become deleted, the contact is tagged, the vacancy closed', async () => {
      const job = await scenario.greenhouse<{ id: number }>('POST', '/jobs', { name: 'Sweep Engineer', stages: ['Application Review', 'Offer'] });
      const { candidateId } = await scenario.createCandidate('Dara', 'Sweep', job.id);
      const { candidateId: keptId } = await scenario.createCandidate('Kept', 'Sweep', job.id);
      const contactId = await scenario.linked(`greenhouse#candidate#${candidateId}`);
      const vacancyId = await scenario.linked(`greenhouse#job#${job.id}`);
      await scenario.linked(`greenhouse#candidate#${keptId}`);

      await scenario.withWebhooksOff(async () => {
        await scenario.greenhouse('DELETE', `/candidates/${candidateId}`);
        await scenario.greenhouse('PATCH', `/jobs/${job.id}`, { status: 'closed' });
        await scenario.greenhouse('DELETE', `/jobs/${job.id}`);
      });
      // The hourly pollers list what was updated; a deleted record is in no list.
      await stack.schedules.trigger('candidates', 'jobs');
      await scenario.settled();
      expect((await idMap.byGreenhouse(`greenhouse#candidate#${candidateId}`))?.status).toBe('active');

      const [outcome] = await stack.schedules.trigger('deletions');
      expect(outcome).toMatchObject({ ok: true, summary: { poller: 'deletions', candidatesDeleted: 1, jobsDeleted: 1, complete: true } });
      await scenario.settled();
      expect((await idMap.byGreenhouse(`greenhouse#candidate#${candidateId}`))?.status).toBe('deleted');
      expect((await idMap.byGreenhouse(`greenhouse#job#${job.id}`))?.status).toBe('deleted');
      expect((await idMap.byGreenhouse(`greenhouse#candidate#${keptId}`))?.status).toBe('active');
      const contact = await scenario.beamery<StoredContact>('GET', `/contacts/${contactId}`);
      expect(contact.globalTags.map((t) => t.value)).toContain('Deleted in Greenhouse');
      expect((await scenario.beameryState()).vacancies.find((v) => v.id === vacancyId)?.status).toBe('Closed');
    });
  });

  describe('notes are never lost', () => {
    it('a note whose copy reached Beamery before the run crashed (no copy mark) is not copied again on the retry', async () => {
      const { candidateId } = await scenario.createCandidate('Noor', 'Retry');
      const contactId = await scenario.linked(`greenhouse#candidate#${candidateId}`);
      await scenario.settled();
      await scenario.harvest('POST', '/v3/notes', { candidate_id: candidateId, body: 'Prefers remote; strong on Kafka.', visibility: 'public', user_id: AUTHOR.id });
      const [note] = (await scenario.harvest<Note[]>('GET', `/v3/notes?candidate_ids=${candidateId}`)).filter((n) => n.body === 'Prefers remote; strong on Kafka.');
      // What a run that wrote the copy and then crashed left behind: the note in Beamery, nothing in the Ledger.
      const created = await beameryClientFrom(readConfig(), { dynamodb: e2e.dynamodb }).createNote(contactId, mapNote(note!, { name: AUTHOR.name }));
      expect(created).not.toBe('unsupported');

      await scenario.reconcileAgain(candidateId, contactId);
      await scenario.reconcileAgain(candidateId, contactId);
      const notes = await scenario.notesOf(contactId);
      expect(notes.filter((n) => n.text.includes('Prefers remote; strong on Kafka.'))).toHaveLength(1);
    });
  });

  describe('the bridge’s own AI notes and admin-only notes are left out of the Beamery copy', () => {
    it('copies the recruiter’s note and leaves the AI note and the admin-only note in Greenhouse', async () => {
      const { candidateId } = await scenario.createCandidate('Ines', 'Private');
      const contactId = await scenario.linked(`greenhouse#candidate#${candidateId}`);
      await scenario.settled();
      await scenario.harvest('POST', '/v3/notes', { candidate_id: candidateId, body: 'Recruiter note: great call.', visibility: 'public', user_id: AUTHOR.id });
      await scenario.harvest('POST', '/v3/notes', { candidate_id: candidateId, body: `${AI_NOTE_PREFIX.screening}Sweep Engineer: 4/5`, visibility: 'private', user_id: AUTHOR.id });
      await scenario.harvest('POST', '/v3/notes', { candidate_id: candidateId, body: 'Salary history: admins only.', visibility: 'admin_only', user_id: AUTHOR.id });
      await scenario.reconcileAgain(candidateId, contactId);
      const texts = (await scenario.notesOf(contactId)).map((n) => n.text);
      expect(texts).toEqual([expect.stringContaining('Recruiter note: great call.')]);
    });
  });

  describe('rejection reasons come from rejection_details', () => {
    it('carries the rejection reason to the vacancy membership when applications do not carry rejection_reason_id', async () => {
      const { candidateId, applicationId } = await scenario.createCandidate('Ivo', 'Strict');
      const contactId = await scenario.linked(`greenhouse#candidate#${candidateId}`);
      await eventually(async () => ((await scenario.beameryState()).memberships.some((m) => m.contactId === contactId) ? true : undefined), WAIT, 'a membership');
      // 602 "Hired another candidate" (scenarios/greenhouse/default.json).
      await scenario.greenhouse('POST', `/applications/${applicationId}/reject`, { rejection_reason_id: 602 });
      await scenario.settled();
      const [membership] = (await scenario.beameryState()).memberships.filter((m) => m.contactId === contactId);
      expect(membership?.rejectionReason).toBe('Hired another candidate');
    });
  });
});
