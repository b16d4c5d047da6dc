import { withInvocation } from './invocation.ts';
import { CONSUMER_METRICS } from '#core/metrics';
import { SqsFifoPartialProcessorAsync, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseEnvelope, type Envelope } from '#core/envelope';
import { failureVisibilitySeconds, transientVisibilitySeconds, waitedTooLong } from '#core/queue/redelivery';
import { CapabilityBroken } from '#adapters/beamery/errors';
import type { ConsumerQueue } from '#adapters/queue/consumer-queue';
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
 * messages are handed back untried instead of each meeting the same limit.
 */
export interface FifoConsumerDependencies {
  readonly handle: (envelope: Envelope, record: SQSRecord) => Promise<void>;
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

/** One invocation's tally and the hand-backs it owes, carried out once the batch is done. */
class BatchState {
  processed = 0;
  failed = 0;
  deadLettered = 0;
  pause: { readonly seconds: number; readonly reason: string } | undefined;
  readonly waiting = new Map<string, { record: SQSRecord; seconds: number; reason: string }>();
  readonly groupWait = new Map<string, number>();

  wait(record: SQSRecord, seconds: number, reason: string): void {
    this.waiting.set(record.messageId, { record, seconds, reason });
    const group = record.attributes.MessageGroupId;
    if (group !== undefined) this.groupWait.set(group, Math.max(seconds, this.groupWait.get(group) ?? 0));
  }
}

export function makeFifoConsumer(deps: FifoConsumerDependencies) {
  const { queue, logger } = deps;
  const now = deps.now ?? Date.now;
  const count = (name: string, value = 1) => deps.metrics.addMetric(name, MetricUnit.Count, value);
  const transientWait = (record: SQSRecord, retryAfterSeconds: number) =>
    transientVisibilitySeconds({ retryAfterSeconds, receiveCount: receiveCount(record), ageSeconds: (now() - sentAt(record, now)) / 1000 });

  async function deadLetter(record: SQSRecord, reason: string, failures: number, batch: BatchState, entityKey?: string): Promise<void> {
    await queue.deadLetter(record, reason, failures);
    batch.deadLettered++;
    count(CONSUMER_METRICS.deadLettered);
    logger.error('message moved to the dead-letter queue', { messageId: record.messageId, entityKey, reason, failures });
  }

  const recordHandlerFor = (batch: BatchState) => async (record: SQSRecord): Promise<void> => {
    if (batch.pause) {
      batch.wait(record, transientWait(record, batch.pause.seconds), batch.pause.reason);
      throw new PausedByRateLimit();
    }
    let envelope: Envelope;
    try {
      envelope = parseEnvelope(record.body);
    } catch (error) {
      // No retry can fix it: kept on the DLQ at once, body and all.
      count(CONSUMER_METRICS.malformed);
      await deadLetter(record, `not a valid envelope (${errorName(error)})`, 1, batch);
      return;
    }
    try {
      await deps.handle(envelope, record);
      batch.processed++;
      count(CONSUMER_METRICS.processed);
      return;
    } catch (error) {
      // A dead letter is done for the source queue: reported as handled, so it is deleted there.
      if ((await settleFailure(record, envelope, error, batch)) === 'dead-lettered') return;
      throw error;
    }
  };

  /** Decides what a failed message does next: wait (it is handed back after the batch) or the DLQ. */
  async function settleFailure(record: SQSRecord, envelope: Envelope, error: unknown, batch: BatchState): Promise<'waiting' | 'dead-lettered'> {
    const outcome = classifyOutcome(error);
    if (outcome.kind === 'transient') {
      if (waitedTooLong(sentAt(record, now), now(), queue.retentionSeconds)) {
        // The queue would soon delete it unprocessed: kept where an operator sees it instead.
        await deadLetter(record, `still waiting when the queue's retention ran out: ${outcome.reason}`, 0, batch, envelope.entityKey);
        return 'dead-lettered';
      }
      if (outcome.pausesBatch) {
        batch.pause = { seconds: outcome.retryAfterSeconds, reason: outcome.reason };
        count(CONSUMER_METRICS.rateLimited);
      }
      batch.wait(record, transientWait(record, outcome.retryAfterSeconds), outcome.reason);
      return 'waiting';
    }
    batch.failed++;
    count(CONSUMER_METRICS.failed);
    // A wrong guess about an API (a route that 404s for records that exist): its own alarm, since no retry fixes it.
    if (error instanceof CapabilityBroken) count(error.metric);
    const failures = await queue.countFailure(record, outcome.reason);
    logger.error('message failed', { messageId: record.messageId, entityKey: envelope.entityKey, failures, maxFailures: queue.maxFailures, ...errorDetail(error) });
    if (failures >= queue.maxFailures) {
      await deadLetter(record, outcome.reason, failures, batch, envelope.entityKey);
      return 'dead-lettered';
    }
    batch.wait(record, failureVisibilitySeconds(failures, queue.visibilityTimeoutSeconds), outcome.reason);
    return 'waiting';
  }

  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    return withInvocation({ logger, metrics: deps.metrics }, context, async () => {
      if (deps.pause && (await deps.pause.isPaused())) return await handBackPaused(event);
      // State per invocation: it must not leak between concurrent local invocations.
      const batch = new BatchState();
      const response = await processPartialResponse(
        event,
        recordHandlerFor(batch),
        new SqsFifoPartialProcessorAsync(),
        { skipGroupOnError: true, throwOnFullBatchFailure: false },
      );
      await handBackAll(event, response, batch);
      // A batch that failed whole is a Lambda error (the consumer's alarm), as Powertools would make
      // it, when a real failure was in it; transient waits are the budget and the APIs at work.
      if (event.Records.length > 0 && response.batchItemFailures.length === event.Records.length && batch.failed > 0) {
        throw new Error(`all ${event.Records.length} messages of the batch failed`);
      }
      return response;
    });
  };

