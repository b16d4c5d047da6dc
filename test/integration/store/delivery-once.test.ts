import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { startEmulators, type Emulators } from '#local/emulators';
import { createResources, type LocalResources } from '#local/resources';
import type { DeliveryOnce } from '#core/ports/delivery-once';
import { dynamoDbDeliveryOnce, publishEveryTime } from '#adapters/store/delivery-once';
import { SqsQueuePublisher } from '#adapters/queue/sqs-publisher';
import { type QueuePublisher } from '#core/ports/queue-publisher';
import { makeIngestHandler } from '#handlers/make-ingest-handler';
import { INGEST_METRICS } from '#core/metrics';
import { drain } from '../../support/queues.ts';
import { signedDelivery } from '../../support/ingest.ts';
import { greenhouseWebhookFixtures } from '../../support/fixtures.ts';

/**
 * Ingest publishes a delivery once per Greenhouse event id for two days, on the idempotency table in
 * DynamoDB Local (Powertools idempotency) and the queues in fauxqs: one JVM for the whole file, and
 * every test on its own random keys.
 */

const SECRET = 'delivery-once-secret';
const fixture = (action: string) => greenhouseWebhookFixtures().find((f) => f.action === action)!;
/** Greenhouse's second retry comes 16 minutes after the first attempt: past SQS's five-minute deduplication. */
const LATE_RETRY_MS = 16 * 60 * 1000;

let emulators: Emulators;
let resources: LocalResources;
let once: DeliveryOnce;

beforeAll(async () => {
  emulators = await startEmulators();
  resources = await createResources(emulators, { prefix: 'once-it-' });
  once = dynamoDbDeliveryOnce({ client: emulators.dynamodb, tableName: resources.tables.idempotency });
});
afterAll(async () => emulators?.stop());
afterEach(() => vi.useRealTimers());

async function recordIds(): Promise<Set<string>> {
  const { Items = [] } = await emulators.dynamodb.send(new ScanCommand({ TableName: resources.tables.idempotency, ConsistentRead: true }));
  return new Set(Items.map((item) => item['id']!.S!));
}

/** Counts each publish, and sends it to the real queues. */
function countingPublisher(): QueuePublisher & { calls: number; failNext: boolean } {
  const sqs = new SqsQueuePublisher(emulators.sqs, (queue, deadLetter) => (deadLetter ? resources.queues[queue].deadLetter.url : resources.queues[queue].url));
  return {
    calls: 0,
    failNext: false,
    async publish(messages) {
      this.calls++;
      if (this.failNext) {
        this.failNext = false;
        throw Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable' });
      }
      await sqs.publish(messages);
    },
  };
}

function ingestWith(deliveries: DeliveryOnce, publisher: QueuePublisher) {
  const counted: Record<string, number> = {};
  const handler = makeIngestHandler({
    readSecret: async () => SECRET,
    publisher,
    deliveries,
    payloadCapBytes: 256 * 1024,
    logger: new Logger({ serviceName: 'ingest', logLevel: 'SILENT' }),
    metrics: { addMetric: (name, _unit, value) => void (counted[name] = (counted[name] ?? 0) + value), publishStoredMetrics: () => undefined },
  });
  return { handler, counted };
}

