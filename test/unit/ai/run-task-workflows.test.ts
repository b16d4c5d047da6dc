import { describe, expect, it } from 'vitest';
import { aiMetrics, SCREENING_OVERRIDE_METRICS } from '#core/metrics';
import { aiSettingsSchema } from '#core/ai/settings';
import { runAiTask, type AiTaskDependencies, type RediscoveryRuns } from '#core/ai/run-task';
import type { JobDescriptionOutcome } from '#core/ai/jd/workflow';
import type { OfferChecksOutcome } from '#core/ai/offers/workflow';
import type { OverrideOutcome } from '#core/ai/overrides/workflow';
import type { IndexSyncResult } from '#core/ai/rediscovery/index-sync';
import type { RediscoveryOutcome } from '#core/ai/rediscovery/workflow';

/**
 * What the ai-tasks consumer runs for jobs, the rediscovery index and offers, and what each outcome
 * counts on the dashboard (runs, items, tokens, estimated cost, errors). The workflows themselves are tested
 * against the Greenhouse simulator (test/integration/ai/rediscovery-workflow.test.ts).
 */

const PROVENANCE = { provider: 'bedrock', model: 'amazon.titan-embed-text-v2:0', isLanguageModel: true, dimensions: 512 };
const SUGGESTED: RediscoveryOutcome = {
  outcome: 'suggested',
  mode: 'assist',
  jobId: 801,
  jobTitle: 'Platform Engineer',
  suggestions: [
    { candidateId: 1, score: 0.7, evidence: { matched: [], judged: 3 } },
    { candidateId: 2, score: 0.6, evidence: { matched: [], judged: 3 } },
  ],
  noteWritten: true,
  notedOn: 'job',
  alreadySuggested: false,
  provenance: PROVENANCE,
  usage: { inputTokens: 40 },
  estimatedCostUsd: 0.0008,
  latencyMs: 120,
};
const DRAFTED = {
  outcome: 'drafted',
  mode: 'assist',
  jobId: 801,
  draft: {} as never,
  checks: [
    { check: 'inclusive-language', passed: false, findings: [{ severity: 'fail', message: 'rockstar' }, { severity: 'warn', message: 'he' }] },
    { check: 'sections', passed: true, findings: [] },
  ],
  noteWritten: true,
  jobNotes: 'available',
  posts: { patched: [], live: [], untouched: [], writeJobPost: false },
  payRangeRequiredIn: [],
  provenance: { provider: 'bedrock', model: 'm', promptVersion: 'jd-v1', isLanguageModel: true },
  usage: { inputTokens: 1000, outputTokens: 500 },
  latencyMs: 900,
} as JobDescriptionOutcome;
const CHECKED: OfferChecksOutcome = {
  outcome: 'checked',
  mode: 'assist',
  offerId: 61,
  checks: [
    { check: 'pay-within-band', passed: false, findings: [{ severity: 'fail', message: 'above' }] },
    { check: 'approval-flow', passed: true, findings: [] },
  ],
  approvals: { kind: 'not-requested', reason: 'checks-failed' },
  noteWritten: true,
};
const SYNCED: IndexSyncResult = { embedded: [5], refreshed: [], unchanged: 0, removed: [], provenance: PROVENANCE, usage: { inputTokens: 900 }, estimatedCostUsd: 0.018 };

type Settings = Parameters<typeof aiSettingsSchema.parse>[0];

function harness(settings: Settings, options: { rediscovery?: Partial<RediscoveryRuns>; draft?: JobDescriptionOutcome; offer?: OfferChecksOutcome; overrides?: OverrideOutcome } = {}) {
  const calls: string[] = [];
  const metrics = new Map<string, number>();
  const infos: [string, Record<string, unknown>][] = [];
  const rediscovery: RediscoveryRuns = {
    forJob: async (jobId, trigger) => (calls.push(`rediscover ${jobId} ${trigger}`), SUGGESTED),
    syncCandidate: async (id) => (calls.push(`sync ${id}`), SYNCED),
    remove: async (removal) => (calls.push(`remove ${removal.candidateId} ${removal.reason}`), removal.survivorId ? { survivor: SYNCED } : {}),
    ...options.rediscovery,
  };
  const deps: AiTaskDependencies = {
    screening: {} as never,
    synthesizeFeedback: async (applicationId) => (calls.push(`feedback ${applicationId}`), { outcome: 'none', inferences: [], failures: 0 }),
    applicationsOf: async () => [],
    rediscovery,
    draftJobDescription: async (jobId) => (calls.push(`draft ${jobId}`), options.draft ?? DRAFTED),
    checkOffer: async (offerId) => (calls.push(`offer ${offerId}`), options.offer ?? CHECKED),
    checkOverrides: async (applicationId) => (calls.push(`overrides ${applicationId}`), options.overrides ?? { outcome: 'skipped', reason: 'not-screened' }),
    settings: aiSettingsSchema.parse(settings),
  };
  const report = {
    metric: (name: string, _unit: unknown, value: number) => void metrics.set(name, (metrics.get(name) ?? 0) + value),
    info: (message: string, fields: Record<string, unknown>) => void infos.push([message, fields]),
  };
  const run = (action: string, refs: Record<string, unknown>) => runAiTask({ action, refs, deliveryId: 'd1' } as never, deps, report);
  return { run, calls, metrics, infos };
}

