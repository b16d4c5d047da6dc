import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entityKey } from '#core/envelope';
import { callJson } from '../support/http.ts';
import { startE2eStack, type E2eStack } from '../support/e2e-stack.ts';
import { eventually, untilQuiet } from '../support/queues.ts';
import { APPLICATIONS, CANDIDATES, ENABLED_JOB, aiScenario } from '../support/ai-scenario.ts';

/**
 * `shadow` mode on the local stack, with the offline provider: the screening runs and is audited, and
 * Greenhouse is not written to at all. A separate file because the AI consumer reads its settings at
 * cold start, as the Lambda does.
 */
const WAIT = 20_000;
let e2e: E2eStack;

beforeAll(async () => {
  e2e = await startE2eStack({
    webhookSecret: 'ai-shadow-secret',
    greenhouseRateLimit: 5_000,
    pollIntervalMs: 0,
    ai: { provider: 'offline', screening: { enabled: true, mode: 'shadow', scope: { jobIds: [ENABLED_JOB] }, reviewSamplePercent: 100 } },
  });
  await callJson(e2e.stack.greenhouse, 'PUT', '/_admin/scenario', await aiScenario());
}, 60_000);

afterAll(async () => {
  await e2e?.stop();
});

describe('shadow mode', () => {
  it('audits the screening, names the offline provider, and writes nothing to Greenhouse', async () => {
    await callJson(e2e.stack.greenhouse, 'DELETE', '/_admin/requests');
    await callJson(e2e.stack.greenhouse, 'POST', `/_admin/applications/${APPLICATIONS.weak}/webhook`, { action: 'new_candidate_application' });
    const entry = await eventually(
      async () => (await e2e.audit.list(entityKey('greenhouse', 'application', APPLICATIONS.weak))).find((a) => a.kind === 'ai-inference'),
      WAIT,
      'the audited inference',
    );
    await untilQuiet(e2e.sqs, Object.values(e2e.stack.resources.queues).map((q) => q.url), 1_500, WAIT);
    expect(entry.detail).toMatchObject({ workflow: 'screening', mode: 'shadow', provider: 'offline', model: 'keyword-matcher-v1' });
    expect(JSON.parse(String(entry.detail!['output'])).summary).toMatch(/not a language model/);

    const requests = await callJson<Record<string, number>>(e2e.stack.greenhouse, 'GET', '/_admin/requests');
    const writes = Object.keys(requests).filter((route) => !route.startsWith('GET ') && !route.includes('/token'));
    // The sync (greenhouse-changes) writes to Beamery, not Greenhouse; the AI consumer only read.
    expect(writes).toEqual([]);
    const notes = await callJson<{ application_id: number | null }[]>(e2e.stack.greenhouse, 'GET', '/_admin/state?table=notes');
    expect(notes.filter((n) => n.application_id === APPLICATIONS.weak)).toEqual([]);
    const applied = await callJson<{ candidate_id: number }[]>(e2e.stack.greenhouse, 'GET', '/_admin/state?table=applied_candidate_tags');
    expect(applied.filter((a) => a.candidate_id === CANDIDATES.weak)).toEqual([]);
  });
});
