import type { GreenhouseClient } from '#adapters/greenhouse/client';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { extractResumeText } from '#adapters/resume-text';
import { entityKey } from '#core/envelope';
import type { AuditEntry } from '#core/sync/ports';
import { GuardrailIntervened, ModelAnswerInvalid } from '#core/ai/model';
import { offlineScreeningProvider } from '#core/ai/screening/offline';
import { screenApplication, type ScreeningDependencies, type ScreeningOutcome } from '#core/ai/screening/workflow';
import { optOutSettingsSchema, screeningSettingsSchema } from '#core/ai/settings';
import { scannedPdf } from '#local/resume-files';
import { recorded, useAiHarness } from '../../support/ai-harness.ts';
import { APPLICATIONS, CANDIDATES, DISABLED_JOB, ENABLED_JOB, aiScenario } from '../../support/ai-scenario.ts';

/**
 * screenApplication end to end below the queue: the real Greenhouse client against the Greenhouse
 * simulator, the real resume text extraction on generated PDFs, the offline provider (behind a
 * counting wrapper), and the in-memory AI memory and Audit. Every case checks what can be observed:
 * provider calls, Audit entries, and what landed (or did not) in Greenhouse.
 */

// Added to aiScenario(): two more candidates with the strong fit's resume byte for byte, one with a
// scanned PDF, and one with no resume at all, all on the enabled job.
const EXTRA = {
  twin: { candidate: 9104, application: 9204, attachment: 9304 },
  triplet: { candidate: 9105, application: 9205, attachment: 9305 },
  scanned: { candidate: 9106, application: 9206, attachment: 9306 },
  noResume: { candidate: 9107, application: 9207 },
} as const;
/** Application 954 of the default scenario: a prospect, on no job. */
const PROSPECT_APPLICATION = 954;
const STRONG_RESUME_ONLY_LINE = 'Staff Engineer, Lumen Freight (2019–2026)';

const NEEDS_REVIEW = 'AI screening: needs review';
const REVIEW_SAMPLE = 'AI screening: review sample';

async function scenario(): Promise<Record<string, unknown>> {
  const base = (await aiScenario()) as Record<string, Record<string, unknown>[]>;
  const created = '2026-11-02T09:00:00Z';
  const strongResume = base['attachments']!.find((a) => a['id'] === 9301)!;
  const candidate = (id: number, first: string, last: string) => ({ id, first_name: first, last_name: last, created_at: created });
  const application = (id: number, candidateId: number) => ({
    id,
    candidate_id: candidateId,
    job_id: ENABLED_JOB,
    job_post_id: 871,
    job_interview_stage_id: 811,
    stage_name: 'Application Review',
    created_at: created,
  });
  const copyOfStrong = (id: number, applicationId: number, candidateId: number) => ({ ...strongResume, id, application_id: applicationId, candidate_id: candidateId, filename: `resume-${applicationId}.pdf` });
  return {
    ...base,
    name: 'ai-screening-integration',
    candidates: [
      ...base['candidates']!,
      candidate(EXTRA.twin.candidate, 'Drew', 'Twin'),
      candidate(EXTRA.triplet.candidate, 'Emery', 'Triplet'),
      candidate(EXTRA.scanned.candidate, 'Finley', 'Scan'),
      candidate(EXTRA.noResume.candidate, 'Gale', 'Noresume'),
    ],
    applications: [
      ...base['applications']!,
      application(EXTRA.twin.application, EXTRA.twin.candidate),
      application(EXTRA.triplet.application, EXTRA.triplet.candidate),
      application(EXTRA.scanned.application, EXTRA.scanned.candidate),
      application(EXTRA.noResume.application, EXTRA.noResume.candidate),
    ],
    custom_fields: [
      ...base['custom_fields']!,
      { id: 591, name: 'AI review opt-out', name_key: 'ai_review_opt_out', field_type: 'candidate', value_type: 'yes_no', created_at: created },
    ],
    attachments: [
      ...base['attachments']!,
      copyOfStrong(EXTRA.twin.attachment, EXTRA.twin.application, EXTRA.twin.candidate),
      copyOfStrong(EXTRA.triplet.attachment, EXTRA.triplet.application, EXTRA.triplet.candidate),
      {
        id: EXTRA.scanned.attachment,
        application_id: EXTRA.scanned.application,
        candidate_id: EXTRA.scanned.candidate,
        type: 'resume',
        filename: 'scan.pdf',
        content_type: 'application/pdf',
        content: Buffer.from(await scannedPdf()).toString('base64'),
        created_at: created,
      },
    ],
  };
}

