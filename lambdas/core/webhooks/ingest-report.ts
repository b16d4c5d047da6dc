import { INGEST_METRICS } from '#core/metrics';
import type { DeliveryOnceOutcome } from '#core/ports/delivery-once';
import type { IngestDecision } from './delivery.ts';

/**
 * What ingest answers Greenhouse, counts and logs for each outcome, decided here so the handler only
 * carries it out. Greenhouse retries anything but a 200 for about 15 hours, so: 200 once a delivery
 * is durably queued (or, for an action the catalogue does not know, kept on a dead-letter queue); 400
 * once a refused delivery (malformed, an id that is not one, no ids) is kept; 409 for a repeat still
 * being queued by a concurrent request; 5xx only when SQS or Secrets Manager fails, so that it
 * retries. A repeat of a delivery queued within two days gets the first time's answer, `duplicate`.
 * Log fields never carry payload values: ids, actions, reasons and field names only.
 */
export interface IngestReport {
  readonly statusCode: number;
  readonly body: Record<string, unknown>;
  readonly metrics: readonly { readonly name: string; readonly value: number }[];
  readonly log?: { readonly level: 'info' | 'warn' | 'error'; readonly message: string; readonly fields: Record<string, unknown> };
}

/** How publishing a routed or kept delivery went (adapters/store/delivery-once.ts, or its failure). */
export type PublishOutcome = DeliveryOnceOutcome['outcome'] | 'failed';

type Queued = Extract<IngestDecision, { outcome: 'routed' | 'quarantined' }>;

const once = (name: string, value = 1) => ({ name, value });

/** The answer to a delivery that never reaches the publisher: too large, unsigned, a ping. */
export function reportUnqueued(decision: Exclude<IngestDecision, Queued>, payloadCapBytes: number): IngestReport {
  switch (decision.outcome) {
    case 'too-large':
      return {
        statusCode: 413,
        body: { message: `payload over ${payloadCapBytes} bytes` },
        metrics: [once(INGEST_METRICS.tooLarge)],
        log: { level: 'warn', message: 'webhook rejected: payload over the cap', fields: { bytes: decision.bytes } },
      };
    case 'signature-rejected':
      return {
        statusCode: 401,
        body: { message: 'invalid signature' },
        metrics: [once(INGEST_METRICS.signatureRejected)],
        log: { level: 'warn', message: 'webhook rejected: signature', fields: { reason: decision.reason } },
      };
    case 'ping':
      return {
        statusCode: 200,
        body: { status: 'pong' },
        metrics: [once(INGEST_METRICS.verified), once(INGEST_METRICS.ping)],
        log: { level: 'info', message: 'webhook ping', fields: { deliveryId: decision.deliveryId, webHookId: decision.webHookId } },
      };
  }
}

/** The answer to a routed or kept delivery once its publish has gone `published` (or not). */
export function reportQueued(decision: Queued, published: PublishOutcome): IngestReport {
  const { deliveryId, action } = decision;
  const verified = once(INGEST_METRICS.verified);
  switch (published) {
    case 'failed':
      return {
        statusCode: 503,
        body: { message: 'not queued, retry later' },
        metrics: [verified, once(INGEST_METRICS.enqueueFailed)],
        log: { level: 'error', message: 'webhook not queued; Greenhouse will retry', fields: { deliveryId, action } },
      };
    case 'in-progress':
      // Not a 5xx: nothing failed, and Greenhouse retries any answer but 200.
      return {
        statusCode: 409,
        body: { message: 'this delivery is being queued by another request, retry later', deliveryId },
        metrics: [verified, once(INGEST_METRICS.duplicateInProgress)],
        log: { level: 'info', message: 'webhook being queued by another request; asked to retry', fields: { deliveryId, action } },
      };
    case 'duplicate':
      return {
        ...answer(decision, { duplicate: true }),
        metrics: [verified, once(INGEST_METRICS.duplicate)],
        log: { level: 'info', message: 'webhook already queued; not queued again', fields: { deliveryId, action } },
      };
    case 'published':
    case 'unrecorded': {
      const unrecorded = published === 'unrecorded' ? [once(INGEST_METRICS.dedupUnavailable)] : [];
      return { ...answer(decision, {}), ...firstTime(decision, [verified, ...unrecorded]) };
    }
  }
}

function firstTime(decision: Queued, metrics: IngestReport['metrics']): Pick<IngestReport, 'metrics' | 'log'> {
  const { deliveryId, action } = decision;
  if (decision.outcome === 'routed') {
    const queues = decision.messages.map((m) => m.queue);
    return {
      metrics: [...metrics, once(INGEST_METRICS.messagesQueued, decision.messages.length)],
      log: { level: 'info', message: 'webhook queued', fields: { deliveryId, action, entityKey: decision.entityKey, queues } },
    };
  }
  const { reason, detail } = decision;
  if (reason === 'unknown-action') {
    return {
      metrics: [...metrics, once(INGEST_METRICS.quarantined)],
      log: { level: 'warn', message: 'webhook action unknown; kept on the dead-letter queue', fields: { deliveryId, action, reason } },
    };
  }
  return {
    metrics: [...metrics, once(INGEST_METRICS.malformed)],
    log: { level: 'warn', message: 'webhook refused; kept on the dead-letter queue', fields: { deliveryId, action, reason, detail } },
  };
}

/** A queued or kept delivery's answer; a repeat gets the first time's, marked `duplicate`. */
function answer(decision: Queued, repeat: { duplicate?: true }): Pick<IngestReport, 'statusCode' | 'body'> {
  const { deliveryId } = decision;
  if (decision.outcome === 'routed') return { statusCode: 200, body: { status: 'queued', deliveryId, ...repeat } };
  const { reason, detail } = decision;
  if (reason === 'unknown-action') return { statusCode: 200, body: { status: 'kept', reason, deliveryId, ...repeat } };
  return { statusCode: 400, body: { message: detail, reason, deliveryId, ...repeat } };
}
