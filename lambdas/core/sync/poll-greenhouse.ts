import type * as z from '#core/zod-mini';
import type { Clock } from '#core/clock';
import { between } from '#core/greenhouse/time-window';
import type { ResourceName, ResourceOf } from '#core/greenhouse/records';
import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import type { QueuePublisher } from '#core/ports/queue-publisher';
import type { QueueRoom } from '#core/ports/queue-room';
import type { LedgerStore } from '#core/sync/ports';
import {
  CANDIDATE_RECORDS_CHANGED,
  DEFAULT_WINDOW_POLICY,
  POLLERS,
  PUBLISH_BATCH,
  checkWindowPolicy,
  nextWindow,
  pollMessages,
  type PollWindow,
  type PollerName,
  type WindowPolicy,
  type pollerEventSchema,
} from '#core/sync/poll-window';

/**
 * One run of a Greenhouse window poller (`{ "poller": "jobs" | "candidates" | "scorecards" | "profiles" }`): lists
 * what Greenhouse updated since the poller's watermark, enqueues one message per entity, and only then
 * moves the watermark (poll-window.ts says how windows are cut). A failure leaves the watermark and
 * the next run lists the same time again; the messages already sent dedupe in SQS or coalesce in the
 * consumer.
 *
 * Backpressure. With `backpressure`, the pollers that publish to greenhouse-changes keep no more work
 * on it than the backfill does (backfill-plan.ts "Backpressure"): a bulk change in Greenhouse (a
 * thousand candidates tagged at once, which fires no webhook) would otherwise fill the queue beyond
 * what the rate limits let the consumer reconcile, and healthy messages would reach the dead-letter
 * threshold. Each batch waits for room and publishes at most the room. A run whose budget runs out
 * while waiting stops: the watermark stays and the window's end is kept (`pinnedEndKey`), and the
 * next run lists that same window again (what it repeats carries the same observedAt, which the
 * consumer has covered) before the time after it.
 */

/** Windows one invocation works through when catching up after an outage (a week at the default 24 h). */
const DEFAULT_MAX_WINDOWS_PER_RUN = 7;

export type PollerGreenhouse = Pick<GreenhouseApi, 'list' | 'listUsers'>;

/**
 * Where a poller looks, each listing filtered by the same `updated_at` window and each record naming
 * the entity to reconcile. Every v3 list endpoint takes `updated_at` [H] (reference §2); child records
 * are listed because a change to them need not touch their parent's `updated_at`.
 */
interface Source {
  readonly resource: ResourceName;
  ids(greenhouse: PollerGreenhouse, updatedAt: string): AsyncIterable<number | null | undefined>;
  /** The action of what this listing finds, when not the poller's own (see CANDIDATE_RECORDS_CHANGED). */
  readonly action?: string;
}

function source<K extends ResourceName>(resource: K, idOf: (record: ResourceOf<K>) => number | null | undefined, action?: string): Source {
  return {
    resource,
    async *ids(greenhouse, updatedAt) {
      for await (const record of greenhouse.list(resource, { updated_at: updatedAt })) yield idOf(record);
    },
    ...(action ? { action } : {}),
  };
}

const POLLER_SOURCES: Readonly<Record<PollerName, readonly Source[]>> = {
  // The vacancy mapping reads the job and its interview stages (reference §4.4).
  jobs: [source('jobs', (j) => j.id), source('job_interview_stages', (s) => s.job_id)],
  // A candidate's applications (stage moves, rejections, bulk actions), notes, attachments and applied
  // tags (bulk tagging fires no webhook; seed: "Bulk tags"), then the candidate itself. The child
  // records come first: a candidate found there is reconciled in full even if its own record changed
  // too, where a candidate found only by its own `updated_at` may be the echo of the bridge's write.
  candidates: [
    source('applications', (a) => a.candidate_id, CANDIDATE_RECORDS_CHANGED),
    source('notes', (n) => n.candidate_id, CANDIDATE_RECORDS_CHANGED),
    source('attachments', (a) => a.candidate_id, CANDIDATE_RECORDS_CHANGED),
    source('applied_candidate_tags', (t) => t.candidate_id, CANDIDATE_RECORDS_CHANGED),
    source('candidates', (c) => c.id),
  ],
  // A submitted or edited scorecard moves its own updated_at only.
  scorecards: [source('scorecards', (s) => s.application_id)],
  // What rediscovery's profile of a candidate is built from: their own record (fields, last activity),
  // a new resume, their applications (status and last activity are the index's metadata) and applied
  // tags, which a bulk tagging adds without touching the candidate's updated_at. All one action: the
  // consumer rebuilds the profile and re-embeds only when its hash changed.
  profiles: [
    source('candidates', (c) => c.id),
    source('attachments', (a) => a.candidate_id),
    source('applications', (a) => a.candidate_id),
    source('applied_candidate_tags', (t) => t.candidate_id),
  ],
};

