import type { Logger } from '@aws-lambda-powertools/logger';
import { entityIdOf, type Envelope } from '#core/envelope';
import { reconcileContact, type ContactSyncDependencies } from '#core/sync/reconcile-contact';
import type { ConsumerQueue } from '#adapters/queue/consumer-queue';
import type { PauseSwitch } from '#adapters/store/switches';
import { makeFifoConsumer } from './fifo-consumer.ts';
import type { MetricsSink } from '#adapters/metrics-sink';
import { isoNow } from '#core/clock';

/**
 * The beamery-changes consumer: the one writer to Greenhouse of the sync (DESIGN principle 1). Each
 * message names a Beamery contact that may have changed or was asked to be pushed;
 * lambdas/core/sync/reconcile-contact.ts reconciles it. Anything else on the queue is kept in Audit
 * and acknowledged: it is no Beamery change, and retrying it would change nothing.
 */
export interface BeameryChangesDependencies {
  readonly contacts: ContactSyncDependencies;
  readonly queue: ConsumerQueue;
  /** The operator's pause switch of this flow (`bridge pause`). */
  readonly pause?: PauseSwitch;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
}

export function makeBeameryChangesHandler(deps: BeameryChangesDependencies) {
  async function handle(envelope: Envelope): Promise<void> {
    if (envelope.kind !== 'beamery.change') {
      const { audit, clock } = deps.contacts;
      await audit.record({
        kind: 'sync-skipped',
        entityKey: envelope.entityKey,
        summary: `${envelope.kind} does not belong on beamery-changes`,
        at: isoNow(clock),
      });
      deps.logger.warn('not a beamery change; kept in Audit', { entityKey: envelope.entityKey, kind: envelope.kind });
      return;
    }
    const result = await reconcileContact(
      { contactId: entityIdOf(envelope.entityKey), observedAt: envelope.observedAt, origin: envelope.origin, pushRequested: envelope.pushRequested },
      deps.contacts,
    );
    // Results carry ids, outcomes and counts only.
    deps.logger.info('beamery change applied', { entityKey: envelope.entityKey, deliveryId: envelope.deliveryId, origin: envelope.origin, ...result });
  }

  return makeFifoConsumer({ handle, queue: deps.queue, logger: deps.logger, metrics: deps.metrics, ...(deps.pause ? { pause: deps.pause } : {}) });
}