  /**
   * A paused flow's batch goes back untried, as a transient wait: never counted as a failure, so a
   * pause dead-letters nothing, except, as for every wait, a message whose queue retention is running
   * out (kept on the DLQ with its reason rather than deleted by SQS unseen).
   */
  async function handBackPaused(event: SQSEvent): Promise<SQSBatchResponse> {
    const seconds = deps.pause!.waitSeconds;
    const batch = new BatchState();
    const waiting: SQSRecord[] = [];
    for (const record of event.Records) {
      if (waitedTooLong(sentAt(record, now), now(), queue.retentionSeconds)) {
        await deadLetter(record, "still waiting when the queue's retention ran out: flow paused (bridge pause)", 0, batch);
      } else {
        waiting.push(record);
      }
    }
    if (waiting.length > 0) {
      const refused = await queue.handBack(waiting.map((record) => ({ record, seconds: transientWait(record, seconds) })));
      if (refused > 0) logger.warn('some messages could not be handed back', { refused });
      count(CONSUMER_METRICS.waiting, waiting.length);
      logger.info('flow paused; batch handed back', { received: event.Records.length, waitSeconds: seconds, deadLettered: batch.deadLettered });
    }
    return { batchItemFailures: waiting.map((record) => ({ itemIdentifier: record.messageId })) };
  }

  /**
   * Every failed record waits for its own time; a record the FIFO processor skipped (its group had
   * failed earlier in the batch) waits as long as its group, so the group's order holds without
   * keeping it blocked for the queue's whole visibility timeout.
   */
  async function handBackAll(event: SQSEvent, response: SQSBatchResponse, batch: BatchState): Promise<void> {
    const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    const items: { record: SQSRecord; seconds: number }[] = [];
    const reasons = new Map<string, number>();
    for (const record of event.Records) {
      if (!failed.has(record.messageId)) continue;
      const own = batch.waiting.get(record.messageId);
      const group = record.attributes.MessageGroupId;
      const seconds = own?.seconds ?? (group !== undefined ? batch.groupWait.get(group) : undefined);
      if (seconds === undefined) continue;
      items.push({ record, seconds });
      const reason = own?.reason ?? 'behind its group';
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    if (items.length > 0) {
      const refused = await queue.handBack(items);
      // Harmless: those come back after the queue's own visibility timeout instead.
      if (refused > 0) logger.warn('some messages could not be handed back', { refused });
      count(CONSUMER_METRICS.waiting, items.length);
    }
    if (items.length > 0 || batch.failed > 0 || batch.deadLettered > 0) {
      // One line per batch, not one per message: a backlog behind a rate limit would otherwise flood the log.
      logger.info('batch done', {
        received: event.Records.length,
        processed: batch.processed,
        waiting: items.length,
        failed: batch.failed,
        deadLettered: batch.deadLettered,
        ...(batch.pause ? { pausedFor: batch.pause.seconds } : {}),
        waitReasons: Object.fromEntries(reasons),
      });
    }
  }
}

/** When the message was first sent; a record without the attribute counts as sent now. */
function sentAt(record: SQSRecord, now: () => number): number {
  const ms = Number(record.attributes.SentTimestamp);
  return Number.isFinite(ms) && ms > 0 ? ms : now();
}

function receiveCount(record: SQSRecord): number {
  const n = Number(record.attributes.ApproximateReceiveCount);
  return Number.isFinite(n) && n > 0 ? n : 1;
}
