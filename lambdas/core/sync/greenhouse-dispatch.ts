import type { Envelope, GreenhouseEventEnvelope } from '#core/envelope';
import { isLifecycleAction } from './candidate-lifecycle.ts';

/**
 * Which reconcile a message on greenhouse-changes asks for. Webhooks, polls and backfills only say
 * "this entity may have changed"; the reconcilers read it again (level-triggered), so the entity the
 * message is keyed by decides, whatever the action: reconciling an unchanged entity writes nothing.
 * Only the events whose entity is gone from Harvest need their own handling.
 */
export type GreenhouseTask =
  | { readonly kind: 'candidate'; readonly candidateId: string }
  | { readonly kind: 'job'; readonly jobId: string }
  /** Merge, anonymization, deletion: the entity is gone from Harvest; the payload says what happened. */
  | { readonly kind: 'candidate-lifecycle' }
  | { readonly kind: 'not-handled'; readonly reason: string };

export function greenhouseTask(envelope: GreenhouseEventEnvelope): GreenhouseTask {
  if (isLifecycleAction(envelope.action)) return { kind: 'candidate-lifecycle' };
  const [, type, id] = envelope.entityKey.split('#');
  if (type === 'candidate' && id) return { kind: 'candidate', candidateId: id };
  if (type === 'job' && id) return { kind: 'job', jobId: id };
  return { kind: 'not-handled', reason: `${envelope.action} on ${type ?? 'unknown'} is not synced by this release` };
}

/** The candidates and jobs a batch of messages will reconcile: what its reads can share (batched-candidate-reads.ts). */
export function batchIdsOf(envelopes: readonly Envelope[]): { readonly candidateIds: number[]; readonly jobIds: number[] } {
  const candidateIds: number[] = [];
  const jobIds: number[] = [];
  for (const envelope of envelopes) {
    if (envelope.kind !== 'greenhouse.event') continue;
    const task = greenhouseTask(envelope);
    if (task.kind === 'candidate') candidateIds.push(Number(task.candidateId));
    if (task.kind === 'job') jobIds.push(Number(task.jobId));
  }
  return { candidateIds, jobIds };
}
