import { RateLimited } from '#core/api-errors';
import type { Clock } from '#core/clock';
import type { QueuePublisher } from '#core/ports/queue-publisher';
import type { LedgerStore } from '#core/sync/ports';
import type { ScheduledRun } from '#core/sync/poll-window';
import { sweepDeletions, type SweepDependencies, type SweepOptions, type SweepSummary, type SweptType } from '#core/sync/deletion-sweep';
import { syncUsers, type UserSyncDependencies, type UserSyncResult } from '#core/sync/reference-users';
import { runBeameryPoll, type BeameryPollDependencies, type BeameryPollSummary } from '#core/sync/poll-beamery';
import { runRediscovery, type RediscoveryRunSummary } from '#core/sync/rediscovery-run';
import {
  pollGreenhouse,
  type PollBackpressure,
  type PollGreenhouseDependencies,
  type PollProgress,
  type PollRunSummary,
  type PollerGreenhouse,
  type PollerRunEvent,
} from '#core/sync/poll-greenhouse';

/**
 * What the scheduled runs do, by the `poller` of their Scheduler input (poll-window.ts
 * SCHEDULED_RUNS): the Greenhouse window pollers (poll-greenhouse.ts), the users reference sync
 * (reference-users.ts), the Beamery contacts poller (poll-beamery.ts), the deletions sweep
 * (deletion-sweep.ts) and candidate rediscovery's daily matching (rediscovery-run.ts). The handler
 * around it parses the input, honours the pause switch, counts and logs.
 */

/** What a `{ "poller": "users" }` run returns. */
export interface UsersRunSummary extends UserSyncResult {
  readonly poller: 'users';
}

/** A run skipped because the operator paused the pollers (`bridge pause pollers`): watermarks untouched. */
export interface PausedRunSummary {
  readonly poller: ScheduledRun;
  readonly paused: true;
}

/**
 * A run that met a rate limit: it stopped where it was, watermark and cursor untouched, and the next
 * tick lists the same time again. Returned, not thrown: a thrown run is retried by Lambda and then sent
 * to the schedules' dead-letter queue, and a rate limit, however long it lasts, is a wait, not a failure.
 */
export interface RateLimitedRunSummary {
  readonly poller: ScheduledRun;
  readonly rateLimited: true;
  readonly retryAfterSeconds: number;
  /** The call that met the limit (`GET /v3/candidates`), for the log. */
  readonly operation: string;
}

/** What a run that did its work returns. */
export type CompletedRunSummary = PollRunSummary | UsersRunSummary | BeameryPollSummary | SweepSummary | RediscoveryRunSummary;

export type ScheduledRunSummary = CompletedRunSummary | PausedRunSummary | RateLimitedRunSummary;

export function isRateLimitedRun(summary: ScheduledRunSummary): summary is RateLimitedRunSummary {
  return 'rateLimited' in summary && summary.rateLimited === true;
}

export interface ScheduledRunsDependencies {
  readonly greenhouse: PollerGreenhouse;
  /** Watermarks; the deletions sweep keeps its cursor in a sync-state item. */
  readonly ledger: Pick<LedgerStore, 'getWatermark' | 'advanceWatermark' | 'getSyncState' | 'putSyncState'>;
  readonly publisher: QueuePublisher;
  readonly clock: Clock;
  /** Window defaults for what the event does not set. */
  readonly policy?: PollGreenhouseDependencies['policy'];
  /** Backpressure on greenhouse-changes for the window pollers that publish there (jobs, candidates); not for ai-tasks. */
  readonly backpressure?: PollBackpressure;
  /** The Beamery side and the IdMap of the users reference sync; without them a users run fails. */
  readonly users?: Pick<UserSyncDependencies, 'beamery' | 'idMap'>;
  /** The Beamery contacts poller's client, IdMap, queue and push tag; without them a beamery run fails. */
  readonly beameryPoll?: Omit<BeameryPollDependencies, 'ledger' | 'clock'>;
  /** The IdMap's active links for the deletions sweep; without them a deletions run fails. */
  readonly deletions?: Pick<SweepDependencies, 'links'> & { readonly options?: SweepOptions };
}

/** One `ids=` request (at most 50 ids, so one page): the ids Greenhouse still has. */
async function collectIds(greenhouse: PollerGreenhouse, type: SweptType, ids: readonly number[]): Promise<Set<number>> {
  const found = new Set<number>();
  for await (const record of greenhouse.list(type === 'candidate' ? 'candidates' : 'jobs', { ids })) found.add(record.id);
  return found;
}

async function runUsers(deps: ScheduledRunsDependencies): Promise<UsersRunSummary> {
  if (deps.users === undefined) throw new Error('this poller was built without the users reference sync (Beamery client and IdMap)');
  const result = await syncUsers({ ...deps.users, greenhouse: deps.greenhouse, clock: deps.clock });
  return { poller: 'users', ...result };
}

async function runBeamery(deps: ScheduledRunsDependencies): Promise<BeameryPollSummary> {
  if (deps.beameryPoll === undefined) throw new Error('this poller was built without the Beamery contacts poller (Beamery client, IdMap, queue)');
  return runBeameryPoll({ ...deps.beameryPoll, ledger: deps.ledger, clock: deps.clock });
}

async function runDeletions(deps: ScheduledRunsDependencies, event: PollerRunEvent): Promise<SweepSummary> {
  if (deps.deletions === undefined) throw new Error('this poller was built without the deletions sweep (IdMap listing)');
  const { links, options } = deps.deletions;
  return sweepDeletions(
    {
      links,
      existing: (type, ids) => collectIds(deps.greenhouse, type, ids),
      publish: (messages) => deps.publisher.publish(messages),
      ledger: deps.ledger,
      clock: deps.clock,
    },
    { ...options, ...(event.maxRequests !== undefined ? { maxRequests: event.maxRequests } : {}), ...(event.paceMs !== undefined ? { paceMs: event.paceMs } : {}) },
  );
}

/**
 * Runs what the (parsed) Scheduler input names; `progress` hears a window poller's steps as they
 * happen. A rate limit ends the run where it was, as a RateLimitedRunSummary.
 */
export async function runScheduled(
  deps: ScheduledRunsDependencies,
  event: PollerRunEvent,
  progress?: (event: PollProgress) => void,
): Promise<CompletedRunSummary | RateLimitedRunSummary> {
  try {
    return await runNamed(deps, event, progress);
  } catch (error) {
    if (!(error instanceof RateLimited)) throw error;
    return { poller: event.poller, rateLimited: true, retryAfterSeconds: error.retryAfterSeconds, operation: error.operation };
  }
}

function runNamed(deps: ScheduledRunsDependencies, event: PollerRunEvent, progress?: (event: PollProgress) => void): Promise<CompletedRunSummary> {
  const { poller } = event;
  if (poller === 'users') return runUsers(deps);
  if (poller === 'beamery') return runBeamery(deps);
  if (poller === 'deletions') return runDeletions(deps, event);
  if (poller === 'rediscovery') return runRediscovery({ greenhouse: deps.greenhouse, publisher: deps.publisher, clock: deps.clock, ...(progress ? { progress } : {}) });
  return pollGreenhouse({ ...deps, ...(progress ? { progress } : {}) }, { ...event, poller });
}
