import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '@aws-sdk/client-sqs';
import { startSqsEmulator, type SqsEmulator } from '#local/emulators';
import { createQueues, type LocalResources } from '#local/resources';
import { parseEnvelope, type QuarantinedDelivery } from '#core/envelope';
import { ACTION_ROUTES, type GreenhouseAction } from '#core/webhooks/catalogue';
import { QUEUES } from '#lib/resource-definitions';
import { drain } from '../support/queues.ts';
import { ingestOnQueues, signedDelivery } from '../support/ingest.ts';
import { greenhouseWebhookFixtures } from '../support/fixtures.ts';

const SECRET = 'integration-secret';
const fixtures = greenhouseWebhookFixtures();
const fixture = (action: string) => fixtures.find((f) => f.action === action)!;

describe('ingest → SQS (fauxqs FIFO queues created from the stack definitions)', () => {
  let emulator: SqsEmulator;
  let queues: LocalResources['queues'];
  let ingest: ReturnType<typeof ingestOnQueues>;

  /** Everything on every queue and DLQ, drained, by queue name. */
  async function drainAll(): Promise<Record<string, Message[]>> {
    const all: Record<string, Message[]> = {};
    for (const q of QUEUES) {
      all[queues[q.id].name] = await drain(emulator.sqs, queues[q.id].url);
      all[queues[q.id].deadLetter.name] = await drain(emulator.sqs, queues[q.id].deadLetter.url);
    }
    return all;
  }
  const nonEmpty = (all: Record<string, Message[]>) => Object.fromEntries(Object.entries(all).filter(([, m]) => m.length > 0));

  beforeAll(async () => {
    emulator = await startSqsEmulator();
    queues = await createQueues(emulator, { prefix: 'ingest-it-' });
    ingest = ingestOnQueues(emulator.sqs, queues, SECRET);
  });
  afterAll(async () => emulator?.stop());
  beforeEach(async () => {
    await drainAll();
  });

  it.each(fixtures.filter((f) => f.action !== 'ping').map((f) => [f.action, f] as const))(
    '%s lands once on each of its queues, in its entity group, deduplicated by the event id',
    async (action, f) => {
      const eventId = randomUUID();
      expect((await ingest(signedDelivery(f.raw, SECRET, eventId))).statusCode).toBe(200);
      const landed = nonEmpty(await drainAll());
      const expected = ACTION_ROUTES[action as GreenhouseAction].queues.map((id) => queues[id].name).sort();
      expect(Object.keys(landed).sort()).toEqual(expected);
      for (const [, messages] of Object.entries(landed)) {
        expect(messages).toHaveLength(1);
        const [message] = messages;
        const envelope = parseEnvelope(message!.Body!);
        expect(envelope).toMatchObject({ kind: 'greenhouse.event', action, deliveryId: eventId });
        expect(message!.Attributes?.MessageGroupId).toBe(envelope.entityKey);
        expect(message!.Attributes?.MessageDeduplicationId).toBe(eventId);
        expect(message!.MessageAttributes?.['action']?.StringValue).toBe(action);
      }
    },
  );

  it('turns the same delivery twice into one message', async () => {
    const event = signedDelivery(fixture('update_candidate').raw, SECRET, 'same-delivery');
    expect((await ingest(event)).statusCode).toBe(200);
    expect((await ingest(event)).statusCode).toBe(200);
    expect((await drain(emulator.sqs, queues['greenhouse-changes'].url)).length).toBe(1);
  });

  it('turns the same body twice without event ids into one message (body hash)', async () => {
    const body = fixture('update_candidate').raw;
    await ingest(signedDelivery(body, SECRET));
    await ingest(signedDelivery(body, SECRET));
    expect((await drain(emulator.sqs, queues['greenhouse-changes'].url)).length).toBe(1);
  });

  it('queues nothing for a ping', async () => {
    expect((await ingest(signedDelivery(fixture('ping').raw, SECRET, randomUUID()))).statusCode).toBe(200);
    expect(nonEmpty(await drainAll())).toEqual({});
  });

  it('queues nothing for a bad signature', async () => {
    expect((await ingest(signedDelivery(fixture('update_candidate').raw, 'not-the-secret', randomUUID()))).statusCode).toBe(401);
    expect(nonEmpty(await drainAll())).toEqual({});
  });

  it('keeps an unknown action with its raw body on the greenhouse-changes DLQ', async () => {
    const raw = Buffer.from('{"action":"candidate_teleported","payload":{"candidate":{"id":7}}}');
    expect((await ingest(signedDelivery(raw, SECRET, 'unknown-1'))).statusCode).toBe(200);
    const landed = nonEmpty(await drainAll());
    expect(Object.keys(landed)).toEqual([queues['greenhouse-changes'].deadLetter.name]);
    const envelope = parseEnvelope(landed[queues['greenhouse-changes'].deadLetter.name]![0]!.Body!);
    expect(envelope).toMatchObject({ kind: 'greenhouse.quarantined', reason: 'unknown-action', action: 'candidate_teleported' });
    expect(envelope.kind === 'greenhouse.quarantined' && Buffer.from(envelope.rawBodyBase64, 'base64').equals(raw)).toBe(true);
  });

  /** The quarantined envelopes on the greenhouse-changes DLQ, after checking nothing went anywhere else. */
  async function keptOnly(): Promise<QuarantinedDelivery[]> {
    const landed = nonEmpty(await drainAll());
    const dlq = queues['greenhouse-changes'].deadLetter.name;
    expect(Object.keys(landed)).toEqual([dlq]);
    return landed[dlq]!.map((m) => {
      const envelope = parseEnvelope(m.Body!);
      if (envelope.kind !== 'greenhouse.quarantined') throw new Error(`unexpected ${envelope.kind} on the DLQ`);
      return envelope;
    });
  }
  const rawOf = (kept: QuarantinedDelivery) => Buffer.from(kept.rawBodyBase64, 'base64');

  it('keeps a signed delete_candidate nested 5,000 levels deep (400), where it used to answer 503', async () => {
    const raw = Buffer.from(`{"action":"delete_candidate","payload":{"person":{"id":37031511,"x":${'['.repeat(5_000)}${']'.repeat(5_000)}}}}`);
    expect((await ingest(signedDelivery(raw, SECRET, randomUUID()))).statusCode).toBe(400);
    const [kept, ...more] = await keptOnly();
    expect(more).toEqual([]);
    expect(kept).toMatchObject({ reason: 'malformed' });
    expect(rawOf(kept!).equals(raw)).toBe(true);
  });

  it.each([
    ['candidate id -5', '{"action":"update_candidate","payload":{"candidate":{"id":-5}}}'],
    ['candidate id 0', '{"action":"update_candidate","payload":{"candidate":{"id":0}}}'],
    ['a 300-digit candidate id', `{"action":"update_candidate","payload":{"candidate":{"id":"${'7'.repeat(300)}"}}}`],
    ['job id -7', '{"action":"job_updated","payload":{"job":{"id":-7}}}'],
  ])('answers 400 to %s and keeps it on the DLQ, never in a FIFO group', async (_, body) => {
    const raw = Buffer.from(body);
    const res = await ingest(signedDelivery(raw, SECRET, randomUUID()));
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ reason: 'invalid-id' });
    const [kept, ...more] = await keptOnly();
    expect(more).toEqual([]);
    expect(kept).toMatchObject({ reason: 'invalid-id' });
    expect(rawOf(kept!).equals(raw)).toBe(true);
  });

  it('keeps two different malformed bodies sent under one Greenhouse-Event-ID, and a redelivery once', async () => {
    const first = Buffer.from('{"action": truncated');
    const second = Buffer.from('{"payload": {}}');
    for (const raw of [first, second, first]) expect((await ingest(signedDelivery(raw, SECRET, 'one-event-id'))).statusCode).toBe(400);
    const kept = await keptOnly();
    expect(kept.map(rawOf).map(String).sort()).toEqual([String(first), String(second)].sort());
  });

  it('queues a carried payload with characters SQS refuses (U+FFFF) or the emulator refuses (emoji), unchanged', async () => {
    const payload = { person: { id: 37031511, first_name: 'Zoë 😀', odd: '\uffff' } };
    const raw = Buffer.from(JSON.stringify({ action: 'delete_candidate', payload }));
    expect((await ingest(signedDelivery(raw, SECRET, randomUUID()))).statusCode).toBe(200);
    const [message] = await drain(emulator.sqs, queues['greenhouse-changes'].url);
    expect(parseEnvelope(message!.Body!)).toMatchObject({ kind: 'greenhouse.event', payload });
  });

  it('answers 503 when the queue is unreachable, so Greenhouse retries', async () => {
    const gone = { ...queues, 'greenhouse-changes': { ...queues['greenhouse-changes'], url: `${emulator.sqsEndpoint}/000000000000/no-such-queue.fifo` } };
    const broken = ingestOnQueues(emulator.sqs, gone, SECRET);
    expect((await broken(signedDelivery(fixture('update_candidate').raw, SECRET, randomUUID()))).statusCode).toBe(503);
  });
});
