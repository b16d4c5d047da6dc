import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseEnvelope } from '#core/envelope';
import { PUSH_METRICS } from '#core/metrics';
import { MAX_PUSH_CONTACTS } from '#core/sync/beamery-messages';
import { SqsQueuePublisher } from '#adapters/queue/sqs-publisher';
import { type QueuePublisher } from '#core/ports/queue-publisher';
import { makeBeameryPushHandler } from '#handlers/make-beamery-push-handler';
import { MAX_PUSH_BODY_BYTES, parsePushBody } from '#core/push/push-request';
import { proxyEvent } from '#local/api-gateway-event';
import { BEAMERY_PUSH_PATH } from '#local/defaults';
import { startSqsEmulator, type SqsEmulator } from '#local/emulators';
import { createQueues, type LocalResources } from '#local/resources';
import { QUEUES } from '#lib/resource-definitions';
import { drain } from '../support/queues.ts';
import { WeakSecretError } from '#adapters/secrets/string-secrets';

/**
 * The push handler (lambdas/handlers/make-beamery-push-handler.ts) on the SQS emulator with the
 * stack's FIFO queues: who gets in, what is refused, and exactly what lands on beamery-changes.fifo.
 */
const KEY = 'integration-push-key-0123456789abcdef';
const NOW = new Date('2026-11-23T10:00:00.000Z');

let emulator: SqsEmulator;
let queues: LocalResources['queues'];
let metrics: { name: string; value: number }[];
let logs: { level: string; message: string; extra: unknown[] }[];

function handlerWith(overrides: { readApiKey?: () => Promise<string>; publisher?: QueuePublisher } = {}) {
  const record = (level: string) => (message: string, ...extra: unknown[]) => void logs.push({ level, message, extra });
  return makeBeameryPushHandler({
    readApiKey: overrides.readApiKey ?? (async () => KEY),
    publisher: overrides.publisher ?? new SqsQueuePublisher(emulator.sqs, (queue, deadLetter) => (deadLetter ? queues[queue].deadLetter.url : queues[queue].url)),
    logger: { info: record('info'), warn: record('warn'), error: record('error'), addContext: () => undefined },
    metrics: { addMetric: (name: string, _unit: unknown, value: number) => void metrics.push({ name, value }), publishStoredMetrics: () => undefined },
    now: () => NOW,
  });
}

/** A request as API Gateway hands it over, through the same event builder the local gateway uses. */
function request(body: string | Buffer, headers: string[] = ['Authorization', `Bearer ${KEY}`]): APIGatewayProxyEvent {
  return proxyEvent(
    {
      method: 'POST',
      path: BEAMERY_PUSH_PATH,
      query: new URLSearchParams(),
      rawHeaders: ['Content-Type', 'application/json', ...headers],
      body: Buffer.isBuffer(body) ? body : Buffer.from(body),
      sourceIp: '127.0.0.1',
      port: 443,
    },
    { resource: BEAMERY_PUSH_PATH, stage: 'v1' },
  );
}

/** Everything on every queue and DLQ, drained, keyed by queue name, empty ones left out. */
async function drainAll() {
  const found: Record<string, Awaited<ReturnType<typeof drain>>> = {};
  for (const q of QUEUES) {
    for (const { name, url } of [queues[q.id], queues[q.id].deadLetter]) {
      const messages = await drain(emulator.sqs, url);
      if (messages.length > 0) found[name] = messages;
    }
  }
  return found;
}

beforeAll(async () => {
  emulator = await startSqsEmulator();
  queues = await createQueues(emulator, { prefix: 'push-it-' });
});
afterAll(async () => emulator?.stop());
beforeEach(async () => {
  metrics = [];
  logs = [];
  await drainAll();
});

