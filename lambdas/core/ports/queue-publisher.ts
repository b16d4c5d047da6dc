import type { OutgoingMessage } from '#core/webhooks/delivery';

/** Where the core's decided messages go: lambdas/adapters/queue/sqs-publisher.ts sends them to SQS. */
export interface QueuePublisher {
  /** Resolves once every message is durably stored by SQS; rejects if any send fails. */
  publish(messages: readonly OutgoingMessage[]): Promise<void>;
}