/** The offline matcher behind a wrapper that counts calls and can be told to throw. */
const provider = recorded(offlineScreeningProvider, 'screen');
const h = useAiHarness(scenario, provider);

type SettingsInput = z.input<typeof screeningSettingsSchema>;
const ASSIST: SettingsInput = { enabled: true, mode: 'assist', scope: { jobIds: [ENABLED_JOB] }, threshold: 50, reviewSamplePercent: 0 };

function deps(settings: SettingsInput = ASSIST): ScreeningDependencies {
  return {
    greenhouse: h.client,
    provider,
    extractText: extractResumeText,
    memory: h.memory,
    audit: h.audit,
    clock: h.clock,
    settings: screeningSettingsSchema.parse(settings),
    optOut: optOutSettingsSchema.parse({ field: 'ai_review_opt_out' }),
  };
}
const screen = (applicationId: number, settings?: SettingsInput): Promise<ScreeningOutcome> => screenApplication(applicationId, deps(settings));

// What Greenhouse holds, read through the admin API.
interface NoteRow {
  readonly application_id: number | null;
  readonly candidate_id: number;
  readonly body: string;
  readonly visibility: string;
}
interface ApplicationRow {
  readonly id: number;
  readonly custom_fields: Record<string, { value: unknown } | undefined>;
}
const table = <T>(name: string) => h.admin<T[]>('GET', `/state?table=${name}`);
const notesOf = async (applicationId: number) => (await table<NoteRow>('notes')).filter((n) => n.application_id === applicationId);
const scoreOf = async (applicationId: number) => (await table<ApplicationRow>('applications')).find((a) => a.id === applicationId)?.custom_fields?.['ai_fit_score']?.value;
async function tagsOf(candidateId: number): Promise<string[]> {
  const tags = await table<{ id: number; name: string }>('candidate_tags');
  const applied = await table<{ candidate_id: number; candidate_tag_id: number }>('applied_candidate_tags');
  return applied.filter((a) => a.candidate_id === candidateId).map((a) => tags.find((t) => t.id === a.candidate_tag_id)!.name).sort();
}
/** Every request the bridge made to Greenhouse that was not a read (token requests aside). */
const writes = () => Object.entries(h.sim.counts.snapshot()).filter(([route]) => !route.startsWith('GET ') && route !== 'POST /token');
const auditOf = (applicationId: number): Promise<AuditEntry[]> => h.audit.list(entityKey('greenhouse', 'application', applicationId));
const kindsOf = async (applicationId: number) => (await auditOf(applicationId)).map((a) => a.kind).sort();

async function expectNothingWritten(applicationId: number, candidateId: number): Promise<void> {
  expect(writes()).toEqual([]);
  expect(await notesOf(applicationId)).toEqual([]);
  expect(await scoreOf(applicationId)).toBeUndefined();
  expect(await tagsOf(candidateId)).toEqual([]);
}

