import { DEFAULT_BACKPRESSURE, queueCap, type BackpressurePolicy } from './backfill-plan.ts';

/**
 * How fast a queue drains, measured from the queue's own depth (visible and in flight) and nothing
 * else, for the backpressure of backfill-plan.ts `queueCap` (applied by
 * lambdas/adapters/queue/backpressure.ts).
 *
 * Between two looks, what left the queue is at least the fall of its depth: whatever was sent meanwhile
 * (accepted, or dropped by SQS as a duplicate of a deduplication id it saw within five minutes) and
 * whatever others sent only add to the depth. Counting only the falls therefore never overstates the
 * drain, whatever the deduplication did or who else publishes. Counting what a publisher sent instead
 * did: a resumed backfill sends the interrupted page again, SQS drops those repeats, the queue does not
 * grow, and the sends looked like a drain of hundreds a second, which opened the cap.
 *
 * The rate is the total fall over the last two horizons, divided by no less than one horizon: a fall
 * seen in the first milliseconds (a consumer deleting a batch right after the first look) is not a
 * rate of thousands a second. A publisher's first horizon therefore ramps up from the floor.
 */
export interface DrainTrack {
  /** Looks at the queue, oldest first: when, and the total fall of the depth until then. */
  readonly looks: readonly { readonly ms: number; readonly fallen: number }[];
  /** The depth at the last look. */
  readonly depth?: number;
}

export const NO_DRAIN_SEEN: DrainTrack = { looks: [] };

/** The track after a look at the queue's depth (visible and in flight) at `ms`. */
export function lookedAtDepth(track: DrainTrack, ms: number, depth: number, policy: BackpressurePolicy = DEFAULT_BACKPRESSURE): DrainTrack {
  const previous = track.looks.at(-1);
  const fallen = (previous?.fallen ?? 0) + (track.depth === undefined ? 0 : Math.max(0, track.depth - depth));
  const looks = [...track.looks, { ms, fallen }];
  // Two horizons of looks, and at least two looks.
  while (looks.length > 2 && ms - looks[0]!.ms > 2 * policy.horizonMs) looks.shift();
  return { looks, depth };
}

/** Messages per second that have certainly left the queue, over the track's looks. */
export function drainRate(track: DrainTrack, policy: BackpressurePolicy = DEFAULT_BACKPRESSURE): number {
  const first = track.looks[0];
  const last = track.looks.at(-1);
  if (first === undefined || last === undefined) return 0;
  return ((last.fallen - first.fallen) * 1000) / Math.max(last.ms - first.ms, policy.horizonMs);
}

/** How many more messages may go on the queue now: `queueCap` of the drain rate less the depth (≤ 0: none). */
export function roomOnQueue(track: DrainTrack, policy: BackpressurePolicy = DEFAULT_BACKPRESSURE): number {
  return queueCap(drainRate(track, policy), policy) - (track.depth ?? 0);
}
