import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { CONSUMER_METRICS } from '#core/metrics';
import type { BatchMessage, BatchTally } from '#core/queue/batch-tally';
import { transientVisibilitySeconds, waitedTooLong } from '#core/queue/redelivery';
import type { ConsumerQueue } from '#adapters/queue/consumer-queue';

/**
 * What the consumer shell (fifo-consumer.ts) does with the messages it did not finish: hand them back
 * to wait, or keep them on the DLQ. The decisions are the core's (core/queue/redelivery.ts,
 * core/queue/batch-tally.ts); this carries them out on the queue, with one metric and log line each.
 */
export interface ConsumerIo {
  readonly queue: ConsumerQueue;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  readonly count: (name: string, value?: number) => void;
  readonly now: () => number;
}

/** When the message was first sent; a record without the attribute counts as sent now. */
export function sentAt(record: SQSRecord, now: () => number): number {
  const ms = Number(record.attributes.SentTimestamp);
  return Number.isFinite(ms) && ms > 0 ? ms : now();
}

function receiveCount(record: SQSRecord): number {
  const n = Number(record.attributes.ApproximateReceiveCount);
  return Number.isFinite(n) && n > 0 ? n : 1;
}

export const batchMessage = (record: SQSRecord): BatchMessage => ({
  messageId: record.messageId,
  ...(record.attributes.MessageGroupId !== undefined ? { groupId: record.attributes.MessageGroupId } : {}),
});

/** A transient wait's visibility: what the API asked for, or longer for a message received often already. */
export function transientWait(io: ConsumerIo, record: SQSRecord, retryAfterSeconds: number): number {
  return transientVisibilitySeconds({ retryAfterSeconds, receiveCount: receiveCount(record), ageSeconds: (io.now() - sentAt(record, io.now)) / 1000 });
}

export async function deadLetter(io: ConsumerIo, record: SQSRecord, reason: string, failures: number, tally: BatchTally, entityKey?: string): Promise<void> {
  await io.queue.deadLetter(record, reason, failures);
  tally.deadLettered++;
  io.count(CONSUMER_METRICS.deadLettered);
  io.logger.error('message moved to the dead-letter queue', { messageId: record.messageId, entityKey, reason, failures });
}

/**
 * A paused flow's batch goes back untried, as a transient wait: never counted as a failure, so a
 * pause dead-letters nothing, except, as for every wait, a message whose queue retention is running
 * out (kept on the DLQ with its reason rather than deleted by SQS unseen).
 */
export async function handBackPaused(io: ConsumerIo, event: SQSEvent, waitSeconds: number, tally: BatchTally): Promise<SQSBatchResponse> {
  const waiting: SQSRecord[] = [];
  for (const record of event.Records) {
    if (waitedTooLong(sentAt(record, io.now), io.now(), io.queue.retentionSeconds)) {
      await deadLetter(io, record, "still waiting when the queue's retention ran out: flow paused (bridge pause)", 0, tally);
    } else {
      waiting.push(record);
    }
  }
  if (waiting.length > 0) {
    const refused = await io.queue.handBack(waiting.map((record) => ({ record, seconds: transientWait(io, record, waitSeconds) })));
    if (refused > 0) io.logger.warn('some messages could not be handed back', { refused });
    io.count(CONSUMER_METRICS.waiting, waiting.length);
    io.logger.info('flow paused; batch handed back', { received: event.Records.length, waitSeconds, deadLettered: tally.deadLettered });
  }
  return { batchItemFailures: waiting.map((record) => ({ itemIdentifier: record.messageId })) };
}

/** Hands back every failed record of a finished batch for its planned time, and logs the batch once. */
export async function handBackAll(io: ConsumerIo, event: SQSEvent, response: SQSBatchResponse, tally: BatchTally): Promise<void> {
  const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
  const { items, reasons } = tally.handBacks(event.Records.map(batchMessage), failed);
  const records = new Map(event.Records.map((record) => [record.messageId, record]));
  if (items.length > 0) {
    const refused = await io.queue.handBack(items.map(({ messageId, seconds }) => ({ record: records.get(messageId)!, seconds })));
    // Harmless: those come back after the queue's own visibility timeout instead.
    if (refused > 0) io.logger.warn('some messages could not be handed back', { refused });
    io.count(CONSUMER_METRICS.waiting, items.length);
  }
  if (items.length > 0 || tally.failed > 0 || tally.deadLettered > 0) {
    // One line per batch, not one per message: a backlog behind a rate limit would otherwise flood the log.
    io.logger.info('batch done', {
      received: event.Records.length,
      processed: tally.processed,
      waiting: items.length,
      failed: tally.failed,
      deadLettered: tally.deadLettered,
      ...(tally.pause ? { pausedFor: tally.pause.seconds } : {}),
      waitReasons: reasons,
    });
  }
}
