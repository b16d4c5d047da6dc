import { createHash } from 'node:crypto';
import { SendMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSqsEmulator, type SqsEmulator } from '#local/emulators';
import { startEventSourceMapping, type EventSourceMapping, type SqsBatchHandler } from '#local/event-source-mapping';
import { createQueues, type LocalQueuePair } from '#local/resources';
import { eventually, queueDepth } from '../support/queues.ts';

/**
 * The local event-source mapping against real fauxqs FIFO queues built by local/resources.ts from the
 * stack's own definitions, with a one-second visibility timeout so redelivery is quick.
 */
const MAX_RECEIVE_COUNT = 3;

let emulator: SqsEmulator;
const mappings: EventSourceMapping[] = [];
let prefixes = 0;

beforeAll(async () => {
  emulator = await startSqsEmulator();
});
afterEach(async () => {
  await Promise.all(mappings.splice(0).map((m) => m.stop()));
});
afterAll(async () => {
  await emulator?.stop();
});

async function freshQueue(): Promise<LocalQueuePair> {
  const queues = await createQueues(emulator, {
    prefix: `esm${++prefixes}-`,
    maxReceiveCount: MAX_RECEIVE_COUNT,
    visibilityTimeoutSeconds: 1,
  });
  return queues['greenhouse-changes'];
}

async function send(queue: LocalQueuePair, body: string, group: string, attributes = {}): Promise<void> {
  await emulator.sqs.send(
    new SendMessageCommand({
      QueueUrl: queue.url,
      MessageBody: body,
      MessageGroupId: group,
      MessageDeduplicationId: `${group}:${body}`,
      MessageAttributes: attributes,
    }),
  );
}

function attach(queue: LocalQueuePair, handler: SqsBatchHandler, errors: unknown[] = []): void {
  mappings.push(
    startEventSourceMapping({
      sqs: emulator.sqs,
      queue,
      handler,
      waitTimeSeconds: 1,
      maxConcurrency: 2,
      onError: (error) => errors.push(error),
    }),
  );
}

