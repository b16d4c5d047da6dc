import { createHash } from 'node:crypto';
import type { QueueId } from '#lib/resource-definitions';
import { ENVELOPE_VERSION, type Envelope, type QuarantinedDelivery } from '#core/envelope';
import { ACTION_ROUTES, isKnownAction } from './catalogue.ts';
import { verifyGreenhouseSignature, type SignatureCheck } from './signature.ts';

/**
 * What to do with one webhook delivery, decided without I/O: the handler only carries it out
 * (sends the messages, answers the status, counts the metric).
 */
export interface Delivery {
  readonly rawBody: Buffer;
  readonly signatureHeader: string | undefined;
  readonly eventIdHeader: string | undefined;
  readonly receivedAt: Date;
}

export interface IngestPolicy {
  readonly secret: string;
  readonly payloadCapBytes: number;
}

export interface OutgoingMessage {
  readonly queue: QueueId;
  /** True: send to the queue's dead-letter queue, where an operator sees it (and can redrive it). */
  readonly deadLetter: boolean;
  readonly groupId: string;
  readonly deduplicationId: string;
  readonly envelope: Envelope;
}

export type IngestDecision =
  | { readonly outcome: 'too-large'; readonly bytes: number }
  | { readonly outcome: 'signature-rejected'; readonly reason: Exclude<SignatureCheck, { ok: true }>['reason'] }
  | { readonly outcome: 'ping'; readonly deliveryId: string; readonly webHookId: string | undefined }
  | {
      readonly outcome: 'routed';
      readonly action: string;
      readonly deliveryId: string;
      readonly entityKey: string;
      readonly messages: readonly OutgoingMessage[];
    }
  | {
      readonly outcome: 'quarantined';
      readonly reason: QuarantinedDelivery['reason'];
      readonly detail: string;
      readonly action: string | undefined;
      readonly deliveryId: string;
      readonly messages: readonly OutgoingMessage[];
    };

/** Quarantined deliveries are parked on the Greenhouse sync queue's DLQ, next to its failed messages. */
export const QUARANTINE_QUEUE: QueueId = 'greenhouse-changes';

// SQS deduplication ids: 1-128 printable ASCII characters.
const USABLE_EVENT_ID = /^[\x21-\x7e]{1,128}$/;

export function deliveryIdOf(rawBody: Buffer, eventIdHeader: string | undefined): string {
  const eventId = eventIdHeader?.trim();
  if (eventId && USABLE_EVENT_ID.test(eventId)) return eventId;
  return `sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
}

export function decideDelivery(delivery: Delivery, policy: IngestPolicy): IngestDecision {
  const { rawBody } = delivery;
  if (rawBody.byteLength > policy.payloadCapBytes) return { outcome: 'too-large', bytes: rawBody.byteLength };

  const signature = verifyGreenhouseSignature(rawBody, delivery.signatureHeader, policy.secret);
  if (!signature.ok) return { outcome: 'signature-rejected', reason: signature.reason };

  const deliveryId = deliveryIdOf(rawBody, delivery.eventIdHeader);
  const observedAt = delivery.receivedAt.toISOString();
  const quarantine = (reason: QuarantinedDelivery['reason'], detail: string, action?: string): IngestDecision => ({
    outcome: 'quarantined',
    reason,
    detail,
    action,
    deliveryId,
    messages: [
      {
        queue: QUARANTINE_QUEUE,
        deadLetter: true,
        groupId: `greenhouse#delivery#${deliveryId.slice(-64)}`,
        deduplicationId: deliveryId,
        envelope: {
          v: ENVELOPE_VERSION,
          kind: 'greenhouse.quarantined',
          entityKey: `greenhouse#delivery#${deliveryId}`,
          origin: 'webhook',
          observedAt,
          deliveryId,
          reason,
          ...(action === undefined ? {} : { action }),
          detail,
          rawBodyBase64: rawBody.toString('base64'),
        },
      },
    ],
  });

  const body = parseJsonObject(rawBody);
  if (body === undefined) return quarantine('malformed', 'body is not a JSON object');
  const action = body['action'];
  if (typeof action !== 'string' || action === '') return quarantine('malformed', 'body has no "action" string');

  if (action === 'ping') {
    const payload = body['payload'] as Record<string, unknown> | undefined;
    const webHookId = payload?.['web_hook_id'];
    return { outcome: 'ping', deliveryId, webHookId: webHookId === undefined ? undefined : String(webHookId) };
  }

  if (!isKnownAction(action)) return quarantine('unknown-action', `action "${action}" is not in the catalogue`, action);

  const route = ACTION_ROUTES[action];
  let subject;
  try {
    subject = route.subject(body['payload']);
  } catch {
    // Deliberately no error text: a zod message could quote payload values (names, emails).
    return quarantine('unroutable', `payload of "${action}" lacks the ids the bridge routes on`, action);
  }

  const payload = route.carriesPayload ? (body['payload'] as Record<string, unknown>) : undefined;
  const messages = route.queues.map(
    (queue): OutgoingMessage => ({
      queue,
      deadLetter: false,
      groupId: subject.entityKey,
      deduplicationId: deliveryId,
      envelope: {
        v: ENVELOPE_VERSION,
        kind: 'greenhouse.event',
        entityKey: subject.entityKey,
        origin: 'webhook',
        observedAt,
        deliveryId,
        action,
        refs: subject.refs,
        ...(payload === undefined ? {} : { payload }),
      },
    }),
  );
  return { outcome: 'routed', action, deliveryId, entityKey: subject.entityKey, messages };
}

function parseJsonObject(rawBody: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(rawBody));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
