import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  ChangeMessageVisibilityBatchCommand,
  SendMessageCommand,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { DEFAULT_MAX_FAILURES } from '#core/queue/redelivery';
import { requireQueueUrl, requireTableName, type BridgeConfig } from '#lambdas/config';
import { queueDefinition } from '#lib/resource-definitions';
import type { QueueId } from '#core/queues';
import { DynamoDbFailureCounter, type FailureCounter } from '#adapters/store/message-failures';

/**
 * What a queue consumer does to its messages besides handling them: hand them back to wait, count
 * their real failures, and move a poison message to the dead-letter queue itself, with its reason.
 */
export interface ConsumerQueue {
  readonly id: QueueId;
  readonly maxFailures: number;
  readonly retentionSeconds: number;
  readonly visibilityTimeoutSeconds: number;
  /**
   * Makes each message visible again after its own number of seconds. Never throws; answers how many
   * it could not hand back (they still return, after the queue's own visibility timeout).
   */
  handBack(items: readonly { readonly record: SQSRecord; readonly seconds: number }[]): Promise<number>;
  /** One more real failure of this message; answers how many it has had. */
  countFailure(record: SQSRecord, reason: string): Promise<number>;
  /** Sends a copy with its reason to the dead-letter queue; the caller then reports it done. */
  deadLetter(record: SQSRecord, reason: string, failures: number): Promise<void>;
}

export interface SqsConsumerQueueOptions {
  readonly id: QueueId;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  readonly failures: FailureCounter;
  readonly maxFailures?: number;
  /** The queue's visibility timeout when it is not the definition's (the local stack's tests). */
  readonly visibilityTimeoutSeconds?: number;
}

/** SQS's batch calls take at most ten entries. */
const SQS_BATCH = 10;
/** SQS keeps a message-attribute string up to the whole message size, but a reason is one line. */
const MAX_REASON_LENGTH = 1_000;

export class SqsConsumerQueue implements ConsumerQueue {
  readonly id: QueueId;
  readonly maxFailures: number;
  readonly retentionSeconds: number;
  readonly visibilityTimeoutSeconds: number;

  constructor(private readonly options: SqsConsumerQueueOptions) {
    const definition = queueDefinition(options.id);
    this.id = options.id;
    this.maxFailures = options.maxFailures ?? DEFAULT_MAX_FAILURES;
    this.retentionSeconds = definition.retentionDays * 86_400;
    this.visibilityTimeoutSeconds = options.visibilityTimeoutSeconds ?? definition.visibilityTimeoutSeconds;
  }

  async handBack(items: readonly { readonly record: SQSRecord; readonly seconds: number }[]): Promise<number> {
    let refused = 0;
    for (let i = 0; i < items.length; i += SQS_BATCH) {
      const chunk = items.slice(i, i + SQS_BATCH);
      try {
        const result = await this.options.sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: this.options.queueUrl,
            Entries: chunk.map(({ record, seconds }, n) => ({ Id: String(n), ReceiptHandle: record.receiptHandle, VisibilityTimeout: seconds })),
          }),
        );
        refused += result.Failed?.length ?? 0;
      } catch {
        refused += chunk.length;
      }
    }
    return refused;
  }

  countFailure(record: SQSRecord, reason: string): Promise<number> {
    return this.options.failures.add(this.id, record.messageId, reason);
  }

  async deadLetter(record: SQSRecord, reason: string, failures: number): Promise<void> {
    await this.options.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.options.deadLetterQueueUrl,
        MessageBody: record.body,
        MessageGroupId: record.attributes.MessageGroupId ?? 'unknown',
        // The source message's id: a consumer that dies between this send and the delete sends the same copy.
        MessageDeduplicationId: record.messageId,
        MessageAttributes: {
          ...copiedAttributes(record),
          failureReason: { DataType: 'String', StringValue: reason.slice(0, MAX_REASON_LENGTH) },
          failureCount: { DataType: 'Number', StringValue: String(failures) },
          sourceQueue: { DataType: 'String', StringValue: this.id },
          ...(record.attributes.SentTimestamp ? { firstSentAt: { DataType: 'String', StringValue: new Date(Number(record.attributes.SentTimestamp)).toISOString() } } : {}),
        },
      }),
    );
  }
}

/** The producer's own attributes (`kind`, `action`), so the DLQ reads as the queue did. */
function copiedAttributes(record: SQSRecord): Record<string, MessageAttributeValue> {
  return Object.fromEntries(
    Object.entries(record.messageAttributes ?? {}).flatMap(([name, value]) =>
      value.stringValue !== undefined ? [[name, { DataType: value.dataType, StringValue: value.stringValue }]] : [],
    ),
  );
}

/** A deployed consumer's queue, from the environment its construct sets. */
export function consumerQueueFrom(
  config: BridgeConfig,
  id: QueueId,
  clients: { readonly sqs: SQSClient; readonly dynamodb: DynamoDBClient },
): SqsConsumerQueue {
  const retentionSeconds = queueDefinition(id).retentionDays * 86_400;
  return new SqsConsumerQueue({
    id,
    sqs: clients.sqs,
    queueUrl: requireQueueUrl(config, id),
    deadLetterQueueUrl: requireQueueUrl(config, id, true),
    failures: new DynamoDbFailureCounter(clients.dynamodb, requireTableName(config, 'ledger'), retentionSeconds),
    maxFailures: config.queues.maxFailures,
    ...(config.queues.visibilityTimeoutSeconds ? { visibilityTimeoutSeconds: config.queues.visibilityTimeoutSeconds } : {}),
  });
}
