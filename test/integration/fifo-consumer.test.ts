import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENVELOPE_VERSION, type Envelope, type Origin } from '#core/envelope';
import { RateLimited, ServerError, ValidationFailed } from '#core/api-errors';
import { CAPABILITY_BROKEN_METRIC, CapabilityBroken } from '#adapters/beamery/errors';
import { SqsConsumerQueue } from '#adapters/queue/consumer-queue';
import { DynamoDbFailureCounter } from '#adapters/store/message-failures';
import { makeFifoConsumer } from '#handlers/fifo-consumer';
import { RetryLater } from '#core/sync/retry-later';
import { startEmulators, type Emulators } from '#local/emulators';
import { createQueues, createTables, type LocalResources } from '#local/resources';
import { startEventSourceMapping } from '#local/event-source-mapping';
import { drain, eventually, queueDepth } from '../support/queues.ts';

const envelope = (entityKey: string, deliveryId: string, origin: Origin = 'webhook'): Envelope => ({
  v: ENVELOPE_VERSION,
  kind: 'greenhouse.event',
  action: 'update_candidate',
  entityKey,
  origin,
  observedAt: new Date().toISOString(),
  deliveryId,
  refs: {},
});

const silent = () => new Logger({ logLevel: process.env['DEBUG_TEST'] ? 'DEBUG' : 'SILENT' });
const noMetrics = { addMetric: () => undefined, publishStoredMetrics: () => undefined };

/**
 * The consumer shell on real parts: fauxqs queues with the deployed redrive policy, DynamoDB Local for
 * the failure counts, and the event-source mapping as Lambda runs it. The rule under test: a transient
 * outcome never brings a message closer to its DLQ; `maxFailures` real failures put it there, with
 * the reason.
 */
