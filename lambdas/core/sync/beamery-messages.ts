import { ENVELOPE_VERSION, entityKey } from '#core/envelope';
import type { OutgoingMessage } from '#core/webhooks/delivery';

/**
 * Messages for beamery-changes.fifo: one `beamery.change` per contact, grouped by contact (per-entity
 * order), from the Beamery poller or a push request. Like every bridge message it says only "contact
 * X may have changed"; the consumer reads the contact.
 *
 * Deduplication ids:
 * - poll: the contact id and the `updatedAt` the poller saw, so overlapping windows that find the same
 *   version again are dropped by SQS;
 * - push: the contact id and the request's id, so a client retrying one request enqueues once, while
 *   a second click later is a new request.
 */

/**
 * What the bridge accepts as a Beamery contact id. Beamery's are 20 hex characters in every example
 * (ASSUMED, docs/beamery-assumptions.md); accepting any short URL-safe token keeps a tenant with
 * another format working, while refusing what could not be an id (spaces, slashes, emails).
 */
export const BEAMERY_CONTACT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The most contact ids one push request may carry (bulk "Add to Greenhouse"). */
export const MAX_PUSH_CONTACTS = 500;

export interface BeameryChangeOptions {
  readonly origin: 'poll' | 'push';
  readonly observedAt: string;
  /** The poll window's end or the push request's id: names the batch in logs and Audit. */
  readonly deliveryId: string;
  readonly pushRequested: boolean;
  /** The contact's `updatedAt` as the poller saw it (poll messages). */
  readonly sourceVersion?: string;
}

export function beameryChangeMessage(contactId: string, options: BeameryChangeOptions): OutgoingMessage {
  if (!BEAMERY_CONTACT_ID.test(contactId)) throw new RangeError(`not a Beamery contact id: ${JSON.stringify(contactId)}`);
  const key = entityKey('beamery', 'contact', contactId);
  const deduplicationId =
    options.origin === 'poll'
      ? `poll:beamery:${contactId}:${options.sourceVersion ?? options.observedAt}`
      : `push:${contactId}:${options.deliveryId}`;
  return {
    queue: 'beamery-changes',
    deadLetter: false,
    groupId: key,
    // SQS allows 128 characters; a long request id is cut, which only narrows deduplication.
    deduplicationId: deduplicationId.slice(0, 128),
    envelope: {
      v: ENVELOPE_VERSION,
      kind: 'beamery.change',
      entityKey: key,
      origin: options.origin,
      observedAt: options.observedAt,
      deliveryId: options.deliveryId,
      pushRequested: options.pushRequested,
      ...(options.sourceVersion !== undefined ? { sourceVersion: options.sourceVersion } : {}),
    },
  };
}

/**
 * A push request's contact ids, checked: 1 to MAX_PUSH_CONTACTS valid ids, duplicates dropped (order
 * kept). Returns the reason instead when the list cannot be accepted, for a 400 answer.
 */
export function pushContactIds(ids: readonly unknown[]): { ok: true; ids: string[] } | { ok: false; reason: string } {
  if (ids.length === 0) return { ok: false, reason: 'no contact ids' };
  if (ids.length > MAX_PUSH_CONTACTS) return { ok: false, reason: `at most ${MAX_PUSH_CONTACTS} contact ids per request` };
  const bad = ids.filter((id) => typeof id !== 'string' || !BEAMERY_CONTACT_ID.test(id));
  if (bad.length > 0) return { ok: false, reason: `${bad.length} of the ids are not Beamery contact ids` };
  return { ok: true, ids: [...new Set(ids as string[])] };
}
