import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '#lambdas/config';
import { beameryClientFrom } from '#adapters/api-clients';
import type { Note } from '#adapters/greenhouse/schemas';
import type { DynamoDbIdMap } from '#adapters/store/id-map';
import { AI_NOTE_PREFIX } from '#core/ai/ai-notes';
import { mapNote } from '#core/mapping/notes';
import type { LocalStack } from '#local/stack';
import { STRICT_API_CONTRACT } from '#local/simulators/greenhouse/api-contract';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '#local/simulators/greenhouse/server';
import { callJson } from '../support/http.ts';
import { startE2eStack, type E2eStack } from '../support/e2e-stack.ts';
import { eventually, untilQuiet } from '../support/queues.ts';

/**
 * Issue 13's rules on deletions, notes and rejection reasons, end to end on the local stack, with the
 * Greenhouse simulator on its strict contract (STRICT_API_CONTRACT: rejection reasons only on
 * rejection_details, bearer-only attachment links, form-encoded Basic credentials, ...). Changes are
 * made in the simulators, the real ingest handler, queues, consumers and the scheduled poller carry
 * them, and the assertions read the Beamery simulator and the IdMap.
 */
const SECRET = 'seed-deletions-notes-secret';
const WAIT = 15_000;
const AUTHOR = { id: 302, name: 'Mira Kestrel' } as const;

interface StoredContact {
  readonly id: string;
  readonly experience: { role?: string }[];
  readonly globalTags: { value?: string }[];
}

interface BeameryState {
  readonly vacancies: { id: string; status?: string; integrations?: { greenhouse?: { id?: string } } }[];
  readonly memberships: { contactId: string; vacancyId: string; stageId: string | null; rejectionReason?: string }[];
  readonly notes: { contactId: string; text: string; private: boolean }[];
}