describe('gating', () => {
  it('a prospect application is skipped before any gate, with no audit and no provider call', async () => {
    expect(await screen(PROSPECT_APPLICATION)).toEqual({ outcome: 'skipped', reason: 'prospect' });
    expect(await screen(PROSPECT_APPLICATION, { enabled: true, scope: { allJobs: true } })).toEqual({ outcome: 'skipped', reason: 'prospect' });
    expect(provider.calls).toHaveLength(0);
    expect(await auditOf(PROSPECT_APPLICATION)).toEqual([]);
    expect(writes()).toEqual([]);
  });

  it.each<[string, SettingsInput, string]>([
    ['disabled', { ...ASSIST, enabled: false }, 'disabled'],
    ['the default settings (off)', {}, 'disabled'],
    ['a job not in scope', { ...ASSIST, scope: { jobIds: [DISABLED_JOB] } }, 'out-of-scope'],
    ['a department that is not the job’s', { ...ASSIST, scope: { departmentIds: [102] } }, 'out-of-scope'],
    ['an office that is not the job’s', { ...ASSIST, scope: { officeIds: [202] } }, 'out-of-scope'],
    ['an excluded job under allJobs', { ...ASSIST, scope: { allJobs: true, excludedJobIds: [ENABLED_JOB] } }, 'excluded'],
    ['an excluded job that is also listed', { ...ASSIST, scope: { jobIds: [ENABLED_JOB], excludedJobIds: [ENABLED_JOB] } }, 'excluded'],
    ['a 0% rollout', { ...ASSIST, rolloutPercent: 0 }, 'not-in-rollout'],
  ])('%s → skipped, nothing called, audited or written', async (_, settings, reason) => {
    expect(await screen(APPLICATIONS.strong, settings)).toEqual({ outcome: 'skipped', reason });
    expect(provider.calls).toHaveLength(0);
    expect(await auditOf(APPLICATIONS.strong)).toEqual([]);
    await expectNothingWritten(APPLICATIONS.strong, CANDIDATES.strong);
  });

  it.each<[string, SettingsInput]>([
    ['the job id', { ...ASSIST, scope: { jobIds: [ENABLED_JOB] }, rolloutPercent: 100 }],
    ['the job’s department', { ...ASSIST, scope: { departmentIds: [101] } }],
    ['one of the job’s offices', { ...ASSIST, scope: { officeIds: [203] } }],
    ['allJobs', { ...ASSIST, scope: { allJobs: true, excludedJobIds: [DISABLED_JOB] } }],
  ])('scoped by %s → screened', async (_, settings) => {
    const outcome = await screen(APPLICATIONS.strong, settings);
    expect(outcome).toMatchObject({ outcome: 'screened', mode: 'assist', reused: false });
    expect(provider.calls).toHaveLength(1);
    expect(await kindsOf(APPLICATIONS.strong)).toEqual(['ai-inference']);
  });
});

describe('a candidate who opted out of AI review', () => {
  it('by the tag: not screened, nothing sent to the model or written, and the Audit says why', async () => {
    await h.client.addTag(CANDIDATES.strong, 'AI review: opt out');
    h.sim.counts.reset();
    expect(await screen(APPLICATIONS.strong)).toEqual({ outcome: 'skipped', reason: 'opted-out' });
    expect(provider.calls).toHaveLength(0);
    expect(writes()).toEqual([]);
    expect(await notesOf(APPLICATIONS.strong)).toEqual([]);
    expect(await scoreOf(APPLICATIONS.strong)).toBeUndefined();
    expect(await auditOf(APPLICATIONS.strong)).toEqual([expect.objectContaining({ kind: 'ai-opted-out', detail: { workflow: 'screening', applicationId: APPLICATIONS.strong } })]);
  });

  it('by the configured yes/no field', async () => {
    await h.admin('PATCH', `/candidates/${CANDIDATES.strong}`, { custom_fields: [{ name_key: 'ai_review_opt_out', value: true }] });
    h.sim.counts.reset();
    expect(await screen(APPLICATIONS.strong)).toEqual({ outcome: 'skipped', reason: 'opted-out' });
    expect(provider.calls).toHaveLength(0);
    expect(writes()).toEqual([]);
  });
});

