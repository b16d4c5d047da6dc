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
  type WindowPolicy,
} from '#core/sync/poll-window';
import { syncUsers, type UserSyncDependencies, type UserSyncResult } from '#core/sync/reference-users';
import { runBeameryPoll, type BeameryPollDependencies, type BeameryPollSummary } from './run-beamery-poll.ts';
import type { GreenhouseApi } from '#adapters/greenhouse/client';
import { between } from '#adapters/greenhouse/query';
import type { ResourceName, ResourceOf } from '#adapters/greenhouse/schemas';
import { RateLimited } from '#adapters/http/errors';
import type { QueuePublisher } from '#adapters/queue/sqs-publisher';
import type { MetricsSink } from './make-ingest-handler.ts';

/**
 * The scheduled Greenhouse poller: EventBridge Scheduler invokes it with `{ "poller": "jobs" }` or
 * `{ "poller": "candidates" }` (optionally with a window policy), or `{ "poller": "users" }` for the
 * users reference sync (lambdas/core/sync/reference-users.ts). A window poller lists what Greenhouse updated
 * since the poller's watermark, enqueues one message per entity on greenhouse-changes.fifo, and only
 * then moves the watermark. Any failure (RateLimited included) is thrown: the watermark stays, the
 * invocation is retried (Lambda's asynchronous retries, then the next tick), and the same time is
 * listed again; the messages already sent dedupe in SQS or coalesce in the consumer.
 */
export const POLLER_METRICS = {
  windows: 'PollWindowsCompleted',
  found: 'PollEntitiesFound',
  queued: 'PollMessagesQueued',
  rateLimited: 'PollRateLimited',
  failed: 'PollFailed',
} as const;

/** Counts of a users reference sync run (lambdas/core/sync/reference-users.ts). */
export const USERS_METRICS = {
  linked: 'UsersLinked',
  unmatched: 'UsersUnmatched',
  unlinked: 'UsersUnlinked',
} as const;

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

const seconds = z.number().int().nonnegative();

/** The Scheduler's input (lib/constructs/schedules.ts puts it in each schedule's target). */
export const pollerEventSchema = z.object({
  poller: z.enum(SCHEDULED_RUNS),
  window: z
    .object({
      overlapSeconds: seconds,
      maxWindowSeconds: seconds,
      firstRunLookbackSeconds: seconds,
      alignSeconds: seconds,
    })
    .partial()
    .optional(),
  maxWindowsPerRun: z.number().int().min(1).max(100).optional(),
});
export type PollerEvent = z.input<typeof pollerEventSchema>;

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
}

/** The handler, typed by its input: a window poller's run answers with windows, a users run with counts. */
export interface GreenhousePollerHandler {
  (event: PollerEvent & { poller: PollerName }, context?: Context): Promise<PollRunSummary>;
  (event: PollerEvent & { poller: 'users' }, context?: Context): Promise<UsersRunSummary>;
  (event: PollerEvent & { poller: 'beamery' }, context?: Context): Promise<BeameryPollSummary>;
  (event: unknown, context?: Context): Promise<ScheduledRunSummary>;
}

export type ScheduledRunSummary = PollRunSummary | UsersRunSummary | BeameryPollSummary;

/** What a `{ "poller": "users" }` run returns. */
export interface UsersRunSummary extends UserSyncResult {
  readonly poller: 'users';
}

export type PollerGreenhouse = Pick<GreenhouseApi, 'list' | 'listUsers'>;

export interface GreenhousePollerDependencies {
  readonly greenhouse: PollerGreenhouse;
  readonly ledger: Pick<LedgerStore, 'getWatermark' | 'advanceWatermark'>;
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

export function makeGreenhousePoller(deps: GreenhousePollerDependencies) {
  const { logger } = deps;
  const count = (name: string, value = 1) => deps.metrics.addMetric(name, MetricUnit.Count, value);

  /** Lists every source of one window and enqueues what it finds, in batches, as it goes. */
  async function pollWindow(poller: PollerName, window: PollWindow): Promise<number> {
    const updatedAt = between(window.from, window.to);
    const seen = new Set<number>();
    let pending: number[] = [];
    const flush = async () => {
      if (pending.length === 0) return;
      const messages = pollMessages(poller, pending, window);
      pending = [];
      await deps.publisher.publish(messages);
      count(POLLER_METRICS.queued, messages.length);
    };
    for (const listing of POLLER_SOURCES[poller]) {
      for await (const id of listing.ids(deps.greenhouse, updatedAt)) {
        if (id === null || id === undefined || seen.has(id)) continue;
        seen.add(id);
        pending.push(id);
        if (pending.length >= PUBLISH_BATCH) await flush();
      }
    }
    await flush();
    return seen.size;
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
    let watermark = await deps.ledger.getWatermark(watermarkKey);
    let caughtUp = false;
    while (windows.length < maxWindows) {
      const window = nextWindow(watermark, deps.clock.now(), policy);
      if (window === undefined) {
        caughtUp = true;
        break;
      }
      const found = await pollWindow(poller, window);
      // Only now: everything the window holds is on the queue.
      await deps.ledger.advanceWatermark(watermarkKey, window.to);
      watermark = window.to;
      windows.push({ ...window, found });
      count(POLLER_METRICS.windows);
      count(POLLER_METRICS.found, found);
      logger.info('poll window done', { poller, from: window.from, to: window.to, found });
      if (window.caughtUp) {
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

  function handle(event: z.infer<typeof pollerEventSchema>): Promise<ScheduledRunSummary> {
    const { poller } = event;
    if (poller === 'users') return runUsers();
    if (poller === 'beamery') return runBeamery();
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
      try {
        return await handle(parsed.data);
      } catch (error) {
        if (error instanceof RateLimited) {
          count(POLLER_METRICS.rateLimited);
          logger.warn('poller rate limited; watermark kept, the window is listed again on retry', {
            poller: parsed.data.poller,
            retryAfterSeconds: error.retryAfterSeconds,
            operation: error.operation,
          });
        } else {
          count(POLLER_METRICS.failed);
          logger.error('poller failed; watermark kept', { poller: parsed.data.poller, error: error instanceof Error ? error.name : 'unknown' });
        }
        throw error;
      }
    } finally {
      deps.metrics.publishStoredMetrics();
    }
  };
  return handler as GreenhousePollerHandler;
}
