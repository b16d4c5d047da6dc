import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { startDynamoDbLocal } from '#local/dynamodb-local';
import { startSqsEmulator } from '#local/emulators';
import { localDynamoDbClient } from '#local/sdk-clients';
import { listeningAddresses } from '../support/local-stack-process.ts';

/**
 * The emulators on their own: where they listen, what DynamoDB Local does on a Java that cannot run
 * local/DynamoDbLocalServer.java, and what the SQS emulator keeps in its data directory.
 */
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const portOf = (endpoint: string) => Number(new URL(endpoint).port);

describe('DynamoDB Local', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env['JDK_JAVA_OPTIONS'];
  });

  it('listens on 127.0.0.1 only by default', async () => {
    const dynamodb = await startDynamoDbLocal();
    try {
      expect(listeningAddresses(dynamodb.port).filter((a) => !LOOPBACK.has(a))).toEqual([]);
      expect(listeningAddresses(dynamodb.port)).not.toHaveLength(0);
    } finally {
      await dynamodb.stop();
    }
  });

  it('falls back to the jar on every interface, with a warning, where Java has no compiler', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    // A Java without jdk.compiler, as some JREs are; the jar itself needs none of the jdk.* tools.
    process.env['JDK_JAVA_OPTIONS'] = '--limit-modules java.se,jdk.unsupported,jdk.crypto.ec,jdk.localedata';
    const dynamodb = await startDynamoDbLocal();
    const client = localDynamoDbClient(dynamodb.endpoint);
    try {
      expect(await client.send(new ListTablesCommand({}))).toMatchObject({ TableNames: [] });
      expect(listeningAddresses(dynamodb.port).some((a) => !LOOPBACK.has(a))).toBe(true);
      expect(stderr.mock.calls.map(([line]) => String(line)).join('')).toContain('DynamoDB Local listens on every interface');
    } finally {
      client.destroy();
      await dynamodb.stop();
    }
  });

  it('fails on a port that is taken, without falling back', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const taken = await listening();
    try {
      const port = (taken.address() as { port: number }).port;
      await expect(startDynamoDbLocal({ port })).rejects.toThrow(/exited with code 98/);
      expect(stderr).not.toHaveBeenCalled();
    } finally {
      taken.close();
    }
  });
});

describe('the SQS emulator', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sqs-emulator-data-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('listens on 127.0.0.1 only by default', async () => {
    const emulator = await startSqsEmulator();
    try {
      expect(listeningAddresses(portOf(emulator.sqsEndpoint)).filter((a) => !LOOPBACK.has(a))).toEqual([]);
    } finally {
      await emulator.stop();
    }
  });

  it('keeps queues and messages, in flight with their receive counts, in its data directory', async () => {
    const first = await startSqsEmulator({ dataDir });
    const queueName = 'kept.fifo';
    try {
      const { QueueUrl } = await first.sqs.send(new CreateQueueCommand({ QueueName: queueName, Attributes: { FifoQueue: 'true' } }));
      await first.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'kept', MessageGroupId: 'g', MessageDeduplicationId: 'kept-1' }));
      const { Messages = [] } = await first.sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 1 }));
      expect(Messages.map((m) => m.Body)).toEqual(['kept']);
    } finally {
      await first.stop();
    }

    const second = await startSqsEmulator({ dataDir });
    try {
      const { QueueUrl } = await second.sqs.send(new CreateQueueCommand({ QueueName: queueName, Attributes: { FifoQueue: 'true' } }));
      // Still in flight from the first run until its visibility timeout ends, then received again.
      const receive = () => second.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 2, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
      let { Messages = [] } = await receive();
      if (Messages.length === 0) ({ Messages = [] } = await receive());
      expect(Messages.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([['kept', '2']]);
    } finally {
      await second.stop();
    }
  });
});

function listening(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