describe('what cannot be screened', () => {
  it('no resume attachment → not-screenable, audited, no provider call, nothing written', async () => {
    expect(await screen(EXTRA.noResume.application)).toEqual({ outcome: 'not-screenable', reason: 'no-resume' });
    const [entry, ...more] = await auditOf(EXTRA.noResume.application);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      kind: 'ai-not-screenable',
      entityKey: entityKey('greenhouse', 'application', EXTRA.noResume.application),
      detail: { workflow: 'screening', applicationId: EXTRA.noResume.application, jobId: ENABLED_JOB, mode: 'assist', reason: 'no-resume' },
    });
    expect(provider.calls).toHaveLength(0);
    await expectNothingWritten(EXTRA.noResume.application, EXTRA.noResume.candidate);
  });

  it('a scanned PDF (no text layer) → not-screenable, audited, no provider call, nothing written', async () => {
    expect(await screen(EXTRA.scanned.application)).toEqual({ outcome: 'not-screenable', reason: 'resume no-text-layer' });
    expect(await auditOf(EXTRA.scanned.application)).toEqual([
      expect.objectContaining({ kind: 'ai-not-screenable', detail: expect.objectContaining({ reason: 'resume no-text-layer' }) }),
    ]);
    expect(provider.calls).toHaveLength(0);
    await expectNothingWritten(EXTRA.scanned.application, EXTRA.scanned.candidate);
  });

  it('a job post with no content → not-screenable (no-job-post-requirements), before the resume is even read', async () => {
    await h.admin('PATCH', '/job_posts/871', { content: null });
    h.sim.counts.reset();
    expect(await screen(APPLICATIONS.strong)).toEqual({ outcome: 'not-screenable', reason: 'no-job-post-requirements' });
    expect(await auditOf(APPLICATIONS.strong)).toEqual([
      expect.objectContaining({ kind: 'ai-not-screenable', detail: expect.objectContaining({ reason: 'no-job-post-requirements' }) }),
    ]);
    expect(provider.calls).toHaveLength(0);
    expect(h.sim.counts.snapshot()['GET /v3/attachments']).toBeUndefined();
    await expectNothingWritten(APPLICATIONS.strong, CANDIDATES.strong);
  });
});

