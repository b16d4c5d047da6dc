import { isoNow, type Clock } from '#core/clock';
import { ENVELOPE_VERSION, entityKey } from '#core/envelope';
import type { OutgoingMessage } from '#core/webhooks/delivery';
import type { LedgerStore, Link } from './ports.ts';

/**
 * The deletions sweep (`{ "poller": "deletions" }`, daily by default). Greenhouse announces a hard
 * delete only by webhook (`delete_candidate`, `job_deleted`), and no v3 list shows deleted records, so
 * a missed webhook would leave the link active forever. The sweep reads every active candidate and
 * job link in the IdMap, asks Greenhouse for those ids with `ids=` (at most 50 a request [H]), asks
 * again for the ids that were missing (a record that is only briefly absent, or a page that raced a
 * write, is not taken for a deletion), and enqueues what is still missing on greenhouse-changes as the
 * webhook would have: a `delete_candidate` with its `person.id`, handled by candidate-lifecycle.ts, and
 * a job change, which reconcile-job.ts reads again and closes as `job-not-found`.
 *
 * Low priority. Its calls are bulk traffic in the shared rate budget (lambdas/core/rate/budget.ts:
 * they never take the live reserve), and it also paces itself: at least `paceMs` between its requests
 * and at most `maxRequests` a run, so one run never fills what a backfill may need. A run that
 * reaches its cap keeps a cursor (the IdMap key after the last page it finished,
 * in a Ledger sync-state item) and the next run continues there; a run that reaches the end clears it.
 *
 * A merged-away candidate whose `merge_candidate` webhook was also missed is absent too, and is taken
 * for a deletion: Harvest v3 offers no read of a merge's loser, so the two cannot be told apart here.
 */

export const DELETION_SWEEP_BATCH = 50;
/** Requests a run may make: with the default pace about 200 s, within the poller's timeout. */
export const DEFAULT_SWEEP_MAX_REQUESTS = 500;
/** Between two of the sweep's requests: at most 2.5 a second, a fraction of Greenhouse's allowance. */
export const DEFAULT_SWEEP_PACE_MS = 400;

/** Where the sweep keeps its place between runs (a Ledger sync-state item of its own). */
export const SWEEP_CURSOR_KEY = 'sweep#greenhouse-deletions';
const CURSOR = 'cursor';

export type SweptType = 'candidate' | 'job';
export const SWEPT_PREFIXES: Readonly<Record<SweptType, string>> = {
  candidate: 'greenhouse#candidate#',
  job: 'greenhouse#job#',
};

export interface LinkPage {
  readonly links: readonly Link[];
  /** The key to start after for the next page; undefined on the last page. */
  readonly next?: string;
}

export interface SweepDependencies {
  /** Active links whose Greenhouse key starts with one of `prefixes`, page by page from `startAfter`. */
  readonly links: (prefixes: readonly string[], startAfter?: string) => AsyncIterable<LinkPage>;
  /** The ids among `ids` (at most 50) that Greenhouse still has. */
  readonly existing: (type: SweptType, ids: readonly number[]) => Promise<ReadonlySet<number>>;
  readonly publish: (messages: OutgoingMessage[]) => Promise<void>;
  readonly ledger: Pick<LedgerStore, 'getSyncState' | 'putSyncState'>;
  /** Its sleep paces the requests. */
  readonly clock: Clock;
}

export interface SweepOptions {
  readonly maxRequests?: number;
  readonly paceMs?: number;
}

export interface SweepSummary {
  readonly poller: 'deletions';
  readonly checked: number;
  readonly requests: number;
  readonly candidatesDeleted: number;
  readonly jobsDeleted: number;
  /** False when the run stopped at its request cap; the next run continues from the cursor. */
  readonly complete: boolean;
}

