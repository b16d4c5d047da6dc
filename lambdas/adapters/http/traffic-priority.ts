import { AsyncLocalStorage } from 'node:async_hooks';
import type { TrafficPriority } from '#core/rate/budget';
import type { Origin } from '#core/envelope';

/**
 * The priority of the API calls made inside `fn`, carried through every await without passing it
 * down each API method: the queue shell sets it per message, the scheduled runs per run, and the
 * shared rate budget reads it (core/rate/budget.ts: bulk traffic leaves each window's live reserve free).
 */
const priority = new AsyncLocalStorage<TrafficPriority>();

export function withPriority<T>(traffic: TrafficPriority, fn: () => T): T {
  return priority.run(traffic, fn);
}

/** Live unless a caller said otherwise: an unmarked call is never held back behind a backfill. */
export function currentPriority(): TrafficPriority {
  return priority.getStore() ?? 'live';
}

/** A backfill's messages are bulk; webhooks, pushes and polls are someone waiting. */
export function priorityOfOrigin(origin: Origin): TrafficPriority {
  return origin === 'backfill' ? 'bulk' : 'live';
}
