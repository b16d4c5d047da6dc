import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type AttributeDefinition,
  type DynamoDBClient,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  type QueueAttributeName,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { DEFAULT_MAX_RECEIVE_COUNT, DLQ_RETENTION_DAYS, QUEUES, TABLES, deadLetterQueueName, queueName, type KeyAttribute, type QueueDefinition, type TableDefinition, type TableId } from '#lib/resource-definitions';
import type { QueueId } from '#core/queues';

/**
 * Creates the bridge's queues and tables on the emulators from lib/resource-definitions.ts, the same
 * definitions the CDK stack deploys, so the local stack cannot drift from the cloud one. Safe to run
 * against emulators that already have them.
 */
export interface ResourceOptions {
  /** Prepended to every queue and table name, so several stacks can share one pair of emulators. */
  readonly prefix?: string;
  readonly maxReceiveCount?: number;
  /**
   * TEST ONLY: replaces every queue's visibility timeout (seconds), so a test sees a failed message
   * come back in about a second instead of the deployed six minutes.
   */
  readonly visibilityTimeoutSeconds?: number;
}

export interface LocalQueue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
}

export interface LocalQueuePair extends LocalQueue {
  readonly deadLetter: LocalQueue;
  readonly maxReceiveCount: number;
  readonly visibilityTimeoutSeconds: number;
}

export interface LocalResources {
  readonly queues: Readonly<Record<QueueId, LocalQueuePair>>;
  readonly tables: Readonly<Record<TableId, string>>;
}

export interface QueueClients {
  readonly sqs: SQSClient;
  /** The endpoint the SQS client and the Lambdas use; queue URLs are rewritten onto it (see below). */
  readonly sqsEndpoint: string;
}

export interface ResourceClients extends QueueClients {
  readonly dynamodb: DynamoDBClient;
}

const DAY_SECONDS = 86_400;

export async function createResources(clients: ResourceClients, options: ResourceOptions = {}): Promise<LocalResources> {
  const [queues, tables] = await Promise.all([createQueues(clients, options), createTables(clients.dynamodb, options.prefix)]);
  return { queues, tables };
}

export async function createQueues(clients: QueueClients, options: ResourceOptions = {}): Promise<LocalResources['queues']> {
  const pairs = await Promise.all(QUEUES.map(async (queue) => [queue.id, await createQueuePair(clients, queue, options)] as const));
  return Object.fromEntries(pairs) as Record<QueueId, LocalQueuePair>;
}

export async function createTables(dynamodb: DynamoDBClient, prefix = ''): Promise<LocalResources['tables']> {
  const names = await Promise.all(TABLES.map(async (table) => [table.id, await createTable(dynamodb, table, prefix)] as const));
  return Object.fromEntries(names) as Record<TableId, string>;
}

/** The environment variables a Lambda reads its queue URLs and table names from (lambdas/config.ts). */
export function resourceEnvironment(resources: LocalResources): Record<string, string> {
  return Object.fromEntries([
    ...QUEUES.flatMap((queue) => [
      [queue.urlEnv, resources.queues[queue.id].url],
      [queue.dlqUrlEnv, resources.queues[queue.id].deadLetter.url],
    ]),
    ...TABLES.map((table) => [table.nameEnv, resources.tables[table.id]]),
  ]);
}

async function createQueuePair(
  clients: QueueClients,
  queue: QueueDefinition,
  { prefix = '', maxReceiveCount = DEFAULT_MAX_RECEIVE_COUNT, visibilityTimeoutSeconds }: ResourceOptions,
): Promise<LocalQueuePair> {
  const visibility = visibilityTimeoutSeconds ?? queue.visibilityTimeoutSeconds;
  const deadLetter = await ensureQueue(clients, deadLetterQueueName(queue, prefix), {
    FifoQueue: 'true',
    VisibilityTimeout: String(visibility),
    MessageRetentionPeriod: String(DLQ_RETENTION_DAYS * DAY_SECONDS),
  });
  const main = await ensureQueue(clients, queueName(queue, prefix), {
    FifoQueue: 'true',
    VisibilityTimeout: String(visibility),
    MessageRetentionPeriod: String(queue.retentionDays * DAY_SECONDS),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetter.arn, maxReceiveCount }),
  });
  return { ...main, deadLetter, maxReceiveCount, visibilityTimeoutSeconds: visibility };
}

