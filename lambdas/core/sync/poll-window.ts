import * as z from '#core/zod-mini';
import { ENVELOPE_VERSION, entityKey, type Refs } from '#core/envelope';
import type { OutgoingMessage } from '#core/webhooks/delivery';
import type { QueueId } from '#core/queues';

/**
 * The pure core of the scheduled Greenhouse pollers (DESIGN "Shape": EventBridge Scheduler → poller
 * λs → detect change → the same queues). A poller only *detects*: it lists what was updated in a
 * time window and enqueues "entity X may have changed" for each id, exactly like a webhook would;
 * the greenhouse-changes consumer reconciles (principles 1 and 2).
 *
 * Windows (reference greenhouse §2, §7):
 * - two-sided, `updated_at=gte|from|lte|to`: v3 lists newest id first, so a one-sided window lets
 *   records move between pages during a crawl;
 * - each window starts `overlap` before the stored watermark, so a record whose `updated_at` became
 *   visible late (clock skew, replication) is still found by the next window;
 * - at most `maxWindow` long: after an outage the poller catches up one bounded window at a time,
 *   each checkpointed, instead of one crawl that may never finish;
 * - the end is aligned down to `align` (a minute by default), so two invocations of one schedule
 *   tick (Scheduler delivers at least once) compute the same window and the same deduplication ids;
 * - the watermark becomes `to` only after the whole window is listed and enqueued: a failure in
 *   between leaves it, and the next run covers the same time again.
 */

export const POLLER_NAMES = ['jobs', 'candidates', 'scorecards', 'profiles'] as const;
export type PollerName = (typeof POLLER_NAMES)[number];

/**
 * What the poller Lambda's schedules run: the Greenhouse window pollers above, the hourly users
 * reference sync (reference-users.ts), which reads every user each time, the Beamery contacts poller
 * (beamery-poll.ts), which keeps its own window policy, and two daily runs without a window: the
 * deletions sweep (deletion-sweep.ts) and candidate rediscovery's matching (rediscovery-run.ts).
 */
export const SCHEDULED_RUNS = [...POLLER_NAMES, 'users', 'beamery', 'deletions', 'rediscovery'] as const;
export type ScheduledRun = (typeof SCHEDULED_RUNS)[number];

/** The Greenhouse window pollers take the window policy in their input; the other runs have no window, or their own. */
export function isWindowPoller(run: ScheduledRun): run is PollerName {
  return (POLLER_NAMES as readonly string[]).includes(run);
}

/**
 * The runs that only feed candidate rediscovery (`ai.rediscovery`): the `profiles` poller keeps its
 * index in step, the `rediscovery` run asks for matches. Their schedules are deployed disabled while
 * rediscovery is off (lib/constructs/schedules.ts).
 */
export const REDISCOVERY_RUNS = ['profiles', 'rediscovery'] as const satisfies readonly ScheduledRun[];

/** How often each run is scheduled by default, in minutes (the deployed schedules and the local stack). */
export const DEFAULT_SCHEDULE_MINUTES: Readonly<Record<ScheduledRun, number>> = {
  jobs: 60,
  candidates: 60,
  scorecards: 60,
  profiles: 60,
  users: 60,
  beamery: 5,
  deletions: 24 * 60,
  rediscovery: 24 * 60,
};

/** The poller Lambda's timeout (lib/constructs/schedules.ts): up to a week of catch-up windows in one run. */
export const POLLER_TIMEOUT_SECONDS = 300;

/**
 * How long a window poller's run may take before it stops waiting for room on greenhouse-changes
 * (poll-greenhouse.ts, backpressure): the Lambda's timeout less a minute, so the run ends on its
 * own, with its metric and summary, rather than timed out.
 */
export const POLL_BACKPRESSURE_BUDGET_MS = (POLLER_TIMEOUT_SECONDS - 60) * 1000;

export interface PollerDefinition {
  /** The Ledger watermark this poller keeps. */
  readonly watermarkKey: string;
  /** The entity type in `greenhouse#<type>#<id>`. */
  readonly entity: 'job' | 'candidate' | 'application';
  /**
   * The action the consumer already handles for this entity: a webhook's, or a poll's own:
   * `scorecards_changed` (Greenhouse has no scorecard webhook) and CANDIDATE_PROFILE_CHANGED.
   */
  readonly action: 'job_updated' | 'update_candidate' | 'scorecards_changed' | typeof CANDIDATE_PROFILE_CHANGED;
  readonly queue: QueueId;
  readonly refs: (id: string) => Refs;
}

