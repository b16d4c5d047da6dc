import { DELETIONS_METRICS, POLLER_METRICS, USERS_METRICS } from '#core/metrics';
import { pollerEventSchema, type PollerEvent } from '#core/sync/poll-window';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import type { Clock } from '#core/clock';
import type { LedgerStore } from '#core/sync/ports';
import {
  DEFAULT_WINDOW_POLICY,
  POLLERS,
  PUBLISH_BATCH,
  SCHEDULED_RUNS,
  checkWindowPolicy,
  nextWindow,
  pollMessages,
  type PollWindow,
  type PollerName,
  type ScheduledRun,
  type WindowPolicy,
} from '#core/sync/poll-window';
import type { BackpressurePolicy } from '#core/sync/backfill-plan';
import { sweepDeletions, type SweepDependencies, type SweepOptions, type SweepSummary, type SweptType } from '#core/sync/deletion-sweep';
import { syncUsers, type UserSyncDependencies, type UserSyncResult } from '#core/sync/reference-users';
import { runBeameryPoll, type BeameryPollDependencies, type BeameryPollSummary } from './run-beamery-poll.ts';
import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import { between } from '#adapters/greenhouse/query';
import type { ResourceName, ResourceOf } from '#core/greenhouse/records';
import { RateLimited } from '#core/api-errors';
import { queueRoom, type QueueRoom } from '#adapters/queue/backpressure';
import type { QueuePublisher } from '#adapters/queue/sqs-publisher';
import type { PauseSwitch } from '#adapters/store/switches';
import type { MetricsSink } from './make-ingest-handler.ts';

/**
 * The scheduled Greenhouse poller: EventBridge Scheduler invokes it with `{ "poller": "jobs" }` or
 * `{ "poller": "candidates" }` (optionally with a window policy), or `{ "poller": "users" }` for the
 * users reference sync (lambdas/core/sync/reference-users.ts). A window poller lists what Greenhouse updated
 * since the poller's watermark, enqueues one message per entity on greenhouse-changes.fifo, and only
 * then moves the watermark. A rate limit ends the run with `{ rateLimited: true }`: the watermark
 * stays and the next tick lists the same time again (thrown, it would reach the schedules' DLQ after
 * Lambda's retries, and a rate limit is never poison). Any other failure is thrown: the watermark
 * stays, Lambda retries, then the next tick; the messages already sent dedupe in SQS or coalesce in
 * the consumer.
 *
 * Backpressure. With `backpressure`, the pollers that publish to greenhouse-changes keep no more work
 * on it than the backfill does (adapters/queue/backpressure.ts): a bulk change in Greenhouse (a
 * thousand candidates tagged at once, which fires no webhook) would otherwise fill the queue beyond
 * what the rate limits let the consumer reconcile, and healthy messages would reach the dead-letter
 * threshold. Each batch waits for room and publishes at most the room. A run whose budget runs out
 * while waiting stops: the watermark stays and the window's end is kept (`pinnedEndKey`),
 * `PollBackpressure` is counted, and the next run lists that same window again (what it repeats
 * carries the same observedAt, which the consumer has covered) before the time after it.
 */

/** One `ids=` request (at most 50 ids, so one page): the ids Greenhouse still has. */
async function collectIds(greenhouse: PollerGreenhouse, type: SweptType, ids: readonly number[]): Promise<Set<number>> {
  const found = new Set<number>();
  for await (const record of greenhouse.list(type === 'candidate' ? 'candidates' : 'jobs', { ids })) found.add(record.id);
  return found;
}

/** Windows one invocation works through when catching up after an outage (a week at the default 24 h). */
export const DEFAULT_MAX_WINDOWS_PER_RUN = 7;

/**
 * Where a poller looks, each listing filtered by the same `updated_at` window and each record naming
 * the entity to reconcile. Every v3 list endpoint takes `updated_at` [H] (reference §2); child records
 * are listed because a change to them need not touch their parent's `updated_at`.
 */
interface Source {
  readonly resource: ResourceName;
  ids(greenhouse: PollerGreenhouse, updatedAt: string): AsyncIterable<number | null | undefined>;
}

function source<K extends ResourceName>(resource: K, idOf: (record: ResourceOf<K>) => number | null | undefined): Source {
  return {
    resource,
    async *ids(greenhouse, updatedAt) {
      for await (const record of greenhouse.list(resource, { updated_at: updatedAt })) yield idOf(record);
    },
  };
}

