import { CreateQueueCommand, SendMessageCommand, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '#lambdas/config';
import { startEmulators, type Emulators } from '#local/emulators';
import { createResources, type LocalResources } from '#local/resources';
import { lambdaEnvironment } from '#local/stack';
import { bridgeInProcess as bridge } from '../support/bridge-in-process.ts';
import { drain, queueDepth } from '../support/queues.ts';

/**
 * `bridge dlq list|show|redrive|delete --queue pollers` and `bridge status` on the emulators. The local
 * stack has no poller DLQ, so this test makes the standard queue the stack deploys
 * (lib/constructs/schedules.ts) and puts on it one record of each shape AWS documents: Lambda's
 * on-failure invocation record and Scheduler's dead-letter event.
 */
let emulators: Emulators;
let resources: LocalResources;
let pollersDlq: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  emulators = await startEmulators();
  resources = await createResources(emulators, { prefix: 'poller-dlq-cli-' });
  const { QueueUrl } = await emulators.sqs.send(new CreateQueueCommand({ QueueName: 'poller-dlq-cli-pollers-dlq' }));
  // fauxqs names its own host in the URL; the path alone finds the queue on the emulator's address.
  pollersDlq = new URL(new URL(QueueUrl!).pathname, emulators.sqsEndpoint).toString();
  Object.assign(process.env, lambdaEnvironment(emulators, resources, 'poller-dlq-cli'), { [ENV.pollerDlqUrl]: pollersDlq });
}, 60_000);
afterAll(async () => {
  process.env = savedEnv;
  await emulators?.stop();
});

const stringAttributes = (values: Record<string, string>): Record<string, MessageAttributeValue> =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]));

/** A run that failed three times (Lambda's on-failure destination record). */
const lambdaRecord = {
  version: '1.0',
  timestamp: '2026-12-04T03:02:05.568Z',
  requestContext: {
    requestId: 'e4b46cbf-b738-4d5e-8880-a18cdf61200e',
    functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:AcmeBridge-PollingPoller:$LATEST',
    condition: 'RetriesExhausted',
    approximateInvokeCount: 3,
  },
  requestPayload: { poller: 'jobs', window: { overlapSeconds: 600, maxWindowSeconds: 86_400, firstRunLookbackSeconds: 3_600 } },
  responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  responsePayload: { errorType: 'GreenhouseAuthError', errorMessage: 'Harvest answered 401 to the token request', trace: ['GreenhouseAuthError: Harvest answered 401', '    at token (/var/task/index.mjs:1:1)'] },
};
/** An invocation Scheduler could not make (its dead-letter event: the input as body, the error in attributes). */
const schedulerAttributes = {
  ERROR_CODE: 'AccessDeniedException',
  ERROR_MESSAGE: 'The role is not authorized to perform lambda:InvokeFunction',
  EXECUTION_ID: 'b2c8f1e0-0f7a-4a0e-9d59-0c8f3c0e9a11',
  IS_PAYLOAD_TRUNCATED: 'false',
  RETRY_ATTEMPTS: '0',
  SCHEDULED_TIME: '2026-12-04T03:00:00Z',
  SCHEDULE_ARN: 'arn:aws:scheduler:eu-west-1:123456789012:schedule/default/AcmeBridge-DeletionsSchedule',
  TARGET_ARN: 'arn:aws:lambda:eu-west-1:123456789012:function:AcmeBridge-PollingPoller',
};

async function putBothRecords(): Promise<{ lambdaId: string; schedulerId: string }> {
  const lambda = await emulators.sqs.send(new SendMessageCommand({ QueueUrl: pollersDlq, MessageBody: JSON.stringify(lambdaRecord) }));
  const scheduler = await emulators.sqs.send(
    new SendMessageCommand({ QueueUrl: pollersDlq, MessageBody: JSON.stringify({ poller: 'deletions' }), MessageAttributes: stringAttributes(schedulerAttributes) }),
  );
  return { lambdaId: lambda.MessageId!, schedulerId: scheduler.MessageId! };
}

