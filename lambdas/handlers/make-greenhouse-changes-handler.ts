import type { Logger } from '@aws-lambda-powertools/logger';
import { entityIdOf, type Envelope } from '#core/envelope';
import { applyGreenhouseChange, type GreenhouseChangeDependencies } from '#core/sync/apply-greenhouse-change';
import { batchCandidateReads, batchJobReads, type BatchableReads } from '#core/sync/batched-candidate-reads';
import { batchIdsOf } from '#core/sync/greenhouse-dispatch';
import { GreenhouseReferenceCache } from '#core/sync/greenhouse-reference-cache';
import type { ConsumerQueue } from '#adapters/queue/consumer-queue';
import type { PauseSwitch } from '#adapters/store/switches';
import { makeFifoConsumer } from './fifo-consumer.ts';
import type { MetricsSink } from '#adapters/metrics-sink';

/**
 * The greenhouse-changes consumer: the one writer to Beamery (DESIGN principle 1). Each message names
 * an entity that may have changed; lambdas/core/sync/apply-greenhouse-change.ts reconciles it. The
 * candidates of one invocation's messages are read from Greenhouse together, and the company's jobs,
 * stages, reasons, sources and users are kept for a few minutes per container (the Greenhouse rate
 * limit is the product's bound: see docs/architecture.md, "Reading Greenhouse in batches").
 */
export interface GreenhouseChangesDependencies extends GreenhouseChangeDependencies {
  /** The Greenhouse client the candidates' reconciles read through (batched here). */
  readonly greenhouse: BatchableReads;
  readonly queue: ConsumerQueue;
  /** The operator's pause switch of this flow (`bridge pause`). */
  readonly pause?: PauseSwitch;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
}

export function makeGreenhouseChangesHandler(deps: GreenhouseChangesDependencies) {
  // Per container: warm invocations share it; a cold start reads the company's records again.
  const references = new GreenhouseReferenceCache(deps.clock);
  const greenhouse = references.over(deps.greenhouse);
  const jobReads = references.refreshing(references.companyLists(deps.jobs.greenhouse));

  function openBatch(envelopes: readonly Envelope[]): GreenhouseChangeDependencies {
    const { candidateIds, jobIds } = batchIdsOf(envelopes);
    const candidates = batchCandidateReads(greenhouse, candidateIds, deps.clock);
    const jobs = batchJobReads(jobReads, jobIds, deps.clock);
    return {
      ...deps,
      jobs: { ...deps.jobs, greenhouse: jobs.reads, readsSince: jobs.since },
      candidates: { ...deps.candidates, greenhouse: candidates.reads, readsSince: candidates.since },
    };
  }

  async function handle(envelope: Envelope, _record: unknown, batch: GreenhouseChangeDependencies): Promise<void> {
    const result = await applyGreenhouseChange(envelope, batch);
    // A job's reconcile refreshes the cache with what it read; a deleted job reads nothing, so it goes.
    if ('action' in envelope && envelope.action === 'job_deleted') references.forgetJob(Number(entityIdOf(envelope.entityKey)));
    // Results carry ids, outcomes and counts only.
    deps.logger.info('greenhouse change applied', {
      entityKey: envelope.entityKey,
      deliveryId: envelope.deliveryId,
      ...('action' in envelope ? { action: envelope.action } : {}),
      ...result,
    });
  }

  return makeFifoConsumer({ handle, openBatch, queue: deps.queue, logger: deps.logger, metrics: deps.metrics, ...(deps.pause ? { pause: deps.pause } : {}) });
}
