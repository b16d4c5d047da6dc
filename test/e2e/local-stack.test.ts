import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueUrlCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, deadLetterQueueName, queueDefinition, queueName, tableDefinition } from '#lib/resource-definitions';
import type { QueueId } from '#core/queues';
import { GREENHOUSE_SYNC_SERVICE } from '#lib/constructs/sync-consumers';
import { AI_SERVICE } from '#core/metrics';
import { ACTION_ROUTES, isKnownAction } from '#core/webhooks/catalogue';
import { localDynamoDbClient, localSqsClient } from '#local/sdk-clients';
import { sendWebhook } from '#local/send-webhook';
import { callJson } from '../support/http.ts';
import { greenhouseWebhookFixtures, signatureTestVector } from '../support/fixtures.ts';
import { dynamoDbLocalPids, isListening, listeningAddresses, runBridgeCli, startLocalStackProcess, type LocalStackProcess } from '../support/local-stack-process.ts';
import { drain, eventually } from '../support/queues.ts';

/**
 * `npm start` as Greenhouse sees it: the real entry point in its own process, the real ingest
 * handler behind the local API Gateway, the stack's FIFO queues on the SQS emulator, DynamoDB Local.
 * The secret is the one from the only public real-world signature vector, so the genuine ping
 * delivery is accepted byte for byte.
 */
const vector = signatureTestVector();

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

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

  it('queues a redelivery with the same Greenhouse-Event-ID only once, and answers it from the delivery record', async () => {
    const fixture = greenhouseWebhookFixtures().find((f) => f.action === 'new_candidate_application')!;
    const first = await post(fixture.raw);
    const again = await post(fixture.raw, { eventId: first.eventId });
    expect([first.status, again.status]).toEqual([200, 200]);
    // The local stack's ingest keeps its records in DynamoDB Local's Idempotency table, as on AWS.
    expect(JSON.parse(again.body)).toEqual({ ...JSON.parse(first.body), duplicate: true });

    expect(await drainAll()).toEqual({
      'greenhouse-changes.fifo': [first.eventId],
      'ai-tasks.fifo': [first.eventId],
    });
  });

  it('listens on 127.0.0.1 only: the API Gateway, both emulators and both simulators', async () => {
    for (const name of ['webhook', 'sqs', 'dynamodb', 'greenhouse', 'beamery']) {
      const port = Number(new URL(stack.endpoints[name]!).port);
      const addresses = listeningAddresses(port);
      expect(addresses, name).not.toHaveLength(0);
      expect(addresses.filter((a) => !LOOPBACK.has(a)), `${name} on port ${port}`).toEqual([]);
    }
  });

  it('passes `bridge doctor --local` with no other configuration, stores the report, and fails naming the check when the Beamery read path is not the one configured', async () => {
    // Nothing of the caller's environment but PATH-like basics: --local must bring everything.
    const env = { PATH: process.env['PATH'], HOME: process.env['HOME'], LOCAL_STACK_FILE: stack.stackFile };
    const passing = await runBridgeCli(['doctor', '--local'], env);
    expect(passing.code, passing.stdout + passing.stderr).toBe(0);
    const lines = passing.stdout.split('\n').filter((l) => /^(ok|fail|unknown) /.test(l));
    expect(lines.filter((l) => l.startsWith('ok ')).length).toBeGreaterThanOrEqual(10);
    expect(lines.filter((l) => l.startsWith('fail '))).toEqual([]);
    expect(passing.stdout).toMatch(/^ok +beamery\.contact-read +GET \/contact\/\{id\} → 200/m);

    const beamery = new URL(stack.endpoints['beamery']!).origin;
    await callJson(beamery, 'PATCH', '/_admin/settings', { paths: { contactRead: '/contacts/{id}' } });
    try {
      const failing = await runBridgeCli(['doctor', '--local', '--json'], env);
      expect(failing.code).toBe(1);
      const report = JSON.parse(failing.stdout) as { checks: { id: string; status: string; evidence: string }[] };
      expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['beamery.contact-read']);
      expect(report.checks.find((c) => c.id === 'beamery.contact-read')?.evidence).toMatch(/GET \/contacts\/\{id\} answers 200/);
      // Stored for the consumers: the latest report, with the capability it convicts.
      const ledger = (JSON.parse(readFileSync(stack.stackFile, 'utf8')) as { environment: Record<string, string> }).environment[tableDefinition('ledger').nameEnv]!;
      const stored = await localDynamoDbClient(stack.dynamodbEndpoint).send(new GetItemCommand({ TableName: ledger, Key: { pk: { S: 'doctor#default' }, sk: { S: 'latest' } } }));
      expect(JSON.stringify(stored.Item)).toContain('beamery.contactRead');
    } finally {
      await callJson(beamery, 'PATCH', '/_admin/settings', { paths: { contactRead: '/contact/{id}' } });
    }
  });

  it('keeps DynamoDB in memory without LOCAL_DATA_DIR', () => {
    const [pid] = dynamoDbLocalPids(Number(new URL(stack.dynamodbEndpoint).port));
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    expect(args).not.toContain('-dbPath');
  });

  it('stops on SIGINT with exit code 0, taking its DynamoDB Local JVM with it', async () => {
    const dynamodbPort = Number(new URL(stack.dynamodbEndpoint).port);
    expect(dynamoDbLocalPids(dynamodbPort)).toHaveLength(1);

    expect(readFileSync(stack.stackFile, 'utf8')).toContain('BRIDGE_RUNTIME');
    expect(await stack.stop('SIGINT')).toBe(0);
    // Gone with the stack, so a later --local says no stack is running rather than using dead endpoints.
    expect(() => readFileSync(stack.stackFile)).toThrow();

    expect(dynamoDbLocalPids(dynamodbPort)).toEqual([]);
    expect(await isListening(stack.dynamodbEndpoint)).toBe(false);
    expect(await isListening(stack.sqsEndpoint)).toBe(false);
  });
});

