import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueId } from '#lib/resource-definitions';
import type { OutgoingMessage } from '#core/webhooks/delivery';

export interface QueuePublisher {
  /** Resolves once every message is durably stored by SQS; rejects if any send fails. */
  publish(messages: readonly OutgoingMessage[]): Promise<void>;
}

export type QueueUrlResolver = (queue: QueueId, deadLetter: boolean) => string;

export class SqsQueuePublisher implements QueuePublisher {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: QueueUrlResolver,
  ) {}

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    await Promise.all(
      messages.map((message) =>
        this.sqs.send(
          new SendMessageCommand({
            QueueUrl: this.queueUrl(message.queue, message.deadLetter),
            MessageBody: JSON.stringify(message.envelope),
            MessageGroupId: message.groupId,
            MessageDeduplicationId: message.deduplicationId,
            // Lets an operator browsing a queue in the console see what a message is without opening it.
            MessageAttributes: {
              kind: { DataType: 'String', StringValue: message.envelope.kind },
              ...('action' in message.envelope && message.envelope.action
                ? { action: { DataType: 'String', StringValue: message.envelope.action } }
                : {}),
            },
          }),
        ),
      ),
    );
  }
}
