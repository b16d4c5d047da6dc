import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuditEntry } from '#core/sync/ports';
import { entityKey } from '#core/envelope';
import { vectorKey } from '#core/ai/rediscovery/ports';
import { AI_NOTE_PREFIX } from '#core/ai/ai-notes';
import { readConfig } from '#lambdas/config';
import { rediscoveryPortsFrom } from '#wiring/rediscovery';
import { program } from '../../bin/bridge.ts';
import { callJson } from '../support/http.ts';
import { runScheduled, startE2eStack, type E2eStack } from '../support/e2e-stack.ts';
import { eventually, untilQuiet } from '../support/queues.ts';
import { ENABLED_JOB } from '../support/ai-scenario.ts';
import { CONSENT, PAST, rediscoveryScenario } from '../support/rediscovery-scenario.ts';

/**
 * Candidate rediscovery and job-description drafts end to end on the local stack, in assist mode with
 * the offline providers: the hourly profiles poll → ai-tasks.fifo → the index (the S3 Vectors
 * adapter on the S3 Vectors simulator); Greenhouse job webhooks → ingest → ai-tasks.fifo → the AI
 * consumer → private job notes in the Greenhouse simulator; an anonymization webhook → the index; and
 * `bridge rediscover` / `bridge jd` on the same stack.
 */
const SECRET = 'ai-rediscovery-secret';
const WAIT = 30_000;
const EEO = 'Northwind Freight is an equal opportunity employer.';
const REQUIREMENTS = `<p>Run the platform behind our routing engine.</p>
<ul><li>Production experience with Kubernetes</li><li>Go or TypeScript services at scale</li><li>PostgreSQL schema design</li><li>On-call ownership of distributed systems</li></ul>`;

interface JobNoteRow {
  readonly job_id: number;
  readonly body: string;
  readonly visibility: string;
}
interface JobPostRow {
  readonly id: number;
  readonly job_id: number | null;
  readonly live: boolean | null;
  readonly content: string | null;
}

let e2e: E2eStack;
const greenhouse = () => e2e.stack.greenhouse;
const table = <T>(name: string) => callJson<T[]>(greenhouse(), 'GET', `/_admin/state?table=${name}`);
const jobNotes = async (jobId: number, prefix: string) => (await table<JobNoteRow>('job_notes')).filter((n) => n.job_id === jobId && n.body.startsWith(prefix));
const quiet = () => untilQuiet(e2e.sqs, Object.values(e2e.stack.resources.queues).map((q) => q.url), 1_500, WAIT);
const index = () => rediscoveryPortsFrom(readConfig()).index;
const held = async (...ids: number[]) => (await index().get(ids.map(vectorKey))).map((item) => item.metadata.candidateId).sort();
const auditOfJob = (jobId: number): Promise<AuditEntry[]> => e2e.audit.list(entityKey('greenhouse', 'job', jobId));
const noteFor = async (jobId: number, prefix: string, what: string) =>
  eventually(async () => (await jobNotes(jobId, prefix))[0], WAIT, what);

/** `bridge <args>` in this process, on this stack's environment; its stdout. */
async function bridge(...args: string[]): Promise<string> {
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    await program().parseAsync(['node', 'bridge', ...args]);
    return stdout.mock.calls.map((c) => String(c[0])).join('');
  } finally {
    stdout.mockRestore();
  }
}

let newJob: number;

beforeAll(async () => {
  e2e = await startE2eStack({
    webhookSecret: SECRET,
    greenhouseRateLimit: 5_000,
    pollIntervalMs: 0,
    ai: {
      provider: 'offline',
      rediscovery: { enabled: true, mode: 'assist', scope: { allJobs: true }, consentField: CONSENT, minScore: 0.2, minInactiveDays: 90 },
      jobDescriptions: { enabled: true, mode: 'assist', scope: { allJobs: true }, eeoStatement: EEO, writeJobPost: true },
    },
  });
  // The past candidates' records changed a few minutes ago (their last activity is a year old), so the profiles poll's first window finds them.
  await callJson(greenhouse(), 'PUT', '/_admin/scenario', await rediscoveryScenario({ updatedAt: new Date(Date.now() - 5 * 60_000).toISOString() }));
  const run = await runScheduled(e2e.stack.schedules, 'profiles');
  expect(run.ok).toBe(true);
  await quiet();
}, 120_000);

afterAll(async () => {
  await e2e?.stop();
});

describe('the index, built by the profiles poll', () => {
  it('holds the past candidates who may be suggested, and no private, anonymized or non-consenting one', async () => {
    expect(await held(PAST.fit, PAST.fitToo, PAST.weak, PAST.onThisJob)).toEqual([PAST.fit, PAST.fitToo, PAST.onThisJob, PAST.weak].sort());
    expect(await held(PAST.private, PAST.anonymized, PAST.noConsent)).toEqual([]);
  });
});

