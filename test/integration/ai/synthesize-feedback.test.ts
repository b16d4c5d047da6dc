import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { entityKey } from '#core/envelope';
import type { AuditEntry } from '#core/sync/ports';
import { offlineFeedbackProvider } from '#core/ai/feedback/offline';
import { GuardrailIntervened, ModelAnswerInvalid } from '#core/ai/model';
import { feedbackSettingsSchema, optOutSettingsSchema } from '#core/ai/settings';
import { synthesizeFeedback, type FeedbackDependencies, type FeedbackRunResult } from '#core/ai/feedback/workflow';
import { recorded, useAiHarness } from '../../support/ai-harness.ts';
import { APPLICATIONS, CANDIDATES, DISABLED_JOB, ENABLED_JOB, INTERVIEWERS, TECHNICAL_JOB_INTERVIEW, TECHNICAL_STAGE, aiScenario } from '../../support/ai-scenario.ts';

/**
 * synthesizeFeedback against the Greenhouse simulator through the real client: interviews and
 * scorecards are made through the admin API on the "Technical Interview" (job interview 8130, stage
 * 813) of application 9201, the offline tally answers behind a counting wrapper, and memory and
 * Audit are the in-memory ones.
 */
const APPLICATION = APPLICATIONS.strong;
const PROSPECT_APPLICATION = 954;

/** The offline tally behind a wrapper that counts calls and can be told to throw. */
const provider = recorded(offlineFeedbackProvider, 'synthesize');
const h = useAiHarness(aiScenario, provider);

type SettingsInput = z.input<typeof feedbackSettingsSchema>;
const ASSIST: SettingsInput = { enabled: true, mode: 'assist', scope: { jobIds: [ENABLED_JOB] } };

function deps(settings: SettingsInput = ASSIST): FeedbackDependencies {
  return { greenhouse: h.client, provider, memory: h.memory, audit: h.audit, clock: h.clock, settings: feedbackSettingsSchema.parse(settings), optOut: optOutSettingsSchema.parse({}) };
}
const synthesize = (settings?: SettingsInput, applicationId: number = APPLICATION): Promise<FeedbackRunResult> => synthesizeFeedback(applicationId, deps(settings));

// Greenhouse, through the admin API.
interface NoteRow {
  readonly application_id: number | null;
  readonly candidate_id: number;
  readonly body: string;
  readonly visibility: string;
}
const notes = async () => (await h.admin<NoteRow[]>('GET', '/state?table=notes')).filter((n) => n.application_id === APPLICATION);
const writes = () => Object.entries(h.sim.counts.snapshot()).filter(([route]) => !route.startsWith('GET ') && route !== 'POST /token');
const auditEntries = (): Promise<AuditEntry[]> => h.audit.list(entityKey('greenhouse', 'application', APPLICATION));

async function schedule(interviewers: readonly number[] = [INTERVIEWERS.mira, INTERVIEWERS.tobias]): Promise<number> {
  const { id } = await h.admin<{ id: number }>('POST', '/interviews', { application_id: APPLICATION, job_interview_id: TECHNICAL_JOB_INTERVIEW, interviewer_ids: interviewers });
  await h.admin('POST', `/interviews/${id}/conclude`);
  return id;
}
const submit = (interviewId: number, interviewer: number, rating: string, notesText: string, status: 'draft' | 'complete' = 'complete') =>
  h.admin('POST', '/scorecards', { interview_id: interviewId, interviewer_id: interviewer, candidate_rating: rating, notes: notesText, status });

const MIRA_NOTES = 'Avery explained the event pipeline design clearly. Strong on Kubernetes operations. Can they lead an incident review?';
const TOBIAS_NOTES = 'Kubernetes operations knowledge was solid but the system design answer lacked depth.';

/** Both interviewers' scorecards in: the stage is ready. */
async function stageComplete(): Promise<number> {
  const interview = await schedule();
  await submit(interview, INTERVIEWERS.mira, 'strong_yes', MIRA_NOTES);
  await submit(interview, INTERVIEWERS.tobias, 'no', TOBIAS_NOTES);
  return interview;
}

const NOTHING_READY: FeedbackRunResult = { outcome: 'nothing-ready', inferences: [], unchanged: 0, failures: 0 };