describe('POST /beamery/push → beamery-changes.fifo', () => {
  it('answers 202 and queues one beamery.change per contact, grouped by contact, deduplicated by contact and request', async () => {
    const event = request(JSON.stringify({ contactIds: ['c0ffee0000000000000a', 'c0ffee0000000000000b', 'c0ffee0000000000000a'] }));
    const reply = await handlerWith()(event);
    expect(reply.statusCode, reply.body).toBe(202);
    const requestId = event.requestContext.requestId;
    expect(JSON.parse(reply.body)).toEqual({ queued: 2, deliveryId: requestId });

    const landed = await drainAll();
    expect(Object.keys(landed)).toEqual([queues['beamery-changes'].name]);
    const messages = landed[queues['beamery-changes'].name]!;
    const byContact = new Map(messages.map((m) => [parseEnvelope(m.Body!).entityKey, m]));
    expect([...byContact.keys()].sort()).toEqual(['beamery#contact#c0ffee0000000000000a', 'beamery#contact#c0ffee0000000000000b']);
    for (const [key, message] of byContact) {
      const contactId = key.split('#')[2];
      expect(parseEnvelope(message.Body!)).toEqual({
        v: 1,
        kind: 'beamery.change',
        entityKey: key,
        origin: 'push',
        observedAt: NOW.toISOString(),
        deliveryId: requestId,
        pushRequested: true,
      });
      expect(message.Attributes?.['MessageGroupId']).toBe(key);
      expect(message.Attributes?.['MessageDeduplicationId']).toBe(`push:${contactId}:${requestId}`);
      expect(message.MessageAttributes?.['kind']?.StringValue).toBe('beamery.change');
    }
    expect(metrics).toEqual([{ name: PUSH_METRICS.contactsQueued, value: 2 }]);
  });

  it('accepts a single {"contactId"} and the key as x-api-key, or with a lower-case bearer scheme', async () => {
    for (const headers of [['x-api-key', KEY], ['authorization', `bearer ${KEY}`], ['Authorization', 'Basic abc', 'X-Api-Key', KEY]]) {
      const reply = await handlerWith()(request(JSON.stringify({ contactId: 'abc_DEF-123' }), headers));
      expect(reply.statusCode, `${headers.join(' ')}: ${reply.body}`).toBe(202);
      expect(JSON.parse(reply.body)).toMatchObject({ queued: 1 });
    }
    const messages = (await drainAll())[queues['beamery-changes'].name] ?? [];
    expect(messages.map((m) => parseEnvelope(m.Body!).entityKey)).toEqual(Array(3).fill('beamery#contact#abc_DEF-123'));
  });

  it('queues a retried request (same API Gateway request id) once', async () => {
    const event = request(JSON.stringify({ contactIds: ['c0ffee0000000000000c'] }));
    const handler = handlerWith();
    expect((await handler(event)).statusCode).toBe(202);
    expect((await handler(event)).statusCode).toBe(202);
    expect((await drainAll())[queues['beamery-changes'].name]).toHaveLength(1);
  });

  it(`takes ${MAX_PUSH_CONTACTS} contacts in one request`, async () => {
    const ids = Array.from({ length: MAX_PUSH_CONTACTS }, (_, i) => `bulk${String(i).padStart(16, '0')}`);
    const reply = await handlerWith()(request(JSON.stringify({ contactIds: ids })));
    expect(reply.statusCode, reply.body).toBe(202);
    expect(JSON.parse(reply.body)).toMatchObject({ queued: MAX_PUSH_CONTACTS });
    expect((await drainAll())[queues['beamery-changes'].name]).toHaveLength(MAX_PUSH_CONTACTS);
  });

  it.each([
    ['no key at all', []],
    ['a wrong key', ['Authorization', `Bearer ${KEY.slice(0, -1)}x`]],
    ['a key of another length', ['x-api-key', `${KEY}0`]],
    ['an empty bearer', ['Authorization', 'Bearer ']],
    ['another scheme', ['Authorization', `Basic ${Buffer.from(`user:${KEY}`).toString('base64')}`]],
  ])('answers 401 to %s, before judging the body, counts it, queues nothing and never logs the key', async (_, headers) => {
    const reply = await handlerWith()(request('not even json', headers));
    expect(reply.statusCode).toBe(401);
    expect(reply.headers?.['www-authenticate']).toMatch(/^Bearer/);
    expect(JSON.parse(reply.body)).toEqual({ message: expect.stringMatching(/API key/) });
    expect(metrics).toEqual([{ name: PUSH_METRICS.unauthorized, value: 1 }]);
    expect(await drainAll()).toEqual({});
    const logged = JSON.stringify(logs);
    expect(logged).not.toContain(KEY.slice(0, 12));
    expect(logs).toEqual([expect.objectContaining({ level: 'warn', message: 'push rejected: API key' })]);
  });

  it.each([
    ['malformed JSON', '{"contactIds": [', /not JSON/],
    ['an array', '["c0ffee0000000000000a"]', /not a JSON object/],
    ['no ids', '{}', /no contact ids/],
    ['contactIds not an array', '{"contactIds": "c0ffee0000000000000a"}', /must be an array/],
    ['an empty list', '{"contactIds": []}', /no contact ids/],
    ['both forms', '{"contactIds": ["a1"], "contactId": "a2"}', /not both/],
    ['an id that is not a Beamery id', '{"contactIds": ["c0ffee0000000000000a", "jane@example.com"]}', /1 of the ids are not Beamery contact ids/],
    ['a number', '{"contactId": 42}', /not Beamery contact ids/],
    ['too many ids', JSON.stringify({ contactIds: Array.from({ length: MAX_PUSH_CONTACTS + 1 }, (_, i) => `id${i}`) }), /at most 500/],
  ])('answers 400 to %s with a clear message and queues nothing', async (_, body, message) => {
    const reply = await handlerWith()(request(body));
    expect(reply.statusCode).toBe(400);
    expect(JSON.parse(reply.body).message).toMatch(message);
    expect(metrics).toEqual([{ name: PUSH_METRICS.rejected, value: 1 }]);
    expect(await drainAll()).toEqual({});
  });

  it('answers 413 to a body over the cap', async () => {
    const reply = await handlerWith()(request(Buffer.alloc(MAX_PUSH_BODY_BYTES + 1, 0x20)));
    expect(reply.statusCode).toBe(413);
    expect(await drainAll()).toEqual({});
  });

  it('answers 503 (retry) when the key cannot be read or SQS refuses, and says why in the logs', async () => {
    const noSecret = await handlerWith({ readApiKey: async () => Promise.reject(Object.assign(new Error('x'), { name: 'ResourceNotFoundException' })) })(
      request('{"contactId":"a1"}'),
    );
    expect(noSecret.statusCode).toBe(503);
    const sqsDown = await handlerWith({ publisher: { publish: async () => Promise.reject(Object.assign(new Error('x'), { name: 'ServiceUnavailable' })) } })(
      request('{"contactId":"a1"}'),
    );
    expect(sqsDown.statusCode).toBe(503);
    expect(metrics).toEqual([{ name: PUSH_METRICS.enqueueFailed, value: 1 }]);
    expect(logs.map((l) => [l.level, l.message])).toEqual([
      ['error', 'push API key unavailable'],
      ['error', 'push not queued'],
    ]);
  });
});

