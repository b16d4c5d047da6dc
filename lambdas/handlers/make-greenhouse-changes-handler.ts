import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Clock } from '#core/clock';
import type { Envelope } from '#core/envelope';
import type { AuditStore } from '#core/sync/ports';
import { greenhouseTask } from '#core/sync/greenhouse-dispatch';
import { reconcileCandidate, type CandidateSyncDependencies } from '#core/sync/reconcile-candidate';
import { makeFifoConsumer } from './fifo-consumer.ts';
import type { MetricsSink } from './make-ingest-handler.ts';

/**
 * The greenhouse-changes consumer: the one writer to Beamery (DESIGN principle 1). Each message names
 * an entity that may have changed; the matching reconciler reads it again and writes what differs.
 */
export interface GreenhouseChangesDependencies {
  readonly candidates: CandidateSyncDependencies;
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
        const result = await reconcileCandidate(
          { candidateId: task.candidateId, observedAt: envelope.observedAt, origin: envelope.origin },
          deps.candidates,
        );
        logger.info('candidate reconciled', {
          entityKey: envelope.entityKey,
          action: envelope.action,
          deliveryId: envelope.deliveryId,
          ...result,
        });
        return;
      }
      case 'job':
      case 'not-handled':
        await notHandled(envelope.entityKey, task.kind === 'job' ? 'job sync is not part of this release yet' : task.reason, envelope.action);
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