const ON = { rediscovery: { enabled: true, consentField: 'open_to_other_roles' }, jobDescriptions: { enabled: true } } as Settings;
const R = aiMetrics('rediscovery');
const I = aiMetrics('rediscoveryIndex');
const J = aiMetrics('jobDescription');

describe('jobs on ai-tasks', () => {
  it('a new job is drafted and rediscovered for; each run counts its runs, items, tokens and estimated cost', async () => {
    const h = harness(ON);
    await h.run('job_created', { jobIds: ['801'] });
    expect(h.calls).toEqual(['draft 801', 'rediscover 801 opened']);
    expect(Object.fromEntries(h.metrics)).toMatchObject({
      [R.inferences]: 1,
      [R.items]: 2,
      [R.inputTokens]: 40,
      [R.outputTokens]: 0,
      [R.estimatedCostUsd]: 0.0008,
      [R.latencyMs]: 120,
      [J.inferences]: 1,
      [J.items]: 2,
      [J.inputTokens]: 1000,
      [J.outputTokens]: 500,
    });
    expect(h.metrics.get(R.errors)).toBeUndefined();
  });

  it('an approved job, the daily run and a post going live are rediscovered for without a draft', async () => {
    const h = harness(ON);
    await h.run('job_approved', { jobIds: ['801'] });
    await h.run('rediscover_job', { jobIds: ['802'] });
    await h.run('job_post_updated', { jobIds: ['803'], jobPostId: '9' });
    expect(h.calls).toEqual(['rediscover 801 opened', 'rediscover 802 schedule', 'rediscover 803 post']);
  });

  it('with both workflows off a new job runs nothing, and says so', async () => {
    const h = harness({});
    await h.run('job_created', { jobIds: ['801'] });
    expect(h.calls).toEqual([]);
    expect(h.infos).toEqual([['AI task with no workflow to run', expect.objectContaining({ jobId: 801, reason: 'workflows-off' })]]);
  });

  it('a redelivered new job reuses its draft; a drafter answer that could not be used counts an error, and the message is done', async () => {
    const reused = harness(ON, { draft: { outcome: 'already-drafted', jobId: 801 } });
    await reused.run('job_created', { jobIds: ['801'] });
    expect(reused.metrics.get(J.reused)).toBe(1);
    expect(reused.metrics.get(J.inferences)).toBeUndefined();
    const failed = harness(ON, { draft: { outcome: 'failed', jobId: 801, reason: 'ModelAnswerInvalid' } });
    await failed.run('job_created', { jobIds: ['801'] });
    expect(failed.metrics.get(J.errors)).toBe(1);
  });

  it('a failed rediscovery counts one error and fails the message (retried, then kept on the DLQ)', async () => {
    const h = harness(ON, { rediscovery: { forJob: async () => Promise.reject(new Error('index unavailable')) } });
    await expect(h.run('rediscover_job', { jobIds: ['801'] })).rejects.toThrow('index unavailable');
    expect(h.metrics.get(R.errors)).toBe(1);
  });
});

describe('the rediscovery index on ai-tasks', () => {
  it('a changed profile is synced: the embedded profiles are its items, their tokens and cost counted', async () => {
    const h = harness(ON);
    await h.run('candidate_profile_changed', { candidateId: '5' });
    expect(h.calls).toEqual(['sync 5']);
    expect(Object.fromEntries(h.metrics)).toMatchObject({ [I.inferences]: 1, [I.items]: 1, [I.inputTokens]: 900, [I.estimatedCostUsd]: 0.018 });
  });

  it('a deleted, anonymized or merged-away candidate is removed in the same message; a merge syncs the survivor', async () => {
    const h = harness(ON);
    await h.run('delete_candidate', { candidateId: '5' });
    await h.run('candidate_anonymized', { candidateId: '6' });
    await h.run('merge_candidate', { candidateId: '7', winnerCandidateId: '8' });
    expect(h.calls).toEqual(['remove 5 deleted', 'remove 6 anonymized', 'remove 7 merged']);
    expect(h.metrics.get(I.notRun)).toBe(3);
    expect(h.metrics.get(I.items)).toBe(1);
  });

  it('with rediscovery off nothing touches the index', async () => {
    const h = harness({});
    await h.run('candidate_anonymized', { candidateId: '6' });
    await h.run('candidate_profile_changed', { candidateId: '6' });
    expect(h.calls).toEqual([]);
    expect(h.infos.map(([, f]) => f['reason'])).toEqual(['rediscovery-off', 'rediscovery-off']);
  });
});