describe('assist mode', () => {
  it('writes the score field, one private note and, above the threshold, no tag when the sample is 0%', async () => {
    const outcome = await screen(APPLICATIONS.strong);
    expect(outcome).toMatchObject({ outcome: 'screened', mode: 'assist', reused: false, needsReview: false, reviewSample: false });
    const score = (outcome as Extract<ScreeningOutcome, { outcome: 'screened' }>).score;
    expect(score).toBe(100);
    expect(await scoreOf(APPLICATIONS.strong)).toBe(score);
    const notes = await notesOf(APPLICATIONS.strong);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.visibility).toMatch(/private/);
    expect(notes[0]!.candidate_id).toBe(CANDIDATES.strong);
    expect(notes[0]!.body).toMatch(new RegExp(`^AI resume screening for .+: ${score}/100 · advisory, not a decision`));
    expect(notes[0]!.body).toContain('Provider offline · model keyword-matcher-v1');
    expect(await tagsOf(CANDIDATES.strong)).toEqual([]);
    // The model saw the resume minimised: no name, contact details or date of birth.
    expect(provider.calls[0]!.resumeText).toContain('Ran Kubernetes clusters');
    expect(provider.calls[0]!.resumeText).not.toMatch(/Avery|Quinn|avery\.quinn@|7946|1991/);
  });

  it('below the threshold → needs-review tag; a 0% review sample adds no sample tag', async () => {
    const outcome = await screen(APPLICATIONS.weak);
    expect(outcome).toMatchObject({ outcome: 'screened', needsReview: true, reviewSample: false });
    expect((outcome as Extract<ScreeningOutcome, { outcome: 'screened' }>).score).toBe(0);
    expect(await tagsOf(CANDIDATES.weak)).toEqual([NEEDS_REVIEW]);
    expect((await notesOf(APPLICATIONS.weak))[0]!.body).toContain('Below the review threshold (50)');
  });

  it('a 100% review sample tags every screened candidate, the custom tag names included', async () => {
    const settings = { ...ASSIST, reviewSamplePercent: 100, needsReviewTag: 'Check me', reviewSampleTag: 'Sampled' };
    expect(await screen(APPLICATIONS.weak, settings)).toMatchObject({ needsReview: true, reviewSample: true });
    expect(await screen(APPLICATIONS.strong, settings)).toMatchObject({ needsReview: false, reviewSample: true });
    expect(await tagsOf(CANDIDATES.weak)).toEqual(['Check me', 'Sampled']);
    expect(await tagsOf(CANDIDATES.strong)).toEqual(['Sampled']);
  });

  it('the threshold is strict: a score equal to it is not flagged', async () => {
    // The offline matcher scores the strong fit 100 (4 of 4 requirements) and the weak fit 0.
    expect(await screen(APPLICATIONS.strong, { ...ASSIST, threshold: 100 })).toMatchObject({ score: 100, needsReview: false });
    expect(await screen(APPLICATIONS.weak, { ...ASSIST, threshold: 0 })).toMatchObject({ score: 0, needsReview: false });
    expect(await tagsOf(CANDIDATES.strong)).toEqual([]);
    expect(await tagsOf(CANDIDATES.weak)).toEqual([]);
    expect((await notesOf(APPLICATIONS.weak))[0]!.body).not.toContain('Below the review threshold');
  });

  it('the score goes into the configured field', async () => {
    await screen(APPLICATIONS.strong, { ...ASSIST, scoreField: 'ai_screening_rationale' });
    const row = (await table<ApplicationRow>('applications')).find((a) => a.id === APPLICATIONS.strong)!;
    expect(row.custom_fields['ai_screening_rationale']?.value).toBeDefined();
    expect(row.custom_fields['ai_fit_score']).toBeUndefined();
  });

  it('a redelivered event for the same application → already-screened, no second call, note or audit', async () => {
    await screen(APPLICATIONS.strong);
    expect(await screen(APPLICATIONS.strong)).toEqual({ outcome: 'already-screened' });
    expect(provider.calls).toHaveLength(1);
    expect(await notesOf(APPLICATIONS.strong)).toHaveLength(1);
    expect(await kindsOf(APPLICATIONS.strong)).toEqual(['ai-inference']);
  });
});

describe('reuse', () => {
  it('a byte-identical resume on the same job is screened from the stored result: one provider call, both written back', async () => {
    const first = await screen(APPLICATIONS.strong);
    const second = await screen(EXTRA.twin.application);
    expect(first).toMatchObject({ outcome: 'screened', reused: false });
    expect(second).toMatchObject({ outcome: 'screened', reused: true, mode: 'assist' });
    const score = (first as Extract<ScreeningOutcome, { outcome: 'screened' }>).score;
    expect((second as Extract<ScreeningOutcome, { outcome: 'screened' }>).score).toBe(score);
    expect(provider.calls).toHaveLength(1);

    expect(await kindsOf(APPLICATIONS.strong)).toEqual(['ai-inference']);
    const [reusedEntry, ...more] = await auditOf(EXTRA.twin.application);
    expect(more).toEqual([]);
    expect(reusedEntry).toMatchObject({
      kind: 'ai-reused',
      detail: { workflow: 'screening', applicationId: EXTRA.twin.application, jobId: ENABLED_JOB, reused: true, inputTokens: 0, outputTokens: 0, latencyMs: 0, score },
    });
    const [inference] = await auditOf(APPLICATIONS.strong);
    expect(reusedEntry!.detail!['inputHash']).toBe(inference!.detail!['inputHash']);

    for (const [applicationId, candidateId] of [
      [APPLICATIONS.strong, CANDIDATES.strong],
      [EXTRA.twin.application, EXTRA.twin.candidate],
    ] as const) {
      expect(await scoreOf(applicationId)).toBe(score);
      const notes = await notesOf(applicationId);
      expect(notes).toHaveLength(1);
      expect(notes[0]!.candidate_id).toBe(candidateId);
    }
  });

  it('changed job post requirements make a new job version: the next application gets a fresh provider call', async () => {
    await screen(APPLICATIONS.strong);
    await h.admin('PATCH', '/job_posts/871', { content: '<ul><li>Production experience with Kubernetes</li><li>Rust services</li></ul>' });
    const outcome = await screen(EXTRA.triplet.application);
    expect(outcome).toMatchObject({ outcome: 'screened', reused: false });
    expect(provider.calls).toHaveLength(2);
    expect(provider.calls[1]!.requirements).toEqual(['Production experience with Kubernetes', 'Rust services']);
    expect(await kindsOf(EXTRA.triplet.application)).toEqual(['ai-inference']);
    const [before] = await auditOf(APPLICATIONS.strong);
    const [after] = await auditOf(EXTRA.triplet.application);
    expect(after!.detail!['inputHash']).not.toBe(before!.detail!['inputHash']);
  });
});