describe('push handler after bridge rotate-push-key', () => {
  const NEW_KEY = 'rotated-push-key-abcdefghijklmnopqrstuvwxyz012';
  const rotated = (validUntil: string) => async () => JSON.stringify({ current: NEW_KEY, previous: KEY, previousValidUntil: validUntil });

  it('accepts the new key and, until previousValidUntil, the previous one', async () => {
    const during = handlerWith({ readApiKey: rotated('2026-11-23T10:00:00.001Z') });
    expect((await during(request('{"contactId":"a1"}', ['x-api-key', NEW_KEY]))).statusCode).toBe(202);
    expect((await during(request('{"contactId":"a2"}', ['x-api-key', KEY]))).statusCode).toBe(202);
    const expired = handlerWith({ readApiKey: rotated(NOW.toISOString()) });
    expect((await expired(request('{"contactId":"a3"}', ['x-api-key', NEW_KEY]))).statusCode).toBe(202);
    expect((await expired(request('{"contactId":"a4"}', ['x-api-key', KEY]))).statusCode).toBe(401);
    const queued = Object.values(await drainAll()).flat().length;
    expect(queued).toBe(3);
  });

  it('answers 503 to a weak key as to a missing one, counts PushKeyWeak and logs the reason, never a key', async () => {
    const reply = await handlerWith({ readApiKey: async () => Promise.reject(new WeakSecretError('the secret in X is too weak (the current key is shorter than 32 characters)')) })(
      request('{"contactId":"a1"}'),
    );
    expect(reply.statusCode).toBe(503);
    expect(metrics).toEqual([{ name: PUSH_METRICS.keyWeak, value: 1 }]);
    expect(logs).toEqual([{ level: 'error', message: 'push API key too weak', extra: [expect.objectContaining({ reason: expect.stringContaining('shorter than 32') })] }]);
    expect(JSON.stringify(logs)).not.toContain(KEY);
    expect(await drainAll()).toEqual({});
  });
});

describe('parsePushBody', () => {
  it('drops duplicate ids, keeping their order', () => {
    expect(parsePushBody(Buffer.from('{"contactIds":["b","a","b"]}'))).toEqual({ ok: true, ids: ['b', 'a'] });
  });

  it('ignores a leading UTF-8 byte-order mark', () => {
    expect(parsePushBody(Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('{"contactId":"a"}')]))).toEqual({ ok: true, ids: ['a'] });
  });
});