export async function sweepDeletions(deps: SweepDependencies, options: SweepOptions = {}): Promise<SweepSummary> {
  const maxRequests = options.maxRequests ?? DEFAULT_SWEEP_MAX_REQUESTS;
  const paceMs = options.paceMs ?? DEFAULT_SWEEP_PACE_MS;
  const state = await deps.ledger.getSyncState(SWEEP_CURSOR_KEY);
  const startAfter = state?.fieldHashes[CURSOR] || undefined;
  let requests = 0;
  let lastRequestAt: number | undefined;
  const counts = { checked: 0, candidate: 0, job: 0 };

  const request = async (type: SweptType, ids: readonly number[]): Promise<ReadonlySet<number>> => {
    if (lastRequestAt !== undefined) {
      const wait = lastRequestAt + paceMs - deps.clock.now();
      if (wait > 0) await deps.clock.sleep(wait);
    }
    requests++;
    lastRequestAt = deps.clock.now();
    return deps.existing(type, ids);
  };

  /** Ids Greenhouse lacks on two reads in a row. */
  const confirmedAbsent = async (type: SweptType, ids: readonly number[]): Promise<number[]> => {
    const present = await request(type, ids);
    const missing = ids.filter((id) => !present.has(id));
    if (missing.length === 0) return [];
    const again = await request(type, missing);
    return missing.filter((id) => !again.has(id));
  };

  const saveCursor = async (cursor: string) => {
    const current = await deps.ledger.getSyncState(SWEEP_CURSOR_KEY);
    await deps.ledger.putSyncState({
      entityKey: SWEEP_CURSOR_KEY,
      fieldHashes: { [CURSOR]: cursor },
      reconciledAt: isoNow(deps.clock),
      revision: current?.revision ?? 0,
    });
  };

  for await (const page of deps.links(Object.values(SWEPT_PREFIXES), startAfter)) {
    const byType: Record<SweptType, number[]> = { candidate: [], job: [] };
    for (const link of page.links) {
      const type = sweptType(link.greenhouseKey);
      if (type) byType[type].push(Number(link.greenhouseKey.slice(SWEPT_PREFIXES[type].length)));
    }
    // Each batch costs up to two requests; a page is finished whole or left to the next run.
    const batches = (['candidate', 'job'] as const).flatMap((type) => chunk(byType[type], DELETION_SWEEP_BATCH).map((ids) => ({ type, ids })));
    if (requests + 2 * batches.length > maxRequests && requests > 0) return { ...summary(), complete: false };
    for (const { type, ids } of batches) {
      const gone = await confirmedAbsent(type, ids);
      if (gone.length > 0) await deps.publish(gone.map((id) => deletionMessage(type, id, deps.clock)));
      counts.checked += ids.length;
      counts[type] += gone.length;
    }
    await saveCursor(page.next ?? '');
  }
  return { ...summary(), complete: true };

  function summary(): Omit<SweepSummary, 'complete'> {
    return { poller: 'deletions', checked: counts.checked, requests, candidatesDeleted: counts.candidate, jobsDeleted: counts.job };
  }
}

function sweptType(greenhouseKey: string): SweptType | undefined {
  for (const type of ['candidate', 'job'] as const) {
    if (greenhouseKey.startsWith(SWEPT_PREFIXES[type]) && /^[1-9]\d*$/.test(greenhouseKey.slice(SWEPT_PREFIXES[type].length))) return type;
  }
  return undefined;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * What the missed webhook would have put on greenhouse-changes: `delete_candidate` with the payload
 * the lifecycle handler reads, or a job change that reconcile-job.ts reads again (and finds gone).
 * One deduplication id per entity and day: a retried run sends nothing new.
 */
export function deletionMessage(type: SweptType, id: number, clock: Clock): OutgoingMessage {
  const key = entityKey('greenhouse', type, String(id));
  const observedAt = isoNow(clock);
  const day = observedAt.slice(0, 10);
  return {
    queue: 'greenhouse-changes',
    deadLetter: false,
    groupId: key,
    deduplicationId: `sweep:deletions:${key}:${day}`,
    envelope: {
      v: ENVELOPE_VERSION,
      kind: 'greenhouse.event',
      entityKey: key,
      origin: 'poll',
      observedAt,
      deliveryId: `sweep:deletions:${day}`,
      ...(type === 'candidate'
        ? { action: 'delete_candidate', refs: { candidateId: String(id) }, payload: { person: { id } } }
        : { action: 'job_updated', refs: { jobIds: [String(id)] } }),
    },
  };
}