/**
 * The action of a candidate message that may concern more than the candidate's own fields (a note,
 * an application, an attachment or a tag found changed, or an operator's reconcile): the consumer
 * reads everything, never taking it for the echo of its own write (reconcile-candidate.ts), which
 * only an `update_candidate` can be.
 */
export const CANDIDATE_RECORDS_CHANGED = 'candidate_records_changed';

/**
 * The `profiles` poller's action on ai-tasks.fifo: the candidate's profile as rediscovery indexes it
 * (their fields, tags, resume, applications) may have changed; the consumer re-embeds it only when its
 * minimised text's hash changed.
 */
export const CANDIDATE_PROFILE_CHANGED = 'candidate_profile_changed';

export const POLLERS: Readonly<Record<PollerName, PollerDefinition>> = {
  jobs: { watermarkKey: 'greenhouse-jobs', entity: 'job', action: 'job_updated', queue: 'greenhouse-changes', refs: (id) => ({ jobIds: [id] }) },
  candidates: { watermarkKey: 'greenhouse-candidates', entity: 'candidate', action: 'update_candidate', queue: 'greenhouse-changes', refs: (id) => ({ candidateId: id }) },
  // Applications whose scorecards changed, for interview-feedback synthesis on ai-tasks.fifo.
  scorecards: { watermarkKey: 'greenhouse-scorecards', entity: 'application', action: 'scorecards_changed', queue: 'ai-tasks', refs: (id) => ({ applicationId: id }) },
  // Candidates whose rediscovery profile may have changed, for the index on ai-tasks.fifo.
  profiles: { watermarkKey: 'greenhouse-profiles', entity: 'candidate', action: CANDIDATE_PROFILE_CHANGED, queue: 'ai-tasks', refs: (id) => ({ candidateId: id }) },
};

export interface WindowPolicy {
  /** How far before the watermark each window starts again. */
  readonly overlapMs: number;
  /** The longest window (from → to); must exceed the overlap, or a window would make no progress. */
  readonly maxWindowMs: number;
  /** A poller without a watermark (first run) looks back this far. */
  readonly firstRunLookbackMs: number;
  /** Window ends are rounded down to a multiple of this (whole seconds at least). */
  readonly alignMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const DEFAULT_WINDOW_POLICY: WindowPolicy = {
  overlapMs: 10 * MINUTE,
  maxWindowMs: 24 * HOUR,
  firstRunLookbackMs: HOUR,
  alignMs: MINUTE,
};

export interface PollWindow {
  /** ISO instants (`Date#toISOString`), inclusive on both sides. */
  readonly from: string;
  readonly to: string;
  /** True when `to` is as late as the clock allows: no further window is due before the next tick. */
  readonly caughtUp: boolean;
}

/** Throws on a policy no poller can run with; returns it otherwise. */
export function checkWindowPolicy(policy: WindowPolicy): WindowPolicy {
  const { overlapMs, maxWindowMs, firstRunLookbackMs, alignMs } = policy;
  const whole = (n: number) => Number.isSafeInteger(n);
  if (!whole(overlapMs) || overlapMs < 0) throw new RangeError('overlap must be a whole number of ms, 0 or more');
  if (!whole(maxWindowMs) || maxWindowMs <= overlapMs) throw new RangeError('the maximum window must be longer than the overlap');
  if (!whole(firstRunLookbackMs) || firstRunLookbackMs <= 0) throw new RangeError('the first-run lookback must be positive');
  if (!whole(alignMs) || alignMs < 1000 || alignMs % 1000 !== 0) throw new RangeError('the alignment must be whole seconds');
  return policy;
}

/**
 * The next window to list, or undefined when nothing after the watermark is due yet (the watermark
 * is at, or after, the aligned clock).
 */
export function nextWindow(watermark: string | undefined, now: number, policy: WindowPolicy = DEFAULT_WINDOW_POLICY): PollWindow | undefined {
  const { overlapMs, maxWindowMs, firstRunLookbackMs, alignMs } = checkWindowPolicy(policy);
  if (!Number.isFinite(now)) throw new RangeError('now must be a finite epoch time');
  const latest = Math.floor(now / alignMs) * alignMs;
  let from: number;
  if (watermark === undefined) {
    from = latest - firstRunLookbackMs;
  } else {
    const mark = Date.parse(watermark);
    if (Number.isNaN(mark)) throw new RangeError(`not an ISO instant: ${JSON.stringify(watermark)}`);
    if (latest <= mark) return undefined;
    from = mark - overlapMs;
  }
  const to = Math.min(latest, from + maxWindowMs);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), caughtUp: to === latest };
}