describe('a newly opened job', () => {
  it('gets a drafted description in a private note, with its checks, when it is created', async () => {
    const job = await callJson<{ id: number }>(greenhouse(), 'POST', '/_admin/jobs', { name: 'Platform Engineer, Routing', openings: 2 });
    newJob = job.id;
    const note = await noteFor(newJob, AI_NOTE_PREFIX.jobDescription, 'the job-description draft note');
    expect(note.visibility).toBe('privately_visible');
    expect(note.body).toContain('draft for review, not published');
    expect(note.body).toContain('Inclusive language');
    expect(note.body).toContain(EEO);
    expect(note.body).toContain('not a language model');
    const [audit] = (await auditOfJob(newJob)).filter((a) => a.detail?.['workflow'] === 'job-description');
    expect(audit).toMatchObject({ kind: 'ai-inference', detail: { mode: 'assist', jobId: newJob } });
  });

  it('once approved with a post, lists the fitting rejected past candidates with evidence, never the withheld ones', async () => {
    await callJson(greenhouse(), 'POST', '/_admin/job_posts', { title: 'Platform Engineer, Routing', job_id: newJob, live: false, content: REQUIREMENTS });
    await callJson(greenhouse(), 'POST', `/_admin/jobs/${newJob}/approve`, {});
    const note = await noteFor(newJob, AI_NOTE_PREFIX.rediscovery, 'the rediscovery note');
    await quiet();
    expect(note.visibility).toBe('privately_visible');
    expect(note.body).toContain(`Candidate ${PAST.fit} — `);
    expect(note.body).toContain('• Production experience with Kubernetes');
    for (const id of [PAST.private, PAST.anonymized, PAST.noConsent, PAST.weak]) expect(note.body).not.toContain(`Candidate ${id} `);
    expect(note.body).not.toMatch(/Morgan|morgan\.vale|Harbor Logistics/);
    expect(await jobNotes(newJob, AI_NOTE_PREFIX.rediscovery)).toHaveLength(1);
  });

  it('for a job a past candidate is still active on, never suggests them there', async () => {
    await callJson(greenhouse(), 'POST', `/_admin/jobs/${ENABLED_JOB}/approve`, {});
    const note = await noteFor(ENABLED_JOB, AI_NOTE_PREFIX.rediscovery, 'the rediscovery note of job 801');
    expect(note.body).toContain(`Candidate ${PAST.fit} — `);
    expect(note.body).not.toContain(`Candidate ${PAST.onThisJob} `);
  });
});

describe('anonymization', () => {
  it('removes the candidate from the index in the message that handles the webhook, and records it', async () => {
    expect(await held(PAST.fitToo)).toEqual([PAST.fitToo]);
    await callJson(greenhouse(), 'POST', `/_admin/candidates/${PAST.fitToo}/anonymize`, { fields: ['full_name', 'attachments'] });
    await eventually(async () => ((await held(PAST.fitToo)).length === 0 ? true : undefined), WAIT, 'the anonymized candidate to leave the index');
    const [vector] = await index().get([vectorKey(PAST.fit)]);
    expect((await index().query(vector!.vector, 100)).map((m) => m.metadata.candidateId)).not.toContain(PAST.fitToo);
    expect(await e2e.audit.list(entityKey('greenhouse', 'candidate', PAST.fitToo))).toContainEqual(expect.objectContaining({ kind: 'ai-index-removal', detail: expect.objectContaining({ reason: 'anonymized' }) }));
  });
});

describe('on demand, from the CLI', () => {
  it('`bridge rediscover --shadow` prints the list with evidence and writes only the Audit', async () => {
    const notesBefore = await table<JobNoteRow>('job_notes');
    const auditBefore = (await auditOfJob(ENABLED_JOB)).length;
    const out = await bridge('rediscover', String(ENABLED_JOB), '--shadow');
    expect(out).toMatch(/^job 801: \d+ suggested · shadow mode · nothing written/);
    expect(out).toContain(`Candidate ${PAST.fit} — `);
    expect(out).not.toContain(`Candidate ${PAST.fitToo} `);
    expect(await table<JobNoteRow>('job_notes')).toEqual(notesBefore);
    expect(await auditOfJob(ENABLED_JOB)).toHaveLength(auditBefore + 1);
  });

  it('`bridge jd` never overwrites a live job post', async () => {
    const live = await callJson<JobPostRow>(greenhouse(), 'POST', '/_admin/job_posts', { title: 'Live post', job_id: newJob, live: true, content: '<p>Published words.</p>' });
    const out = JSON.parse(await bridge('jd', String(newJob), '--json')) as { outcome: string; posts: { live: number[]; patched: number[] } };
    expect(out.outcome).toBe('drafted');
    expect(out.posts.live).toContain(live.id);
    expect(out.posts.patched).not.toContain(live.id);
    const after = (await table<JobPostRow>('job_posts')).find((p) => p.id === live.id)!;
    expect(after.content).toBe('<p>Published words.</p>');
  });
});
