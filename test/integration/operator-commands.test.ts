import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelopeBody } from '#core/envelope';
import { pollMessages } from '#core/sync/poll-window';
import { readConfig, requireTableName } from '#lambdas/config';
import { consumerQueueFrom } from '#adapters/queue/consumer-queue';
import { DynamoDbLedger } from '#adapters/store/ledger';
import { DynamoDbFailureCounter } from '#adapters/store/message-failures';
import { readStatus } from '#adapters/operator/status';
import { localDynamoDbClient, localSqsClient } from '#local/sdk-clients';
import { createQueues } from '#local/resources';
import { startLocalStack, type LocalStack } from '#local/stack';
import { bridgeInProcess as bridge } from '../support/bridge-in-process.ts';
import { drain, eventually, queueDepth } from '../support/queues.ts';

/**
 * `bridge status`, `bridge dlq list|show|redrive` and `bridge reconcile` on one in-process local stack
 * (emulators, simulators, the bridge's own consumers), run as the CLI parses them.
 */
let stack: LocalStack;
let sqs: SQSClient;
let dynamodb: DynamoDBClient;
let ledger: DynamoDbLedger;

beforeAll(async () => {
  process.env['POWERTOOLS_LOG_LEVEL'] = 'ERROR';
  process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
  // No timer: the only poll is the one a test triggers, so nothing else syncs the entities under test.
  stack = await startLocalStack({ webhookSecret: 'operator-commands', pollIntervalMs: 0, visibilityTimeoutSeconds: 2 });
  sqs = localSqsClient(stack.sqsEndpoint);
  dynamodb = localDynamoDbClient(stack.dynamodbEndpoint);
  ledger = new DynamoDbLedger(dynamodb, requireTableName(readConfig(), 'ledger'));
}, 60_000);
afterAll(async () => {
  sqs?.destroy();
  dynamodb?.destroy();
  await stack?.stop();
});

const syncedAt = async (key: string) => (await ledger.getSyncState(key))?.reconciledAt;

describe('bridge dlq', () => {
  it('lists and shows a dead letter without its body, and a redrive sends it back to be processed', async () => {
    const queue = consumerQueueFrom(readConfig(), 'greenhouse-changes', { sqs, dynamodb });
    const [message] = pollMessages('candidates', [901], { to: new Date().toISOString() });
    const body = envelopeBody(message!.envelope);
    // Dead-lettered as a consumer does it: the real adapter adds the failure attributes.
    const record = {
      messageId: 'source-message-1',
      body,
      attributes: { MessageGroupId: message!.groupId, SentTimestamp: String(Date.now() - 60_000) },
      messageAttributes: { kind: { dataType: 'String', stringValue: 'greenhouse.event' } },
    } as unknown as SQSRecord;
    await queue.deadLetter(record, 'Beamery answered 500', 5);
    expect(await syncedAt('greenhouse#candidate#901')).toBeUndefined();

    const listed = await bridge('dlq', 'list', '--queue', 'greenhouse-changes', '--json');
    expect(listed.exitCode).toBe(0);
    const letters = JSON.parse(listed.stdout) as { messageId: string; body?: string }[];
    expect(letters).toEqual([
      expect.objectContaining({
        queue: 'greenhouse-changes',
        groupId: 'greenhouse#candidate#901',
        failureReason: 'Beamery answered 500',
        failureCount: 5,
        sourceQueue: 'greenhouse-changes',
        envelope: expect.objectContaining({ valid: true, kind: 'greenhouse.event', entityKey: 'greenhouse#candidate#901', action: 'update_candidate', origin: 'poll' }),
      }),
    ]);
    expect(letters[0]).not.toHaveProperty('body');
    const id = letters[0]!.messageId;

    // Reading left it where it was.
    expect((await queueDepth(sqs, stack.resources.queues['greenhouse-changes'].deadLetter.url)).visible).toBe(1);
    const shown = await bridge('dlq', 'show', '--ids', id);
    expect(shown.stdout).toContain('Beamery answered 500');
    expect(shown.stdout).not.toContain(body);
    expect((await bridge('dlq', 'show', '--ids', id, '--body')).stdout).toContain(body);
    expect((await bridge('dlq', 'show', '--ids', 'no-such-message')).exitCode).toBe(1);

    const redriven = await bridge('dlq', 'redrive', '--queue', 'greenhouse-changes', '--ids', id, '--json');
    expect(redriven.exitCode).toBe(0);
    expect(JSON.parse(redriven.stdout)).toEqual([{ queue: 'greenhouse-changes', method: 'resend', moved: [id] }]);
    await eventually(() => syncedAt('greenhouse#candidate#901'), 20_000, 'the redriven candidate to be synced');
    expect(await queueDepth(sqs, stack.resources.queues['greenhouse-changes'].deadLetter.url)).toEqual({ visible: 0, inFlight: 0 });
  }, 40_000);

  it('shows a quarantined delivery\'s reason and detail, never its raw body unless asked', async () => {
    const raw = Buffer.from(JSON.stringify({ action: 'new_thing', payload: { email: 'jane@example.com' } })).toString('base64');
    const quarantined = {
      v: 1,
      kind: 'greenhouse.quarantined',
      entityKey: 'greenhouse#delivery#d-9',
      origin: 'webhook',
      observedAt: new Date().toISOString(),
      deliveryId: 'd-9',
      reason: 'unknown-action',
      action: 'new_thing',
      detail: 'action "new_thing" is not in the catalogue',
      rawBodyBase64: raw,
    };
    await sqs.send(
      new SendMessageCommand({ QueueUrl: stack.resources.queues['greenhouse-changes'].deadLetter.url, MessageBody: JSON.stringify(quarantined), MessageGroupId: 'd-9', MessageDeduplicationId: 'd-9' }),
    );
    const [letter] = JSON.parse((await bridge('dlq', 'show', '--queue', 'greenhouse-changes', '--json')).stdout) as Record<string, unknown>[];
    expect(letter?.['envelope']).toEqual(expect.objectContaining({ kind: 'greenhouse.quarantined', quarantineReason: 'unknown-action', quarantineDetail: quarantined.detail }));
    expect(JSON.stringify(letter)).not.toContain(raw);
    expect((await bridge('dlq', 'show', '--queue', 'greenhouse-changes', '--body')).stdout).toContain(raw);
    await drain(sqs, stack.resources.queues['greenhouse-changes'].deadLetter.url);
  });

  it('refuses an unknown queue as a usage error', async () => {
    expect((await bridge('dlq', 'list', '--queue', 'nope')).exitCode).toBe(2);
  });
});

