/**
 * Metric names the handlers emit and the dashboard and alarms read. One list, so a renamed metric
 * cannot leave an alarm watching nothing.
 */
export const METRICS_NAMESPACE = 'GreenhouseBeameryBridge';

export const SERVICES = { ingest: 'ingest', beameryPush: 'beamery-push' } as const;

export const INGEST_METRICS = {
  verified: 'WebhookVerified',
  signatureRejected: 'WebhookSignatureRejected',
  malformed: 'WebhookMalformed',
  tooLarge: 'WebhookTooLarge',
  quarantined: 'WebhookQuarantined',
  ping: 'WebhookPing',
  messagesQueued: 'WebhookMessagesQueued',
  enqueueFailed: 'WebhookEnqueueFailed',
} as const;

/** `POST /beamery/push` outcomes (lambdas/handlers/make-beamery-push-handler.ts). */
export const PUSH_METRICS = {
  unauthorized: 'PushUnauthorized',
  rejected: 'PushRejected',
  contactsQueued: 'PushContactsQueued',
  enqueueFailed: 'PushEnqueueFailed',
} as const;
