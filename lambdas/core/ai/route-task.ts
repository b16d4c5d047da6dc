import type { GreenhouseEventEnvelope } from '#core/envelope';

/**
 * Which AI workflow an ai-tasks message runs, or why none. A new candidate application is screened; a
 * stage change, the hourly scorecard poll or a deleted scorecard (for each of the candidate's
 * applications) asks for interview-feedback synthesis. Every other action routed here (a new job, for
 * job-description drafts, is not built yet; a deleted interview, whose stage's remaining feedback is
 * read at the next poll or stage change) runs nothing, and the caller counts it rather than dropping it
 * silently.
 */

/** Actions that ask for feedback synthesis; `scorecards_changed` is the hourly poll's own (Greenhouse has no scorecard webhook). */
const FEEDBACK_ACTIONS = new Set(['candidate_stage_change', 'scorecards_changed']);
const SCREENING_ACTIONS = new Set(['new_candidate_application']);

export type AiTaskRoute =
  | { readonly workflow: 'screening'; readonly applicationId: number }
  | { readonly workflow: 'feedback'; readonly applicationId: number }
  /** `scorecard_deleted` names the candidate only: each of their applications is synthesised again. */
  | { readonly workflow: 'feedback-for-candidate'; readonly candidateId: number }
  | { readonly workflow: 'none' };

export type AiTaskEvent = Pick<GreenhouseEventEnvelope, 'action' | 'refs'>;

const positiveId = (value: string | undefined): number | undefined => {
  const id = Number(value);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
};

export function routeAiTask(event: AiTaskEvent): AiTaskRoute {
  const applicationId = positiveId(event.refs.applicationId);
  const screening = SCREENING_ACTIONS.has(event.action);
  if (screening || FEEDBACK_ACTIONS.has(event.action)) {
    // Ingest and the poller always set it; without it the message is kept for an operator (DLQ), not dropped.
    if (applicationId === undefined) throw new Error(`${event.action} without an application id`);
    return { workflow: screening ? 'screening' : 'feedback', applicationId };
  }
  const candidateId = positiveId(event.refs.candidateId);
  // A deletion changes a stage's set of scorecards, and no poll can see it.
  if (event.action === 'scorecard_deleted' && candidateId !== undefined) return { workflow: 'feedback-for-candidate', candidateId };
  return { workflow: 'none' };
}