describe('offers on ai-tasks', () => {
  const O = aiMetrics('offers');

  it('a new or changed offer is checked: one run, its failed checks counted, no tokens (no model)', async () => {
    const h = harness({ offers: { enabled: true } } as Settings);
    await h.run('offer_created', { offerId: '61', applicationId: '9201' });
    await h.run('offer_updated', { offerId: '62', applicationId: '9201' });
    expect(h.calls).toEqual(['offer 61', 'offer 62']);
    expect(Object.fromEntries(h.metrics)).toEqual({ [O.inferences]: 2, [O.items]: 2 });
  });

  it('with offer checks off, or for an approval or a deletion, nothing runs', async () => {
    const off = harness({});
    await off.run('offer_created', { offerId: '61' });
    expect(off.calls).toEqual([]);
    const on = harness({ offers: { enabled: true } } as Settings);
    await on.run('offer_approved', { offerId: '61' });
    await on.run('offer_deleted', { offerId: '61' });
    expect(on.calls).toEqual([]);
  });
});

describe('reviewer overrides on ai-tasks', () => {
  const SCREENING_ON = { screening: { enabled: true, mode: 'assist', scope: { allJobs: true } } } as Settings;
  const FOUND: OverrideOutcome = {
    outcome: 'checked',
    overrides: [
      { kind: 'score-changed', aiScore: 20, newValue: 80 },
      { kind: 'advanced-below-threshold', aiScore: 20, newValue: 2 },
    ],
  };

  it('an updated application is checked; a stage change and the scorecard poll synthesise feedback, then check', async () => {
    const h = harness(SCREENING_ON);
    await h.run('application_updated', { applicationId: '9201' });
    await h.run('candidate_stage_change', { applicationId: '9202' });
    await h.run('scorecards_changed', { applicationId: '9203' });
    expect(h.calls).toEqual(['overrides 9201', 'feedback 9202', 'overrides 9202', 'feedback 9203', 'overrides 9203']);
  });

  it('each new override counts one of its kind; an application never screened logs nothing', async () => {
    const found = harness(SCREENING_ON, { overrides: FOUND });
    await found.run('application_updated', { applicationId: '9201' });
    expect(found.metrics.get(SCREENING_OVERRIDE_METRICS['score-changed'])).toBe(1);
    expect(found.metrics.get(SCREENING_OVERRIDE_METRICS['advanced-below-threshold'])).toBe(1);
    expect(found.metrics.get(SCREENING_OVERRIDE_METRICS['needs-review-removed'])).toBeUndefined();
    expect(found.infos).toEqual([['override check done', expect.objectContaining({ applicationId: 9201, outcome: 'checked', overrides: ['score-changed', 'advanced-below-threshold'] })]]);
    const never = harness(SCREENING_ON);
    await never.run('application_updated', { applicationId: '9201' });
    expect(never.metrics.size).toBe(0);
    expect(never.infos).toEqual([]);
  });

  it('with screening off nothing is checked', async () => {
    const h = harness({});
    await h.run('application_updated', { applicationId: '9201' });
    await h.run('candidate_stage_change', { applicationId: '9202' });
    expect(h.calls).toEqual(['feedback 9202']);
  });

  it('a failed check counts a screening error and fails the message', async () => {
    const metrics = new Map<string, number>();
    await expect(
      runAiTask(
        { action: 'application_updated', refs: { applicationId: '9201' }, deliveryId: 'd1' } as never,
        {
          screening: {} as never,
          synthesizeFeedback: async () => ({ outcome: 'none', inferences: [], failures: 0 }),
          applicationsOf: async () => [],
          draftJobDescription: async () => DRAFTED,
          checkOffer: async () => CHECKED,
          checkOverrides: async () => {
            throw new Error('Greenhouse down');
          },
          settings: aiSettingsSchema.parse(SCREENING_ON),
        },
        { metric: (name, _unit, value) => void metrics.set(name, value), info: () => undefined },
      ),
    ).rejects.toThrow('Greenhouse down');
    expect(metrics.get(aiMetrics('screening').errors)).toBe(1);
  });
});