describe('gating', () => {
  it.each<[string, SettingsInput, number, string]>([
    ['a prospect application', ASSIST, PROSPECT_APPLICATION, 'prospect'],
    ['default settings (off)', {}, APPLICATION, 'disabled'],
    ['a job out of scope', { ...ASSIST, scope: { jobIds: [DISABLED_JOB] } }, APPLICATION, 'out-of-scope'],
    ['an excluded job', { ...ASSIST, scope: { allJobs: true, excludedJobIds: [ENABLED_JOB] } }, APPLICATION, 'excluded'],
    ['a 0% rollout', { ...ASSIST, rolloutPercent: 0 }, APPLICATION, 'not-in-rollout'],
  ])('%s → skipped, even with the stage complete', async (_, settings, applicationId, reason) => {
    await stageComplete();
    expect(await synthesize(settings, applicationId)).toEqual({ outcome: 'skipped', reason, inferences: [], unchanged: 0, failures: 0 });
    expect(provider.calls).toHaveLength(0);
    expect(await auditEntries()).toEqual([]);
    expect(await notes()).toEqual([]);
  });
});

describe('readiness', () => {
  it('no scorecards → nothing-ready, no provider call', async () => {
    expect(await synthesize()).toEqual(NOTHING_READY);
    await schedule();
    expect(await synthesize()).toEqual(NOTHING_READY);
    expect(provider.calls).toHaveLength(0);
    expect(await auditEntries()).toEqual([]);
  });

  it('one of two interviewers submitted → nothing-ready, no provider call, no note', async () => {
    const interview = await schedule();
    await submit(interview, INTERVIEWERS.mira, 'strong_yes', MIRA_NOTES);
    expect(await synthesize()).toEqual(NOTHING_READY);
    expect(provider.calls).toHaveLength(0);
    expect(await notes()).toEqual([]);
    expect(await auditEntries()).toEqual([]);
  });

  it('a draft scorecard holds the stage back until it is submitted', async () => {
    const interview = await schedule();
    await submit(interview, INTERVIEWERS.mira, 'strong_yes', MIRA_NOTES);
    await submit(interview, INTERVIEWERS.tobias, 'no', 'Half written', 'draft');
    expect(await synthesize()).toEqual(NOTHING_READY);
    expect(provider.calls).toHaveLength(0);
    expect(await notes()).toEqual([]);

    await submit(interview, INTERVIEWERS.tobias, 'no', TOBIAS_NOTES);
    expect(await synthesize()).toMatchObject({ outcome: 'synthesised', failures: 0 });
    expect(provider.calls).toHaveLength(1);
    expect(await notes()).toHaveLength(1);
  });
});

describe('assist mode', () => {
  it('both scorecards in → one private note and one ai-inference audit with the stage and scorecard set; again → unchanged', async () => {
    await stageComplete();
    const run = await synthesize();
    expect(run).toMatchObject({ outcome: 'synthesised', unchanged: 0, failures: 0 });
    expect(run.inferences).toEqual([{ stageId: TECHNICAL_STAGE, usage: { inputTokens: 0, outputTokens: 0 }, latencyMs: 0 }]);
    expect(provider.calls).toHaveLength(1);

    // The provider saw labels and scrubbed notes, not names.
    const input = provider.calls[0]!;
    expect(input.stageName).toBe('Technical Interview');
    expect(input.scorecards.map((s) => [s.label, s.rating]).sort()).toEqual([
      ['Interviewer A', 'strong_yes'],
      ['Interviewer B', 'no'],
    ]);
    expect(JSON.stringify(input)).not.toMatch(/Avery|Quinn|Mira|Kestrel|Tobias|Wren/);

    const [note, ...moreNotes] = await notes();
    expect(moreNotes).toEqual([]);
    expect(note!.visibility).toMatch(/private/);
    expect(note!.candidate_id).toBe(CANDIDATES.strong);
    expect(note!.body).toMatch(/^AI feedback synthesis — Technical Interview \(2 scorecards\) · advisory, not a decision/);
    expect(note!.body).toContain('Mira Kestrel');
    expect(note!.body).toContain('Tobias Wren');
    expect(note!.body).toContain('Generated by offline · feedback-tally-v1');

    const [entry, ...moreEntries] = await auditEntries();
    expect(moreEntries).toEqual([]);
    expect(entry).toMatchObject({
      kind: 'ai-inference',
      detail: { workflow: 'feedback-synthesis', applicationId: APPLICATION, jobId: ENABLED_JOB, stageId: TECHNICAL_STAGE, mode: 'assist', scorecards: 2, provider: 'offline', model: 'feedback-tally-v1' },
    });
    expect(entry!.detail!['scorecardSet']).toMatch(/^[0-9a-f]{64}$/);
    expect(entry!.detail!['inputHash']).toMatch(/^[0-9a-f]{64}$/);
    // Audit holds labels: neither the interviewers' names nor the candidate's.
    expect(JSON.stringify(entry)).not.toMatch(/Avery|Quinn|Mira|Kestrel|Tobias|Wren/);

    expect(await synthesize()).toEqual({ outcome: 'nothing-ready', inferences: [], unchanged: 1, failures: 0 });
    expect(provider.calls).toHaveLength(1);
    expect(await notes()).toHaveLength(1);
    expect(await auditEntries()).toHaveLength(1);
  });

  it('an edited scorecard changes the set: a second synthesis and a second note', async () => {
    const interview = await stageComplete();
    await synthesize();
    // Greenhouse's updated_at has whole seconds; the edit comes later than the submission.
    h.clock.advance(2_000);
    await submit(interview, INTERVIEWERS.tobias, 'yes', 'On reflection the system design answer was sound.');
    const run = await synthesize();
    expect(run).toMatchObject({ outcome: 'synthesised', unchanged: 0, failures: 0 });
    expect(run.inferences.map((i) => i.stageId)).toEqual([TECHNICAL_STAGE]);
    expect(provider.calls).toHaveLength(2);
    expect(provider.calls[1]!.scorecards.map((s) => s.rating).sort()).toEqual(['strong_yes', 'yes']);
    expect(await notes()).toHaveLength(2);
    const entries = await auditEntries();
    expect(entries.map((e) => e.kind)).toEqual(['ai-inference', 'ai-inference']);
    expect(new Set(entries.map((e) => e.detail!['scorecardSet'])).size).toBe(2);

    expect(await synthesize()).toMatchObject({ unchanged: 1, inferences: [] });
    expect(provider.calls).toHaveLength(2);
  });
});