async function ensureQueue(
  { sqs, sqsEndpoint }: QueueClients,
  name: string,
  attributes: Partial<Record<QueueAttributeName, string>>,
): Promise<LocalQueue> {
  let url: string;
  try {
    url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
  } catch (error) {
    if (!isQueueNameExists(error)) throw error;
    // Left over from an earlier run with other settings (say, a test's visibility override):
    // converge it. FifoQueue cannot change, and it is the same for every bridge queue.
    url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
    const { FifoQueue: _fifo, ...settable } = attributes;
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: settable }));
  }
  const reachable = onEndpoint(url, sqsEndpoint);
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: reachable, AttributeNames: ['QueueArn'] }));
  return { name, url: reachable, arn: Attributes!.QueueArn! };
}

/**
 * fauxqs answers with AWS-style URLs (`http://sqs.us-east-1.localhost:PORT/000000000000/name`). An
 * SDK client configured through AWS_ENDPOINT_URL_SQS, as the Lambdas are, treats a QueueUrl whose
 * origin differs from its endpoint as the endpoint to call (`useQueueUrlAsEndpoint`, on by default),
 * and `*.localhost` names do not resolve on every machine. fauxqs finds the queue by the path alone,
 * so handing out the same path on the emulator's own origin works for every client.
 */
function onEndpoint(queueUrl: string, endpoint: string): string {
  return new URL(new URL(queueUrl).pathname, endpoint).toString();
}

// SQS's JSON protocol names it QueueAlreadyExists, its query protocol (and fauxqs)
// AWS.SimpleQueueService.QueueNameExists; the SDK passes either name through.
function isQueueNameExists(error: unknown): boolean {
  return error instanceof Error && /(QueueNameExists|QueueAlreadyExists)$/.test(error.name);
}

async function createTable(dynamodb: DynamoDBClient, table: TableDefinition, prefix = ''): Promise<string> {
  const name = `${prefix}${table.id}`;
  try {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributeDefinitions(table),
        KeySchema: keySchema(table.partitionKey, table.sortKey),
        ...(table.globalSecondaryIndexes.length === 0
          ? {}
          : {
              GlobalSecondaryIndexes: table.globalSecondaryIndexes.map((index) => ({
                IndexName: index.indexName,
                KeySchema: keySchema(index.partitionKey, index.sortKey),
                Projection: { ProjectionType: 'ALL' },
              })),
            }),
      }),
    );
  } catch (error) {
    // An existing table is kept as it is: its items are what a developer wants to look at.
    if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
  }
  await waitUntilTableExists({ client: dynamodb, maxWaitTime: 30, minDelay: 1 }, { TableName: name });
  if (table.timeToLiveAttribute) await enableTimeToLive(dynamodb, name, table.timeToLiveAttribute);
  return name;
}

async function enableTimeToLive(dynamodb: DynamoDBClient, tableName: string, attribute: string): Promise<void> {
  const { TimeToLiveDescription } = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  // DynamoDB rejects enabling TTL twice, so a re-run must look first.
  if (TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED' && TimeToLiveDescription.AttributeName === attribute) return;
  await dynamodb.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { Enabled: true, AttributeName: attribute },
    }),
  );
}

function keySchema(partitionKey: KeyAttribute, sortKey?: KeyAttribute): KeySchemaElement[] {
  return [
    { AttributeName: partitionKey.name, KeyType: 'HASH' },
    ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' as const }] : []),
  ];
}

function attributeDefinitions(table: TableDefinition): AttributeDefinition[] {
  const keys = [
    table.partitionKey,
    table.sortKey,
    ...table.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ].filter((key): key is KeyAttribute => key !== undefined);
  const byName = new Map(keys.map((key) => [key.name, key.type]));
  return [...byName].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
}
