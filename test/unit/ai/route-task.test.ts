import { describe, expect, it } from 'vitest';
import { estimatedCostUsd } from '#core/ai/pricing';
import { routeAiTask } from '#core/ai/route-task';

describe('AI task routing', () => {
  it('screens a new application and synthesises feedback on a stage change or the scorecard poll', () => {
    expect(routeAiTask({ action: 'new_candidate_application', refs: { applicationId: '41', candidateId: '7' } })).toEqual({ workflow: 'screening', applicationId: 41 });
    expect(routeAiTask({ action: 'candidate_stage_change', refs: { applicationId: '42' } })).toEqual({ workflow: 'feedback', applicationId: 42 });
    expect(routeAiTask({ action: 'scorecards_changed', refs: { applicationId: '43' } })).toEqual({ workflow: 'feedback', applicationId: 43 });
  });

  it("a deleted scorecard synthesises the candidate's applications; one without a candidate, like a deleted interview or a new job, runs nothing", () => {
    expect(routeAiTask({ action: 'scorecard_deleted', refs: { candidateId: '7', scorecardId: '5' } })).toEqual({ workflow: 'feedback-for-candidate', candidateId: 7 });
    expect(routeAiTask({ action: 'scorecard_deleted', refs: { scorecardId: '5' } })).toEqual({ workflow: 'none' });
    expect(routeAiTask({ action: 'interview_deleted', refs: { applicationId: '42' } })).toEqual({ workflow: 'none' });
    expect(routeAiTask({ action: 'job_created', refs: {} })).toEqual({ workflow: 'none' });
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
