import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { readConfig, requireQueueUrl, requireTableName } from '#lambdas/config';
import { lambdaRuntime } from '#lambdas/runtime';
import { SqsQueuePublisher } from '#adapters/queue/sqs-publisher';
import { webhookSecretReader } from '#adapters/secrets/string-secrets';
import { dynamoDbDeliveryOnce } from '#adapters/store/delivery-once';
import { ROUTED_QUEUES } from '#core/webhooks/catalogue';
import { QUARANTINE_QUEUE } from '#core/webhooks/delivery';
import { makeIngestHandler } from './make-ingest-handler.ts';

/** Lambda entry point of the webhook API; the behaviour lives in make-ingest-handler.ts. */
const { logger, metrics } = lambdaRuntime('ingest-webhook');
const config = readConfig();

// Resolved now, so a missing queue variable fails the cold start with its name, not a delivery.
const queueUrls = new Map([
  ...ROUTED_QUEUES.map((queue) => [queue, requireQueueUrl(config, queue)] as const),
  [`${QUARANTINE_QUEUE}:dlq`, requireQueueUrl(config, QUARANTINE_QUEUE, true)] as const,
]);

export const handler = makeIngestHandler({
  readSecret: webhookSecretReader(config),
  publisher: new SqsQueuePublisher(new SQSClient({}), (queue, deadLetter) => {
    const url = queueUrls.get(deadLetter ? `${queue}:dlq` : queue);
    if (!url) throw new Error(`ingest does not send to ${queue}${deadLetter ? ' (dead-letter)' : ''}`);
    return url;
  }),
  deliveries: dynamoDbDeliveryOnce({ client: new DynamoDBClient({}), tableName: requireTableName(config, 'idempotency') }),
  payloadCapBytes: config.webhook.payloadCapBytes,
  logger,
  metrics,
});
