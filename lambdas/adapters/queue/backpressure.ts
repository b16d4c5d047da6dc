import type { Clock } from '#core/clock';
import { queueCap, DEFAULT_BACKPRESSURE, type BackpressurePolicy } from '#core/sync/backfill-plan';

/**
 * Backpressure on greenhouse-changes for a publisher that can enqueue far more than the consumers can
 * reconcile within the rate limits: the backfill (backfill-runner.ts) and the window pollers
 * (make-greenhouse-poller.ts). It keeps the queue (visible and in flight) at no more than `queueCap`
 * of the drain rate it measures, as backfill-plan.ts "Backpressure" explains: every receive handed
 * back for a rate limit counts towards the dead-letter threshold.
 *
 * The drain rate is measured from this publisher's own messages: `published - depth` is how many of
 * them have left the queue, sampled at each look at the depth.
 */
export interface QueueRoomOptions {
  /** Messages on the queue now, visible and in flight. */
  readonly queueDepth: () => Promise<number>;
  readonly clock: Clock;
  readonly policy?: BackpressurePolicy;
  /** Between looks at the queue depth while waiting for room. Default a second. */
  readonly depthPollMs?: number;
}

export interface QueueRoom {
  /** Waits until the queue has room and says how much (at least 1). */
  waitForRoom(options?: { readonly signal?: AbortSignal }): Promise<number>;
  /** The same, but gives up at `deadlineMs` (the clock's epoch ms): undefined when the deadline came first. */
  waitForRoom(options: { readonly signal?: AbortSignal; readonly deadlineMs: number | undefined }): Promise<number | undefined>;
  /** Counts messages this publisher has just put on the queue. */
  published(count: number): void;
}

export function queueRoom(options: QueueRoomOptions): QueueRoom {
  const { clock } = options;
  const horizonMs = (options.policy ?? DEFAULT_BACKPRESSURE).horizonMs;
  const pollMs = options.depthPollMs ?? 1_000;
  // Messages published, and samples of (time, published - depth) = drained.
  let published = 0;
  const samples: { ms: number; drained: number }[] = [];

  async function waitForRoom(wait: { readonly signal?: AbortSignal; readonly deadlineMs?: number | undefined } = {}): Promise<number | undefined> {
    const { signal, deadlineMs } = wait;
    for (;;) {
      signal?.throwIfAborted();
      const depth = await options.queueDepth();
      const now = clock.now();
      samples.push({ ms: now, drained: Math.max(0, published - depth) });
      // The drain rate over the last minute (two horizons) of samples.
      while (samples.length > 2 && now - samples[0]!.ms > 2 * horizonMs) samples.shift();
      const first = samples[0]!;
      const rate = now > first.ms ? ((samples.at(-1)!.drained - first.drained) * 1000) / (now - first.ms) : 0;
      const room = queueCap(rate, options.policy) - depth;
      if (room > 0) return room;
      if (deadlineMs !== undefined && now >= deadlineMs) return undefined;
      await clock.sleep(deadlineMs === undefined ? pollMs : Math.min(pollMs, deadlineMs - now), signal);
    }
  }

  return {
    waitForRoom: waitForRoom as QueueRoom['waitForRoom'],
    published: (count) => void (published += count),
  };
}