export const POLLER_SOURCES: Readonly<Record<PollerName, readonly Source[]>> = {
  // The vacancy mapping reads the job and its interview stages (reference §4.4).
  jobs: [source('jobs', (j) => j.id), source('job_interview_stages', (s) => s.job_id)],
  // A candidate, its applications (stage moves, rejections, bulk actions), notes, attachments and
  // applied tags (bulk tagging fires no webhook; seed: "Bulk tags").
  candidates: [
    source('candidates', (c) => c.id),
    source('applications', (a) => a.candidate_id),
    source('notes', (n) => n.candidate_id),
    source('attachments', (a) => a.candidate_id),
    source('applied_candidate_tags', (t) => t.candidate_id),
  ],
  // A submitted or edited scorecard moves its own updated_at only.
  scorecards: [source('scorecards', (s) => s.application_id)],
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

/** The handler, typed by its input: a window poller's run answers with windows, a users run with counts. */
export interface GreenhousePollerHandler {
  (event: PollerEvent & { poller: PollerName }, context?: Context): Promise<PollRunSummary>;
  (event: PollerEvent & { poller: 'users' }, context?: Context): Promise<UsersRunSummary>;
  (event: PollerEvent & { poller: 'beamery' }, context?: Context): Promise<BeameryPollSummary>;
  (event: PollerEvent & { poller: 'deletions' }, context?: Context): Promise<SweepSummary>;
  (event: unknown, context?: Context): Promise<ScheduledRunSummary>;
}

export type ScheduledRunSummary = PollRunSummary | UsersRunSummary | BeameryPollSummary | SweepSummary | PausedRunSummary | RateLimitedRunSummary;

/**
 * A run that met a rate limit: it stopped where it was, watermark and cursor untouched, and the next
 * tick lists the same time again. Returned, not thrown: a thrown run is retried by Lambda and then sent
 * to the schedules' dead-letter queue, and a rate limit, however long it lasts, is a wait, not a failure.
 */
export interface RateLimitedRunSummary {
  readonly poller: ScheduledRun;
  readonly rateLimited: true;
  readonly retryAfterSeconds: number;
}

export function isRateLimitedRun(summary: ScheduledRunSummary): summary is RateLimitedRunSummary {
  return 'rateLimited' in summary && summary.rateLimited === true;
}

/** A run skipped because the operator paused the pollers (`bridge pause pollers`): watermarks untouched. */
export interface PausedRunSummary {
  readonly poller: ScheduledRun;
  readonly paused: true;
}

/** What a `{ "poller": "users" }` run returns. */
export interface UsersRunSummary extends UserSyncResult {
  readonly poller: 'users';
}

export type PollerGreenhouse = Pick<GreenhouseApi, 'list' | 'listUsers'>;

export interface GreenhousePollerDependencies {
  /** The operator's `pollers` switch: a paused run does nothing and keeps every watermark. */
  readonly pause?: PauseSwitch;
  readonly greenhouse: PollerGreenhouse;
  /** Watermarks; the deletions sweep keeps its cursor in a sync-state item. */
  readonly ledger: Pick<LedgerStore, 'getWatermark' | 'advanceWatermark' | 'getSyncState' | 'putSyncState'>;
  readonly publisher: QueuePublisher;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
  /** Defaults for what the event does not set. */
  readonly policy?: Partial<WindowPolicy>;
  /** The Beamery side and the IdMap of the users reference sync; without them a users run fails. */
  readonly users?: Pick<UserSyncDependencies, 'beamery' | 'idMap'>;
  /** The Beamery contacts poller's client, IdMap, queue and push tag; without them a beamery run fails. */
  readonly beameryPoll?: Omit<BeameryPollDependencies, 'ledger' | 'clock'>;
  /**
   * Backpressure on greenhouse-changes for the pollers that publish there (jobs, candidates; not
   * scorecards, which publish to ai-tasks); without it every batch is published at once.
   */
  readonly backpressure?: PollerBackpressure;
  /** The IdMap's active links for the deletions sweep; without them a deletions run fails. */
  readonly deletions?: Pick<SweepDependencies, 'links'> & { readonly options?: SweepOptions };
}

export interface PollerBackpressure {
  /** Messages on greenhouse-changes now, visible and in flight. */
  readonly queueDepth: () => Promise<number>;
  /** How long a run may last, from its start, before it stops waiting for room (POLL_BACKPRESSURE_BUDGET_MS). */
  readonly budgetMs: number;
  readonly policy?: BackpressurePolicy;
  /** Between looks at the queue depth while waiting. Default a second. */
  readonly depthPollMs?: number;
}

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

export function windowPolicyOf(event: z.infer<typeof pollerEventSchema>, defaults: Partial<WindowPolicy> = {}): WindowPolicy {
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

export function makeGreenhousePoller(deps: GreenhousePollerDependencies) {
  const { logger } = deps;
  const count = (name: string, value = 1) => deps.metrics.addMetric(name, MetricUnit.Count, value);

  /**
   * Lists every source of one window and enqueues what it finds, in batches, as it goes; with `room`,
   * each batch waits for room on the queue and is at most that.
   */
  async function pollWindow(poller: PollerName, window: PollWindow, room: RunRoom | undefined): Promise<WindowOutcome> {
    const updatedAt = between(window.from, window.to);
    const seen = new Set<number>();
    let pending: number[] = [];
    let queued = 0;
    /** False when the deadline passed before there was room. */
    const flush = async (): Promise<boolean> => {
      while (pending.length > 0) {
        const size = room ? await room.queue.waitForRoom({ deadlineMs: room.deadlineMs }) : PUBLISH_BATCH;
        if (size === undefined) return false;
        const messages = pollMessages(poller, pending.slice(0, Math.min(PUBLISH_BATCH, size)), window);
        await deps.publisher.publish(messages);
        pending = pending.slice(messages.length);
        queued += messages.length;
        count(POLLER_METRICS.queued, messages.length);
      }
      return true;
    };
    for (const listing of POLLER_SOURCES[poller]) {
      for await (const id of listing.ids(deps.greenhouse, updatedAt)) {
        if (id === null || id === undefined || seen.has(id)) continue;
        seen.add(id);
        pending.push(id);
        if (pending.length >= PUBLISH_BATCH && !(await flush())) return { found: seen.size, queued, complete: false };
      }
    }
    return { found: seen.size, queued, complete: await flush() };
  }

  /** Backpressure for a run starting now, when the poller publishes to greenhouse-changes. */
  function roomFor(poller: PollerName): RunRoom | undefined {
    const settings = deps.backpressure;
    if (settings === undefined || POLLERS[poller].queue !== 'greenhouse-changes') return undefined;
    const { queueDepth, policy, depthPollMs } = settings;
    return { queue: queueRoom({ queueDepth, clock: deps.clock, policy, depthPollMs }), deadlineMs: deps.clock.now() + settings.budgetMs };
  }

  async function runUsers(): Promise<UsersRunSummary> {
    if (deps.users === undefined) throw new Error('this poller was built without the users reference sync (Beamery client and IdMap)');
    const result = await syncUsers({ ...deps.users, greenhouse: deps.greenhouse, clock: deps.clock });
    count(USERS_METRICS.linked, result.linked);
    count(USERS_METRICS.unmatched, result.unmatched);
    count(USERS_METRICS.unlinked, result.unlinked);
    logger.info('users reference sync done', { ...result });
    return { poller: 'users', ...result };
  }

  async function run(event: z.infer<typeof pollerEventSchema> & { poller: PollerName }): Promise<PollRunSummary> {
    const { poller } = event;
    const { watermarkKey } = POLLERS[poller];
    const policy = windowPolicyOf(event, deps.policy);
    const maxWindows = event.maxWindowsPerRun ?? DEFAULT_MAX_WINDOWS_PER_RUN;
    const windows: PolledWindow[] = [];
    const room = roomFor(poller);
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
      const { found, queued, complete } = await pollWindow(poller, window, room);
      if (!complete) {
        await deps.ledger.advanceWatermark(pinnedEndKey(watermarkKey), window.to);
        count(POLLER_METRICS.backpressure);
        logger.warn('greenhouse-changes had no room before the run\'s budget ran out; watermark kept, the next run lists this window again', {
          poller,
          from: window.from,
          to: window.to,
          found,
          queued,
          windows: windows.length,
          budgetMs: deps.backpressure?.budgetMs,
        });
        return { poller, windows, watermark, caughtUp: false, backpressured: true };
      }
      // Only now: everything the window holds is on the queue.
      await deps.ledger.advanceWatermark(watermarkKey, window.to);
      watermark = window.to;
      windows.push({ ...window, found });
      count(POLLER_METRICS.windows);
      count(POLLER_METRICS.found, found);
      logger.info('poll window done', { poller, from: window.from, to: window.to, found });
      // A pinned window ends in the past: the time after it is due in this run too.
      if (window.caughtUp && !wasPinned) {
        caughtUp = true;
        break;
      }
    }
    if (!caughtUp) logger.warn('poller still behind after its windows for this run; the next run continues', { poller, watermark, windows: windows.length });
    return { poller, windows, watermark, caughtUp };
  }

  async function runBeamery(): Promise<BeameryPollSummary> {
    if (deps.beameryPoll === undefined) throw new Error('this poller was built without the Beamery contacts poller (Beamery client, IdMap, queue)');
    const summary = await runBeameryPoll({ ...deps.beameryPoll, ledger: deps.ledger, clock: deps.clock });
    count(POLLER_METRICS.found, summary.listed);
    count(POLLER_METRICS.queued, summary.queued);
    logger.info('beamery poll done', { ...summary });
    return summary;
  }

  async function runDeletions(event: z.infer<typeof pollerEventSchema>): Promise<SweepSummary> {
    if (deps.deletions === undefined) throw new Error('this poller was built without the deletions sweep (IdMap listing)');
    const { links, options } = deps.deletions;
    const summary = await sweepDeletions(
      {
        links,
        existing: (type, ids) => collectIds(deps.greenhouse, type, ids),
        publish: (messages) => deps.publisher.publish(messages),
        ledger: deps.ledger,
        clock: deps.clock,
      },
      { ...options, ...(event.maxRequests !== undefined ? { maxRequests: event.maxRequests } : {}), ...(event.paceMs !== undefined ? { paceMs: event.paceMs } : {}) },
    );
    count(DELETIONS_METRICS.checked, summary.checked);
    count(DELETIONS_METRICS.deleted, summary.candidatesDeleted + summary.jobsDeleted);
    if (!summary.complete) logger.warn('deletions sweep reached its request cap; the next run continues from its cursor', { ...summary });
    else logger.info('deletions sweep done', { ...summary });
    return summary;
  }

  function handle(event: z.infer<typeof pollerEventSchema>): Promise<ScheduledRunSummary> {
    const { poller } = event;
    if (poller === 'users') return runUsers();
    if (poller === 'beamery') return runBeamery();
    if (poller === 'deletions') return runDeletions(event);
    return run({ ...event, poller });
  }

  const handler = async (rawEvent: unknown, context?: Context): Promise<ScheduledRunSummary> => {
    if (context) logger.addContext(context);
    try {
      const parsed = pollerEventSchema.safeParse(rawEvent);
      if (!parsed.success) {
        count(POLLER_METRICS.failed);
        throw new Error(`poller input must be {"poller":${SCHEDULED_RUNS.map((name) => `"${name}"`).join('|')}}: ${z.prettifyError(parsed.error)}`);
      }
      if (deps.pause && (await deps.pause.isPaused())) {
        logger.info('pollers paused; run skipped, watermark kept', { poller: parsed.data.poller });
        return { poller: parsed.data.poller, paused: true };
      }
      try {
        const summary = await handle(parsed.data);
        if ('watermark' in summary && typeof summary.watermark === 'string') {
          deps.metrics.addMetric(POLLER_METRICS.lagSeconds, MetricUnit.Seconds, Math.max(0, Math.round((deps.clock.now() - Date.parse(summary.watermark)) / 1000)));
        }
        return summary;
      } catch (error) {
        if (error instanceof RateLimited) {
          count(POLLER_METRICS.rateLimited);
          logger.warn('poller rate limited; watermark kept, the next run lists the window again', {
            poller: parsed.data.poller,
            retryAfterSeconds: error.retryAfterSeconds,
            operation: error.operation,
          });
          return { poller: parsed.data.poller, rateLimited: true, retryAfterSeconds: error.retryAfterSeconds };
        }
        count(POLLER_METRICS.failed);
        logger.error('poller failed; watermark kept', { poller: parsed.data.poller, error: error instanceof Error ? error.name : 'unknown' });
        throw error;
      }
    } finally {
      deps.metrics.publishStoredMetrics();
    }
  };
  return handler as GreenhousePollerHandler;
}
