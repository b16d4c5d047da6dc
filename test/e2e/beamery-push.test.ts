import { spawn } from 'node:child_process';
import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnvelope } from '#core/envelope';
import { BEAMERY_PUSH_PATH, LOCAL_BEAMERY_PUSH_API_KEY } from '#local/defaults';
import { localSqsClient } from '#local/sdk-clients';
import { queueName, queueDefinition } from '#lib/resource-definitions';
import { REPO_ROOT, startLocalStackProcess, type LocalStackProcess } from '../support/local-stack-process.ts';
import { drain } from '../support/queues.ts';

/**
 * POST /beamery/push on `npm start`: the real entry point serves the push route next to the webhook
 * on its API Gateway, with the real handler and the fixed local key it prints at start-up.
 */
let stack: LocalStackProcess;
let sqs: SQSClient;
let queueUrl: string;
let pushUrl: string;

beforeAll(async () => {
  // Consumers off: the test reads what the push queued.
  stack = await startLocalStackProcess({ LOCAL_CONSUMERS: 'off' });
  sqs = localSqsClient(stack.sqsEndpoint);
  queueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: queueName(queueDefinition('beamery-changes')) }))).QueueUrl!;
  pushUrl = /^ready .*\bpush=(\S+)/m.exec(stack.output())![1]!;
});

afterAll(async () => {
  sqs?.destroy();
  await stack?.stop('SIGKILL');
});

const push = (body: unknown, key?: string) =>
  fetch(pushUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(key === undefined ? {} : { Authorization: `Bearer ${key}` }) },
    body: JSON.stringify(body),
  });

describe('local stack: POST /beamery/push', () => {
  it('announces the push URL on the ready line and how to call it with the local key', () => {
    expect(new URL(pushUrl).pathname).toBe(BEAMERY_PUSH_PATH);
    expect(new URL(pushUrl).origin).toBe(new URL(stack.webhookUrl).origin);
    expect(stack.output()).toContain(`Authorization: Bearer ${LOCAL_BEAMERY_PUSH_API_KEY}`);
  });

  it('queues the contacts on beamery-changes.fifo with the local key and answers 202', async () => {
    const reply = await push({ contactIds: ['c0ffee0000000000000a', 'c0ffee0000000000000b'] }, LOCAL_BEAMERY_PUSH_API_KEY);
    expect(reply.status, await reply.clone().text()).toBe(202);
    const { queued, deliveryId } = (await reply.json()) as { queued: number; deliveryId: string };
    expect(queued).toBe(2);
    const envelopes = (await drain(sqs, queueUrl)).map((m) => parseEnvelope(m.Body!));
    expect(envelopes.map((e) => e.entityKey).sort()).toEqual(['beamery#contact#c0ffee0000000000000a', 'beamery#contact#c0ffee0000000000000b']);
    for (const envelope of envelopes) expect(envelope).toMatchObject({ kind: 'beamery.change', origin: 'push', pushRequested: true, deliveryId });
  });

  it('answers 401 without the key, 400 to a bad body, 403 to another method, and queues nothing', async () => {
    expect((await push({ contactId: 'c0ffee0000000000000a' })).status).toBe(401);
    expect((await push({ contactId: 'c0ffee0000000000000a' }, 'not-the-local-key-at-all')).status).toBe(401);
    const bad = await push({ contactIds: ['jane@example.com'] }, LOCAL_BEAMERY_PUSH_API_KEY);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/not Beamery contact ids/);
    const get = await fetch(pushUrl);
    expect(get.status).toBe(403);
    expect(get.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(await drain(sqs, queueUrl)).toEqual([]);
  });
});

describe('local stack settings', () => {
  it('refuses a BEAMERY_PUSH_API_KEY under 16 characters before starting anything', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, BEAMERY_PUSH_API_KEY: 'short' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('BEAMERY_PUSH_API_KEY');
  });
});