describe('bridge reconcile', () => {
  it('queues a job now and the consumer syncs it', async () => {
    expect(await syncedAt('greenhouse#job#802')).toBeUndefined();
    const result = await bridge('reconcile', 'job', '802', '--json');
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ kind: 'job', queued: 1, entityKeys: ['greenhouse#job#802'] });
    await eventually(() => syncedAt('greenhouse#job#802'), 20_000, 'the reconciled job to be synced');
  }, 30_000);

  it('queues nothing for an id that cannot be one, with exit code 2', async () => {
    const result = await bridge('reconcile', 'contact', 'jane@example.com');
    expect(result.exitCode).toBe(2);
    expect(await drain(sqs, stack.resources.queues['beamery-changes'].url)).toEqual([]);
  });
});

describe('bridge status', () => {
  it('shows a poller\'s watermark and lag after a poll, and a consumer\'s last failure', async () => {
    await stack.schedules.trigger('jobs');
    await new DynamoDbFailureCounter(dynamodb, requireTableName(readConfig(), 'ledger'), 60).add('ai-tasks', 'm-1', 'model timed out');
    const { stdout, exitCode } = await bridge('status', '--json');
    expect(exitCode).toBe(0);
    const status = JSON.parse(stdout) as Awaited<ReturnType<typeof readStatus>>;
    const jobs = status.pollers.find((p) => p.poller === 'greenhouse-jobs');
    expect(jobs?.watermark).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(jobs?.lagSeconds).toBeGreaterThanOrEqual(0);
    expect(status.pollers.find((p) => p.poller === 'beamery-contacts')).toEqual({ poller: 'beamery-contacts' });
    expect(status.queues.find((q) => q.queue === 'ai-tasks')?.lastFailure).toMatchObject({ reason: 'model timed out', messageId: 'm-1' });
    expect(status.rateBudgets.find((b) => b.api === 'greenhouse')?.limit).toBeGreaterThan(0);
    const text = (await bridge('status')).stdout;
    expect(text).toMatch(/greenhouse-jobs\s+\d{4}-\d{2}-\d{2}T\S+\s+\d+ s/);
    expect(text).toMatch(/ai-tasks .* model timed out/);
  }, 30_000);

  it('counts messages waiting on a queue and its dead-letter queue', async () => {
    // Queues no consumer reads, so the messages stay put while status looks.
    const idle = await createQueues({ sqs, sqsEndpoint: stack.sqsEndpoint }, { prefix: 'status-idle-' });
    const [message] = pollMessages('jobs', [802], { to: new Date().toISOString() });
    for (const url of [idle['beamery-changes'].url, idle['beamery-changes'].deadLetter.url]) {
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: envelopeBody(message!.envelope), MessageGroupId: 'g', MessageDeduplicationId: 'd' }));
    }
    const config = readConfig();
    const status = await readStatus(
      { ...config, queueUrls: { ...config.queueUrls, 'beamery-changes': idle['beamery-changes'].url }, deadLetterQueueUrls: { ...config.deadLetterQueueUrls, 'beamery-changes': idle['beamery-changes'].deadLetter.url } },
      { sqs, dynamodb },
    );
    expect(status.queues.find((q) => q.queue === 'beamery-changes')).toMatchObject({ visible: 1, inFlight: 0, deadLetters: 1 });
  });
});