describe('the seed document’s deletion, note and rejection rules, end to end on the local stack (strict Greenhouse)', () => {
  let e2e: E2eStack;
  let stack: LocalStack;
  let sqs: SQSClient;
  let idMap: DynamoDbIdMap;
  let beameryOrigin: string;
  let harvestToken: string | undefined;
  let seq = 0;

  beforeAll(async () => {
    e2e = await startE2eStack({
      webhookSecret: SECRET,
      pollIntervalMs: 0,
      greenhouseRateLimit: 50_000,
      saas: { greenhouse: { kind: 'simulator', port: 0 }, beamery: { kind: 'simulator', port: 0 }, variants: { greenhouse: STRICT_API_CONTRACT } },
    });
    ({ stack, sqs, idMap, beameryOrigin } = e2e);
  }, 120_000);
  afterAll(async () => {
    await e2e?.stop();
  });

  const greenhouse = <T = unknown>(method: string, path: string, body?: unknown) => callJson<T>(stack.greenhouse, method, `/_admin${path}`, body);
  const beamery = <T = unknown>(method: string, path: string, body?: unknown) => callJson<T>(beameryOrigin, method, `/_admin${path}`, body);
  const beameryState = () => beamery<BeameryState>('GET', '/state');

  /** A Harvest v3 call: notes fire no webhook in Greenhouse. */
  async function harvest<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    if (!harvestToken) {
      // Form-encoded credentials: what the strict token endpoint decodes.
      const basic = Buffer.from(`${encodeURIComponent(DEFAULT_CLIENT_ID)}:${encodeURIComponent(DEFAULT_CLIENT_SECRET)}`).toString('base64');
      const response = await fetch(`${stack.greenhouse}/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      harvestToken = ((await response.json()) as { access_token: string }).access_token;
    }
    return callJson<T>(stack.greenhouse, method, path, body, { authorization: `Bearer ${harvestToken}` });
  }

  async function createCandidate(first: string, last: string, jobId = 802): Promise<{ candidateId: number; applicationId: number }> {
    const created = await greenhouse<{ candidate: { id: number }; application: { id: number } }>('POST', '/candidates', {
      first_name: first,
      last_name: last,
      email_addresses: [{ value: `${first}.${last}.${++seq}.${Date.now()}@seed-deletions.example.test`.toLowerCase(), type: 'personal' }],
      application: { job_id: jobId },
    });
    return { candidateId: created.candidate.id, applicationId: created.application.id };
  }

  async function linked(greenhouseKey: string): Promise<string> {
    const link = await eventually(async () => {
      const found = await idMap.byGreenhouse(greenhouseKey);
      return found?.status === 'active' ? found : undefined;
    }, WAIT, `an active link for ${greenhouseKey}`);
    return link.beameryKey.split('#')[2]!;
  }

  async function settled(): Promise<void> {
    await greenhouse('POST', '/webhooks/settle');
    await untilQuiet(sqs, [stack.resources.queues['greenhouse-changes'].url], 750, WAIT);
  }

  /** Greenhouse changes with its webhooks off: what a missed delivery looks like to the bridge. */
  async function withWebhooksOff(change: () => Promise<unknown>): Promise<void> {
    await settled();
    await greenhouse('PUT', '/webhooks', []);
    try {
      await change();
    } finally {
      await greenhouse('PUT', '/webhooks', [{ url: stack.webhookUrl, secret: SECRET }]);
    }
  }

  /** A change Greenhouse announces, so the candidate is reconciled again (notes ride along, seed). */
  async function reconcileAgain(candidateId: number, contactId: string): Promise<void> {
    const title = `Title ${++seq}`;
    await greenhouse('PATCH', `/candidates/${candidateId}`, { title });
    await eventually(async () => ((await beamery<StoredContact>('GET', `/contacts/${contactId}`)).experience[0]?.role === title ? true : undefined), WAIT, `title ${title}`);
    await settled();
  }

  const notesOf = async (contactId: string) => (await beameryState()).notes.filter((n) => n.contactId === contactId);

  describe('hard deletes that no webhook announced', () => {
    it('a candidate and a job deleted with webhooks off are found by the deletions poller: the links become deleted, the contact is tagged, the vacancy closed', async () => {
      const job = await greenhouse<{ id: number }>('POST', '/jobs', { name: 'Sweep Engineer', stages: ['Application Review', 'Offer'] });
      const { candidateId } = await createCandidate('Dara', 'Sweep', job.id);
      const { candidateId: keptId } = await createCandidate('Kept', 'Sweep', job.id);
      const contactId = await linked(`greenhouse#candidate#${candidateId}`);
      const vacancyId = await linked(`greenhouse#job#${job.id}`);
      await linked(`greenhouse#candidate#${keptId}`);

      await withWebhooksOff(async () => {
        await greenhouse('DELETE', `/candidates/${candidateId}`);
        await greenhouse('PATCH', `/jobs/${job.id}`, { status: 'closed' });
        await greenhouse('DELETE', `/jobs/${job.id}`);
      });
      // The hourly pollers list what was updated; a deleted record is in no list.
      await stack.schedules.trigger('candidates', 'jobs');
      await settled();
      expect((await idMap.byGreenhouse(`greenhouse#candidate#${candidateId}`))?.status).toBe('active');

      const [outcome] = await stack.schedules.trigger('deletions');
      expect(outcome).toMatchObject({ ok: true, summary: { poller: 'deletions', candidatesDeleted: 1, jobsDeleted: 1, complete: true } });
      await settled();
      expect((await idMap.byGreenhouse(`greenhouse#candidate#${candidateId}`))?.status).toBe('deleted');
      expect((await idMap.byGreenhouse(`greenhouse#job#${job.id}`))?.status).toBe('deleted');
      expect((await idMap.byGreenhouse(`greenhouse#candidate#${keptId}`))?.status).toBe('active');
      const contact = await beamery<StoredContact>('GET', `/contacts/${contactId}`);
      expect(contact.globalTags.map((t) => t.value)).toContain('Deleted in Greenhouse');
      expect((await beameryState()).vacancies.find((v) => v.id === vacancyId)?.status).toBe('Closed');
    });
  });

  describe('notes are never lost', () => {
    it('a note whose copy reached Beamery before the run crashed (no copy mark) is not copied again on the retry', async () => {
      const { candidateId } = await createCandidate('Noor', 'Retry');
      const contactId = await linked(`greenhouse#candidate#${candidateId}`);
      await settled();
      await harvest('POST', '/v3/notes', { candidate_id: candidateId, body: 'Prefers remote; strong on Kafka.', visibility: 'public', user_id: AUTHOR.id });
      const [note] = (await harvest<Note[]>('GET', `/v3/notes?candidate_ids=${candidateId}`)).filter((n) => n.body === 'Prefers remote; strong on Kafka.');
      // What a run that wrote the copy and then crashed left behind: the note in Beamery, nothing in the Ledger.
      const created = await beameryClientFrom(readConfig(), { dynamodb: e2e.dynamodb }).createNote(contactId, mapNote(note!, { name: AUTHOR.name }));
      expect(created).not.toBe('unsupported');

      await reconcileAgain(candidateId, contactId);
      await reconcileAgain(candidateId, contactId);
      const notes = await notesOf(contactId);
      expect(notes.filter((n) => n.text.includes('Prefers remote; strong on Kafka.'))).toHaveLength(1);
    });
  });

  describe('the bridge’s own AI notes and admin-only notes are left out of the Beamery copy', () => {
    it('copies the recruiter’s note and leaves the AI note and the admin-only note in Greenhouse', async () => {
      const { candidateId } = await createCandidate('Ines', 'Private');
      const contactId = await linked(`greenhouse#candidate#${candidateId}`);
      await settled();
      await harvest('POST', '/v3/notes', { candidate_id: candidateId, body: 'Recruiter note: great call.', visibility: 'public', user_id: AUTHOR.id });
      await harvest('POST', '/v3/notes', { candidate_id: candidateId, body: `${AI_NOTE_PREFIX.screening}Sweep Engineer: 4/5`, visibility: 'private', user_id: AUTHOR.id });
      await harvest('POST', '/v3/notes', { candidate_id: candidateId, body: 'Salary history: admins only.', visibility: 'admin_only', user_id: AUTHOR.id });
      await reconcileAgain(candidateId, contactId);
      const texts = (await notesOf(contactId)).map((n) => n.text);
      expect(texts).toEqual([expect.stringContaining('Recruiter note: great call.')]);
    });
  });

  describe('rejection reasons come from rejection_details', () => {
    it('carries the rejection reason to the vacancy membership when applications do not carry rejection_reason_id', async () => {
      const { candidateId, applicationId } = await createCandidate('Ivo', 'Strict');
      const contactId = await linked(`greenhouse#candidate#${candidateId}`);
      await eventually(async () => ((await beameryState()).memberships.some((m) => m.contactId === contactId) ? true : undefined), WAIT, 'a membership');
      // 602 "Hired another candidate" (scenarios/greenhouse/default.json).
      await greenhouse('POST', `/applications/${applicationId}/reject`, { rejection_reason_id: 602 });
      await settled();
      const [membership] = (await beameryState()).memberships.filter((m) => m.contactId === contactId);
      expect(membership?.rejectionReason).toBe('Hired another candidate');
    });
  });
});
