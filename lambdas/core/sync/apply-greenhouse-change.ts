import { entityIdOf } from '#core/envelope';
import { isoNow, type Clock } from '#core/clock';
import type { Envelope } from '#core/envelope';
import type { AuditStore } from './ports.ts';
import { greenhouseTask } from './greenhouse-dispatch.ts';
import { reconcileCandidate, type CandidateSyncDependencies, type CandidateSyncResult } from './reconcile-candidate.ts';
import { reconcileJob, type JobSyncDependencies, type JobSyncResult } from './reconcile-job.ts';
import { handleCandidateLifecycle, type LifecycleDependencies, type LifecycleResult } from './candidate-lifecycle.ts';

/**
 * One greenhouse-changes message carried out: the reconcile it names, and the follow-ups that make one
 * message converge (jobs a candidate waits for, the winner of a merge). What this release does not
 * sync is written to Audit (ids only), never dropped silently.
 */
export interface GreenhouseChangeDependencies {
  readonly candidates: CandidateSyncDependencies;
  readonly jobs: JobSyncDependencies;
  readonly lifecycle: LifecycleDependencies;
  readonly audit: AuditStore;
  readonly clock: Clock;
}

export type GreenhouseChangeResult =
  | ({ readonly synced: 'candidate' } & CandidateSyncResult)
  | ({ readonly synced: 'job' } & JobSyncResult)
  | { readonly synced: 'candidate-lifecycle'; readonly outcome: LifecycleResult['outcome'] }
  | { readonly synced: 'nothing'; readonly reason: string };

export async function applyGreenhouseChange(envelope: Envelope, deps: GreenhouseChangeDependencies): Promise<GreenhouseChangeResult> {
  const now = () => isoNow(deps.clock);
  if (envelope.kind === 'greenhouse.quarantined') {
    // A quarantined delivery redriven from the DLQ: this release still cannot route it.
    return notSynced(envelope.entityKey, `quarantined delivery (${envelope.reason}) is not processed by this release`);
  }
  if (envelope.kind !== 'greenhouse.event') return notSynced(envelope.entityKey, `${envelope.kind} does not belong on greenhouse-changes`);
  const task = greenhouseTask(envelope);
  switch (task.kind) {
    case 'candidate': {
      const trigger = { candidateId: task.candidateId, observedAt: envelope.observedAt, origin: envelope.origin, action: envelope.action };
      let result = await reconcileCandidate(trigger, deps.candidates);
      // A contact belongs on its jobs' vacancies: sync the jobs not linked yet, then the candidate
      // again, so one message converges instead of waiting for the hourly job sync.
      if ('unlinkedJobIds' in result && result.unlinkedJobIds.length > 0) {
        for (const jobId of result.unlinkedJobIds) await reconcileJob(jobId, deps.jobs);
        result = await reconcileCandidate({ ...trigger, observedAt: now() }, deps.candidates);
      }
      return { synced: 'candidate', ...result };
    }
    case 'job':
      return { synced: 'job', ...(await reconcileJob(envelope, deps.jobs)) };
    case 'candidate-lifecycle': {
      const { outcome } = await handleCandidateLifecycle(envelope, deps.lifecycle);
      // After a merge the winner's contact may have taken over the loser's: bring it up to date.
      if (envelope.action === 'merge_candidate' && outcome === 'merged') {
        const winner = entityIdOf(envelope.entityKey);
        await reconcileCandidate({ candidateId: winner, observedAt: now(), origin: envelope.origin }, deps.candidates);
      }
      return { synced: 'candidate-lifecycle', outcome };
    }
    case 'not-handled':
      return notSynced(envelope.entityKey, task.reason, envelope.action);
  }

  async function notSynced(entityKey: string, reason: string, action?: string): Promise<GreenhouseChangeResult> {
    await deps.audit.record({ kind: 'sync-skipped', entityKey, summary: reason, ...(action ? { detail: { action } } : {}), at: now() });
    return { synced: 'nothing', reason };
  }
}
