import type { GreenhouseEventEnvelope } from '#core/envelope';
import type { GreenhouseAction } from '#core/webhooks/catalogue';
import { isLifecycleAction } from './candidate-lifecycle.ts';

/**
 * Which reconcile a message on greenhouse-changes asks for. Webhooks, polls and backfills only say
 * "this entity may have changed"; the reconcilers read it again, so most actions are just a name for
 * the entity to look at.
 */
export type GreenhouseTask =
  | { readonly kind: 'candidate'; readonly candidateId: string }
  | { readonly kind: 'job'; readonly jobId: string }
  /** Merge, anonymization, deletion: the entity is gone from Harvest; the payload says what happened. */
  | { readonly kind: 'candidate-lifecycle' }
  | { readonly kind: 'not-handled'; readonly reason: string };

const CANDIDATE_ACTIONS = new Set<string>([
  'new_candidate_application',
  'new_prospect_application',
  'application_updated',
  'candidate_stage_change',
  'reject_candidate',
  'unreject_candidate',
  'hire_candidate',
  'unhire_candidate',
  'delete_application',
  'update_candidate',
] satisfies GreenhouseAction[]);

const JOB_ACTIONS = new Set<string>([
  'job_created',
  'job_updated',
  'job_approved',
  'job_deleted',
  'job_post_created',
  'job_post_updated',
  'job_post_deleted',
  'job_interview_stage_deleted',
] satisfies GreenhouseAction[]);

export function greenhouseTask(envelope: GreenhouseEventEnvelope): GreenhouseTask {
  const [, type, id] = envelope.entityKey.split('#');
  if (isLifecycleAction(envelope.action)) return { kind: 'candidate-lifecycle' };
  if (CANDIDATE_ACTIONS.has(envelope.action) && type === 'candidate' && id) return { kind: 'candidate', candidateId: id };
  if (JOB_ACTIONS.has(envelope.action) && type === 'job' && id) return { kind: 'job', jobId: id };
  return { kind: 'not-handled', reason: `${envelope.action} on ${type ?? 'unknown'} is not synced by this release` };
}
