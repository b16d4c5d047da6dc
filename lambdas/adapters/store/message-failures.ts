import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '#adapters/system-clock';
import { isoNow, type Clock } from '#core/clock';

/**
 * How many times a queue message has really failed (never its transient hand-backs), kept in the
 * Ledger under its own prefix. SQS's receive count cannot be used: every hand-back is a receive too,
 * and a message's attributes cannot be changed while it waits. One conditional-free atomic ADD per
 * real failure, nothing on success or on a transient outcome; the item expires with the message.
 */
export interface FailureCounter {
  /** Counts one more real failure of a message and answers how many it has had. */
  add(queue: string, messageId: string, reason: string): Promise<number>;
}

export const messageFailureKey = (queue: string, messageId: string) => ({ pk: `message-failures#${queue}#${messageId}`, sk: 'failures' });
/** The latest real failure on a queue (reason, time, message id): what `bridge status` shows per consumer. */
export const lastFailureKey = (queue: string) => ({ pk: `last-failure#${queue}`, sk: 'last-failure' });

export class DynamoDbFailureCounter implements FailureCounter {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    dynamodb: DynamoDBClient,
    private readonly tableName: string,
    /** The longest a message can live on its queue; the count is useless after it. */
    private readonly keepSeconds: number,
    private readonly clock: Clock = systemClock,
  ) {
    this.documents = DynamoDBDocumentClient.from(dynamodb);
  }

  async add(queue: string, messageId: string, reason: string): Promise<number> {
    // Unconditional and never expiring: the newest failure wins, and an old one is still worth showing.
    const [, { Attributes }] = await Promise.all([
      this.documents.send(new PutCommand({ TableName: this.tableName, Item: { ...lastFailureKey(queue), reason, messageId, at: isoNow(this.clock) } })),
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: messageFailureKey(queue, messageId),
          UpdateExpression: 'ADD failures :one SET lastReason = :reason, expiresAt = :expiresAt',
          ExpressionAttributeValues: {
            ':one': 1,
            ':reason': reason,
            ':expiresAt': Math.ceil(this.clock.now() / 1000) + this.keepSeconds,
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    ]);
    return Number(Attributes?.['failures'] ?? 1);
  }
}
