import { afterAll, beforeAll, expect, it } from 'vitest';
import { entityKey } from '#core/envelope';
import type { OverrideReport } from '#core/ai/overrides/report';
import { bridgeInProcess } from '../support/bridge-in-process.ts';
import { callJson } from '../support/http.ts';
import { localCliFor, startE2eStack, type E2eStack, type LocalCli } from '../support/e2e-stack.ts';
import { eventually, untilQuiet } from '../support/queues.ts';
import { APPLICATIONS, ENABLED_JOB, aiScenario } from '../support/ai-scenario.ts';

/**
 * Issue 19's reviewer overrides on the local stack: an application screened by the offline matcher
 * (assist mode), then a person changes its score field in the Greenhouse simulator, which sends
 * `application_updated` → ingest → ai-tasks.fifo → the override check → an `ai-override` Audit entry;
 * `bridge overrides --local` then reports it.
 */
const WAIT = 15_000;

let e2e: E2eStack;
let cli: LocalCli;
const auditOf = () => e2e.audit.list(entityKey('greenhouse', 'application', APPLICATIONS.strong));
const quiet = () => untilQuiet(e2e.sqs, Object.values(e2e.stack.resources.queues).map((q) => q.url), 1_500, WAIT);

beforeAll(async () => {
  e2e = await startE2eStack({
    webhookSecret: 'overrides-secret',
    greenhouseRateLimit: 5_000,
    pollIntervalMs: 0,
    ai: { provider: 'offline', screening: { enabled: true, mode: 'assist', scope: { jobIds: [ENABLED_JOB] }, threshold: 50, reviewSamplePercent: 0 } },
  });
  await callJson(e2e.stack.greenhouse, 'PUT', '/_admin/scenario', await aiScenario());
  cli = await localCliFor('overrides-');
}, 60_000);

afterAll(async () => {
  await e2e?.stop();
  await cli?.close();
});

it('a person changing the AI score field in Greenhouse is recorded as one ai-override, and bridge overrides reports it', async () => {
  await callJson(e2e.stack.greenhouse, 'POST', `/_admin/applications/${APPLICATIONS.strong}/webhook`, { action: 'new_candidate_application' });
  const inference = await eventually(async () => (await auditOf()).find((a) => a.kind === 'ai-inference'), WAIT, 'the audited screening');
  // The bridge's own write of the score sends application_updated too: it is no override.
  await quiet();
  expect((await auditOf()).filter((a) => a.kind === 'ai-override')).toEqual([]);

  await callJson(e2e.stack.greenhouse, 'PATCH', `/_admin/applications/${APPLICATIONS.strong}`, { custom_fields: [{ name_key: 'ai_fit_score', value: 12 }] });
  const entry = await eventually(async () => (await auditOf()).find((a) => a.kind === 'ai-override'), WAIT, 'the ai-override entry');
  expect(entry.detail).toMatchObject({ override: 'score-changed', aiScore: inference.detail?.['score'], newValue: 12, applicationId: APPLICATIONS.strong, jobId: ENABLED_JOB });
  await quiet();
  expect((await auditOf()).filter((a) => a.kind === 'ai-override')).toHaveLength(1);

  const run = await bridgeInProcess('overrides', '--from', '2026-11-01', '--to', '2026-11-01', '--json', '--local');
  expect(run.exitCode, run.stderr).toBe(0);
  const report = JSON.parse(run.stdout) as OverrideReport;
  expect(report).toMatchObject({ screened: 1, overridden: 1, rate: 1, byKind: { 'score-changed': 1 } });
  expect(report.jobs).toEqual([expect.objectContaining({ jobId: ENABLED_JOB, screened: 1, overridden: 1 })]);
}, 60_000);
