import { SQSClient } from '@aws-sdk/client-sqs';
import { readConfig, requireQueueUrl } from '#lambdas/config';
import { logger, metrics } from '#lambdas/runtime';
import { SqsQueuePublisher } from '#adapters/queue/sqs-publisher';
import { webhookSecretReader } from '#adapters/secrets/webhook-secret';
import { makeIngestHandler } from './make-ingest-handler.ts';

/** Lambda entry point of the webhook API; the behaviour lives in make-ingest-handler.ts. */
const config = readConfig();

export const handler = makeIngestHandler({
  readSecret: webhookSecretReader(config),
  publisher: new SqsQueuePublisher(new SQSClient({}), (queue, deadLetter) => requireQueueUrl(config, queue, deadLetter)),
  payloadCapBytes: config.webhook.payloadCapBytes,
  logger,
  metrics,
});
