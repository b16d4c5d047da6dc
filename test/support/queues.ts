import { setTimeout as sleep } from 'node:timers/promises';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';

/** Polls until `check` returns a value other than undefined; the local stack's work is asynchronous. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

import { queueDepth } from '#adapters/queue/queue-depth';

export { queueDepth };
export type { QueueDepth } from '#adapters/queue/queue-depth';

/**
 * Receives and deletes every message on a queue. Deleting is what lets a FIFO queue hand out the next
 * message of a group, so a test that only received would see one message per group.
 */
export async function drain(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return all;
    all.push(...Messages);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
}

/**
 * Resolves once every queue has been empty (nothing visible, nothing in flight) for `quietMs`: the
 * consumers are idle, not between two receives.
 */
export async function untilQuiet(sqs: SQSClient, queueUrls: readonly string[], quietMs: number, timeoutMs: number): Promise<void> {
  let quietSince = 0;
  await eventually(
    async () => {
      for (const url of queueUrls) {
        const depth = await queueDepth(sqs, url);
        if (depth.visible + depth.inFlight > 0) {
          quietSince = 0;
          return undefined;
        }
      }
      quietSince ||= Date.now();
      return Date.now() - quietSince >= quietMs ? true : undefined;
    },
    timeoutMs,
    'the sync to go quiet',
  );
}
