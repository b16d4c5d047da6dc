import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { decideDelivery, type IngestDecision } from '#core/webhooks/delivery';
import { INGEST_METRICS } from '#core/metrics';
import type { QueuePublisher } from '#adapters/queue/sqs-publisher';
import type { SecretReader } from '#adapters/secrets/string-secrets';
import type { DeliveryOnce } from '#adapters/store/delivery-once';
import { headerValue, jsonResponse, rawBody } from './http.ts';
import { errorDetail } from '#adapters/queue/message-outcome';
import type { MetricsSink } from '#adapters/metrics-sink';

/**
 * POST /webhooks/greenhouse: verify, route, queue, answer. Greenhouse retries anything but a 200
 * for about 15 hours, so the answer is 200 only once the delivery is durably queued (or, for an
 * action the catalogue does not know, kept on a dead-letter queue); a 400 once a delivery the bridge
 * refuses (malformed, an id that is not one, no ids) is kept; and a 5xx only when SQS or Secrets
 * Manager fails, so that it retries. No body can cause a 5xx: the core has written every message.
 * A delivery queued within the last two days (a late Greenhouse retry, which SQS's five-minute
 * deduplication no longer catches) is answered as the first time, with `duplicate: true`, and not
 * queued again; one still being queued by a concurrent request is answered 409, to be retried.
 */
export interface IngestDependencies {
  readonly readSecret: SecretReader;
  readonly publisher: QueuePublisher;
  /** Publishes each routed or kept delivery once (adapters/store/delivery-once.ts). */
  readonly deliveries: DeliveryOnce;
  readonly payloadCapBytes: number;
  readonly logger: Logger;
  /** The part of Powertools Metrics the handler uses, so tests and the benchmark can count without EMF output. */
  readonly metrics: MetricsSink;
  readonly now?: () => Date;
}

export function makeIngestHandler(deps: IngestDependencies) {
  const count = (name: string, value = 1) => deps.metrics.addMetric(name, MetricUnit.Count, value);

  return async (event: APIGatewayProxyEvent, context?: Context): Promise<APIGatewayProxyResult> => {
    if (context) deps.logger.addContext(context);
    try {
      let secret: string;
      try {
        secret = await deps.readSecret();
      } catch (error) {
        deps.logger.error('webhook secret unavailable', { ...errorDetail(error) });
        return jsonResponse(503, { message: 'temporarily unavailable, retry later' });
      }
      const decision = decideDelivery(
        {
          rawBody: rawBody(event),
          signatureHeader: headerValue(event, 'Signature'),
          eventIdHeader: headerValue(event, 'Greenhouse-Event-ID'),
          receivedAt: deps.now?.() ?? new Date(),
        },
        { secret, payloadCapBytes: deps.payloadCapBytes },
      );
      return await carryOut(decision, context);
    } finally {
      deps.metrics.publishStoredMetrics();
    }
  };

  async function carryOut(decision: IngestDecision, context: Context | undefined): Promise<APIGatewayProxyResult> {
    switch (decision.outcome) {
      case 'too-large':
        count(INGEST_METRICS.tooLarge);
        deps.logger.warn('webhook rejected: payload over the cap', { bytes: decision.bytes });
        return jsonResponse(413, { message: `payload over ${deps.payloadCapBytes} bytes` });
      case 'signature-rejected':
        count(INGEST_METRICS.signatureRejected);
        deps.logger.warn('webhook rejected: signature', { reason: decision.reason });
        return jsonResponse(401, { message: 'invalid signature' });
      case 'ping':
        count(INGEST_METRICS.verified);
        count(INGEST_METRICS.ping);
        deps.logger.info('webhook ping', { deliveryId: decision.deliveryId, webHookId: decision.webHookId });
        return jsonResponse(200, { status: 'pong' });
      case 'routed':
      case 'quarantined': {
        count(INGEST_METRICS.verified);
        const { deliveryId, messages } = decision;
        const action = decision.action;
        // The key SQS deduplicates on (the delivery id; for a kept delivery, the id with its body),
        // remembered for two days instead of five minutes.
        const key = messages[0]!.deduplicationId;
        let published;
        try {
          published = await deps.deliveries.publishOnce(key, () => deps.publisher.publish(messages), context);
        } catch (error) {
          count(INGEST_METRICS.enqueueFailed);
          deps.logger.error('webhook not queued; Greenhouse will retry', { deliveryId, action, ...errorDetail(error) });
          return jsonResponse(503, { message: 'not queued, retry later' });
        }
        if (published.outcome === 'in-progress') {
          count(INGEST_METRICS.duplicateInProgress);
          deps.logger.info('webhook being queued by another request; asked to retry', { deliveryId, action });
          // Not a 5xx: nothing failed, and Greenhouse retries any answer but 200.
          return jsonResponse(409, { message: 'this delivery is being queued by another request, retry later', deliveryId });
        }
        if (published.outcome === 'duplicate') {
          count(INGEST_METRICS.duplicate);
          deps.logger.info('webhook already queued; not queued again', { deliveryId, action });
          return answer(decision, { duplicate: true });
        }
        if (published.outcome === 'unrecorded') {
          count(INGEST_METRICS.dedupUnavailable);
          deps.logger.error('webhook queued without its delivery record; a late retry will be queued again', {
            deliveryId,
            action,
            ...errorDetail(published.storeError),
          });
        }
        if (decision.outcome === 'routed') {
          count(INGEST_METRICS.messagesQueued, messages.length);
          deps.logger.info('webhook queued', {
            deliveryId,
            action,
            entityKey: decision.entityKey,
            queues: messages.map((m) => m.queue),
          });
        } else if (decision.reason === 'unknown-action') {
          count(INGEST_METRICS.quarantined);
          deps.logger.warn('webhook action unknown; kept on the dead-letter queue', { deliveryId, action, reason: decision.reason });
        } else {
          count(INGEST_METRICS.malformed);
          deps.logger.warn('webhook refused; kept on the dead-letter queue', { deliveryId, action, reason: decision.reason, detail: decision.detail });
        }
        return answer(decision, {});
      }
    }
  }

  /** A queued or kept delivery's answer; a repeat gets the first time's, marked `duplicate`. */
  function answer(decision: Extract<IngestDecision, { outcome: 'routed' | 'quarantined' }>, repeat: { duplicate?: true }): APIGatewayProxyResult {
    const { deliveryId } = decision;
    if (decision.outcome === 'routed') return jsonResponse(200, { status: 'queued', deliveryId, ...repeat });
    const { reason, detail } = decision;
    if (reason === 'unknown-action') return jsonResponse(200, { status: 'kept', reason, deliveryId, ...repeat });
    return jsonResponse(400, { message: detail, reason, deliveryId, ...repeat });
  }
}

