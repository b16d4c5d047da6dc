import type { GreenhouseEventEnvelope } from '#core/envelope';
import { CANDIDATE_PROFILE_CHANGED } from '#core/sync/poll-window';
import { REDISCOVER_JOB } from '#core/sync/rediscovery-run';

/**
 * Which AI workflow an ai-tasks message runs, or why none. A new candidate application is screened; a
 * stage change, the hourly scorecard poll or a deleted scorecard (for each of the candidate's
 * applications) asks for interview-feedback synthesis. A new job gets a drafted description and a
 * rediscovery of past candidates; an approved job, a job post going live and the daily run
 * (`rediscover_job`) ask for rediscovery alone. The hourly profiles poll (`candidate_profile_changed`)
 * keeps the rediscovery index in step; a deleted, merged-away or anonymized candidate is removed from
 * it in the same message. An updated application (`application_updated`), a stage change and the
 * scorecard poll also check a screened application for reviewer overrides (overrides/workflow.ts). A new or changed offer is checked before its approvals. Every other action routed here (a deleted interview, whose stage's
 * remaining feedback is read at the next poll or stage change) runs nothing, and the caller counts it
 * rather than dropping it silently.
 */

/** Actions that ask for feedback synthesis; `scorecards_changed` is the hourly poll's own (Greenhouse has no scorecard webhook). */
const FEEDBACK_ACTIONS = new Set(['candidate_stage_change', 'scorecards_changed']);
const SCREENING_ACTIONS = new Set(['new_candidate_application']);
/** Actions after which a person may have acted against the AI's screening; the feedback actions above check too. */
const OVERRIDE_ACTIONS = new Set(['application_updated']);

/**
 * Why rediscovery runs for a job: it opened (`job_created`, `job_approved`), the daily run, an
 * operator (`bridge rediscover`), or one of its posts changed, which matters only the first time the
 * job has a live post.
 */
export type RediscoveryTrigger = 'opened' | 'schedule' | 'operator' | 'post';

const JOB_ACTIONS: Readonly<Record<string, { readonly trigger: RediscoveryTrigger; readonly draftDescription: boolean }>> = {
  job_created: { trigger: 'opened', draftDescription: true },
  job_approved: { trigger: 'opened', draftDescription: false },
  job_post_created: { trigger: 'post', draftDescription: false },
  job_post_updated: { trigger: 'post', draftDescription: false },
  [REDISCOVER_JOB]: { trigger: 'schedule', draftDescription: false },
};

export type AiTaskRoute =
  | { readonly workflow: 'screening'; readonly applicationId: number }
  /** `checkOverrides`: the application is also checked for reviewer overrides of its screening. */
  | { readonly workflow: 'feedback'; readonly applicationId: number; readonly checkOverrides: true }
  /** A screened application a person may have changed: checked for reviewer overrides only. */
  | { readonly workflow: 'overrides'; readonly applicationId: number }
  /** `scorecard_deleted` names the candidate only: each of their applications is synthesised again. */
  | { readonly workflow: 'feedback-for-candidate'; readonly candidateId: number }
  /** A job to rediscover past candidates for and, when it is new, to draft a description of. */
  | { readonly workflow: 'job'; readonly jobId: number; readonly trigger: RediscoveryTrigger; readonly draftDescription: boolean }
  /** A candidate whose profile may have changed: re-embedded when it did, removed when they may no longer be suggested. */
  | { readonly workflow: 'index-sync'; readonly candidateId: number }
  /**
   * A candidate deleted, merged away or anonymized: removed from the index at once; a merge's survivor
   * is synced again (their profile now holds both). `anonymized` is remembered, since an anonymization
   * that kept the name cannot be seen on the record.
   */
  | { readonly workflow: 'index-remove'; readonly candidateId: number; readonly reason: IndexRemovalReason; readonly survivorId?: number }
  /** A new or changed offer, checked before its approvals are requested. */
  | { readonly workflow: 'offer'; readonly offerId: number }
  | { readonly workflow: 'none' };

export type IndexRemovalReason = 'deleted' | 'merged' | 'anonymized';

/** `offer_approved` is the approvers' own decision and `offer_deleted` leaves nothing to check. */
const OFFER_ACTIONS = new Set(['offer_created', 'offer_updated']);

const REMOVALS: Readonly<Record<string, IndexRemovalReason>> = { delete_candidate: 'deleted', merge_candidate: 'merged', candidate_anonymized: 'anonymized' };

export type AiTaskEvent = Pick<GreenhouseEventEnvelope, 'action' | 'refs'>;

const positiveId = (value: string | undefined): number | undefined => {
  const id = Number(value);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
};

/** The id a workflow needs; without it the message is kept for an operator (DLQ), not dropped. */
function required(id: number | undefined, event: AiTaskEvent, what: string): number {
  if (id === undefined) throw new Error(`${event.action} without ${what}`);
  return id;
}

export function routeAiTask(event: AiTaskEvent): AiTaskRoute {
  const { action, refs } = event;
  const screening = SCREENING_ACTIONS.has(action);
  if (screening || FEEDBACK_ACTIONS.has(action) || OVERRIDE_ACTIONS.has(action)) {
    // Ingest and the poller always set it.
    const applicationId = required(positiveId(refs.applicationId), event, 'an application id');
    if (screening) return { workflow: 'screening', applicationId };
    return OVERRIDE_ACTIONS.has(action) ? { workflow: 'overrides', applicationId } : { workflow: 'feedback', applicationId, checkOverrides: true };
  }
  const candidateId = positiveId(refs.candidateId);
  // A deletion changes a stage's set of scorecards, and no poll can see it.
  if (action === 'scorecard_deleted' && candidateId !== undefined) return { workflow: 'feedback-for-candidate', candidateId };
  const job = JOB_ACTIONS[action];
  if (job) {
    // A post without a job (a prospect post) opens nothing.
    if (job.trigger === 'post' && !refs.jobIds?.length) return { workflow: 'none' };
    return { workflow: 'job', jobId: required(positiveId(refs.jobIds?.[0]), event, 'a job id'), ...job };
  }
  // The scheduled runs' own actions (Greenhouse has no webhook for either): the daily run above, the hourly profiles poll here.
  if (action === CANDIDATE_PROFILE_CHANGED) return { workflow: 'index-sync', candidateId: required(candidateId, event, 'a candidate id') };
  if (OFFER_ACTIONS.has(action)) return { workflow: 'offer', offerId: required(positiveId(refs.offerId), event, 'an offer id') };
  const removal = REMOVALS[action];
  if (removal) {
    const survivorId = positiveId(refs.winnerCandidateId);
    return { workflow: 'index-remove', candidateId: required(candidateId, event, 'a candidate id'), reason: removal, ...(survivorId !== undefined ? { survivorId } : {}) };
  }
  return { workflow: 'none' };
}