describe('HOST', () => {
  it('refuses an address beyond this machine while a public default secret is in use', async () => {
    const outcome = await startLocalStackProcess({ HOST: '0.0.0.0', BEAMERY_PUSH_API_KEY: 'a-push-key-of-my-own' }).then(
      async (started) => `started: ${await started.stop('SIGKILL')}`,
      (error: Error) => error.message,
    );
    expect(outcome).toMatch(/exited with 2\b/);
    expect(outcome).toContain('GREENHOUSE_WEBHOOK_SECRET');
    expect(outcome).not.toContain('BEAMERY_PUSH_API_KEY');
  });
});

/**
 * `npm start` with LOCAL_DATA_DIR, killed with SIGKILL and started again: DynamoDB Local and the SQS
 * emulator keep their data on disk. The first run also has its consumers on, on every interface
 * (HOST=0.0.0.0 with secrets of its own), so the Lambdas' log lines can be told apart.
 */
describe('a local stack kept on disk (LOCAL_DATA_DIR)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'local-stack-data-'));
  const ownSecrets = { GREENHOUSE_WEBHOOK_SECRET: 'an-e2e-webhook-secret', BEAMERY_PUSH_API_KEY: 'an-e2e-push-api-key' };
  const marker = { pk: { S: 'e2e#persistence' }, sk: { S: 'marker' } };
  const deadLetterName = deadLetterQueueName(queueDefinition('greenhouse-changes'));
  let first: LocalStackProcess | undefined;
  let second: LocalStackProcess | undefined;

  afterAll(async () => {
    await first?.stop('SIGKILL');
    await second?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('honours HOST: every interface when asked, with secrets of its own', async () => {
    first = await startLocalStackProcess({ ...ownSecrets, HOST: '0.0.0.0', LOCAL_DATA_DIR: dataDir });
    expect(listeningAddresses(Number(new URL(first.webhookUrl).port))).toContain('0.0.0.0');
  });

  it('logs each consumer under its own service and function name', async () => {
    const stack = first!;
    // The Greenhouse simulator signs and sends a new application's webhook: ingest routes it to both
    // greenhouse-changes and ai-tasks, whose consumers run in this one process.
    await callJson(stack.endpoints['greenhouse']!, 'POST', '/_admin/applications/951/webhook', { action: 'new_candidate_application' });
    const lineOf = (message: string) => () => stack.jsonLines().find((line) => line['message'] === message);
    const synced = await eventually(lineOf('greenhouse change applied'), 30_000, `the greenhouse-changes consumer's log line:\n${stack.output()}`);
    const screened = await eventually(lineOf('screening done'), 30_000, `the ai-tasks consumer's log line:\n${stack.output()}`);

    expect({ service: synced['service'], function: synced['function_name'] }).toEqual({ service: GREENHOUSE_SYNC_SERVICE, function: 'greenhouse-changes' });
    expect({ service: screened['service'], function: screened['function_name'] }).toEqual({ service: AI_SERVICE, function: 'ai-tasks' });
  });

  it('keeps tables, items and queued messages across a SIGKILL and a restart', async () => {
    const before = first!;
    const dynamodb = localDynamoDbClient(before.dynamodbEndpoint);
    const sqs = localSqsClient(before.sqsEndpoint);
    try {
      await dynamodb.send(new PutItemCommand({ TableName: 'ledger', Item: { ...marker, note: { S: 'kept' } } }));
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: deadLetterName }));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"kept":true}', MessageGroupId: 'e2e', MessageDeduplicationId: 'e2e-kept' }));
    } finally {
      dynamodb.destroy();
      sqs.destroy();
    }
    const dynamodbPort = Number(new URL(before.dynamodbEndpoint).port);
    expect(await before.stop('SIGKILL')).toBeNull();
    // The watchdog takes the JVM down once its parent is gone.
    await eventually(() => (dynamoDbLocalPids(dynamodbPort).length === 0 ? true : undefined), 10_000, 'the first JVM to exit');

    second = await startLocalStackProcess({ LOCAL_DATA_DIR: dataDir, LOCAL_CONSUMERS: 'off' });
    const dynamodbAgain = localDynamoDbClient(second.dynamodbEndpoint);
    const sqsAgain = localSqsClient(second.sqsEndpoint);
    try {
      const { Item } = await dynamodbAgain.send(new GetItemCommand({ TableName: 'ledger', Key: marker }));
      expect(Item?.['note']).toEqual({ S: 'kept' });
      const { QueueUrl } = await sqsAgain.send(new GetQueueUrlCommand({ QueueName: deadLetterName }));
      const kept = await drain(sqsAgain, QueueUrl!);
      expect(kept.map((m) => m.Body)).toContain('{"kept":true}');
    } finally {
      dynamodbAgain.destroy();
      sqsAgain.destroy();
    }
  });
});
