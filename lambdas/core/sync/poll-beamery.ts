import { entityKey } from '#core/envelope';
import type { Clock } from '#core/clock';
import { BEAMERY_POLL_WATERMARK, beameryWindow, pollDecision, type BeameryWindowPolicy } from '#core/sync/beamery-poll';
import { beameryChangeMessage } from '#core/sync/beamery-messages';
import { PUBLISH_BATCH } from '#core/sync/poll-window';
import type { IdMapStore, LedgerStore } from '#core/sync/ports';
import type { BeameryApi } from '#core/ports/beamery-api';
import type { QueuePublisher } from '#core/ports/queue-publisher';
import type { OutgoingMessage } from '#core/webhooks/delivery';

/**
 * One run of the Beamery poller (`{ "poller": "beamery" }`, every 5 minutes by default): lists the
 * contacts Beamery updated since the watermark, enqueues those the bridge has business with
 * (lambdas/core/sync/beamery-poll.ts), then moves the watermark. A failure leaves the watermark,
 * and the next run lists the same time again; repeats dedupe in SQS by contact id and version.
 */
export interface BeameryPollDependencies {
  readonly beamery: Pick<BeameryApi, 'contactsUpdatedSince'>;
  readonly idMap: Pick<IdMapStore, 'byBeamery'>;
  readonly ledger: Pick<LedgerStore, 'getWatermark' | 'advanceWatermark'>;
  readonly publisher: QueuePublisher;
  readonly clock: Clock;
  /** The tag that asks for a push (config `beameryToGreenhouse.pushTag`); none = tags never push. */
  readonly pushTag?: string;
  readonly policy?: BeameryWindowPolicy;
}

export interface BeameryPollSummary {
  readonly poller: 'beamery';
  /** The window listed. */
  readonly window: { readonly from: string; readonly to: string };
  /** Contacts listed (distinct ids). */
  readonly listed: number;
  readonly queued: number;
  readonly pushRequests: number;
  /** The watermark after the run: the window's end. */
  readonly watermark: string;
}

export async function runBeameryPoll(deps: BeameryPollDependencies): Promise<BeameryPollSummary> {
  const watermark = await deps.ledger.getWatermark(BEAMERY_POLL_WATERMARK);
  const window = beameryWindow(watermark, deps.clock.now(), deps.policy);

  const seen = new Set<string>();
  let pending: OutgoingMessage[] = [];
  let queued = 0;
  let pushRequests = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    await deps.publisher.publish(pending);
    queued += pending.length;
    pending = [];
  };
  for await (const contact of deps.beamery.contactsUpdatedSince(window.from)) {
    if (seen.has(contact.id)) continue;
    seen.add(contact.id);
    const links = await deps.idMap.byBeamery(entityKey('beamery', 'contact', contact.id));
    const decision = pollDecision(contact, links.some((l) => l.status === 'active'), deps.pushTag);
    if (!decision.enqueue) continue;
    if (decision.pushRequested) pushRequests++;
    pending.push(
      beameryChangeMessage(contact.id, {
        origin: 'poll',
        // The listing reaches past `to`: a version newer than `to` must not count as covered by a
        // reconcile that read the contact before that version existed.
        observedAt: laterOf(window.to, contact.updatedAt),
        deliveryId: `poll:beamery:${window.to}`,
        pushRequested: decision.pushRequested,
        ...(contact.updatedAt !== undefined ? { sourceVersion: contact.updatedAt } : {}),
      }),
    );
    if (pending.length >= PUBLISH_BATCH) await flush();
  }
  await flush();
  // Only now: everything listed is on the queue.
  await deps.ledger.advanceWatermark(BEAMERY_POLL_WATERMARK, window.to);
  return { poller: 'beamery', window, listed: seen.size, queued, pushRequests, watermark: window.to };
}

function laterOf(iso: string, other: string | undefined): string {
  return other !== undefined && Date.parse(other) > Date.parse(iso) ? new Date(Date.parse(other)).toISOString() : iso;
}
