import { CONSUMER_METRICS } from '#core/metrics';
import { SqsFifoPartialProcessorAsync, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseEnvelope, type Envelope } from '#core/envelope';
import { BatchTally } from '#core/queue/batch-tally';
import { failureVisibilitySeconds, waitedTooLong } from '#core/queue/redelivery';
import { withInvocation } from './invocation.ts';
import { batchMessage, deadLetter, handBackAll, handBackPaused, sentAt, transientWait, type ConsumerIo } from './fifo-hand-back.ts';
import { CapabilityBroken } from '#adapters/beamery/errors';
import type { ConsumerQueue } from '#adapters/queue/consumer-queue';
import { priorityOfOrigin, withPriority } from '#adapters/http/traffic-priority';
import type { TrafficPriority } from '#core/rate/budget';
import { withLeases } from '#adapters/http/rate-budget';
import { classifyOutcome, errorDetail } from '#adapters/queue/message-outcome';
import type { PauseSwitch } from '#adapters/store/switches';
import type { MetricsSink } from '#adapters/metrics-sink';
import { errorName } from '#core/error-name';

/**
 * The shell of every queue consumer: Powertools' FIFO batch processor (a failed message fails the
 * rest of its group in the batch, so per-entity order holds; other groups go on), envelope parsing,
 * and the one rule all consumers share (lambdas/core/queue/redelivery.ts): a transient outcome hands
 * the message back to wait, uncounted; a real failure is counted, and the `maxFailures`-th moves the
 * message to the dead-letter queue with its reason. A rate limit pauses the rest of the batch: its
 * messages are handed back untried instead of each meeting the same limit, except that live messages
 * are still tried behind a bulk message the budget refused (PauseHolds).
 */
export interface FifoConsumerDependencies<Batch = undefined> {
  readonly handle: (envelope: Envelope, record: SQSRecord, batch: Batch) => Promise<void>;
  /**
   * State shared by the messages of one invocation (for example reads made once for the whole batch),
   * built from the envelopes that parse; without it, `batch` is undefined.
   */
  readonly openBatch?: (envelopes: readonly Envelope[]) => Batch;
  readonly queue: ConsumerQueue;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
  readonly now?: () => number;
  /** The operator's pause switch for this consumer's flow (`bridge pause`); absent, never paused. */
  readonly pause?: PauseSwitch;
}

/** Thrown for a record the batch's rate limit kept from being tried; never counted. */
class PausedByRateLimit extends Error {
  override readonly name = 'PausedByRateLimit';
}

/** The priority of a record's message; a body that is no envelope is held like bulk (its own handler dead-letters it). */
function priorityOfRecord(record: SQSRecord): TrafficPriority {
  try {
    return priorityOfOrigin(parseEnvelope(record.body).origin);
  } catch {
    return 'bulk';
  }
}

