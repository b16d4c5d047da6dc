import type { Logger } from '@aws-lambda-powertools/logger';
import type { Envelope } from '#core/envelope';
import { applyGreenhouseChange, type GreenhouseChangeDependencies } from '#core/sync/apply-greenhouse-change';
import type { ConsumerQueue } from '#adapters/queue/consumer-queue';
import type { PauseSwitch } from '#adapters/store/switches';
import { makeFifoConsumer } from './fifo-consumer.ts';
import type { MetricsSink } from '#adapters/metrics-sink';

/**
 * The greenhouse-changes consumer: the one writer to Beamery (DESIGN principle 1). Each message names
 * an entity that may have changed; lambdas/core/sync/apply-greenhouse-change.ts reconciles it.
 */
export interface GreenhouseChangesDependencies extends GreenhouseChangeDependencies {
  readonly queue: ConsumerQueue;
  /** The operator's pause switch of this flow (`bridge pause`). */
  readonly pause?: PauseSwitch;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
}

export function makeGreenhouseChangesHandler(deps: GreenhouseChangesDependencies) {
  async function handle(envelope: Envelope): Promise<void> {
    const result = await applyGreenhouseChange(envelope, deps);
    // Results carry ids, outcomes and counts only.
    deps.logger.info('greenhouse change applied', {
      entityKey: envelope.entityKey,
      deliveryId: envelope.deliveryId,
      ...('action' in envelope ? { action: envelope.action } : {}),
      ...result,
    });
  }

  return makeFifoConsumer({ handle, queue: deps.queue, logger: deps.logger, metrics: deps.metrics, ...(deps.pause ? { pause: deps.pause } : {}) });
}