describe('bridge dlq --queue pollers', () => {
  it('decodes both documented records, leaves them where they were, and refuses a redrive', async () => {
    const { lambdaId, schedulerId } = await putBothRecords();

    const listed = await bridge('dlq', 'list', '--queue', 'pollers', '--json');
    expect(listed.exitCode, listed.stderr).toBe(0);
    const letters = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(letters).toHaveLength(2);
    expect(letters.find((l) => l['messageId'] === lambdaId)).toEqual({
      queue: 'pollers',
      messageId: lambdaId,
      deadLetteredAt: expect.stringMatching(/^\d{4}-/),
      failureReason: 'RetriesExhausted — GreenhouseAuthError: Harvest answered 401 to the token request',
      failureCount: 3,
      pollRun: {
        source: 'lambda-on-failure',
        poller: 'jobs',
        condition: 'RetriesExhausted',
        error: 'GreenhouseAuthError',
        errorMessage: 'Harvest answered 401 to the token request',
        attempts: 3,
        at: '2026-12-04T03:02:05.568Z',
      },
    });
    expect(letters.find((l) => l['messageId'] === schedulerId)).toMatchObject({
      queue: 'pollers',
      failureReason: 'AccessDeniedException: The role is not authorized to perform lambda:InvokeFunction',
      failureCount: 1,
      pollRun: { source: 'scheduler', poller: 'deletions', error: 'AccessDeniedException', attempts: 1, at: '2026-12-04T03:00:00Z', scheduleArn: schedulerAttributes.SCHEDULE_ARN },
    });
    // The stack trace is the record's, not the listing's.
    expect(listed.stdout).not.toContain('index.mjs');

    const text = await bridge('dlq', 'list', '--queue', 'pollers');
    expect(text.stdout).toMatch(new RegExp(`pollers  ${lambdaId}  \\S+  poll jobs \\(lambda-on-failure\\)  failures=3  RetriesExhausted`));
    const shown = await bridge('dlq', 'show', '--queue', 'pollers', '--ids', schedulerId);
    expect(shown.stdout).toMatch(/scheduleArn +arn:aws:scheduler:/);
    expect(shown.stdout).not.toContain(lambdaId);
    expect((await bridge('dlq', 'show', '--queue', 'pollers', '--ids', lambdaId, '--body')).stdout).toContain('index.mjs');

    const refused = await bridge('dlq', 'redrive', '--queue', 'pollers');
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/not redriven.*next tick lists the same time again/);
    expect(await queueDepth(emulators.sqs, pollersDlq)).toEqual({ visible: 2, inFlight: 0 });
    await drain(emulators.sqs, pollersDlq);
  });

  it('reads the pollers\' DLQ with the others when no queue is chosen; redrive leaves it out', async () => {
    const { lambdaId } = await putBothRecords();
    const all = JSON.parse((await bridge('dlq', 'list', '--json')).stdout) as { queue: string }[];
    expect(all.map((l) => l.queue)).toEqual(['pollers', 'pollers']);
    const redriven = await bridge('dlq', 'redrive', '--json');
    expect(redriven.exitCode).toBe(0);
    expect((JSON.parse(redriven.stdout) as { queue: string }[]).map((r) => r.queue)).not.toContain('pollers');
    expect((await bridge('dlq', 'list', '--queue', 'pollers', '--ids', lambdaId, '--json')).stdout).toContain(lambdaId);
    await drain(emulators.sqs, pollersDlq);
  });

  it('says plainly that the local stack has none when its URL is not set, and skips it without --queue', async () => {
    delete process.env[ENV.pollerDlqUrl];
    try {
      const chosen = await bridge('dlq', 'list', '--queue', 'pollers');
      expect(chosen.exitCode).toBe(2);
      expect(chosen.stderr).toMatch(/the local stack has no poller dead-letter queue/);
      const all = await bridge('dlq', 'list', '--json');
      expect(all.exitCode, all.stderr).toBe(0);
      expect(all.stderr).toBe('');
    } finally {
      process.env[ENV.pollerDlqUrl] = pollersDlq;
    }
  });
});

describe('bridge dlq delete', () => {
  it('deletes the chosen dead letters only, prints them, and exits 1 naming an id it did not find', async () => {
    const { lambdaId, schedulerId } = await putBothRecords();
    const result = await bridge('dlq', 'delete', '--queue', 'pollers', '--ids', lambdaId, 'no-such-message', '--json');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('not found on the pollers DLQ: no-such-message');
    expect(JSON.parse(result.stdout)).toEqual({
      queue: 'pollers',
      deleted: [expect.objectContaining({ messageId: lambdaId, pollRun: expect.objectContaining({ poller: 'jobs' }) })],
      notFound: ['no-such-message'],
    });
    // The other one is back on the queue at once, not after the read's visibility timeout.
    expect(await queueDepth(emulators.sqs, pollersDlq)).toEqual({ visible: 1, inFlight: 0 });
    const text = await bridge('dlq', 'delete', '--queue', 'pollers', '--ids', schedulerId);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^pollers: 1 deleted\\npollers  ${schedulerId}  \\S+  poll deletions \\(scheduler\\)`));
    expect(await queueDepth(emulators.sqs, pollersDlq)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('works on a FIFO queue\'s DLQ too, and never deletes without ids', async () => {
    const dlq = resources.queues['ai-tasks'].deadLetter.url;
    const sent = await emulators.sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: 'not an envelope', MessageGroupId: 'g', MessageDeduplicationId: 'd' }));
    expect((await bridge('dlq', 'delete', '--queue', 'ai-tasks')).exitCode).toBe(2);
    expect((await bridge('dlq', 'delete', '--ids', sent.MessageId!)).exitCode).toBe(2);
    expect((await queueDepth(emulators.sqs, dlq)).visible).toBe(1);
    const deleted = await bridge('dlq', 'delete', '--queue', 'ai-tasks', '--ids', sent.MessageId!);
    expect(deleted.exitCode, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain(`ai-tasks  ${sent.MessageId!}`);
    expect(await queueDepth(emulators.sqs, dlq)).toEqual({ visible: 0, inFlight: 0 });
  });
});

describe('bridge status', () => {
  it('counts the pollers\' dead letters when the queue is configured', async () => {
    await putBothRecords();
    const status = await bridge('status', '--json');
    expect(status.exitCode, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ pollerDeadLetters: 2 });
    expect((await bridge('status')).stdout).toMatch(/pollers DLQ +2 dead letters/);
    delete process.env[ENV.pollerDlqUrl];
    try {
      expect(JSON.parse((await bridge('status', '--json')).stdout)).not.toHaveProperty('pollerDeadLetters');
    } finally {
      process.env[ENV.pollerDlqUrl] = pollersDlq;
    }
    await drain(emulators.sqs, pollersDlq);
  });
});