describe('shadow mode', () => {
  it('audits the inference and writes nothing to Greenhouse (no note, field or tag), even below the threshold with a full sample', async () => {
    const settings: SettingsInput = { ...ASSIST, mode: 'shadow', reviewSamplePercent: 100 };
    const outcome = await screen(APPLICATIONS.weak, settings);
    expect(outcome).toMatchObject({ outcome: 'screened', mode: 'shadow', reused: false, needsReview: true, reviewSample: true });
    expect(provider.calls).toHaveLength(1);
    const [entry, ...more] = await auditOf(APPLICATIONS.weak);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ kind: 'ai-inference', detail: { workflow: 'screening', mode: 'shadow', applicationId: APPLICATIONS.weak, provider: 'offline' } });
    await expectNothingWritten(APPLICATIONS.weak, CANDIDATES.weak);
  });
});

describe('provider failures', () => {
  it.each([
    ['ModelAnswerInvalid', () => new ModelAnswerInvalid('screening', 'no tool use')],
    ['GuardrailIntervened', () => new GuardrailIntervened('screening')],
  ])('%s → failed, ai-failed audit, nothing written, and no second provider call for the same screening', async (name, make) => {
    provider.failWith = make();
    expect(await screen(APPLICATIONS.strong)).toEqual({ outcome: 'failed', reason: name });
    expect(provider.calls).toHaveLength(1);
    expect(await auditOf(APPLICATIONS.strong)).toEqual([
      expect.objectContaining({ kind: 'ai-failed', detail: expect.objectContaining({ workflow: 'screening', error: name, provider: 'offline', applicationId: APPLICATIONS.strong }) }),
    ]);
    await expectNothingWritten(APPLICATIONS.strong, CANDIDATES.strong);

    // The done marker: a redelivery (even with a healthy provider now) does not try again.
    provider.failWith = undefined;
    expect(await screen(APPLICATIONS.strong)).toEqual({ outcome: 'already-screened' });
    expect(provider.calls).toHaveLength(1);
    expect(await kindsOf(APPLICATIONS.strong)).toEqual(['ai-failed']);
  });

  it('any other error rejects (so the queue retries), with no inference audited and nothing written; the retry then screens', async () => {
    provider.failWith = new Error('ECONNRESET');
    await expect(screen(APPLICATIONS.strong)).rejects.toThrow('ECONNRESET');
    expect(provider.calls).toHaveLength(1);
    expect(await auditOf(APPLICATIONS.strong)).toEqual([]);
    await expectNothingWritten(APPLICATIONS.strong, CANDIDATES.strong);

    provider.failWith = undefined;
    expect(await screen(APPLICATIONS.strong)).toMatchObject({ outcome: 'screened', reused: false });
    expect(provider.calls).toHaveLength(2);
    expect(await notesOf(APPLICATIONS.strong)).toHaveLength(1);
  });
});