export interface PolledWindow extends PollWindow {
  /** Distinct entities found. */
  readonly found: number;
}

export interface PollRunSummary {
  readonly poller: PollerName;
  /** The windows completed, each enqueued and checkpointed. */
  readonly windows: readonly PolledWindow[];
  /** The watermark after the run. */
  readonly watermark: string | undefined;
  readonly caughtUp: boolean;
  /** The run stopped waiting for room on greenhouse-changes (backpressure); the next run continues. */
  readonly backpressured?: true;
}

/** Backpressure on greenhouse-changes for the runs of the pollers that publish there. */
export interface PollBackpressure {
  /** Room on greenhouse-changes for one run (a fresh view of the drain each run). */
  readonly room: () => QueueRoom;
  /** How long a run may last, from its start, before it stops waiting for room (POLL_BACKPRESSURE_BUDGET_MS). */
  readonly budgetMs: number;
}

/** What a run reports as it goes, so what it did before a failure is still counted. */
export type PollProgress =
  /** Also the rediscovery run's (rediscovery-run.ts): it publishes in batches too. */
  | { readonly kind: 'queued'; readonly poller: PollerName | 'rediscovery'; readonly messages: number }
  | { readonly kind: 'window-done'; readonly poller: PollerName; readonly window: PolledWindow }
  | {
      readonly kind: 'window-unfinished';
      readonly poller: PollerName;
      readonly window: PollWindow;
      readonly found: number;
      readonly queued: number;
      /** Windows the run completed before this one. */
      readonly windows: number;
      readonly budgetMs: number | undefined;
    };

export interface PollGreenhouseDependencies {
  readonly greenhouse: PollerGreenhouse;
  readonly ledger: Pick<LedgerStore, 'getWatermark' | 'advanceWatermark'>;
  readonly publisher: QueuePublisher;
  readonly clock: Clock;
  /** Defaults for what the event does not set. */
  readonly policy?: Partial<WindowPolicy>;
  /** Without it every batch is published at once; the scorecards and profiles pollers (ai-tasks) never wait. */
  readonly backpressure?: PollBackpressure;
  readonly progress?: (event: PollProgress) => void;
}

export type PollerRunEvent = z.infer<typeof pollerEventSchema>;

function windowPolicyOf(event: PollerRunEvent, defaults: Partial<WindowPolicy> = {}): WindowPolicy {
  const base = { ...DEFAULT_WINDOW_POLICY, ...defaults };
  const w = event.window ?? {};
  const ms = (value: number | undefined, fallback: number) => (value === undefined ? fallback : value * 1000);
  return checkWindowPolicy({
    overlapMs: ms(w.overlapSeconds, base.overlapMs),
    maxWindowMs: ms(w.maxWindowSeconds, base.maxWindowMs),
    firstRunLookbackMs: ms(w.firstRunLookbackSeconds, base.firstRunLookbackMs),
    alignMs: ms(w.alignSeconds, base.alignMs),
  });
}

/** Where the end of a window left unfinished by backpressure is kept (a Ledger watermark of its own). */
export const pinnedEndKey = (watermarkKey: string) => `${watermarkKey}#unfinished-window-end`;

/** Where a run publishing to greenhouse-changes stands with backpressure. */
interface RunRoom {
  readonly queue: QueueRoom;
  readonly deadlineMs: number;
}

interface WindowOutcome {
  /** Distinct entities found (so far, when the window did not complete). */
  readonly found: number;
  /** Messages published for the window. */
  readonly queued: number;
  /** False when the run's budget ran out waiting for room before the window was all on the queue. */
  readonly complete: boolean;
}

/**
 * Lists every source of one window and enqueues what it finds, in batches, as it goes; with `room`,
 * each batch waits for room on the queue and is at most that.
 */
