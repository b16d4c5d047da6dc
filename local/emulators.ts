import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { localDynamoDbClient, localSqsClient } from './sdk-clients.ts';

/**
 * The two AWS services the bridge needs on one machine: the official DynamoDB Local (a JVM child
 * process) and fauxqs, an SQS emulator that runs inside this process. Port 0 picks a free port, which
 * is what tests want; `npm start` passes fixed ones.
 */
export interface EmulatorPorts {
  readonly sqsPort?: number;
  readonly dynamodbPort?: number;
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
export async function startSqsEmulator(port = 0): Promise<SqsEmulator> {
  const fauxqs = await startFauxqs({ port, logger: false });
  // fauxqs listens on 0.0.0.0 (IPv4 only), so name the address rather than `localhost`, which may
  // resolve to ::1 first.
  const sqsEndpoint = `http://127.0.0.1:${fauxqs.port}`;
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

export async function startEmulators({ sqsPort = 0, dynamodbPort = 0 }: EmulatorPorts = {}): Promise<Emulators> {
  const [sqsResult, dynamoResult] = await Promise.allSettled([startSqsEmulator(sqsPort), startDynamoDbLocal(dynamodbPort)]);
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
