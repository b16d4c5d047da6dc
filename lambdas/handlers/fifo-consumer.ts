import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { SqsFifoPartialProcessorAsync, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseEnvelope, type Envelope } from '#core/envelope';
import { ApiError, RateLimited } from '#adapters/http/errors';
import { RetryLater } from '#core/sync/retry-later';
import type { MetricsSink } from './make-ingest-handler.ts';

/**
 * The shell of every queue consumer: Powertools' FIFO batch processor (a failed message fails the
 * rest of its group in the batch, so per-entity order holds; other groups go on), envelope parsing,
 * and the one rule all consumers share for rate limits: a RateLimited message (or a RetryLater, a
 * reconcile that must wait a moment) is handed back to its queue with the retry time as its visibility
 * timeout, instead of keeping a Lambda asleep.
 */
export interface FifoConsumerDependencies {
  readonly handle: (envelope: Envelope, record: SQSRecord) => Promise<void>;
  readonly sqs: SQSClient;
  /** The queue URL of a record's event source (its ARN's last part is the queue name). */
  readonly queueUrlOf: (eventSourceArn: string) => string;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
}

export const CONSUMER_METRICS = {
  processed: 'MessagesProcessed',
  failed: 'MessagesFailed',
  rateLimited: 'MessagesRateLimited',
  malformed: 'MessagesMalformed',
} as const;

/** SQS's ceiling for a visibility timeout. */
const MAX_VISIBILITY_SECONDS = 43_200;

export function makeFifoConsumer(deps: FifoConsumerDependencies) {
  const count = (name: string) => deps.metrics.addMetric(name, MetricUnit.Count, 1);

  /** One invocation's record handler; `failures.other` counts failures that are not rate limits. */
  const recordHandlerFor = (failures: { other: number }) => async (record: SQSRecord): Promise<void> => {
    let envelope: Envelope;
    try {
      envelope = parseEnvelope(record.body);
    } catch (error) {
      // Retrying cannot fix it: after the queue's receive count it lands on the DLQ, body and all.
      count(CONSUMER_METRICS.malformed);
      failures.other++;
      deps.logger.error('message is not a valid envelope', { messageId: record.messageId, error: (error as Error).name });
      throw error;
    }
    try {
      await deps.handle(envelope, record);
      count(CONSUMER_METRICS.processed);
    } catch (error) {
      if (error instanceof RateLimited) {
        count(CONSUMER_METRICS.rateLimited);
        await handBack(record, error.retryAfterSeconds);
        deps.logger.info('rate limited; message handed back to its queue', {
          entityKey: envelope.entityKey,
          retryAfterSeconds: error.retryAfterSeconds,
          operation: error.operation,
        });
      } else if (error instanceof RetryLater) {
        await handBack(record, error.retryAfterSeconds);
        deps.logger.info('not yet; message handed back to its queue', { entityKey: envelope.entityKey, retryAfterSeconds: error.retryAfterSeconds, reason: error.reason });
      } else {
        failures.other++;
        count(CONSUMER_METRICS.failed);
        deps.logger.error('message failed', { entityKey: envelope.entityKey, error: (error as Error).name, message: safeMessage(error) });
      }
      throw error;
    }
  };

  async function handBack(record: SQSRecord, seconds: number): Promise<void> {
    try {
      await deps.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: deps.queueUrlOf(record.eventSourceARN),
          ReceiptHandle: record.receiptHandle,
          VisibilityTimeout: Math.min(MAX_VISIBILITY_SECONDS, Math.max(1, Math.ceil(seconds))),
        }),
      );
    } catch (error) {
      // The message still comes back after the queue's own visibility timeout.
      deps.logger.warn('could not shorten the visibility of a rate-limited message', { error: (error as Error).name });
    }
  }

  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    if (context) deps.logger.addContext(context);
    try {
      // A processor per invocation: its record state must not leak between concurrent local invocations.
      const failures = { other: 0 };
      const response = await processPartialResponse(event, recordHandlerFor(failures), new SqsFifoPartialProcessorAsync(), {
        skipGroupOnError: true,
        throwOnFullBatchFailure: false,
      });
      // A batch that failed whole is a Lambda error (the consumer's alarm), as Powertools would make it,
      // unless only rate limits failed it: that is the budget at work (a backfill meets it all the
      // time), and its messages are already handed back with their retry time.
      if (response.batchItemFailures.length === event.Records.length && event.Records.length > 0 && failures.other > 0) {
        throw new Error(`all ${event.Records.length} messages of the batch failed`);
      }
      return response;
    } finally {
      deps.metrics.publishStoredMetrics();
    }
  };
}

/** Adapter errors name the operation and never quote bodies; anything else is logged by name only. */
function safeMessage(error: unknown): string {
  return error instanceof ApiError ? error.message : 'see error name';
}
