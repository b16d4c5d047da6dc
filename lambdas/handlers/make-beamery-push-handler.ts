import { createHash, timingSafeEqual } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { PUSH_METRICS } from '#core/metrics';
import { beameryChangeMessage, MAX_PUSH_CONTACTS, pushContactIds } from '#core/sync/beamery-messages';
import type { QueuePublisher } from '#adapters/queue/sqs-publisher';
import type { SecretReader } from '#adapters/secrets/string-secrets';
import { headerValue, jsonResponse, rawBody } from './http.ts';
import type { MetricsSink } from './make-ingest-handler.ts';
import { errorDetail } from '#adapters/queue/message-outcome';

/**
 * POST /beamery/push: "push these Beamery contacts to Greenhouse", from Beamery's "Add to Greenhouse"
 * button, an automation recipe or a script. The caller presents the API key kept in Secrets Manager
 * (`Authorization: Bearer <key>` or `x-api-key: <key>`); the handler only checks it, validates the
 * ids and enqueues one `beamery.change` (origin `push`, pushRequested) per contact on
 * beamery-changes.fifo. The consumer does the rest, like for every other message.
 *
 * Answers: 202 `{ queued, deliveryId }` once SQS holds every message; 401 without a valid key
 * (before the body is looked at, so an unauthenticated caller learns nothing about it); 400 for a
 * body that is not `{"contactIds": [...]}` or `{"contactId": "..."}` with 1–500 valid ids, nothing
 * queued; 413 over the body cap; 503 when Secrets Manager or SQS fails (safe to retry: a retried
 * request has a new request id, and a contact queued twice is reconciled twice with the same result).
 */
export interface BeameryPushDependencies {
  readonly readApiKey: SecretReader;
  readonly publisher: QueuePublisher;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error' | 'addContext'>;
  readonly metrics: MetricsSink;
  readonly now?: () => Date;
}

/** 500 ids of 64 characters, quoted and comma-separated, are about 33 KB; room for whitespace on top. */
export const MAX_PUSH_BODY_BYTES = 128 * 1024;

export type PushBodyCheck = { readonly ok: true; readonly ids: string[] } | { readonly ok: false; readonly reason: string };

const USAGE = 'expected a JSON body {"contactIds": ["<Beamery contact id>", ...]} or {"contactId": "<Beamery contact id>"}';

/** The request body, judged without I/O: the ids to push (duplicates dropped), or why not. */
export function parsePushBody(body: Buffer): PushBodyCheck {
  let parsed: unknown;
  try {
    // A leading byte-order mark (some Windows tools send one) is not part of the JSON.
    parsed = JSON.parse(body.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    return { ok: false, reason: `the body is not JSON; ${USAGE}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, reason: `the body is not a JSON object; ${USAGE}` };
  const { contactIds, contactId } = parsed as { contactIds?: unknown; contactId?: unknown };
  if (contactIds !== undefined && contactId !== undefined) return { ok: false, reason: 'give either contactIds or contactId, not both' };
  let ids: readonly unknown[];
  if (contactIds !== undefined) {
    if (!Array.isArray(contactIds)) return { ok: false, reason: `contactIds must be an array of 1 to ${MAX_PUSH_CONTACTS} Beamery contact ids` };
    ids = contactIds;
  } else if (contactId !== undefined) {
    ids = [contactId];
  } else {
    return { ok: false, reason: `no contact ids; ${USAGE}` };
  }
  return pushContactIds(ids);
}

type KeyCheck = 'valid' | 'missing' | 'mismatch';

/**
 * Constant-time comparison of the presented key with the stored one: both are hashed first, so the
 * comparison is over equal-length digests and neither the key's length nor a matching prefix shows in
 * the timing.
 */
export function checkApiKey(event: APIGatewayProxyEvent, expected: string): KeyCheck {
  const presented = presentedKey(event);
  if (presented === undefined) return 'missing';
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected)) ? 'valid' : 'mismatch';
}

function presentedKey(event: APIGatewayProxyEvent): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headerValue(event, 'Authorization')?.trim() ?? '');
  if (bearer) return bearer[1];
  const apiKey = headerValue(event, 'x-api-key')?.trim();
  if (apiKey) return apiKey;
  // Another scheme (Basic, AWS4-HMAC-SHA256 …) is no key of ours: the same 401 as a wrong key.
  return headerValue(event, 'Authorization')?.trim() ? '' : undefined;
}

export function makeBeameryPushHandler(deps: BeameryPushDependencies) {
  const count = (name: string, value = 1) => deps.metrics.addMetric(name, MetricUnit.Count, value);

  return async (event: APIGatewayProxyEvent, context?: Context): Promise<APIGatewayProxyResult> => {
    if (context) deps.logger.addContext(context);
    const deliveryId = event.requestContext.requestId;
    try {
      let expected: string;
      try {
        expected = await deps.readApiKey();
      } catch (error) {
        deps.logger.error('push API key unavailable', { deliveryId, ...errorDetail(error) });
        return jsonResponse(503, { message: 'temporarily unavailable, retry later' });
      }
      const key = checkApiKey(event, expected);
      if (key !== 'valid') {
        count(PUSH_METRICS.unauthorized);
        // The reason only: never the header, which may be a near-miss of the real key.
        deps.logger.warn('push rejected: API key', { deliveryId, reason: key });
        return {
          ...jsonResponse(401, { message: 'missing or invalid API key (Authorization: Bearer <key> or x-api-key: <key>)' }),
          headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="beamery-push"' },
        };
      }

      const body = rawBody(event);
      if (body.byteLength > MAX_PUSH_BODY_BYTES) {
        count(PUSH_METRICS.rejected);
        deps.logger.warn('push rejected: body over the cap', { deliveryId, bytes: body.byteLength });
        return jsonResponse(413, { message: `body over ${MAX_PUSH_BODY_BYTES} bytes; send at most ${MAX_PUSH_CONTACTS} ids per request` });
      }
      const check = parsePushBody(body);
      if (!check.ok) {
        count(PUSH_METRICS.rejected);
        deps.logger.warn('push rejected: body', { deliveryId, reason: check.reason });
        return jsonResponse(400, { message: check.reason });
      }

      const observedAt = (deps.now?.() ?? new Date()).toISOString();
      const messages = check.ids.map((id) => beameryChangeMessage(id, { origin: 'push', observedAt, deliveryId, pushRequested: true }));
      try {
        await deps.publisher.publish(messages);
      } catch (error) {
        count(PUSH_METRICS.enqueueFailed);
        deps.logger.error('push not queued', { deliveryId, contacts: messages.length, ...errorDetail(error) });
        return jsonResponse(503, { message: 'not queued, retry later' });
      }
      count(PUSH_METRICS.contactsQueued, messages.length);
      deps.logger.info('push queued', { deliveryId, contacts: messages.length });
      return jsonResponse(202, { queued: messages.length, deliveryId });
    } finally {
      deps.metrics.publishStoredMetrics();
    }
  };
}

