import { beameryChangeMessage } from '#core/sync/beamery-messages';
import { CANDIDATE_RECORDS_CHANGED, pollMessages } from '#core/sync/poll-window';
import type { OutgoingMessage } from '#core/webhooks/delivery';
import type { QueuePublisher } from '#core/ports/queue-publisher';

/**
 * `bridge reconcile candidate|job|contact <id…>`: queues each entity now, as the pollers would have
 * queued it on seeing it change (same message, grouping and origin `poll`, so the consumers apply
 * their ordinary rules, private candidates included), named for this run: delivery id
 * `reconcile:<run>` and deduplication id `reconcile:<entity key>:<run>`, so a second run is not
 * swallowed by SQS's five-minute deduplication of the first.
 */
export const RECONCILE_KINDS = ['candidate', 'job', 'contact'] as const;
export type ReconcileKind = (typeof RECONCILE_KINDS)[number];

export function reconcileMessages(kind: ReconcileKind, ids: readonly string[], runId: string, observedAt: string): OutgoingMessage[] {
  const unique = [...new Set(ids)];
  const deliveryId = `reconcile:${runId}`;
  const messages =
    kind === 'contact'
      ? unique.map((id) => beameryChangeMessage(id, { origin: 'poll', observedAt, deliveryId, pushRequested: false }))
      : // An operator's candidate reconcile reads everything: never taken for the echo of the bridge's own write.
        pollMessages(kind === 'job' ? 'jobs' : 'candidates', unique, { to: observedAt }, kind === 'candidate' ? CANDIDATE_RECORDS_CHANGED : undefined);
  return messages.map((message) => ({
    ...message,
    // SQS allows 128 characters; a long run id only narrows deduplication.
    deduplicationId: `reconcile:${message.envelope.entityKey}:${runId}`.slice(0, 128),
    envelope: { ...message.envelope, deliveryId },
  }));
}

/** Every id is checked (the builders throw on one that cannot be an id) before anything is queued. */
export async function reconcile(
  kind: ReconcileKind,
  ids: readonly string[],
  deps: { readonly publisher: QueuePublisher; readonly runId: string; readonly now: () => Date },
): Promise<{ readonly kind: ReconcileKind; readonly queued: number; readonly deliveryId: string; readonly entityKeys: readonly string[] }> {
  const messages = reconcileMessages(kind, ids, deps.runId, deps.now().toISOString());
  await deps.publisher.publish(messages);
  return { kind, queued: messages.length, deliveryId: `reconcile:${deps.runId}`, entityKeys: messages.map((m) => m.envelope.entityKey) };
}
