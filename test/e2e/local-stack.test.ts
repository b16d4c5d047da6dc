import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, deadLetterQueueName, queueName, type QueueId } from '#lib/resource-definitions';
import { ACTION_ROUTES, isKnownAction } from '#core/webhooks/catalogue';
import { localSqsClient } from '#local/sdk-clients';
import { sendWebhook } from '#local/send-webhook';
import { greenhouseWebhookFixtures, signatureTestVector } from '../support/fixtures.ts';
import { dynamoDbLocalPids, isListening, startLocalStackProcess, type LocalStackProcess } from '../support/local-stack-process.ts';
import { drain } from '../support/queues.ts';

/**
 * `npm start` as Greenhouse sees it: the real entry point in its own process, the real ingest
 * handler behind the local API Gateway, the stack's FIFO queues on the SQS emulator, DynamoDB Local.
 * The secret is the one from the only public real-world signature vector, so the genuine ping
 * delivery is accepted byte for byte.
 */
const vector = signatureTestVector();

let stack: LocalStackProcess;
let sqs: SQSClient;
const urls = new Map<string, string>();

beforeAll(async () => {
  // Consumers off: this test counts what ingest queued, so nothing may take it off the queues.
  stack = await startLocalStackProcess({ GREENHOUSE_WEBHOOK_SECRET: vector.secret_key, LOCAL_CONSUMERS: 'off' });
  sqs = localSqsClient(stack.sqsEndpoint);
  for (const queue of QUEUES) {
    for (const name of [queueName(queue), deadLetterQueueName(queue)]) {
      urls.set(name, (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!);
    }
  }
});

afterAll(async () => {
  sqs?.destroy();
  await stack?.stop('SIGKILL');
});

const post = (body: Uint8Array, options: { eventId?: string; signature?: string } = {}) =>
  sendWebhook({ url: stack.webhookUrl, body, secret: vector.secret_key, ...options });

/** Every message now on each main queue and DLQ, as `queue → delivery ids`, emptying them. */
async function drainAll(): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  for (const [name, url] of urls) {
    const messages = await drain(sqs, url);
    if (messages.length > 0) {
      found[name] = messages.map((m) => (JSON.parse(m.Body!) as { deliveryId: string }).deliveryId).sort();
    }
  }
  return found;
}

describe('local stack (npm start) end to end', () => {
  it('accepts the real Greenhouse ping with its published signature', async () => {
    const reply = await post(Buffer.from(vector.raw_body, 'utf8'), { signature: vector.expected_signature_header_value });
    expect(reply.status, reply.body).toBe(200);
  });

  it('rejects a tampered copy of the ping with 401 and queues nothing', async () => {
    const tampered = Buffer.from(vector.raw_body.replace('"active":true', '"active":false'), 'utf8');
    const reply = await post(tampered, { signature: vector.expected_signature_header_value });
    expect(reply.status).toBe(401);
    expect(await drainAll()).toEqual({});
  });

  it('accepts every official fixture and queues it once on each queue its action routes to', async () => {
    const fixtures = greenhouseWebhookFixtures();
    expect(fixtures.filter((f) => f.action !== 'ping')).toHaveLength(29);
    const expected: Record<string, string[]> = {};
    for (const fixture of fixtures) {
      const reply = await post(fixture.raw);
      expect(reply.status, `${fixture.file}: ${reply.body}`).toBe(200);
      if (fixture.action === 'ping') continue;
      expect(isKnownAction(fixture.action), fixture.action).toBe(true);
      for (const queue of ACTION_ROUTES[fixture.action as keyof typeof ACTION_ROUTES].queues as readonly QueueId[]) {
        (expected[queueName(QUEUES.find((q) => q.id === queue)!)] ??= []).push(reply.eventId);
      }
    }
    for (const ids of Object.values(expected)) ids.sort();

    expect(await drainAll()).toEqual(expected);
  });

  it('queues a redelivery with the same Greenhouse-Event-ID only once', async () => {
    const fixture = greenhouseWebhookFixtures().find((f) => f.action === 'new_candidate_application')!;
    const first = await post(fixture.raw);
    const again = await post(fixture.raw, { eventId: first.eventId });
    expect([first.status, again.status]).toEqual([200, 200]);

    expect(await drainAll()).toEqual({
      'greenhouse-changes.fifo': [first.eventId],
      'ai-tasks.fifo': [first.eventId],
    });
  });

  it('stops on SIGINT with exit code 0, taking its DynamoDB Local JVM with it', async () => {
    const dynamodbPort = Number(new URL(stack.dynamodbEndpoint).port);
    expect(dynamoDbLocalPids(dynamodbPort)).toHaveLength(1);

    expect(await stack.stop('SIGINT')).toBe(0);

    expect(dynamoDbLocalPids(dynamodbPort)).toEqual([]);
    expect(await isListening(stack.dynamodbEndpoint)).toBe(false);
    expect(await isListening(stack.sqsEndpoint)).toBe(false);
  });
});
