import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AI_NOTE_PREFIX } from '#core/ai/ai-notes';
import { ENV } from '#lambdas/config';
import { startE2eStack, type E2eStack } from '../support/e2e-stack.ts';
import { seedScenarios } from '../support/seed-e2e.ts';

/**
 * Leaving the bridge's own AI notes out of the Beamery copy is a documented setting
 * (SYNC_COPY_AI_NOTES, docs/configuration.md), not a fixed rule. Its default is covered by
 * seed-deletions-notes.test.ts; this file turns it on. A file of its own: the handlers read their
 * configuration once, when their modules load, as on Lambda.
 */
const SECRET = 'seed-ai-notes-secret';
const AUTHOR_ID = 302;

describe('the AI-note choice is a setting (SYNC_COPY_AI_NOTES=true), end to end on the local stack', () => {
  let e2e: E2eStack;
  let scenario: ReturnType<typeof seedScenarios>;

  beforeAll(async () => {
    process.env[ENV.syncCopyAiNotes] = 'true';
    e2e = await startE2eStack({ webhookSecret: SECRET, pollIntervalMs: 0, greenhouseRateLimit: 50_000 });
    scenario = seedScenarios(e2e, { webhookSecret: SECRET, emailDomain: 'seed-ai-notes.example.test' });
  }, 120_000);
  afterAll(async () => {
    delete process.env[ENV.syncCopyAiNotes];
    await e2e?.stop();
  });

  it('copies the bridge’s own AI note when the setting asks for it, and still never the admin-only note', async () => {
    const { candidateId } = await scenario.createCandidate('Ines', 'Setting');
    const contactId = await scenario.linked(`greenhouse#candidate#${candidateId}`);
    await scenario.settled();
    await scenario.harvest('POST', '/v3/notes', { candidate_id: candidateId, body: `${AI_NOTE_PREFIX.screening}Platform Engineer: 4/5`, visibility: 'private', user_id: AUTHOR_ID });
    await scenario.harvest('POST', '/v3/notes', { candidate_id: candidateId, body: 'Salary history: admins only.', visibility: 'admin_only', user_id: AUTHOR_ID });
    await scenario.reconcileAgain(candidateId, contactId);
    const texts = (await scenario.notesOf(contactId)).map((n) => n.text);
    expect(texts).toEqual([expect.stringContaining('Platform Engineer: 4/5')]);
  });
});
