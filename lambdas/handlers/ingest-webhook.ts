import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { readConfig, requireTableName } from '#lambdas/config';
import { lambdaRuntime } from '#lambdas/runtime';
import { publisherFor } from '#wiring/publisher-for';
import { webhookSecretReader } from '#adapters/secrets/string-secrets';
import { dynamoDbDeliveryOnce } from '#adapters/store/delivery-once';
import { ROUTED_QUEUES } from '#core/webhooks/catalogue';
import { QUARANTINE_QUEUE } from '#core/webhooks/delivery';
import { makeIngestHandler } from './make-ingest-handler.ts';

/** Lambda entry point of the webhook API; the behaviour lives in make-ingest-handler.ts. */
const { logger, metrics, tracing } = lambdaRuntime('ingest-webhook');
const config = readConfig();


export const handler = tracing.handler(makeIngestHandler({
  readSecret: webhookSecretReader(config),
  publisher: publisherFor(config, tracing.captureAWSv3Client(new SQSClient({})), { sender: 'ingest', queues: ROUTED_QUEUES, deadLetters: [QUARANTINE_QUEUE] }),
  deliveries: dynamoDbDeliveryOnce({ client: tracing.captureAWSv3Client(new DynamoDBClient({})), tableName: requireTableName(config, 'idempotency') }),
  payloadCapBytes: config.webhook.payloadCapBytes,
  logger,
  metrics,
}));
