import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { startFauxqsServer } from './fauxqs-server.ts';
import { LOOPBACK_HOST, urlHost } from './listen-host.ts';
import { localDynamoDbClient, localSqsClient } from './sdk-clients.ts';

/**
 * The two AWS services the bridge needs on one machine: the official DynamoDB Local (a JVM child
 * process) and fauxqs, an SQS emulator that runs inside this process. Port 0 picks a free port, which
 * is what tests want; `npm start` passes fixed ones. Both listen on 127.0.0.1 unless told otherwise,
 * and keep their data in memory unless given a directory.
 */
export interface EmulatorOptions {
  readonly sqsPort?: number;
  readonly dynamodbPort?: number;
  /** The address both listen on (default 127.0.0.1). */
  readonly host?: string;
  /**
   * Keeps their data on disk, DynamoDB Local's under `dynamodb/` and fauxqs's under `sqs/`, so emulators
   * started again on the same directory find their tables, items, queues and messages.
   */
  readonly dataDir?: string;
}

export interface SqsEmulatorOptions {
  readonly port?: number;
  readonly host?: string;
  readonly dataDir?: string;
}

export interface Emulators {
  readonly sqsEndpoint: string;
  readonly dynamodbEndpoint: string;
  /** The JVM's process id, so a caller can check it is gone after `stop()`. */
  readonly dynamodbPid: number;
  readonly sqs: SQSClient;
  readonly dynamodb: DynamoDBClient;
  stop(): Promise<void>;
}

export interface SqsEmulator {
  readonly sqsEndpoint: string;
  readonly sqs: SQSClient;
  stop(): Promise<void>;
}

/** SQS alone, for tests that need no tables: it starts in milliseconds, the JVM in seconds. */
export async function startSqsEmulator({ port = 0, host = LOOPBACK_HOST, dataDir }: SqsEmulatorOptions = {}): Promise<SqsEmulator> {
  const fauxqs = await startFauxqsServer({ port, host, dataDir });
  // The address itself rather than `localhost`, which may resolve to ::1 first.
  const sqsEndpoint = `http://${urlHost(host)}:${fauxqs.port}`;
  const sqs = localSqsClient(sqsEndpoint);
  return {
    sqsEndpoint,
    sqs,
    stop: async () => {
      sqs.destroy();
      await fauxqs.stop();
    },
  };
}

export async function startEmulators({ sqsPort = 0, dynamodbPort = 0, host = LOOPBACK_HOST, dataDir }: EmulatorOptions = {}): Promise<Emulators> {
  const [sqsResult, dynamoResult] = await Promise.allSettled([
    startSqsEmulator({ port: sqsPort, host, dataDir: dataDir === undefined ? undefined : join(dataDir, 'sqs') }),
    startDynamoDbLocal({ port: dynamodbPort, host, dbPath: dataDir === undefined ? undefined : join(dataDir, 'dynamodb') }),
  ]);
  if (sqsResult.status === 'rejected' || dynamoResult.status === 'rejected') {
    if (sqsResult.status === 'fulfilled') await sqsResult.value.stop();
    if (dynamoResult.status === 'fulfilled') await dynamoResult.value.stop();
    throw sqsResult.status === 'rejected' ? sqsResult.reason : (dynamoResult as PromiseRejectedResult).reason;
  }
  const sqsEmulator = sqsResult.value;
  const dynamoDbLocal = dynamoResult.value;
  const dynamodb = localDynamoDbClient(dynamoDbLocal.endpoint);

  let stopping: Promise<void> | undefined;
  return {
    sqsEndpoint: sqsEmulator.sqsEndpoint,
    dynamodbEndpoint: dynamoDbLocal.endpoint,
    dynamodbPid: dynamoDbLocal.pid,
    sqs: sqsEmulator.sqs,
    dynamodb,
    stop: () =>
      (stopping ??= (async () => {
        dynamodb.destroy();
        await Promise.all([sqsEmulator.stop(), dynamoDbLocal.stop()]);
      })()),
  };
}