export function makeFifoConsumer<Batch = undefined>(deps: FifoConsumerDependencies<Batch>) {
  const { queue, logger } = deps;
  const io: ConsumerIo = { queue, logger, now: deps.now ?? Date.now, count: (name, value = 1) => deps.metrics.addMetric(name, MetricUnit.Count, value) };

  const recordHandlerFor = (tally: BatchTally, batch: Batch) => async (record: SQSRecord): Promise<void> => {
    if (tally.pause && (tally.pause.holds === 'all' || priorityOfRecord(record) === 'bulk')) {
      tally.wait(batchMessage(record), transientWait(io, record, tally.pause.seconds), tally.pause.reason);
      throw new PausedByRateLimit();
    }
    let envelope: Envelope;
    try {
      envelope = parseEnvelope(record.body);
    } catch (error) {
      // No retry can fix it: kept on the DLQ at once, body and all.
      io.count(CONSUMER_METRICS.malformed);
      await deadLetter(io, record, `not a valid envelope (${errorName(error)})`, 1, tally);
      return;
    }
    const priority = priorityOfOrigin(envelope.origin);
    try {
      // A backfill's API calls leave each window's live reserve to webhooks, pushes and polls.
      await withPriority(priority, () => deps.handle(envelope, record, batch));
      tally.processed++;
      io.count(CONSUMER_METRICS.processed);
    } catch (error) {
      // A dead letter is done for the source queue: reported as handled, so it is deleted there.
      if ((await settleFailure(record, envelope, priority, error, tally)) === 'dead-lettered') return;
      throw error;
    }
  };

  /** Decides what a failed message does next: wait (it is handed back after the batch) or the DLQ. */
  async function settleFailure(
    record: SQSRecord,
    envelope: Envelope,
    priority: TrafficPriority,
    error: unknown,
    tally: BatchTally,
  ): Promise<'waiting' | 'dead-lettered'> {
    const outcome = classifyOutcome(error);
    if (outcome.kind === 'transient') {
      if (waitedTooLong(sentAt(record, io.now), io.now(), queue.retentionSeconds)) {
        // The queue would soon delete it unprocessed: kept where an operator sees it instead.
        await deadLetter(io, record, `still waiting when the queue's retention ran out: ${outcome.reason}`, 0, tally, envelope.entityKey);
        return 'dead-lettered';
      }
      if (outcome.pausesBatch) {
        tally.pauseAfter(error, priority, outcome.retryAfterSeconds, outcome.reason);
        io.count(CONSUMER_METRICS.rateLimited);
      }
      tally.wait(batchMessage(record), transientWait(io, record, outcome.retryAfterSeconds), outcome.reason);
      return 'waiting';
    }
    tally.failed++;
    io.count(CONSUMER_METRICS.failed);
    // A wrong guess about an API (a route that 404s for records that exist): its own alarm, since no retry fixes it.
    if (error instanceof CapabilityBroken) io.count(error.metric);
    const failures = await queue.countFailure(record, outcome.reason);
    logger.error('message failed', { messageId: record.messageId, entityKey: envelope.entityKey, failures, maxFailures: queue.maxFailures, ...errorDetail(error) });
    if (failures >= queue.maxFailures) {
      await deadLetter(io, record, outcome.reason, failures, tally, envelope.entityKey);
      return 'dead-lettered';
    }
    tally.wait(batchMessage(record), failureVisibilitySeconds(failures, queue.visibilityTimeoutSeconds), outcome.reason);
    return 'waiting';
  }

  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    return withInvocation({ logger, metrics: deps.metrics }, context, async () => {
      // State per invocation: it must not leak between concurrent local invocations.
      const tally = new BatchTally();
      if (deps.pause && (await deps.pause.isPaused())) return await handBackPaused(io, event, deps.pause.waitSeconds, tally);
      const batch = deps.openBatch ? deps.openBatch(parsedEnvelopes(event.Records)) : (undefined as Batch);
      // The batch holds the rate budgets' leases: what it did not spend goes back when it ends.
      const response = await withLeases(() =>
        processPartialResponse(event, recordHandlerFor(tally, batch), new SqsFifoPartialProcessorAsync(), {
          skipGroupOnError: true,
          throwOnFullBatchFailure: false,
        }),
      );
      await handBackAll(io, event, response, tally);
      // A batch that failed whole is a Lambda error (the consumer's alarm), as Powertools would make
      // it, when a real failure was in it; transient waits are the budget and the APIs at work.
      if (event.Records.length > 0 && response.batchItemFailures.length === event.Records.length && tally.failed > 0) {
        throw new Error(`all ${event.Records.length} messages of the batch failed`);
      }
      return response;
    });
  };
}

/** The batch's envelopes that parse; a malformed body is dead-lettered by its own record handler. */
function parsedEnvelopes(records: readonly SQSRecord[]): Envelope[] {
  return records.flatMap((record) => {
    try {
      return [parseEnvelope(record.body)];
    } catch {
      return [];
    }
  });
}
