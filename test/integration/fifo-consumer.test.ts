import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENVELOPE_VERSION, type Envelope } from '#core/envelope';
import { RateLimited } from '#adapters/http/errors';
import { makeFifoConsumer } from '#handlers/fifo-consumer';
import { RetryLater } from '#core/sync/retry-later';
import { startSqsEmulator, type SqsEmulator } from '#local/emulators';
import { createQueues, type LocalResources } from '#local/resources';
import { startEventSourceMapping } from '#local/event-source-mapping';
import { eventually, queueDepth } from '../support/queues.ts';

const envelope = (entityKey: string, deliveryId: string): Envelope => ({
  v: ENVELOPE_VERSION,
  kind: 'greenhouse.event',
  action: 'update_candidate',
  entityKey,
  origin: 'webhook',
  observedAt: new Date().toISOString(),
  deliveryId,
  refs: {},
});

describe('FIFO consumer shell (fauxqs, event-source mapping as Lambda runs it)', () => {
  let emulator: SqsEmulator;
  let queues: LocalResources['queues'];
  let test = 0;

  beforeAll(async () => {
    emulator = await startSqsEmulator();
  });
  // Fresh queues per test: a stopped mapping's last long poll may still take a message server-side.
  // They keep the deployed visibility timeout (6 minutes): a message seen again within seconds was handed back.
  beforeEach(async () => {
    queues = await createQueues(emulator, { prefix: `consumer-it-${++test}-` });
  });
  afterAll(async () => emulator?.stop());

  async function run(handle: (envelope: Envelope, record: SQSRecord) => Promise<void>, send: { body: string; group: string; id: string }[]) {
    const queue = queues['greenhouse-changes'];
    for (const m of send) {
      await emulator.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: m.body, MessageGroupId: m.group, MessageDeduplicationId: m.id }));
    }
    const consumer = makeFifoConsumer({
      handle,
      sqs: emulator.sqs,
      queueUrlOf: () => queue.url,
      logger: new Logger({ logLevel: process.env['DEBUG_TEST'] ? 'DEBUG' : 'SILENT' }),
      metrics: { addMetric: () => undefined, publishStoredMetrics: () => undefined },
    });
    return startEventSourceMapping({ sqs: emulator.sqs, queue, handler: consumer, waitTimeSeconds: 1 });
  }

  it('deletes what it handled, and keeps going with other groups when one fails', async () => {
    const seen: string[] = [];
    const mapping = await run(
      async (e) => {
        seen.push(e.deliveryId);
        if (e.entityKey === 'greenhouse#candidate#1') throw new Error('boom');
      },
      [
        { body: JSON.stringify(envelope('greenhouse#candidate#1', 'a1')), group: 'greenhouse#candidate#1', id: 'a1' },
        { body: JSON.stringify(envelope('greenhouse#candidate#2', 'b1')), group: 'greenhouse#candidate#2', id: 'b1' },
      ],
    );
    try {
      await eventually(() => (seen.includes('b1') && seen.includes('a1') ? true : undefined), 10_000, 'both groups handled');
      const depth = await eventually(async () => {
        const d = await queueDepth(emulator.sqs, queues['greenhouse-changes'].url);
        return d.visible + d.inFlight === 1 ? d : undefined;
      }, 5_000, 'one message left');
      expect(depth.inFlight).toBe(1);
    } finally {
      await mapping.stop();
    }
  });

  it('hands a rate-limited message back for the retry time instead of the queue visibility timeout', async () => {
    const seenAt: number[] = [];
    const mapping = await run(
      async () => {
        seenAt.push(Date.now());
        if (seenAt.length === 1) throw new RateLimited('greenhouse', 'GET /v3/candidates', 1, 'server');
      },
      [{ body: JSON.stringify(envelope('greenhouse#candidate#3', 'c1')), group: 'greenhouse#candidate#3', id: 'c1' }],
    );
    try {
      await eventually(() => (seenAt.length >= 2 ? true : undefined), 10_000, 'the message to come back');
      // Back after about a second, not after the queue's 360-second visibility timeout.
      expect(seenAt[1]! - seenAt[0]!).toBeLessThan(5_000);
    } finally {
      await mapping.stop();
    }
  });

  it('fails a body that is not an envelope without handing it to the handler (the queue redrives it to the DLQ)', async () => {
    let handled = 0;
    const mapping = await run(
      async () => {
        handled++;
      },
      [{ body: '{"not":"an envelope"}', group: 'greenhouse#candidate#4', id: 'd1' }],
    );
    try {
      const depth = await eventually(async () => {
        const d = await queueDepth(emulator.sqs, queues['greenhouse-changes'].url);
        return d.inFlight >= 1 ? d : undefined;
      }, 5_000, 'the malformed message to be in flight');
      expect(depth.inFlight).toBeGreaterThanOrEqual(1);
      expect(handled).toBe(0);
    } finally {
      await mapping.stop();
    }
  });

  describe('a batch that fails whole', () => {
    const record = (i: number): SQSRecord =>
      ({
        messageId: `m${i}`,
        receiptHandle: `not-a-real-handle-${i}`,
        body: JSON.stringify(envelope(`greenhouse#candidate#${100 + i}`, `r${i}`)),
        attributes: { MessageGroupId: `greenhouse#candidate#${100 + i}` },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:greenhouse-changes.fifo',
        awsRegion: 'eu-west-1',
      }) as unknown as SQSRecord;
    const consumer = (handle: (e: Envelope) => Promise<void>) =>
      makeFifoConsumer({
        handle,
        sqs: emulator.sqs,
        queueUrlOf: () => queues['greenhouse-changes'].url,
        logger: new Logger({ logLevel: 'SILENT' }),
        metrics: { addMetric: () => undefined, publishStoredMetrics: () => undefined },
      });

    it('is no Lambda error when only rate limits (or a reconcile told to retry later) failed it, every message handed back', async () => {
      let calls = 0;
      const handler = consumer(async () =>
        Promise.reject(++calls === 2 ? new RetryLater('its vacancy is being created', 5) : new RateLimited('greenhouse', 'GET /v3/candidates', 30, 'budget')),
      );
      const response = await handler({ Records: [record(1), record(2), record(3)] });
      expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['m1', 'm2', 'm3']);
    });

    it('is a Lambda error (the consumer alarm) when any message failed for another reason', async () => {
      let calls = 0;
      const handler = consumer(async () => {
        calls++;
        if (calls === 2) throw new Error('Beamery answered 500');
        throw new RateLimited('greenhouse', 'GET /v3/candidates', 30, 'budget');
      });
      await expect(handler({ Records: [record(1), record(2), record(3)] })).rejects.toThrow(/all 3 messages/);
    });
  });
});
