import { describe, expect, it } from 'vitest';
import { scorecardSetKey, stagesReadyForSynthesis, type ScorecardView, type StageReadinessInput } from '#core/ai/feedback/stages';

const card = (id: number, overrides: Partial<ScorecardView> = {}): ScorecardView => ({
  id,
  applicationId: 7,
  interviewKitId: 2000,
  interviewerId: id * 10,
  rating: 'yes',
  status: 'complete',
  submittedAt: '2025-05-01T10:00:00Z',
  updatedAt: '2025-05-01T10:00:00Z',
  notes: 'Solid.',
  privateNotes: null,
  publicNotes: null,
  ...overrides,
});

const base: StageReadinessInput = {
  applicationId: 7,
  stages: [
    { id: 10, name: 'Phone screen' },
    { id: 20, name: 'Onsite' },
  ],
  jobInterviews: [
    { id: 100, stageId: 10, name: 'Recruiter call' },
    { id: 200, stageId: 20, name: 'System design' },
    { id: 201, stageId: 20, name: 'Coding' },
  ],
  interviewKits: [
    { id: 1000, jobInterviewId: 100 },
    { id: 2000, jobInterviewId: 200 },
    { id: 2010, jobInterviewId: 201 },
  ],
  scheduledInterviews: [
    { id: 5, jobInterviewId: 100, status: 'complete' },
    { id: 6, jobInterviewId: 200, status: 'complete' },
    { id: 8, jobInterviewId: 201, status: 'complete' },
  ],
  scorecards: [card(1, { interviewKitId: 1000 }), card(2), card(3, { interviewKitId: 2010, rating: 'no' })],
};

describe('stagesReadyForSynthesis', () => {
  it('groups complete scorecards by stage through kit → job interview → stage', () => {
    const { ready, pending, unresolved } = stagesReadyForSynthesis(base);
    expect(ready.map((s) => [s.stageId, s.stageName, s.scorecards.map((c) => c.id)])).toEqual([
      [10, 'Phone screen', [1]],
      [20, 'Onsite', [2, 3]],
    ]);
    expect(ready[1]!.scorecards.map((c) => c.interviewName)).toEqual(['System design', 'Coding']);
    expect(ready[1]!.setKey).toBe(scorecardSetKey(ready[1]!.scorecards));
    expect(ready.every((s) => s.applicationId === 7)).toBe(true);
    expect(pending).toEqual([]);
    expect(unresolved).toEqual([]);
  });

  it('holds back a stage with a draft scorecard', () => {
    const { ready, pending } = stagesReadyForSynthesis({ ...base, scorecards: [...base.scorecards, card(4, { interviewKitId: 2010, status: 'draft', submittedAt: null })] });
    expect(ready.map((s) => s.stageId)).toEqual([10]);
    expect(pending).toEqual([{ stageId: 20, stageName: 'Onsite', reasons: ['draft-scorecard'], draftScorecardIds: [4], outstandingInterviewIds: [] }]);
  });

  it('holds back a stage whose interview is still awaiting feedback or scheduled, but not one that was skipped', () => {
    const awaiting = stagesReadyForSynthesis({ ...base, scheduledInterviews: [...base.scheduledInterviews, { id: 9, jobInterviewId: 201, status: 'awaiting_feedback' }] });
    expect(awaiting.ready.map((s) => s.stageId)).toEqual([10]);
    expect(awaiting.pending[0]).toMatchObject({ stageId: 20, reasons: ['outstanding-interview'], outstandingInterviewIds: [9] });

    const scheduled = stagesReadyForSynthesis({ ...base, scheduledInterviews: [...base.scheduledInterviews, { id: 9, jobInterviewId: 100, status: 'scheduled' }] });
    expect(scheduled.ready.map((s) => s.stageId)).toEqual([20]);

    const skipped = stagesReadyForSynthesis({ ...base, scheduledInterviews: [...base.scheduledInterviews, { id: 9, jobInterviewId: 201, status: 'skipped' }] });
    expect(skipped.ready.map((s) => s.stageId)).toEqual([10, 20]);
  });

  it('reports two stages with one ready and one pending, and a stage with only settled interviews as lacking scorecards', () => {
    const { ready, pending } = stagesReadyForSynthesis({
      ...base,
      scorecards: [card(2), card(3, { interviewKitId: 2010 })],
      scheduledInterviews: [{ id: 5, jobInterviewId: 100, status: 'skipped' }, ...base.scheduledInterviews.slice(1)],
    });
    expect(ready.map((s) => s.stageId)).toEqual([20]);
    expect(pending).toEqual([{ stageId: 10, stageName: 'Phone screen', reasons: ['no-complete-scorecard'], draftScorecardIds: [], outstandingInterviewIds: [] }]);
  });

  it('counts scorecards whose chain does not resolve, without guessing a stage for them', () => {
    const { ready, unresolved, unresolvedInterviewIds } = stagesReadyForSynthesis({
      ...base,
      scorecards: [
        ...base.scorecards,
        card(11, { interviewKitId: null }),
        card(12, { interviewKitId: 9999 }),
        card(13, { interviewKitId: 3000 }),
        card(14, { applicationId: 8 }),
      ],
      interviewKits: [...base.interviewKits, { id: 3000, jobInterviewId: 300 }],
      scheduledInterviews: [...base.scheduledInterviews, { id: 40, jobInterviewId: 300, status: 'awaiting_feedback' }, { id: 41, jobInterviewId: null, status: 'scheduled' }],
    });
    expect(unresolved).toEqual([
      { scorecardId: 11, reason: 'no-interview-kit' },
      { scorecardId: 12, reason: 'unknown-interview-kit' },
      { scorecardId: 13, reason: 'unknown-job-interview' },
      { scorecardId: 14, reason: 'other-application' },
    ]);
    expect(unresolvedInterviewIds).toEqual([40, 41]);
    expect(ready.flatMap((s) => s.scorecards.map((c) => c.id))).toEqual([1, 2, 3]);

    const noStage = stagesReadyForSynthesis({ ...base, stages: [{ id: 10, name: 'Phone screen' }] });
    expect(noStage.unresolved).toEqual([
      { scorecardId: 2, reason: 'unknown-stage' },
      { scorecardId: 3, reason: 'unknown-stage' },
    ]);
  });
});

describe('scorecardSetKey', () => {
  const set = [card(1), card(2), card(3)];
  const key = scorecardSetKey(set);

  it('is a sha256 hex digest that ignores the order scorecards are listed in', () => {
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(scorecardSetKey([set[2]!, set[0]!, set[1]!])).toBe(key);
  });

  it('changes when a scorecard is edited, added or removed', () => {
    expect(scorecardSetKey([set[0]!, card(2, { updatedAt: '2025-05-02T09:00:00Z' }), set[2]!])).not.toBe(key);
    expect(scorecardSetKey([...set, card(4)])).not.toBe(key);
    expect(scorecardSetKey(set.slice(0, 2))).not.toBe(key);
  });

  it('changes on an edit within the same second (updated_at unchanged): the rating and notes count too', () => {
    expect(scorecardSetKey([set[0]!, card(2, { rating: 'strong_no' }), set[2]!])).not.toBe(key);
    expect(scorecardSetKey([set[0]!, card(2, { notes: 'On reflection, no.' }), set[2]!])).not.toBe(key);
  });

  it('ignores drafts, so saving one does not call for a new synthesis', () => {
    expect(scorecardSetKey([...set, card(4, { status: 'draft' })])).toBe(key);
  });
});
