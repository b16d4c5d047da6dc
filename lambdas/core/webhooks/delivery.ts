import { createHash } from 'node:crypto';
import type { QueueId } from '#core/queues';
import {
  ENVELOPE_VERSION,
  SQS_MAX_MESSAGE_BYTES,
  envelopeAttributes,
  envelopeBody,
  messageBytes,
  type Envelope,
  type QuarantinedDelivery,
} from '#core/envelope';
import { ACTION_ROUTES, greenhouseId, isKnownAction, subjectOf } from './catalogue.ts';
import { readJsonObject } from './json-body.ts';
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
  /**
   * The body to send as is, where the core has written it already (ingest does, so that a payload
   * that cannot travel is decided on here rather than thrown in the publisher); otherwise the
   * publisher writes `envelopeBody(envelope)`.
   */
  readonly body?: string;
}

/** A message of an ingest decision: its body is always written, and known to fit in SQS. */
export interface IngestMessage extends OutgoingMessage {
  readonly body: string;
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
      readonly messages: readonly IngestMessage[];
    }
  | {
      readonly outcome: 'quarantined';
      readonly reason: QuarantinedDelivery['reason'];
      /** Says what is wrong by field name only: never a value from the payload. */
      readonly detail: string;
      /** Only a name that could be an action (ACTION_NAME), so it is safe to log and to put in an attribute. */
      readonly action: string | undefined;
      readonly deliveryId: string;
      readonly messages: readonly IngestMessage[];
    };

/** Quarantined deliveries are parked on the Greenhouse sync queue's DLQ, next to its failed messages. */
export const QUARANTINE_QUEUE: QueueId = 'greenhouse-changes';

// SQS group and deduplication ids: 1-128 printable ASCII characters.
const USABLE_EVENT_ID = /^[\x21-\x7e]{1,128}$/;

/** Greenhouse's actions are snake_case words; anything else is not an action, known or not. */
const ACTION_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export function deliveryIdOf(rawBody: Buffer, eventIdHeader: string | undefined): string {
  const eventId = eventIdHeader?.trim();
  if (eventId && USABLE_EVENT_ID.test(eventId)) return eventId;
  return `sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
}

/**
 * A kept delivery's deduplication id: the event id and the body together. The header is not signed,
 * so one event id on two different bodies must keep both, while a redelivery (same id, same bytes)
 * within SQS's five minutes is still kept once.
 */
export function keptDeduplicationId(deliveryId: string, rawBody: Buffer): string {
  return `kept:${createHash('sha256').update(deliveryId).update('\0').update(rawBody).digest('hex')}`;
}

export function decideDelivery(delivery: Delivery, policy: IngestPolicy): IngestDecision {
  const { rawBody } = delivery;
  if (rawBody.byteLength > policy.payloadCapBytes) return { outcome: 'too-large', bytes: rawBody.byteLength };

  const signature = verifyGreenhouseSignature(rawBody, delivery.signatureHeader, policy.secret);
  if (!signature.ok) return { outcome: 'signature-rejected', reason: signature.reason };

  const deliveryId = deliveryIdOf(rawBody, delivery.eventIdHeader);
  const observedAt = delivery.receivedAt.toISOString();
  const quarantine = (reason: QuarantinedDelivery['reason'], detail: string, action?: string): IngestDecision => {
    // Only strings and the raw bytes as base64: writing this body cannot fail, whatever was received.
    const envelope: QuarantinedDelivery = {
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
    };
    return {
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
          deduplicationId: keptDeduplicationId(deliveryId, rawBody),
          envelope,
          body: envelopeBody(envelope),
        },
      ],
    };
  };

  const json = readJsonObject(rawBody);
  if (!json.ok) return quarantine('malformed', json.detail);
  const body = json.value;
  const action = body['action'];
  if (typeof action !== 'string' || action === '') return quarantine('malformed', 'body has no "action" string');
  if (!ACTION_NAME.test(action)) return quarantine('malformed', 'body\'s "action" is not an action name');

  if (action === 'ping') {
    const payload = body['payload'];
    const webHookId = payload !== null && typeof payload === 'object' ? greenhouseId((payload as Record<string, unknown>)['web_hook_id']) : undefined;
    return { outcome: 'ping', deliveryId, webHookId };
  }

  if (!isKnownAction(action)) return quarantine('unknown-action', `action "${action}" is not in the catalogue`, action);

  const found = subjectOf(action, body['payload']);
  if (!found.ok) {
    // Deliberately no value and no zod text: either could quote the payload (names, emails).
    return found.reason === 'invalid-id'
      ? quarantine('invalid-id', `${found.field} of "${action}" is not a Greenhouse id`, action)
      : quarantine('unroutable', `payload of "${action}" lacks the ids the bridge routes on`, action);
  }
  const { subject } = found;

  const route = ACTION_ROUTES[action];
  const payload = route.carriesPayload ? (body['payload'] as Record<string, unknown>) : undefined;
  const envelope: Envelope = {
    v: ENVELOPE_VERSION,
    kind: 'greenhouse.event',
    entityKey: subject.entityKey,
    origin: 'webhook',
    observedAt,
    deliveryId,
    action,
    refs: subject.refs,
    ...(payload === undefined ? {} : { payload }),
  };
  const messageBody = envelopeBody(envelope);
  // Re-encoding can grow a payload (a JSON number such as 1e20 becomes 21 digits).
  if (messageBytes(messageBody, envelopeAttributes(envelope)) > SQS_MAX_MESSAGE_BYTES) {
    return quarantine('malformed', `payload of "${action}" does not fit in one queue message once re-encoded`, action);
  }
  const messages = route.queues.map(
    (queue): IngestMessage => ({ queue, deadLetter: false, groupId: subject.entityKey, deduplicationId: deliveryId, envelope, body: messageBody }),
  );
  return { outcome: 'routed', action, deliveryId, entityKey: subject.entityKey, messages };
}
