import { normaliseTagName } from '#core/mapping/contact';
import type { BeameryContact } from '#core/beamery/records';

/**
 * The pure core of the Beamery poller. Beamery publishes no webhooks: every few minutes the poller
 * lists the contacts updated since its watermark and enqueues the ones the bridge has business with on
 * beamery-changes.fifo. Like the Greenhouse pollers it only detects; the beamery-changes consumer reads
 * each contact and reconciles.
 *
 * Beamery's listing is one-sided (`updated_at >= since`, docs/beamery-assumptions.md), so a window
 * cannot be bounded above in the API: each run lists from `from` (the watermark less the overlap) to
 * the present, and the watermark becomes the window's `to` once everything listed is on the queue.
 * A contact updated after `to` is simply found again next time, and SQS drops the repeat (the
 * deduplication id carries the contact's `updatedAt`).
 */

/** The Ledger watermark of the Beamery poller. */
export const BEAMERY_POLL_WATERMARK = 'beamery-contacts';

const MINUTE = 60_000;

/** Windows of the Beamery poller (see beameryWindow). */
export interface BeameryWindowPolicy {
  /** How far before the watermark each run lists again (Beamery's `updatedAt` precision and lag are unknown). */
  readonly overlapMs: number;
  /** How far back a first run (no watermark yet) lists. */
  readonly firstRunLookbackMs: number;
}

export const BEAMERY_WINDOW_POLICY: BeameryWindowPolicy = { overlapMs: 2 * MINUTE, firstRunLookbackMs: 10 * MINUTE };

/**
 * The window of one run: from the watermark less the overlap (or the lookback on a first run) to now.
 * Unlike the Greenhouse pollers' windows it is neither aligned nor bounded: the listing cannot be
 * bounded above anyway, and the deduplication ids carry each contact's version rather than the
 * window, so two runs need not agree on one; a run right after another still lists what changed.
 */
export function beameryWindow(watermark: string | undefined, now: number, policy: BeameryWindowPolicy = BEAMERY_WINDOW_POLICY): { from: string; to: string } {
  if (!Number.isFinite(now)) throw new RangeError('now must be a finite epoch time');
  const mark = watermark === undefined ? undefined : Date.parse(watermark);
  if (mark !== undefined && Number.isNaN(mark)) throw new RangeError(`not an ISO instant: ${JSON.stringify(watermark)}`);
  const from = mark === undefined ? now - policy.firstRunLookbackMs : Math.min(mark, now) - policy.overlapMs;
  return { from: new Date(from).toISOString(), to: new Date(now).toISOString() };
}

/** The default push tag: the name Beamery automation recipes set to ask for a push (seed way 3). */
export const DEFAULT_PUSH_TAG = 'Add to Greenhouse';

/** True when the contact carries the push tag (compared as tag names are: trimmed, case-insensitive). */
export function hasPushTag(contact: Pick<BeameryContact, 'tags'>, pushTag: string | undefined): boolean {
  if (pushTag === undefined || pushTag.trim() === '') return false;
  const wanted = normaliseTagName(pushTag);
  return contact.tags.some((tag) => tag.label !== undefined && normaliseTagName(tag.label) === wanted);
}

export type PollDecision = { readonly enqueue: false } | { readonly enqueue: true; readonly pushRequested: boolean };

/**
 * Whether a listed contact goes on the queue. Linked contacts sync automatically (seed way 4); a
 * contact carrying the push tag is a push request (way 3); every other contact was never pushed and
 * nobody asked: it is none of the bridge's business (Beamery contacts are not exported by default).
 * A contact is linked when the IdMap says so, or when it carries a Greenhouse id (written by us or by
 * Beamery's native integration before the bridge took over).
 */
export function pollDecision(contact: Pick<BeameryContact, 'tags' | 'greenhouseCandidateId'>, linked: boolean, pushTag: string | undefined): PollDecision {
  const pushRequested = hasPushTag(contact, pushTag);
  if (linked || contact.greenhouseCandidateId !== undefined || pushRequested) return { enqueue: true, pushRequested };
  return { enqueue: false };
}