async function pollWindow(deps: PollGreenhouseDependencies, poller: PollerName, window: PollWindow, room: RunRoom | undefined): Promise<WindowOutcome> {
  const updatedAt = between(window.from, window.to);
  const seen = new Set<number>();
  let pending: { readonly id: number; readonly action: string | undefined }[] = [];
  let queued = 0;
  /** False when the deadline passed before there was room. */
  const flush = async (): Promise<boolean> => {
    while (pending.length > 0) {
      const size = room ? await room.queue.waitForRoom({ deadlineMs: room.deadlineMs }) : PUBLISH_BATCH;
      if (size === undefined) return false;
      const batch = pending.slice(0, Math.min(PUBLISH_BATCH, size));
      const messages = [...Map.groupBy(batch, (p) => p.action)].flatMap(([action, found]) => pollMessages(poller, found.map((p) => p.id), window, action));
      await deps.publisher.publish(messages);
      pending = pending.slice(batch.length);
      queued += messages.length;
      deps.progress?.({ kind: 'queued', poller, messages: messages.length });
    }
    return true;
  };
  for (const listing of POLLER_SOURCES[poller]) {
    for await (const id of listing.ids(deps.greenhouse, updatedAt)) {
      if (id === null || id === undefined || seen.has(id)) continue;
      seen.add(id);
      pending.push({ id, action: listing.action });
      if (pending.length >= PUBLISH_BATCH && !(await flush())) return { found: seen.size, queued, complete: false };
    }
  }
  return { found: seen.size, queued, complete: await flush() };
}

/** Backpressure for a run starting now, when the poller publishes to greenhouse-changes. */
function roomFor(deps: PollGreenhouseDependencies, poller: PollerName): RunRoom | undefined {
  const settings = deps.backpressure;
  if (settings === undefined || POLLERS[poller].queue !== 'greenhouse-changes') return undefined;
  return { queue: settings.room(), deadlineMs: deps.clock.now() + settings.budgetMs };
}

export async function pollGreenhouse(deps: PollGreenhouseDependencies, event: PollerRunEvent & { poller: PollerName }): Promise<PollRunSummary> {
  const { poller } = event;
  const { watermarkKey } = POLLERS[poller];
  const policy = windowPolicyOf(event, deps.policy);
  const maxWindows = event.maxWindowsPerRun ?? DEFAULT_MAX_WINDOWS_PER_RUN;
  const windows: PolledWindow[] = [];
  const room = roomFor(deps, poller);
  let watermark = await deps.ledger.getWatermark(watermarkKey);
  // The end of a window a backpressured run left unfinished: this run lists that same window again,
  // so what it sends again carries the same observedAt, which the consumer already covered (it
  // skips those messages on a Ledger read), and the run gets further into the window each time.
  const pinned = await deps.ledger.getWatermark(pinnedEndKey(watermarkKey));
  let pinnedEnd = pinned !== undefined && (watermark === undefined || pinned > watermark) ? Date.parse(pinned) : undefined;
  let caughtUp = false;
  while (windows.length < maxWindows) {
    const window = nextWindow(watermark, pinnedEnd ?? deps.clock.now(), policy);
    if (window === undefined) {
      caughtUp = true;
      break;
    }
    const wasPinned = pinnedEnd !== undefined;
    pinnedEnd = undefined;
    const { found, queued, complete } = await pollWindow(deps, poller, window, room);
    if (!complete) {
      await deps.ledger.advanceWatermark(pinnedEndKey(watermarkKey), window.to);
      deps.progress?.({ kind: 'window-unfinished', poller, window, found, queued, windows: windows.length, budgetMs: deps.backpressure?.budgetMs });
      return { poller, windows, watermark, caughtUp: false, backpressured: true };
    }
    // Only now: everything the window holds is on the queue.
    await deps.ledger.advanceWatermark(watermarkKey, window.to);
    watermark = window.to;
    const done = { ...window, found };
    windows.push(done);
    deps.progress?.({ kind: 'window-done', poller, window: done });
    // A pinned window ends in the past: the time after it is due in this run too.
    if (window.caughtUp && !wasPinned) {
      caughtUp = true;
      break;
    }
  }
  return { poller, windows, watermark, caughtUp };
}
