import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Clock } from '#core/clock';
import type { Envelope } from '#core/envelope';
import type { AuditStore } from '#core/sync/ports';
import { greenhouseTask } from '#core/sync/greenhouse-dispatch';
import { reconcileCandidate, type CandidateSyncDependencies } from '#core/sync/reconcile-candidate';
import { reconcileJob, type JobSyncDependencies } from '#core/sync/reconcile-job';
import { handleCandidateLifecycle, type LifecycleDependencies } from '#core/sync/candidate-lifecycle';
import { makeFifoConsumer } from './fifo-consumer.ts';
import type { MetricsSink } from './make-ingest-handler.ts';

/**
 * The greenhouse-changes consumer: the one writer to Beamery (DESIGN principle 1). Each message names
 * an entity that may have changed; the matching reconciler reads it again and writes what differs.
 */
export interface GreenhouseChangesDependencies {
  readonly candidates: CandidateSyncDependencies;
  readonly jobs: JobSyncDependencies;
  readonly lifecycle: LifecycleDependencies;
  readonly audit: AuditStore;
  readonly clock: Clock;
  readonly sqs: SQSClient;
  readonly queueUrlOf: (eventSourceArn: string) => string;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
}

export function makeGreenhouseChangesHandler(deps: GreenhouseChangesDependencies) {
  const { logger } = deps;

  async function handle(envelope: Envelope): Promise<void> {
    if (envelope.kind !== 'greenhouse.event') {
      // A quarantined delivery redriven from the DLQ: this release still cannot route it.
      await notHandled(envelope.entityKey, `quarantined delivery (${envelope.reason}) is not processed by this release`);
      return;
    }
    const task = greenhouseTask(envelope);
    switch (task.kind) {
      case 'candidate': {
        const trigger = { candidateId: task.candidateId, observedAt: envelope.observedAt, origin: envelope.origin };
        let result = await reconcileCandidate(trigger, deps.candidates);
        // A contact belongs on its jobs' vacancies: sync the jobs not linked yet, then the candidate
        // again, so one message converges instead of waiting for the hourly job sync.
        if ('unlinkedJobIds' in result && result.unlinkedJobIds.length > 0) {
          for (const jobId of result.unlinkedJobIds) await reconcileJob(jobId, deps.jobs);
          result = await reconcileCandidate({ ...trigger, observedAt: new Date(deps.clock.now()).toISOString() }, deps.candidates);
        }
        logger.info('candidate reconciled', { entityKey: envelope.entityKey, action: envelope.action, deliveryId: envelope.deliveryId, ...result });
        return;
      }
      case 'job': {
        const result = await reconcileJob(envelope, deps.jobs);
        logger.info('job reconciled', { entityKey: envelope.entityKey, action: envelope.action, deliveryId: envelope.deliveryId, ...result });
        return;
      }
      case 'candidate-lifecycle': {
        const result = await handleCandidateLifecycle(envelope, deps.lifecycle);
        logger.info('candidate lifecycle synced', { entityKey: envelope.entityKey, action: envelope.action, deliveryId: envelope.deliveryId, outcome: result.outcome });
        // After a merge the winner's contact may have taken over the loser's: bring it up to date.
        if (envelope.action === 'merge_candidate' && result.outcome === 'merged') {
          const winner = envelope.entityKey.split('#')[2]!;
          await reconcileCandidate({ candidateId: winner, observedAt: new Date(deps.clock.now()).toISOString(), origin: envelope.origin }, deps.candidates);
        }
        return;
      }
      case 'not-handled':
        await notHandled(envelope.entityKey, task.reason, envelope.action);
        return;
    }
  }

  /** Kept in Audit (ids only) so an operator can see what this release leaves for later, never dropped silently. */
  async function notHandled(entityKey: string, summary: string, action?: string): Promise<void> {
    await deps.audit.record({
      kind: 'sync-skipped',
      entityKey,
      summary,
      ...(action ? { detail: { action } } : {}),
      at: new Date(deps.clock.now()).toISOString(),
    });
    logger.info('message not synced by this release', { entityKey, action, summary });
  }

  return makeFifoConsumer({ handle, sqs: deps.sqs, queueUrlOf: deps.queueUrlOf, logger: deps.logger, metrics: deps.metrics });
}
