import { randomUUID } from 'node:crypto';
import { startEmulators, type Emulators } from '#local/emulators';
import { createResources, type LocalResources } from '#local/resources';
import type { DeliveryOnce } from '#core/ports/delivery-once';
import { dynamoDbDeliveryOnce, publishEveryTime } from '#adapters/store/delivery-once';
import { QUEUES } from '#lib/resource-definitions';
import { greenhouseWebhookFixtures } from '../test/support/fixtures.ts';
import { drain } from '../test/support/queues.ts';
import { ingestOnQueues, signedDelivery } from '../test/support/ingest.ts';

/**
 * Late redeliveries: Greenhouse retries a delivery whose 200 it did not see (a timeout, a dropped
 * connection) after 1, 15, 60... minutes with the same Greenhouse-Event-ID. Past SQS FIFO's
 * five-minute deduplication every such retry is queued and reconciled again, unless ingest remembers
 * the delivery (the idempotency table). Each of `deliveries` webhooks is delivered, then retried 16
 * simulated minutes later (Greenhouse's second retry), through the real ingest handler into fauxqs,
 * once with SQS's deduplication alone and once with the delivery record on DynamoDB Local.
 */
export interface RedeliveryResult {
  readonly deliveries: number;
  readonly retryAfterMinutes: number;
  readonly messagesWithoutRecord: number;
  readonly messagesWithRecord: number;
  readonly duplicatesSaved: number;
}

const SECRET = 'bench-redelivery-secret';
const RETRY_AFTER_MINUTES = 16;

export async function benchRedelivery(deliveries = 100): Promise<RedeliveryResult> {
  const emulators = await startEmulators();
  try {
    const withoutRecord = await queuedFor(emulators, 'redelivery-plain-', () => publishEveryTime, deliveries);
    const withRecord = await queuedFor(
      emulators,
      'redelivery-once-',
      (resources) => dynamoDbDeliveryOnce({ client: emulators.dynamodb, tableName: resources.tables.idempotency }),
      deliveries,
    );
    return {
      deliveries,
      retryAfterMinutes: RETRY_AFTER_MINUTES,
      messagesWithoutRecord: withoutRecord,
      messagesWithRecord: withRecord,
      duplicatesSaved: withoutRecord - withRecord,
    };
  } finally {
    await emulators.stop();
  }
}

async function queuedFor(
  emulators: Emulators,
  prefix: string,
  deliveriesFor: (resources: LocalResources) => DeliveryOnce,
  count: number,
): Promise<number> {
  const resources = await createResources(emulators, { prefix });
  const ingest = ingestOnQueues(emulators.sqs, resources.queues, SECRET, undefined, deliveriesFor(resources));
  const fixtures = greenhouseWebhookFixtures().filter((f) => f.action !== 'ping');
  const events = Array.from({ length: count }, (_, i) => signedDelivery(fixtures[i % fixtures.length]!.raw, SECRET, randomUUID()));
  for (const event of events) await expectOk(ingest(event));
  // fauxqs's deduplication window and Powertools' expiry both read Date.now(): moving it moves both.
  const restore = shiftClock(RETRY_AFTER_MINUTES * 60_000);
  try {
    for (const event of events) await expectOk(ingest(event));
  } finally {
    restore();
  }
  let messages = 0;
  for (const q of QUEUES) {
    messages += (await drain(emulators.sqs, resources.queues[q.id].url)).length;
    messages += (await drain(emulators.sqs, resources.queues[q.id].deadLetter.url)).length;
  }
  return messages;
}

async function expectOk(answer: Promise<{ statusCode: number }>): Promise<void> {
  const { statusCode } = await answer;
  if (statusCode !== 200) throw new Error(`ingest answered ${statusCode}`);
}

function shiftClock(ms: number): () => void {
  const realNow = Date.now;
  Date.now = () => realNow() + ms;
  return () => {
    Date.now = realNow;
  };
}

export function describeRedelivery(r: RedeliveryResult): string[] {
  return [
    `late redelivery: ${r.deliveries} webhooks each retried ${r.retryAfterMinutes} simulated minutes later: ` +
      `${r.messagesWithoutRecord} messages queued with SQS deduplication alone, ${r.messagesWithRecord} with the delivery record ` +
      `(${r.duplicatesSaved} duplicate messages saved)`,
  ];
}