/** The client, except that the first call of `method` fails with `message`. */
function failingOnce(client: GreenhouseClient, method: keyof GreenhouseClient, message: string): GreenhouseClient {
  let failures = 1;
  return new Proxy(client, {
    get(target, prop) {
      if (prop === method && failures > 0) {
        return async () => {
          failures--;
          throw new Error(message);
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('a write-back that fails after the inference', () => {
  it('rejects; the retry reuses the stored result (no second provider call) and writes one note', async () => {
    const greenhouse = failingOnce(h.client, 'createNote', 'notes endpoint down');
    const settings = screeningSettingsSchema.parse(ASSIST);
    await expect(screenApplication(APPLICATIONS.strong, { ...deps(), greenhouse, settings })).rejects.toThrow('notes endpoint down');
    expect(await notesOf(APPLICATIONS.strong)).toEqual([]);
    // The field was written before the note.
    expect(await scoreOf(APPLICATIONS.strong)).toBe(100);

    const retry = await screenApplication(APPLICATIONS.strong, { ...deps(), greenhouse, settings });
    expect(retry).toMatchObject({ outcome: 'screened', reused: true, score: 100 });
    expect(provider.calls).toHaveLength(1);
    expect(await notesOf(APPLICATIONS.strong)).toHaveLength(1);
    expect(await kindsOf(APPLICATIONS.strong)).toEqual(['ai-inference', 'ai-reused']);
    expect(await screenApplication(APPLICATIONS.strong, { ...deps(), greenhouse, settings })).toEqual({ outcome: 'already-screened' });
  });

  // createNote is not idempotent, so the note is the last write: a failed tag write (found by this test
  // when the note came first) leaves no note, and the queue's retry writes exactly one.
  it('a failed tag write: the retry writes the tags and exactly one note', async () => {
    const greenhouse = failingOnce(h.client, 'addTag', 'tags endpoint down');
    const settings = screeningSettingsSchema.parse(ASSIST);
    await expect(screenApplication(APPLICATIONS.weak, { ...deps(), greenhouse, settings })).rejects.toThrow('tags endpoint down');
    expect(await notesOf(APPLICATIONS.weak)).toHaveLength(0);
    expect(await screenApplication(APPLICATIONS.weak, { ...deps(), greenhouse, settings })).toMatchObject({ outcome: 'screened' });
    expect(await tagsOf(CANDIDATES.weak)).toEqual([NEEDS_REVIEW]);
    expect(await notesOf(APPLICATIONS.weak)).toHaveLength(1);
  });
});

describe('what Audit keeps', () => {
  it('no resume text, contact detail or name in any entry of any kind', async () => {
    await screen(APPLICATIONS.strong, { ...ASSIST, reviewSamplePercent: 100 });
    await screen(EXTRA.twin.application);
    provider.failWith = new ModelAnswerInvalid('screening', 'bad');
    await screen(APPLICATIONS.weak);
    await screen(EXTRA.scanned.application);
    const entries = [
      ...(await auditOf(APPLICATIONS.strong)),
      ...(await auditOf(EXTRA.twin.application)),
      ...(await auditOf(APPLICATIONS.weak)),
      ...(await auditOf(EXTRA.scanned.application)),
    ];
    expect(entries.map((e) => e.kind).sort()).toEqual(['ai-failed', 'ai-inference', 'ai-not-screenable', 'ai-reused']);
    // The line is in what the provider was given, so it could have leaked; it is not evidence for any requirement.
    expect(provider.calls[0]!.resumeText).toContain(STRONG_RESUME_ONLY_LINE);
    const json = JSON.stringify(entries);
    for (const secret of [STRONG_RESUME_ONLY_LINE, 'Lumen Freight', 'Corner Cafe', 'Trained new staff', 'Avery', 'avery.quinn@example.test', '7946 0101', '4 May 1991']) {
      expect(json).not.toContain(secret);
    }
  });
});
