import type { SQSClient } from '@aws-sdk/client-sqs';
import type { QueueId } from '#core/queues';
import { requireQueueUrl, type BridgeConfig } from '#lambdas/config';
import { SqsQueuePublisher, type QueueUrlResolver } from '#adapters/queue/sqs-publisher';

/** Which queues a sender may publish to; `sender` names it in the refusal of any other. */
export interface PublisherScope {
  readonly sender: string;
  readonly queues?: readonly QueueId[];
  readonly deadLetters?: readonly QueueId[];
}

/**
 * The URLs of a sender's queues, read from the configuration now: a missing variable fails the cold
 * start with its name rather than the first request. A message for a queue outside the scope is a
 * bug in the sender, so it throws instead of sending where nobody listens for it.
 */
export function queueUrlsFor(config: BridgeConfig, scope: PublisherScope): QueueUrlResolver {
  const key = (queue: QueueId, deadLetter: boolean) => (deadLetter ? `${queue}:dlq` : queue);
  const urls = new Map([
    ...(scope.queues ?? []).map((queue) => [key(queue, false), requireQueueUrl(config, queue)] as const),
    ...(scope.deadLetters ?? []).map((queue) => [key(queue, true), requireQueueUrl(config, queue, true)] as const),
  ]);
  return (queue, deadLetter) => {
    const url = urls.get(key(queue, deadLetter));
    if (!url) throw new Error(`${scope.sender} does not send to ${queue}${deadLetter ? ' (dead-letter)' : ''}`);
    return url;
  };
}

export function publisherFor(config: BridgeConfig, sqs: SQSClient, scope: PublisherScope): SqsQueuePublisher {
  return new SqsQueuePublisher(sqs, queueUrlsFor(config, scope));
}
