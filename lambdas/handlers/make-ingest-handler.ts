import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { decideDelivery, type IngestDecision } from '#core/webhooks/delivery';
import { reportQueued, reportUnqueued, type IngestReport } from '#core/webhooks/ingest-report';
import type { QueuePublisher } from '#core/ports/queue-publisher';
import { WeakSecretError, type SecretReader } from '#adapters/secrets/string-secrets';
import { INGEST_METRICS } from '#core/metrics';
import type { DeliveryOnce } from '#core/ports/delivery-once';
import { headerValue, jsonResponse, rawBody } from './http.ts';
import { errorDetail } from '#adapters/queue/message-outcome';
import type { MetricsSink } from '#adapters/metrics-sink';
import { withInvocation } from './invocation.ts';

/**
 * POST /webhooks/greenhouse: verify and route (core/webhooks/delivery.ts), publish each delivery once
 * (adapters/store/delivery-once.ts), then answer, count and log as core/webhooks/ingest-report.ts
 * decides. No body can cause a 5xx: only SQS or Secrets Manager failing can.
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
  return async (event: APIGatewayProxyEvent, context?: Context): Promise<APIGatewayProxyResult> => {
    return withInvocation(deps, context, async () => {
      let secret: string;
      try {
        secret = await deps.readSecret();
      } catch (error) {
        // A weak secret is refused like a missing one (503: Greenhouse retries once it is fixed), and alarmed on.
        if (error instanceof WeakSecretError) {
          deps.metrics.addMetric(INGEST_METRICS.secretWeak, MetricUnit.Count, 1);
          deps.logger.error('webhook secret too weak', { reason: error.message });
        } else {
          deps.logger.error('webhook secret unavailable', { ...errorDetail(error) });
        }
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
      if (decision.outcome !== 'routed' && decision.outcome !== 'quarantined') return carryOut(reportUnqueued(decision, deps.payloadCapBytes));
      return carryOut(...(await publish(decision, context)));
    });
  };

  /**
   * Publishes once per delivery: the key is the one SQS deduplicates on (the delivery id; for a kept
   * delivery, the id with its body), remembered for two days instead of five minutes.
   */
  async function publish(decision: Extract<IngestDecision, { outcome: 'routed' | 'quarantined' }>, context: Context | undefined): Promise<[IngestReport, Record<string, unknown>?]> {
    const { messages } = decision;
    try {
      const published = await deps.deliveries.publishOnce(messages[0]!.deduplicationId, () => deps.publisher.publish(messages), context);
      if (published.outcome === 'unrecorded') {
        deps.logger.error('webhook queued without its delivery record; a late retry will be queued again', {
          deliveryId: decision.deliveryId,
          action: decision.action,
          ...errorDetail(published.storeError),
        });
      }
      return [reportQueued(decision, published.outcome)];
    } catch (error) {
      return [reportQueued(decision, 'failed'), { ...errorDetail(error) }];
    }
  }

  function carryOut(report: IngestReport, extraLogFields: Record<string, unknown> = {}): APIGatewayProxyResult {
    for (const { name, value } of report.metrics) deps.metrics.addMetric(name, MetricUnit.Count, value);
    if (report.log) deps.logger[report.log.level](report.log.message, { ...report.log.fields, ...extraLogFields });
    return jsonResponse(report.statusCode, report.body);
  }
}
