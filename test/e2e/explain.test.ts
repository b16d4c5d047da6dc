import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { entityKey } from '#core/envelope';
import { ENV } from '#lambdas/config';
import { resumePdf } from '#local/resume-files';
import { LOCAL_STACK_FILE_VARIABLE } from '#local/stack-file';
import { bridgeInProcess } from '../support/bridge-in-process.ts';
import { callJson } from '../support/http.ts';
import { localCliFor, startE2eStack, type E2eStack, type LocalCli } from '../support/e2e-stack.ts';
import { eventually } from '../support/queues.ts';
import { APPLICATIONS, ENABLED_JOB, aiScenario } from '../support/ai-scenario.ts';

/**
 * Issue 19's explanation on request on the local stack: an application screened by the offline
 * matcher (assist mode), rejected by the hiring team in the Greenhouse simulator, then
 * `bridge explain <id> --local` writes the letter to the candidate from the Audit trail and Greenhouse.
 */
const WAIT = 10_000;
/** A resume that meets two of the job post's four requirements, with a name, contacts and a birth date the letter must never hold. */
const RESUME = [
  'Blake Harrow',
  'blake@example.test · +44 20 7946 0102',
  'Date of birth: 2 March 1990',
  'Platform Engineer, Harbor Freight (2020–2026)',
  '- Ran Kubernetes clusters in production',
  '- Designed the PostgreSQL schema for orders',
];

let e2e: E2eStack;
let cli: LocalCli;

beforeAll(async () => {
  e2e = await startE2eStack({
    webhookSecret: 'explain-secret',
    greenhouseRateLimit: 5_000,
    pollIntervalMs: 0,
    ai: { provider: 'offline', screening: { enabled: true, mode: 'assist', scope: { jobIds: [ENABLED_JOB] }, threshold: 60, reviewSamplePercent: 0 } },
  });
  const scenario = await aiScenario();
  const content = Buffer.from(await resumePdf(RESUME)).toString('base64');
  const attachments = (scenario['attachments'] as Record<string, unknown>[]).map((a) => (a['application_id'] === APPLICATIONS.weak ? { ...a, content } : a));
  await callJson(e2e.stack.greenhouse, 'PUT', '/_admin/scenario', { ...scenario, attachments });
  cli = await localCliFor('explain-');
}, 60_000);

afterAll(async () => {
  await e2e?.stop();
  await cli?.close();
});

it('`bridge explain` tells the candidate the requirements met and missed, the offline matcher, and the hiring team’s rejection, with no name or contact', async () => {
  await callJson(e2e.stack.greenhouse, 'POST', `/_admin/applications/${APPLICATIONS.weak}/webhook`, { action: 'new_candidate_application' });
  await eventually(
    async () => (await e2e.audit.list(entityKey('greenhouse', 'application', APPLICATIONS.weak))).find((a) => a.kind === 'ai-inference'),
    WAIT,
    'the audited screening',
  );
  await callJson(e2e.stack.greenhouse, 'POST', `/_admin/applications/${APPLICATIONS.weak}/reject`, { rejection_reason_id: 601 });

  const run = await bridgeInProcess('explain', String(APPLICATIONS.weak), '--local');
  expect(run.exitCode, run.stderr).toBe(0);
  const text = run.stdout;
  expect(text).toContain(`reference ${APPLICATIONS.weak}`);
  expect(text).toMatch(/Requirements it found in your resume, with the words it relied on:\n(?: {2}- .*\n)*? {2}- Production experience with Kubernetes \(from your resume: “Ran Kubernetes clusters in production”\)/);
  expect(text).toMatch(/ {2}- PostgreSQL schema design \(from your resume/);
  expect(text).toMatch(/Requirements it did not find in your resume:\n {2}- Go or TypeScript services at scale \(not found in the resume: .*\)\n {2}- On-call ownership of distributed systems/);
  expect(text).toContain('an automatic keyword matcher (keyword-matcher-v1, instructions version screening-v1). It is not a language model');
  expect(text).toContain('Its fit score: 50 out of 100');
  expect(text).toMatch(/decided not to go ahead with your application on \d+ \w+ \d{4}\. This was a decision by people on the hiring team, not by the AI\./);
  expect(text).toContain('The reason they recorded: Lacking skill(s).');
  expect(text).toContain('How to ask for a human review');
  expect(text).not.toMatch(/Blake|Harrow|blake@|7946|1990/);

  // --json: the same explanation, as fields.
  const json = JSON.parse((await bridgeInProcess('explain', String(APPLICATIONS.weak), '--local', '--json')).stdout) as { humanDecisions: { read: boolean; status: string }; outputs: { provider: string }[] };
  expect(json.humanDecisions).toMatchObject({ read: true, status: 'rejected' });
  expect(json.outputs).toEqual([expect.objectContaining({ provider: 'offline' })]);

  // --out: the letter in a file only its owner reads; stdout says where.
  const out = join(cli.dir, 'letter.txt');
  const written = await bridgeInProcess('explain', String(APPLICATIONS.weak), '--local', '--out', out);
  expect(written.stdout).toBe(`explanation of application ${APPLICATIONS.weak} written to ${out}\n`);
  expect(await readFile(out, 'utf8')).toBe(`${text}`);
  expect((await stat(out)).mode & 0o777).toBe(0o600);
});

it('exits 1 for an application with no AI output recorded', async () => {
  const run = await bridgeInProcess('explain', String(APPLICATIONS.otherJob), '--local');
  expect(run.exitCode).toBe(1);
  expect(run.stderr).toContain(`no AI output recorded for application ${APPLICATIONS.otherJob}`);
  expect(run.stdout).toBe('');
});

it('without Greenhouse settings explains from the Audit alone and says the decisions were not read', async () => {
  // The stack's own environment (no --local), less the Greenhouse API's address.
  vi.stubEnv(ENV.greenhouseApiBaseUrl, '');
  try {
    const run = await bridgeInProcess('explain', String(APPLICATIONS.weak));
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain("Greenhouse is not configured (GREENHOUSE_API_BASE_URL): explaining from the Audit alone; the hiring team's decisions were not read");
    expect(run.stdout).toContain("The hiring team's decisions were not read for this explanation.");
    expect(run.stdout).toContain('  - Production experience with Kubernetes');
    expect(run.stdout).not.toContain('decided not to go ahead');
  } finally {
    vi.unstubAllEnvs();
    vi.stubEnv(LOCAL_STACK_FILE_VARIABLE, cli.stackFile);
  }
});
