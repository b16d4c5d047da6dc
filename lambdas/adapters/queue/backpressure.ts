import type { Clock } from '#core/clock';
import type { QueueRoom } from '#core/ports/queue-room';
import { DEFAULT_BACKPRESSURE, type BackpressurePolicy } from '#core/sync/backfill-plan';
import { NO_DRAIN_SEEN, lookedAtDepth, roomOnQueue, type DrainTrack } from '#core/sync/queue-drain';

/**
 * Backpressure on greenhouse-changes for a publisher that can enqueue far more than the consumers can
 * reconcile within the rate limits: the backfill (backfill-runner.ts) and the window pollers
 * (lambdas/core/sync/poll-greenhouse.ts). It keeps the queue (visible and in flight) at no more than `queueCap`
 * of the drain rate, as backfill-plan.ts "Backpressure" explains.
 *
 * The drain rate comes from the queue's depth alone (core/sync/queue-drain.ts), never from what the
 * publisher sent: a send that SQS drops as a duplicate leaves the queue as it was, and counting it
 * would let a resumed backfill flood the queue.
 */
export interface QueueRoomOptions {
  /** Messages on the queue now, visible and in flight. */
  readonly queueDepth: () => Promise<number>;
  readonly clock: Clock;
  readonly policy?: BackpressurePolicy;
  /** Between looks at the queue depth while waiting for room. Default a second. */
  readonly depthPollMs?: number;
}

export function queueRoom(options: QueueRoomOptions): QueueRoom {
  const { clock } = options;
  const policy = options.policy ?? DEFAULT_BACKPRESSURE;
  const pollMs = options.depthPollMs ?? 1_000;
  let track: DrainTrack = NO_DRAIN_SEEN;

  async function waitForRoom(wait: { readonly signal?: AbortSignal; readonly deadlineMs?: number | undefined } = {}): Promise<number | undefined> {
    const { signal, deadlineMs } = wait;
    for (;;) {
      signal?.throwIfAborted();
      const depth = await options.queueDepth();
      const now = clock.now();
      track = lookedAtDepth(track, now, depth, policy);
      const room = roomOnQueue(track, policy);
      if (room > 0) return room;
      if (deadlineMs !== undefined && now >= deadlineMs) return undefined;
      await clock.sleep(deadlineMs === undefined ? pollMs : Math.min(pollMs, deadlineMs - now), signal);
    }
  }

  return { waitForRoom: waitForRoom as QueueRoom['waitForRoom'] };
}