/** The deduplication id of one poll message: the same window finding the same entity again is dropped by SQS. */
export function pollDeduplicationId(poller: PollerName, key: string, window: Pick<PollWindow, 'to'>): string {
  return `poll:${poller}:${key}:${window.to}`;
}

/** What makes one scheduled run's `greenhouse.event` for one entity (pollMessages, rediscovery-run.ts). */
export interface ScheduledEvent {
  readonly queue: QueueId;
  readonly entityKey: string;
  readonly action: string;
  readonly refs: Refs;
  /** When the run saw the entity: a reconcile that read it after that covers the message (principle 3). */
  readonly observedAt: string;
  /** The run's id, the same on every message it sends. */
  readonly deliveryId: string;
  /** The same for a repeat of the run (Scheduler delivers at least once), so SQS drops the repeat. */
  readonly deduplicationId: string;
}

/** A scheduled run's message: origin `poll`, grouped by entity (per-entity order on the FIFO queue). */
export function scheduledEventMessage(event: ScheduledEvent): OutgoingMessage {
  return {
    queue: event.queue,
    deadLetter: false,
    groupId: event.entityKey,
    deduplicationId: event.deduplicationId,
    envelope: {
      v: ENVELOPE_VERSION,
      kind: 'greenhouse.event',
      entityKey: event.entityKey,
      origin: 'poll',
      observedAt: event.observedAt,
      deliveryId: event.deliveryId,
      action: event.action,
      refs: event.refs,
    },
  };
}

/** Greenhouse ids as strings, each once, in numeric order; throws on anything that is not one. */
function greenhouseIds(ids: Iterable<string | number>): string[] {
  const unique = [...new Set([...ids].map((id) => String(id)))];
  for (const id of unique) if (!/^[1-9]\d*$/.test(id)) throw new RangeError(`not a Greenhouse id: ${JSON.stringify(id)}`);
  return unique.sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * One `greenhouse.event` per distinct id found in the window, for the poller's queue: grouped by
 * entity (per-entity order), observed at the window's end (a reconcile that read the entity after
 * it covers the message, principle 3), in id order.
 */
export function pollMessages(poller: PollerName, ids: Iterable<string | number>, window: Pick<PollWindow, 'to'>, action: string = POLLERS[poller].action): OutgoingMessage[] {
  const definition = POLLERS[poller];
  const deliveryId = `poll:${poller}:${window.to}`;
  return greenhouseIds(ids).map((id) => {
    const key = entityKey('greenhouse', definition.entity, id);
    return scheduledEventMessage({
      queue: definition.queue,
      entityKey: key,
      action,
      refs: definition.refs(id),
      observedAt: window.to,
      deliveryId,
      deduplicationId: pollDeduplicationId(poller, key, window),
    });
  });
}

/** How many messages go to the publisher at once (SqsQueuePublisher sends them concurrently). */
export const PUBLISH_BATCH = 50;

const seconds = z.number().check(z.int(), z.nonnegative());
const wholeNumber = (min: number, max: number) => z.optional(z.number().check(z.int(), z.gte(min), z.lte(max)));

/** The Scheduler's input (lib/constructs/schedules.ts puts it in each schedule's target). */
export const pollerEventSchema = z.object({
  poller: z.enum(SCHEDULED_RUNS),
  window: z.optional(
    z.partial(
      z.object({
        overlapSeconds: seconds,
        maxWindowSeconds: seconds,
        firstRunLookbackSeconds: seconds,
        alignSeconds: seconds,
      }),
    ),
  ),
  maxWindowsPerRun: wholeNumber(1, 100),
  /** The deletions sweep's pacing (deletion-sweep.ts), for an on-demand run. */
  maxRequests: wholeNumber(1, 10_000),
  paceMs: wholeNumber(0, 60_000),
});
export type PollerEvent = z.input<typeof pollerEventSchema>;
