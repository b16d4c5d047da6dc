import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { PUSH_METRICS } from '#core/metrics';
import { beameryChangeMessage, MAX_PUSH_CONTACTS } from '#core/sync/beamery-messages';
import { judgePushRequest, MAX_PUSH_BODY_BYTES } from '#core/push/push-request';
import type { QueuePublisher } from '#core/ports/queue-publisher';
import { WeakSecretError, type SecretReader } from '#adapters/secrets/string-secrets';
import { acceptedPushKeys, parsePushKeySecret } from '#core/push/push-key-secret';
import { headerValue, jsonResponse, rawBody } from './http.ts';
import type { MetricsSink } from '#adapters/metrics-sink';
import { errorDetail } from '#adapters/queue/message-outcome';
import { withInvocation } from './invocation.ts';

/**
 * POST /beamery/push: "push these Beamery contacts to Greenhouse", from Beamery's "Add to Greenhouse"
 * button, an automation recipe or a script. The caller presents the API key kept in Secrets Manager
 * (`Authorization: Bearer <key>` or `x-api-key: <key>`); lambdas/core/push/push-request.ts judges the
 * key and the ids, and the handler enqueues one `beamery.change` (origin `push`, pushRequested) per contact on
 * beamery-changes.fifo. The consumer does the rest, like for every other message.
 *
 * Answers: 202 `{ queued, deliveryId }` once SQS holds every message; 401 without a valid key
 * (before the body is looked at, so an unauthenticated caller learns nothing about it; during the grace
 * period after `bridge rotate-push-key` the previous key is valid too); 400 for a
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

export function makeBeameryPushHandler(deps: BeameryPushDependencies) {
  const count = (name: string, value = 1) => deps.metrics.addMetric(name, MetricUnit.Count, value);

  return async (event: APIGatewayProxyEvent, context?: Context): Promise<APIGatewayProxyResult> => {
    const deliveryId = event.requestContext.requestId;
    return withInvocation(deps, context, async () => {
      let stored: string;
      try {
        stored = await deps.readApiKey();
      } catch (error) {
        // A weak key is refused like a missing one, never accepted, and alarmed on.
        if (error instanceof WeakSecretError) {
          count(PUSH_METRICS.keyWeak);
          deps.logger.error('push API key too weak', { deliveryId, reason: error.message });
        } else {
          deps.logger.error('push API key unavailable', { deliveryId, ...errorDetail(error) });
        }
        return jsonResponse(503, { message: 'temporarily unavailable, retry later' });
      }
      const secret = parsePushKeySecret(stored);
      if ('invalid' in secret) {
        // Only a local value reaches here unchecked (the reader checks the stored one): same answer as above.
        count(PUSH_METRICS.keyWeak);
        deps.logger.error('push API key too weak', { deliveryId, reason: `the stored key is ${secret.invalid}` });
        return jsonResponse(503, { message: 'temporarily unavailable, retry later' });
      }
      const keys = acceptedPushKeys(secret, deps.now?.() ?? new Date());
      const verdict = judgePushRequest({ header: (name) => headerValue(event, name), body: rawBody(event), expectedKey: keys.current, previousKey: keys.previous });
      switch (verdict.outcome) {
        case 'unauthorized':
          count(PUSH_METRICS.unauthorized);
          // The reason only: never the header, which may be a near-miss of the real key.
          deps.logger.warn('push rejected: API key', { deliveryId, reason: verdict.reason });
          return {
            ...jsonResponse(401, { message: 'missing or invalid API key (Authorization: Bearer <key> or x-api-key: <key>)' }),
            headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="beamery-push"' },
          };
        case 'too-large':
          count(PUSH_METRICS.rejected);
          deps.logger.warn('push rejected: body over the cap', { deliveryId, bytes: verdict.bytes });
          return jsonResponse(413, { message: `body over ${MAX_PUSH_BODY_BYTES} bytes; send at most ${MAX_PUSH_CONTACTS} ids per request` });
        case 'invalid':
          count(PUSH_METRICS.rejected);
          deps.logger.warn('push rejected: body', { deliveryId, reason: verdict.reason });
          return jsonResponse(400, { message: verdict.reason });
      }

      const observedAt = (deps.now?.() ?? new Date()).toISOString();
      const messages = verdict.ids.map((id) => beameryChangeMessage(id, { origin: 'push', observedAt, deliveryId, pushRequested: true }));
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
    });
  };
}