describe('shadow mode', () => {
  it('audits the synthesis and writes no note (no Greenhouse write at all)', async () => {
    await stageComplete();
    h.sim.counts.reset();
    const run = await synthesize({ ...ASSIST, mode: 'shadow' });
    expect(run).toMatchObject({ outcome: 'synthesised', failures: 0 });
    expect(run.inferences).toHaveLength(1);
    expect(provider.calls).toHaveLength(1);
    expect(await auditEntries()).toEqual([expect.objectContaining({ kind: 'ai-inference', detail: expect.objectContaining({ mode: 'shadow', stageId: TECHNICAL_STAGE }) })]);
    expect(await notes()).toEqual([]);
    expect(writes()).toEqual([]);
  });
});

describe('provider failures', () => {
  it.each([
    ['ModelAnswerInvalid', () => new ModelAnswerInvalid('feedback-synthesis', 'no tool use')],
    ['GuardrailIntervened', () => new GuardrailIntervened('feedback-synthesis')],
  ])('%s → failures 1, an ai-failed audit, no note; the same set is not tried again', async (name, make) => {
    await stageComplete();
    provider.failWith = make();
    expect(await synthesize()).toEqual({ outcome: 'synthesised', inferences: [], unchanged: 0, failures: 1 });
    expect(provider.calls).toHaveLength(1);
    expect(await auditEntries()).toEqual([
      expect.objectContaining({
        kind: 'ai-failed',
        detail: expect.objectContaining({ workflow: 'feedback-synthesis', stageId: TECHNICAL_STAGE, error: name, provider: 'offline', scorecards: 2 }),
      }),
    ]);
    expect(await notes()).toEqual([]);

    provider.failWith = undefined;
    expect(await synthesize()).toEqual({ outcome: 'nothing-ready', inferences: [], unchanged: 1, failures: 0 });
    expect(provider.calls).toHaveLength(1);
    expect(await notes()).toEqual([]);
  });

  it('any other error rejects (the queue retries) with nothing audited or written; the retry synthesises', async () => {
    await stageComplete();
    provider.failWith = new Error('ECONNRESET');
    await expect(synthesize()).rejects.toThrow('ECONNRESET');
    expect(await auditEntries()).toEqual([]);
    expect(await notes()).toEqual([]);

    provider.failWith = undefined;
    expect(await synthesize()).toMatchObject({ outcome: 'synthesised', failures: 0 });
    expect(provider.calls).toHaveLength(2);
    expect(await notes()).toHaveLength(1);
  });
});