describe('DeliveryOnce on DynamoDB Local (Powertools idempotency)', () => {
  it('publishes a key once, and a different key again', async () => {
    const publish = vi.fn(async () => undefined);
    const key = randomUUID();
    expect(await once.publishOnce(key, publish)).toEqual({ outcome: 'published' });
    expect(await once.publishOnce(key, publish)).toEqual({ outcome: 'duplicate' });
    expect(publish).toHaveBeenCalledTimes(1);
    expect(await once.publishOnce(randomUUID(), publish)).toEqual({ outcome: 'published' });
    expect(publish).toHaveBeenCalledTimes(2);
  });

  it('keeps the record two days, under a stable key prefix rather than the function name', async () => {
    const before = await recordIds();
    const start = Date.now() / 1000;
    await once.publishOnce(randomUUID(), async () => undefined);
    const { Items = [] } = await emulators.dynamodb.send(new ScanCommand({ TableName: resources.tables.idempotency, ConsistentRead: true }));
    const [item] = Items.filter((i) => !before.has(i['id']!.S!));
    expect(item!['id']!.S).toMatch(/^greenhouse-delivery#/);
    expect(item!['status']!.S).toBe('COMPLETED');
    expect(Number(item!['expiration']!.N) - start).toBeGreaterThan(47 * 3600);
  });

  it('leaves no record when the publish fails, so the retry publishes', async () => {
    const before = await recordIds();
    const key = randomUUID();
    await expect(once.publishOnce(key, async () => Promise.reject(new Error('SQS down')))).rejects.toThrow('SQS down');
    expect(await recordIds()).toEqual(before);
    const publish = vi.fn(async () => undefined);
    expect(await once.publishOnce(key, publish)).toEqual({ outcome: 'published' });
    expect(publish).toHaveBeenCalledTimes(1);
  });

  it('publishes again once the record has expired', async () => {
    const key = randomUUID();
    const before = await recordIds();
    await once.publishOnce(key, async () => undefined);
    const [id] = [...(await recordIds())].filter((i) => !before.has(i));
    // DynamoDB's TTL deletes lazily; Powertools must treat a record past `expiration` as gone.
    await emulators.dynamodb.send(
      new UpdateItemCommand({
        TableName: resources.tables.idempotency,
        Key: { id: { S: id! } },
        UpdateExpression: 'SET expiration = :past',
        ExpressionAttributeValues: { ':past': { N: String(Math.floor(Date.now() / 1000) - 60) } },
      }),
    );
    const publish = vi.fn(async () => undefined);
    expect(await once.publishOnce(key, publish)).toEqual({ outcome: 'published' });
    expect(publish).toHaveBeenCalledTimes(1);
  });

  it('answers in-progress to a repeat while the first is publishing, and duplicate after', async () => {
    const key = randomUUID();
    let release!: () => void;
    const first = once.publishOnce(key, () => new Promise<void>((resolve) => (release = resolve)));
    await vi.waitFor(() => expect(release).toBeTypeOf('function'));
    const publish = vi.fn(async () => undefined);
    expect(await once.publishOnce(key, publish)).toEqual({ outcome: 'in-progress' });
    release();
    expect(await first).toEqual({ outcome: 'published' });
    expect(await once.publishOnce(key, publish)).toEqual({ outcome: 'duplicate' });
    expect(publish).not.toHaveBeenCalled();
  });

  it('lets a repeat publish once the invocation that left a record in progress has passed its deadline', async () => {
    const key = randomUUID();
    // An invocation with 1 ms left whose publish never ends: Lambda would have killed it.
    const dying = { getRemainingTimeInMillis: () => 1 } as Context;
    void once.publishOnce(key, () => new Promise<void>(() => undefined), dying);
    await vi.waitFor(async () => expect((await recordIds()).size).toBeGreaterThan(0));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const publish = vi.fn(async () => undefined);
    expect(await once.publishOnce(key, publish)).toEqual({ outcome: 'published' });
    expect(publish).toHaveBeenCalledTimes(1);
  });

  it('fails open when the table cannot be used: publishes, and says the delivery is unrecorded', async () => {
    const broken = dynamoDbDeliveryOnce({ client: emulators.dynamodb, tableName: 'no-such-table' });
    const publish = vi.fn(async () => undefined);
    const result = await broken.publishOnce(randomUUID(), publish);
    expect(result).toMatchObject({ outcome: 'unrecorded', storeError: { name: 'ResourceNotFoundException' } });
    expect(publish).toHaveBeenCalledTimes(1);
  });
});

describe('ingest on DeliveryOnce', () => {
  it('does not queue a late Greenhouse retry again (without the record, SQS would: its deduplication lasts five minutes)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const body = fixture('update_candidate').raw;
    const landed = async () => (await drain(emulators.sqs, resources.queues['greenhouse-changes'].url)).length;

    const plain = ingestWith(publishEveryTime, countingPublisher());
    const bare = signedDelivery(body, SECRET, randomUUID());
    expect((await plain.handler(bare)).statusCode).toBe(200);
    vi.setSystemTime(Date.now() + LATE_RETRY_MS);
    expect((await plain.handler(bare)).statusCode).toBe(200);
    expect(await landed()).toBe(2);

    const publisher = countingPublisher();
    const { handler, counted } = ingestWith(once, publisher);
    const event = signedDelivery(body, SECRET, randomUUID());
    const first = await handler(event);
    vi.setSystemTime(Date.now() + LATE_RETRY_MS);
    const again = await handler(event);
    expect([first.statusCode, again.statusCode]).toEqual([200, 200]);
    expect(JSON.parse(again.body)).toEqual({ ...JSON.parse(first.body), duplicate: true });
    expect(await landed()).toBe(1);
    expect(publisher.calls).toBe(1);
    expect(counted[INGEST_METRICS.duplicate]).toBe(1);
    expect(counted[INGEST_METRICS.messagesQueued]).toBe(1);
  });

  it('queues a different event id, and takes the same body without an event id twice as one delivery (body hash)', async () => {
    const publisher = countingPublisher();
    const { handler } = ingestWith(once, publisher);
    const body = Buffer.from(JSON.stringify({ ...fixture('update_candidate').json, marker: randomUUID() }));
    const answers = [];
    for (const eventId of [randomUUID(), randomUUID(), undefined, undefined]) answers.push(JSON.parse((await handler(signedDelivery(body, SECRET, eventId))).body));
    expect(answers.map((a: { duplicate?: boolean }) => a.duplicate ?? false)).toEqual([false, false, false, true]);
    expect(publisher.calls).toBe(3);
    await drain(emulators.sqs, resources.queues['greenhouse-changes'].url);
  });

  it('answers 503 to a delivery it could not queue, and queues Greenhouse\'s retry', async () => {
    const publisher = countingPublisher();
    const { handler } = ingestWith(once, publisher);
    const event = signedDelivery(fixture('update_candidate').raw, SECRET, randomUUID());
    publisher.failNext = true;
    expect((await handler(event)).statusCode).toBe(503);
    const retry = await handler(event);
    expect(retry.statusCode).toBe(200);
    expect(JSON.parse(retry.body)).not.toHaveProperty('duplicate');
    expect(await drain(emulators.sqs, resources.queues['greenhouse-changes'].url)).toHaveLength(1);
  });

  it('keeps a refused delivery once and answers its repeat 400 as before, marked duplicate', async () => {
    const publisher = countingPublisher();
    const { handler, counted } = ingestWith(once, publisher);
    const event = signedDelivery(Buffer.from('this is not json'), SECRET, randomUUID());
    const first = await handler(event);
    const again = await handler(event);
    expect([first.statusCode, again.statusCode]).toEqual([400, 400]);
    expect(JSON.parse(again.body)).toEqual({ ...JSON.parse(first.body), duplicate: true });
    expect(publisher.calls).toBe(1);
    expect(counted[INGEST_METRICS.malformed]).toBe(1);
    await drain(emulators.sqs, resources.queues['greenhouse-changes'].deadLetter.url);
  });

  it('answers 409, not a 5xx, to a repeat that arrives while the first is being queued', async () => {
    const publisher = countingPublisher();
    let release!: () => void;
    const slow: QueuePublisher = { publish: async (messages) => new Promise<void>((resolve) => (release = resolve)).then(() => publisher.publish(messages)) };
    const first = ingestWith(once, slow);
    const second = ingestWith(once, publisher);
    const event = signedDelivery(fixture('update_candidate').raw, SECRET, randomUUID());
    const pending = first.handler(event);
    await vi.waitFor(() => expect(release).toBeTypeOf('function'));
    const concurrent = await second.handler(event);
    expect(concurrent.statusCode).toBe(409);
    expect(second.counted[INGEST_METRICS.duplicateInProgress]).toBe(1);
    release();
    expect((await pending).statusCode).toBe(200);
    expect(publisher.calls).toBe(1);
    await drain(emulators.sqs, resources.queues['greenhouse-changes'].url);
  });
});