describe('local SQS event-source mapping (FIFO, ReportBatchItemFailures)', () => {
  it('hands the consumer Lambda-shaped records and deletes the batch it completes', async () => {
    const queue = await freshQueue();
    await send(queue, '{"n":1}', 'greenhouse#candidate#1', { kind: { DataType: 'String', StringValue: 'greenhouse.event' } });
    await send(queue, '{"n":2}', 'greenhouse#candidate#2');
    await send(queue, '{"n":3}', 'greenhouse#candidate#3');
    const seen: SQSRecord[] = [];
    attach(queue, async (event) => {
      seen.push(...event.Records);
    });

    await eventually(() => (seen.length === 3 ? true : undefined), 5_000, 'three records');
    await eventually(async () => {
      const depth = await queueDepth(emulator.sqs, queue.url);
      return depth.visible + depth.inFlight === 0 ? true : undefined;
    }, 5_000, 'an empty queue');

    const first = seen.find((r) => r.body === '{"n":1}')!;
    expect(first).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: 'us-east-1',
      md5OfBody: createHash('md5').update('{"n":1}').digest('hex'),
      attributes: {
        ApproximateReceiveCount: '1',
        MessageGroupId: 'greenhouse#candidate#1',
        MessageDeduplicationId: 'greenhouse#candidate#1:{"n":1}',
        SenderId: expect.any(String),
        SentTimestamp: expect.stringMatching(/^\d{13}$/),
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
        SequenceNumber: expect.stringMatching(/^\d+$/),
      },
      messageAttributes: {
        kind: { dataType: 'String', stringValue: 'greenhouse.event', stringListValues: [], binaryListValues: [] },
      },
    });
    expect(first.messageId).toEqual(expect.any(String));
    expect(first.receiptHandle).toEqual(expect.any(String));
  });

  it('redelivers a record reported failed and, after maxReceiveCount receives, the queue moves it to its DLQ', async () => {
    const queue = await freshQueue();
    await send(queue, 'poison', 'greenhouse#candidate#10');
    await send(queue, 'fine-1', 'greenhouse#candidate#11');
    await send(queue, 'fine-2', 'greenhouse#candidate#12');
    const poisonReceives: string[] = [];
    const completed: string[] = [];
    attach(queue, async (event): Promise<SQSBatchResponse> => {
      const failures = event.Records.filter((r) => r.body === 'poison');
      poisonReceives.push(...failures.map((r) => r.attributes.ApproximateReceiveCount));
      completed.push(...event.Records.filter((r) => r.body !== 'poison').map((r) => r.body));
      return { batchItemFailures: failures.map((r) => ({ itemIdentifier: r.messageId })) };
    });

    await eventually(async () => {
      const dlq = await queueDepth(emulator.sqs, queue.deadLetter.url);
      return dlq.visible === 1 ? true : undefined;
    }, 10_000, 'the poison message on the DLQ');

    expect(poisonReceives).toEqual(['1', '2', '3']);
    expect(completed.sort()).toEqual(['fine-1', 'fine-2']);
    expect(await queueDepth(emulator.sqs, queue.url)).toEqual({ visible: 0, inFlight: 0 });
    const { Messages = [] } = await emulator.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.deadLetter.url }));
    expect(Messages.map((m) => m.Body)).toEqual(['poison']);
  });

  it('treats a thrown error as the failure of the whole batch', async () => {
    const queue = await freshQueue();
    await send(queue, 'a', 'greenhouse#candidate#20');
    await send(queue, 'b', 'greenhouse#candidate#21');
    const batches: SQSEvent[] = [];
    const errors: unknown[] = [];
    attach(
      queue,
      async (event) => {
        batches.push(event);
        if (batches.length === 1) throw new Error('consumer crashed');
      },
      errors,
    );

    await eventually(async () => {
      const depth = await queueDepth(emulator.sqs, queue.url);
      return batches.length >= 2 && depth.visible + depth.inFlight === 0 ? true : undefined;
    }, 5_000, 'the batch to be redelivered and completed');

    expect(batches[0]!.Records.map((r) => r.body).sort()).toEqual(['a', 'b']);
    const redelivered = batches.slice(1).flatMap((b) => b.Records);
    expect(redelivered.map((r) => [r.body, r.attributes.ApproximateReceiveCount]).sort()).toEqual([
      ['a', '2'],
      ['b', '2'],
    ]);
    expect(errors).toEqual([expect.objectContaining({ message: 'consumer crashed' })]);
  });

  it('treats an itemIdentifier that is not in the batch as the failure of the whole batch', async () => {
    const queue = await freshQueue();
    await send(queue, 'x', 'greenhouse#candidate#30');
    const receives: string[] = [];
    attach(queue, async (event) => {
      receives.push(...event.Records.map((r) => r.attributes.ApproximateReceiveCount));
      return receives.length === 1 ? { batchItemFailures: [{ itemIdentifier: 'not-a-message-id' }] } : undefined;
    });

    await eventually(() => (receives.length === 2 ? true : undefined), 5_000, 'a redelivery');
    expect(receives).toEqual(['1', '2']);
  });

  it('keeps FIFO order within a message group, also across a redelivery', async () => {
    const queue = await freshQueue();
    for (let i = 1; i <= 5; i++) {
      await send(queue, `A${i}`, 'greenhouse#candidate#A');
      await send(queue, `B${i}`, 'greenhouse#candidate#B');
    }
    const seen: string[] = [];
    const done: string[] = [];
    let failedA2Once = false;
    attach(queue, async (event): Promise<SQSBatchResponse> => {
      const failures: { itemIdentifier: string }[] = [];
      for (const record of event.Records) {
        seen.push(record.body);
        if (record.body === 'A2' && !failedA2Once) {
          failedA2Once = true;
          failures.push({ itemIdentifier: record.messageId });
        } else {
          done.push(record.body);
        }
      }
      return { batchItemFailures: failures };
    });

    await eventually(() => (done.length === 10 ? true : undefined), 10_000, 'all ten messages');
    const ofGroup = (list: string[], group: string) => list.filter((b) => b.startsWith(group));
    expect(ofGroup(done, 'A')).toEqual(['A1', 'A2', 'A3', 'A4', 'A5']);
    expect(ofGroup(done, 'B')).toEqual(['B1', 'B2', 'B3', 'B4', 'B5']);
    // A3 waits behind the failed A2 instead of overtaking it.
    expect(ofGroup(seen, 'A')).toEqual(['A1', 'A2', 'A2', 'A3', 'A4', 'A5']);
  });

  it('stops cleanly while a long poll is waiting', async () => {
    const queue = await freshQueue();
    const mapping = startEventSourceMapping({ sqs: emulator.sqs, queue, handler: async () => undefined, waitTimeSeconds: 20 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    await mapping.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
