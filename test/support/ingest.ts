import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { makeIngestHandler } from '#handlers/make-ingest-handler';
import { SqsQueuePublisher } from '#adapters/queue/sqs-publisher';
import type { DeliveryOnce } from '#core/ports/delivery-once';
import { publishEveryTime } from '#adapters/store/delivery-once';
import { signGreenhouseBody } from '#core/webhooks/signature';
import type { LocalResources } from '#local/resources';
import { proxyEvent } from '#local/api-gateway-event';
import { WEBHOOK_PATH } from '#local/defaults';

/**
 * The real ingest handler on real SQS (the emulator), with logs and metrics silenced: for the
 * integration tests and the benchmark, which call it many times in one process. Without `deliveries`,
 * only SQS's five-minute deduplication applies (no DynamoDB needed).
 */
export function ingestOnQueues(
  sqs: SQSClient,
  queues: LocalResources['queues'],
  secret: string,
  payloadCapBytes = 256 * 1024,
  deliveries: DeliveryOnce = publishEveryTime,
) {
  return makeIngestHandler({
    readSecret: async () => secret,
    publisher: new SqsQueuePublisher(sqs, (queue, deadLetter) => (deadLetter ? queues[queue].deadLetter.url : queues[queue].url)),
    deliveries,
    payloadCapBytes,
    logger: new Logger({ serviceName: 'ingest', logLevel: 'SILENT' }),
    metrics: { addMetric: () => undefined, publishStoredMetrics: () => undefined },
  });
}

/** A delivery as Greenhouse sends it, through the same event builder the local API Gateway uses. */
export function signedDelivery(body: Buffer, secret: string, eventId?: string): APIGatewayProxyEvent {
  const headers = ['Content-Type', 'application/json', 'Signature', signGreenhouseBody(body, secret)];
  if (eventId !== undefined) headers.push('Greenhouse-Event-ID', eventId);
  return proxyEvent(
    { method: 'POST', path: WEBHOOK_PATH, query: new URLSearchParams(), rawHeaders: headers, body, sourceIp: '127.0.0.1', port: 443 },
    { resource: WEBHOOK_PATH, stage: 'local' },
  );
}
