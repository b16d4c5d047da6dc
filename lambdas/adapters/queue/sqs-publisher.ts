import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueId } from '#core/queues';
import { envelopeAttributes, envelopeBody } from '#core/envelope';
import type { OutgoingMessage } from '#core/webhooks/delivery';
import type { QueuePublisher } from '#core/ports/queue-publisher';


export type QueueUrlResolver = (queue: QueueId, deadLetter: boolean) => string;

/** Sends what the core decided, as it decided it: a message's written body is sent unchanged. */
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
            MessageBody: message.body ?? envelopeBody(message.envelope),
            MessageGroupId: message.groupId,
            MessageDeduplicationId: message.deduplicationId,
            MessageAttributes: Object.fromEntries(
              Object.entries(envelopeAttributes(message.envelope)).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
            ),
          }),
        ),
      ),
    );
  }
}
