import { describe, expect, it } from 'vitest';
import { estimatedCostUsd } from '#core/ai/pricing';
import { routeAiTask } from '#core/ai/route-task';

describe('AI task routing', () => {
  it('screens a new application and synthesises feedback (and checks overrides) on a stage change or the scorecard poll', () => {
    expect(routeAiTask({ action: 'new_candidate_application', refs: { applicationId: '41', candidateId: '7' } })).toEqual({ workflow: 'screening', applicationId: 41 });
    expect(routeAiTask({ action: 'candidate_stage_change', refs: { applicationId: '42' } })).toEqual({ workflow: 'feedback', applicationId: 42, checkOverrides: true });
    expect(routeAiTask({ action: 'scorecards_changed', refs: { applicationId: '43' } })).toEqual({ workflow: 'feedback', applicationId: 43, checkOverrides: true });
  });

  it('checks an updated application for reviewer overrides; one without an id is kept for an operator', () => {
    expect(routeAiTask({ action: 'application_updated', refs: { applicationId: '44', candidateId: '7' } })).toEqual({ workflow: 'overrides', applicationId: 44 });
    expect(() => routeAiTask({ action: 'application_updated', refs: {} })).toThrow('application_updated without an application id');
  });

  it("a deleted scorecard synthesises the candidate's applications; one without a candidate, or a deleted interview, runs nothing", () => {
    expect(routeAiTask({ action: 'scorecard_deleted', refs: { candidateId: '7', scorecardId: '5' } })).toEqual({ workflow: 'feedback-for-candidate', candidateId: 7 });
    expect(routeAiTask({ action: 'scorecard_deleted', refs: { scorecardId: '5' } })).toEqual({ workflow: 'none' });
    expect(routeAiTask({ action: 'interview_deleted', refs: { applicationId: '42' } })).toEqual({ workflow: 'none' });
  });

  it('a new job is drafted and rediscovered for; an approved job, the daily run and a job post only rediscovered for', () => {
    expect(routeAiTask({ action: 'job_created', refs: { jobIds: ['801'] } })).toEqual({ workflow: 'job', jobId: 801, trigger: 'opened', draftDescription: true });
    expect(routeAiTask({ action: 'job_approved', refs: { jobIds: ['801'] } })).toEqual({ workflow: 'job', jobId: 801, trigger: 'opened', draftDescription: false });
    expect(routeAiTask({ action: 'rediscover_job', refs: { jobIds: ['801'] } })).toEqual({ workflow: 'job', jobId: 801, trigger: 'schedule', draftDescription: false });
    expect(routeAiTask({ action: 'job_post_updated', refs: { jobIds: ['801'], jobPostId: '9' } })).toEqual({ workflow: 'job', jobId: 801, trigger: 'post', draftDescription: false });
    // A prospect post belongs to no job.
    expect(routeAiTask({ action: 'job_post_created', refs: { jobPostId: '9' } })).toEqual({ workflow: 'none' });
    expect(() => routeAiTask({ action: 'job_created', refs: {} })).toThrow('job_created without a job id');
  });

  it('keeps the rediscovery index in step: a changed profile is synced, a deleted, merged-away or anonymized candidate removed', () => {
    expect(routeAiTask({ action: 'candidate_profile_changed', refs: { candidateId: '7' } })).toEqual({ workflow: 'index-sync', candidateId: 7 });
    expect(routeAiTask({ action: 'delete_candidate', refs: { candidateId: '7' } })).toEqual({ workflow: 'index-remove', candidateId: 7, reason: 'deleted' });
    expect(routeAiTask({ action: 'candidate_anonymized', refs: { candidateId: '7' } })).toEqual({ workflow: 'index-remove', candidateId: 7, reason: 'anonymized' });
    expect(routeAiTask({ action: 'merge_candidate', refs: { candidateId: '7', winnerCandidateId: '8' } })).toEqual({ workflow: 'index-remove', candidateId: 7, reason: 'merged', survivorId: 8 });
    expect(() => routeAiTask({ action: 'candidate_anonymized', refs: {} })).toThrow('candidate_anonymized without a candidate id');
  });

  it('checks a new or changed offer; an approval or a deletion asks for nothing', () => {
    expect(routeAiTask({ action: 'offer_created', refs: { offerId: '61', applicationId: '9201' } })).toEqual({ workflow: 'offer', offerId: 61 });
    expect(routeAiTask({ action: 'offer_updated', refs: { offerId: '62' } })).toEqual({ workflow: 'offer', offerId: 62 });
    expect(routeAiTask({ action: 'offer_approved', refs: { offerId: '62' } })).toEqual({ workflow: 'none' });
    expect(() => routeAiTask({ action: 'offer_created', refs: {} })).toThrow('offer_created without an offer id');
  });

  it('refuses a workflow action without a usable application id, so the message is kept rather than dropped', () => {
    for (const applicationId of [undefined, '0', '-3', 'abc', '1.5']) {
      expect(() => routeAiTask({ action: 'new_candidate_application', refs: applicationId === undefined ? {} : { applicationId } })).toThrow('new_candidate_application without an application id');
    }
  });
});

describe('estimated inference cost', () => {
  it('prices input and output tokens per thousand at the configured rates', () => {
    expect(estimatedCostUsd({ inputTokens: 2_000, outputTokens: 500 }, { inputPer1kTokensUsd: 0.001, outputPer1kTokensUsd: 0.005 })).toBeCloseTo(0.002 + 0.0025, 12);
    expect(estimatedCostUsd({ inputTokens: 0, outputTokens: 0 }, { inputPer1kTokensUsd: 3, outputPer1kTokensUsd: 15 })).toBe(0);
  });
});