describe('FIFO consumer shell (fauxqs, DynamoDB Local, event-source mapping as Lambda runs it)', () => {
  let emulators: Emulators;
  let ledger: string;
  let queues: LocalResources['queues'];
  let test = 0;

  beforeAll(async () => {
    emulators = await startEmulators();
    ledger = (await createTables(emulators.dynamodb, 'consumer-it-')).ledger;
  });
  // Fresh queues per test: a stopped mapping's last long poll may still take a message server-side.
  // They keep the deployed visibility timeout (6 minutes): a message seen again within seconds was handed back.
  beforeEach(async () => {
    queues = await createQueues(emulators, { prefix: `consumer-it-${++test}-` });
  });
  afterAll(async () => emulators?.stop());

  const consumerQueue = (options: { maxFailures?: number; visibilityTimeoutSeconds?: number } = {}) => {
    const queue = queues['greenhouse-changes'];
    return new SqsConsumerQueue({
      id: 'greenhouse-changes',
      sqs: emulators.sqs,
      queueUrl: queue.url,
      deadLetterQueueUrl: queue.deadLetter.url,
      failures: new DynamoDbFailureCounter(emulators.dynamodb, ledger, 3_600),
      ...options,
    });
  };

  async function run(
    handle: (envelope: Envelope, record: SQSRecord) => Promise<void>,
    send: { body: string; group: string; id: string }[],
    options: { maxFailures?: number; visibilityTimeoutSeconds?: number } = {},
  ) {
    const queue = queues['greenhouse-changes'];
    for (const m of send) {
      await emulators.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: m.body, MessageGroupId: m.group, MessageDeduplicationId: m.id }));
    }
    const consumer = makeFifoConsumer({ handle, queue: consumerQueue(options), logger: silent(), metrics: noMetrics });
    return startEventSourceMapping({ sqs: emulators.sqs, queue, handler: consumer, waitTimeSeconds: 1 });
  }

  const message = (n: number, id = `m${n}`) => ({ body: JSON.stringify(envelope(`greenhouse#candidate#${n}`, id)), group: `greenhouse#candidate#${n}`, id });

  it('deletes what it handled, and keeps going with other groups when one fails', async () => {
    const seen: string[] = [];
    const mapping = await run(
      async (e) => {
        seen.push(e.deliveryId);
        if (e.entityKey === 'greenhouse#candidate#1') throw new Error('boom');
      },
      [message(1, 'a1'), message(2, 'b1')],
    );
    try {
      await eventually(() => (seen.includes('b1') && seen.includes('a1') ? true : undefined), 10_000, 'both groups handled');
      const depth = await eventually(async () => {
        const d = await queueDepth(emulators.sqs, queues['greenhouse-changes'].url);
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
      [message(3, 'c1')],
    );
    try {
      await eventually(() => (seenAt.length >= 2 ? true : undefined), 10_000, 'the message to come back');
      // Back after about a second, not after the queue's 360-second visibility timeout.
      expect(seenAt[1]! - seenAt[0]!).toBeLessThan(5_000);
    } finally {
      await mapping.stop();
    }
  });

  it('never dead-letters a message for transient outcomes, however many: rate limits, a 5xx and a race, then done', async () => {
    // When SQS counted every hand-back, the fifth 429 sent a healthy update to the DLQ.
    const transient = [
      ...Array.from({ length: 6 }, () => new RateLimited('beamery', 'GET /v1/contact/abc', 1, 'server')),
      new ServerError('beamery', 'GET /v1/contact/abc', 503),
      new RetryLater('its vacancy is being created', 1),
      new RateLimited('greenhouse', 'GET /v3/candidates/5', 1, 'budget'),
    ];
    let calls = 0;
    const mapping = await run(
      async () => {
        const error = transient[calls++];
        if (error) throw error;
      },
      [message(5)],
      { maxFailures: 2 },
    );
    try {
      await eventually(() => (calls > transient.length ? true : undefined), 60_000, 'the message to be handled after its transient failures');
      await eventually(async () => {
        const d = await queueDepth(emulators.sqs, queues['greenhouse-changes'].url);
        return d.visible + d.inFlight === 0 ? true : undefined;
      }, 5_000, 'the message to be deleted');
      expect(await drain(emulators.sqs, queues['greenhouse-changes'].deadLetter.url)).toEqual([]);
      expect(calls).toBe(transient.length + 1);
    } finally {
      await mapping.stop();
    }
  });

  it('moves a message to its DLQ itself after maxFailures real failures, with the reason, and the handler saw it exactly that often', async () => {
    let calls = 0;
    const poison = message(6);
    const mapping = await run(
      async () => {
        calls++;
        throw new ValidationFailed('beamery', 'PATCH /v1/contact/0f9e8d7c-aaaa-bbbb-cccc-123456789abc', 422, ['email is invalid']);
      },
      [poison],
      // Failed messages wait min(10·2^(n-1) s, the queue's visibility): one second here.
      { maxFailures: 3, visibilityTimeoutSeconds: 1 },
    );
    try {
      const [dead] = await eventually(async () => {
        const messages = await drain(emulators.sqs, queues['greenhouse-changes'].deadLetter.url);
        return messages.length > 0 ? messages : undefined;
      }, 30_000, 'the poison message on the DLQ');
      expect(calls).toBe(3);
      expect(dead!.Body).toBe(poison.body);
      expect(dead!.Attributes?.['MessageGroupId']).toBe('greenhouse#candidate#6');
      expect(dead!.MessageAttributes?.['failureCount']?.StringValue).toBe('3');
      expect(dead!.MessageAttributes?.['sourceQueue']?.StringValue).toBe('greenhouse-changes');
      // Name, system, method, path template and status; the contact id is not in it.
      expect(dead!.MessageAttributes?.['failureReason']?.StringValue).toBe('ValidationFailed: beamery PATCH /v1/contact/{id} 422');
      const depth = await queueDepth(emulators.sqs, queues['greenhouse-changes'].url);
      expect(depth.visible + depth.inFlight).toBe(0);
    } finally {
      await mapping.stop();
    }
  });

  it('counts a broken capability under its own metric as well as a failure, so its alarm names the cause', async () => {
    const metrics: string[] = [];
    const queue = queues['greenhouse-changes'];
    const broken = message(8);
    await emulators.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: broken.body, MessageGroupId: broken.group, MessageDeduplicationId: broken.id }));
    const consumer = makeFifoConsumer({
      handle: async () => {
        throw new CapabilityBroken('GET /contact/{id}', 'contactRead', '404 for 3 contact(s) that GET /contacts lists');
      },
      queue: consumerQueue({ maxFailures: 1 }),
      logger: silent(),
      metrics: { addMetric: (name: string) => void metrics.push(name), publishStoredMetrics: () => undefined },
    });
    const mapping = await startEventSourceMapping({ sqs: emulators.sqs, queue, handler: consumer, waitTimeSeconds: 1 });
    try {
      const [dead] = await eventually(async () => {
        const messages = await drain(emulators.sqs, queue.deadLetter.url);
        return messages.length > 0 ? messages : undefined;
      }, 30_000, 'the message on the DLQ');
      expect(dead!.MessageAttributes?.['failureReason']?.StringValue).toBe('CapabilityBroken: beamery GET /contact/{id} 404');
      expect(metrics).toEqual(expect.arrayContaining([CAPABILITY_BROKEN_METRIC, 'MessagesFailed', 'MessagesDeadLettered']));
    } finally {
      await mapping.stop();
    }
  });

  it('keeps a body that is not an envelope on the DLQ at once, without handing it to the handler', async () => {
    let handled = 0;
    const mapping = await run(
      async () => {
        handled++;
      },
      [{ body: '{"not":"an envelope"}', group: 'greenhouse#candidate#4', id: 'd1' }],
    );
    try {
      const [dead] = await eventually(async () => {
        const messages = await drain(emulators.sqs, queues['greenhouse-changes'].deadLetter.url);
        return messages.length > 0 ? messages : undefined;
      }, 10_000, 'the malformed message on the DLQ');
      expect(dead!.Body).toBe('{"not":"an envelope"}');
      expect(dead!.MessageAttributes?.['failureReason']?.StringValue).toBe('not a valid envelope (ZodError)');
      expect(handled).toBe(0);
    } finally {
      await mapping.stop();
    }
  });

  describe('one batch', () => {
    const record = (i: number, group = `greenhouse#candidate#${100 + i}`, origin: Origin = 'webhook'): SQSRecord =>
      ({
        messageId: `m${i}`,
        receiptHandle: `not-a-real-handle-${i}`,
        body: JSON.stringify(envelope(group, `r${i}`, origin)),
        attributes: { MessageGroupId: group, ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()) },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:greenhouse-changes.fifo',
        awsRegion: 'eu-west-1',
      }) as unknown as SQSRecord;

    /** The hand-backs the consumer asked for, by message id (the receipt handles are fake, so SQS refuses them). */
    function recordingQueue() {
      const real = consumerQueue();
      const handedBack = new Map<string, number>();
      const queue = Object.assign(Object.create(real) as SqsConsumerQueue, {
        handBack: async (items: readonly { record: SQSRecord; seconds: number }[]) => {
          for (const { record: r, seconds } of items) handedBack.set(r.messageId, seconds);
          return 0;
        },
      });
      return { queue, handedBack };
    }

    it('stops trying the rest of a batch once the rate limit says wait, and hands every record back for about that long', async () => {
      const { queue, handedBack } = recordingQueue();
      let calls = 0;
      const handler = makeFifoConsumer({
        handle: async () => {
          calls++;
          throw new RateLimited('greenhouse', 'GET /v3/candidates', 30, 'budget');
        },
        queue,
        logger: silent(),
        metrics: noMetrics,
      });
      const response = await handler({ Records: [record(1), record(2), record(3), record(4)] });
      expect(calls).toBe(1);
      expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['m1', 'm2', 'm3', 'm4']);
      expect([...handedBack.keys()]).toEqual(['m1', 'm2', 'm3', 'm4']);
      for (const seconds of handedBack.values()) expect(seconds).toBeGreaterThanOrEqual(30);
    });

    it('still tries the live messages behind a bulk message the budget refused, and holds the bulk ones', async () => {
      const { queue, handedBack } = recordingQueue();
      const tried: string[] = [];
      const handler = makeFifoConsumer({
        handle: async (env) => {
          tried.push(env.deliveryId);
          if (env.origin === 'backfill') throw new RateLimited('greenhouse', 'GET /v3/candidates', 30, 'budget');
        },
        queue,
        logger: silent(),
        metrics: noMetrics,
      });
      const bulk = (i: number) => record(i, undefined, 'backfill');
      const response = await handler({ Records: [bulk(1), record(2), bulk(3), record(4)] });
      expect(tried).toEqual(['r1', 'r2', 'r4']);
      expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['m1', 'm3']);
      expect([...handedBack.keys()]).toEqual(['m1', 'm3']);
    });

    it('holds every message behind a server 429 or a live message the budget refused, bulk or live', async () => {
      for (const [origin, source] of [
        ['backfill', 'server'],
        ['webhook', 'budget'],
      ] as const) {
        const { queue } = recordingQueue();
        const tried: string[] = [];
        const handler = makeFifoConsumer({
          handle: async (env) => {
            tried.push(env.deliveryId);
            throw new RateLimited('greenhouse', 'GET /v3/candidates', 30, source);
          },
          queue,
          logger: silent(),
          metrics: noMetrics,
        });
        const response = await handler({ Records: [record(1, undefined, origin), record(2), record(3, undefined, 'backfill')] });
        expect(tried).toEqual(['r1']);
        expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['m1', 'm2', 'm3']);
      }
    });

    it('hands back a record skipped behind its failed group as long as its group, not for the whole visibility timeout', async () => {
      const { queue, handedBack } = recordingQueue();
      const handler = makeFifoConsumer({
        handle: async (e) => {
          if (e.deliveryId === 'r1') throw new RetryLater('its vacancy is being created', 7);
        },
        queue,
        logger: silent(),
        metrics: noMetrics,
      });
      const response = await handler({ Records: [record(1, 'g'), record(2, 'g'), record(3, 'other')] });
      expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['m1', 'm2']);
      expect(handedBack.get('m1')).toBeGreaterThanOrEqual(7);
      expect(handedBack.get('m2')).toBe(handedBack.get('m1'));
    });

    it('is no Lambda error when only transient outcomes failed it', async () => {
      const { queue } = recordingQueue();
      let calls = 0;
      const handler = makeFifoConsumer({
        handle: async () => Promise.reject(++calls === 1 ? new RetryLater('its vacancy is being created', 5) : new ServerError('beamery', 'GET /v1/contacts', 502)),
        queue,
        logger: silent(),
        metrics: noMetrics,
      });
      const response = await handler({ Records: [record(1), record(2), record(3)] });
      expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['m1', 'm2', 'm3']);
    });

    it('is a Lambda error (the consumer alarm) when a real failure is among a batch that failed whole', async () => {
      const { queue } = recordingQueue();
      let calls = 0;
      const handler = makeFifoConsumer({
        handle: async () => {
          if (++calls === 2) throw new Error('a bug');
          throw new ServerError('beamery', 'GET /v1/contacts', 500);
        },
        queue,
        logger: silent(),
        metrics: noMetrics,
      });
      await expect(handler({ Records: [record(11), record(12), record(13)] })).rejects.toThrow(/all 3 messages/);
    });
  });
});
