import { createHash } from 'node:crypto';

/**
 * Interview-feedback synthesis (a note per stage once its scorecards are all submitted), the part that
 * decides WHEN: which interview stages of one application have their feedback in, and the key that says
 * whether the set of scorecards behind a stage's note has changed since the last synthesis.
 *
 * Greenhouse v3 ties a scorecard to a stage only through a chain (scorecard → interview kit → job
 * interview → stage); the views below are the plain shapes the Greenhouse adapter produces. A
 * scorecard whose chain does not resolve is reported, never assigned to a stage by guesswork: a
 * note built from the wrong stage's feedback is worse than a late one.
 */

export type ScorecardRating = 'strong_no' | 'no' | 'yes' | 'strong_yes' | 'no_decision';

export interface ScorecardView {
  readonly id: number;
  readonly applicationId: number;
  readonly interviewKitId: number | null;
  readonly interviewerId: number | null;
  readonly rating: ScorecardRating;
  readonly status: 'draft' | 'complete';
  readonly submittedAt: string | null;
  readonly updatedAt: string;
  readonly notes: string | null;
  readonly privateNotes: string | null;
  readonly publicNotes: string | null;
}

export interface InterviewKitView {
  readonly id: number;
  readonly jobInterviewId: number;
}

export interface JobInterviewView {
  readonly id: number;
  readonly stageId: number;
  readonly name: string;
}

export interface StageView {
  readonly id: number;
  readonly name: string;
}

export interface ScheduledInterviewView {
  readonly id: number;
  readonly jobInterviewId: number | null;
  /** scheduled | awaiting_feedback | complete | skipped | … (Greenhouse adds values; unknown ones count as outstanding). */
  readonly status: string;
}

export interface InterviewerView {
  readonly id: number;
  readonly name: string;
}

export interface StageReadinessInput {
  readonly applicationId: number;
  /** Every scorecard of the application, drafts included: a draft is what says feedback is still being written. */
  readonly scorecards: readonly ScorecardView[];
  readonly interviewKits: readonly InterviewKitView[];
  readonly jobInterviews: readonly JobInterviewView[];
  readonly stages: readonly StageView[];
  /** The application's scheduled interviews. */
  readonly scheduledInterviews: readonly ScheduledInterviewView[];
}

/** A complete scorecard with the name of the interview it was written for (the model reads it as context). */
export interface StageScorecard extends ScorecardView {
  readonly interviewName: string;
}

/** A stage whose feedback is all in: the input of one synthesis and one private note. */
export interface StageFeedback {
  readonly applicationId: number;
  readonly stageId: number;
  readonly stageName: string;
  /** The stage's complete scorecards, by id. */
  readonly scorecards: readonly StageScorecard[];
  /** scorecardSetKey of `scorecards`: synthesise again only when it differs from the last note's. */
  readonly setKey: string;
}

export type PendingReason = 'draft-scorecard' | 'outstanding-interview' | 'no-complete-scorecard';

/** A stage that has feedback activity but is not ready, with why (for logs and metrics, not for a note). */
export interface PendingStage {
  readonly stageId: number;
  readonly stageName: string;
  readonly reasons: readonly PendingReason[];
  readonly draftScorecardIds: readonly number[];
  readonly outstandingInterviewIds: readonly number[];
}

export type UnresolvedReason = 'other-application' | 'no-interview-kit' | 'unknown-interview-kit' | 'unknown-job-interview' | 'unknown-stage';

export interface UnresolvedScorecard {
  readonly scorecardId: number;
  readonly reason: UnresolvedReason;
}

export interface StageReadiness {
  readonly ready: readonly StageFeedback[];
  readonly pending: readonly PendingStage[];
  /** Scorecards that belong to no stage we can name; a stage may be reported ready without them. */
  readonly unresolved: readonly UnresolvedScorecard[];
  /**
   * Scheduled interviews whose job interview does not resolve to a stage. They cannot hold back a
   * stage we cannot name, so the caller may want to alert on them rather than trust `ready` blindly.
   */
  readonly unresolvedInterviewIds: readonly number[];
}

// Anything else (scheduled, awaiting_feedback, or a status Greenhouse adds later) means feedback may still come.
const SETTLED_INTERVIEW = new Set(['complete', 'skipped']);

type Resolved = { readonly stage: StageView; readonly jobInterview: JobInterviewView } | { readonly reason: Exclude<UnresolvedReason, 'other-application' | 'no-interview-kit'> };

export function stagesReadyForSynthesis(input: StageReadinessInput): StageReadiness {
  const kits = new Map(input.interviewKits.map((k) => [k.id, k]));
  const jobInterviews = new Map(input.jobInterviews.map((j) => [j.id, j]));
  const stages = new Map(input.stages.map((s) => [s.id, s]));

  const viaJobInterview = (jobInterviewId: number): Resolved => {
    const jobInterview = jobInterviews.get(jobInterviewId);
    if (!jobInterview) return { reason: 'unknown-job-interview' };
    const stage = stages.get(jobInterview.stageId);
    if (!stage) return { reason: 'unknown-stage' };
    return { stage, jobInterview };
  };

  interface Group {
    stage: StageView;
    complete: StageScorecard[];
    drafts: number[];
    outstanding: number[];
  }
  const groups = new Map<number, Group>();
  const groupOf = (stage: StageView): Group => {
    let group = groups.get(stage.id);
    if (!group) groups.set(stage.id, (group = { stage, complete: [], drafts: [], outstanding: [] }));
    return group;
  };

  const unresolved: UnresolvedScorecard[] = [];
  for (const scorecard of input.scorecards) {
    if (scorecard.applicationId !== input.applicationId) {
      unresolved.push({ scorecardId: scorecard.id, reason: 'other-application' });
      continue;
    }
    if (scorecard.interviewKitId === null) {
      unresolved.push({ scorecardId: scorecard.id, reason: 'no-interview-kit' });
      continue;
    }
    const kit = kits.get(scorecard.interviewKitId);
    const resolved: Resolved = kit ? viaJobInterview(kit.jobInterviewId) : { reason: 'unknown-interview-kit' };
    if ('reason' in resolved) {
      unresolved.push({ scorecardId: scorecard.id, reason: resolved.reason });
      continue;
    }
    const group = groupOf(resolved.stage);
    if (scorecard.status === 'complete') group.complete.push({ ...scorecard, interviewName: resolved.jobInterview.name });
    else group.drafts.push(scorecard.id);
  }

  const unresolvedInterviewIds: number[] = [];
  for (const interview of input.scheduledInterviews) {
    const resolved = interview.jobInterviewId === null ? undefined : viaJobInterview(interview.jobInterviewId);
    if (!resolved || 'reason' in resolved) {
      unresolvedInterviewIds.push(interview.id);
      continue;
    }
    // Settled interviews are still grouped so a stage that only has them shows up as pending, not silently absent.
    const group = groupOf(resolved.stage);
    if (!SETTLED_INTERVIEW.has(interview.status)) group.outstanding.push(interview.id);
  }

  const ready: StageFeedback[] = [];
  const pending: PendingStage[] = [];
  for (const group of [...groups.values()].sort((a, b) => a.stage.id - b.stage.id)) {
    const reasons: PendingReason[] = [];
    if (group.drafts.length) reasons.push('draft-scorecard');
    if (group.outstanding.length) reasons.push('outstanding-interview');
    if (!group.complete.length) reasons.push('no-complete-scorecard');
    if (reasons.length) {
      pending.push({
        stageId: group.stage.id,
        stageName: group.stage.name,
        reasons,
        draftScorecardIds: group.drafts.sort((a, b) => a - b),
        outstandingInterviewIds: group.outstanding.sort((a, b) => a - b),
      });
      continue;
    }
    const scorecards = group.complete.sort((a, b) => a.id - b.id);
    ready.push({ applicationId: input.applicationId, stageId: group.stage.id, stageName: group.stage.name, scorecards, setKey: scorecardSetKey(scorecards) });
  }
  return { ready, pending, unresolved, unresolvedInterviewIds: unresolvedInterviewIds.sort((a, b) => a - b) };
}

/**
 * Identifies the set of complete scorecards a note was built from: it changes exactly when one is
 * added, removed or edited (Greenhouse bumps `updated_at` on every edit), never on the order the API
 * lists them in. Drafts are left out, so saving a draft does not by itself call for a new synthesis.
 */
export function scorecardSetKey(scorecards: readonly Pick<ScorecardView, 'id' | 'updatedAt' | 'status' | 'rating' | 'notes' | 'publicNotes'>[]): string {
  // The rating and notes join the timestamp: Greenhouse's updated_at may have whole-second precision,
  // and an edit in the same second as the last synthesis must still count as a change.
  const entries = scorecards
    .filter((s) => s.status === 'complete')
    .map((s) => [s.id, s.updatedAt, s.rating, s.notes ?? '', s.publicNotes ?? ''] as const)
    .sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(entries)).digest('hex');
}
