import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { errorName } from '#core/error-name';
import { DEFAULT_SCHEDULE_MINUTES, SCHEDULED_RUNS, isWindowPoller, type PollerEvent, type ScheduledRun } from '#core/sync/poll-window';
import type { ScheduledRunSummary } from '#core/sync/scheduled-runs';
import { invokeWithTimeout, lambdaContext } from './lambda-context.ts';

/**
 * What EventBridge Scheduler does for the deployed pollers (lib/constructs/schedules.ts), for the
 * local stack: every interval, invoke the poller handler once per poller with the same input
 * (`{ "poller": ... }`). Tests and developers can also `trigger()` a run at once.
 *
 * Differences from AWS, on purpose: runs of one poller never overlap (a tick while one is still
 * running is skipped), and a failed run is reported, not retried; the next tick lists the same time
 * again, because the poller's watermark did not move.
 */
export type PollerHandler = (event: PollerEvent, context: Context) => Promise<ScheduledRunSummary>;

/** The deployed poller's timeout. */
const FUNCTION_TIMEOUT_MS = 5 * 60 * 1000;

/** One interval for every poller, or some pollers' own (ms). */
export type PollIntervals = number | Readonly<Partial<Record<ScheduledRun, number>>>;

/** `npm start`'s variables for the intervals: one for every poller, and one per poller that wins over it. */
export const POLL_INTERVAL_VARIABLE = 'LOCAL_POLL_INTERVAL_SECONDS';
export const pollIntervalVariable = (poller: ScheduledRun) => `${POLL_INTERVAL_VARIABLE}_${poller.toUpperCase()}`;

const intervalSeconds = z.coerce.number().min(0).max(7 * 24 * 3600);

/**
 * The local schedules' intervals from the environment (seconds, decimals allowed; 0 = never on a timer,
 * only `schedules.trigger()`): LOCAL_POLL_INTERVAL_SECONDS for every poller, and
 * LOCAL_POLL_INTERVAL_SECONDS_<POLLER> (JOBS, CANDIDATES, SCORECARDS, PROFILES, USERS, BEAMERY, DELETIONS,
 * REDISCOVERY) for one.
 * Unset, each poller keeps its deployed rate. Throws naming every bad variable.
 */
export function pollIntervalsFromEnvironment(env: NodeJS.ProcessEnv): Partial<Record<ScheduledRun, number>> {
  const names = [POLL_INTERVAL_VARIABLE, ...SCHEDULED_RUNS.map(pollIntervalVariable)];
  const parsed = z
    .object(Object.fromEntries(names.map((name) => [name, intervalSeconds.optional()])))
    .safeParse(Object.fromEntries(names.flatMap((name) => (env[name] ? [[name, env[name]]] : []))));
  if (!parsed.success) throw new Error(`invalid poll interval: ${z.prettifyError(parsed.error)} (seconds from 0 to a week)`);
  const seconds = parsed.data as Record<string, number | undefined>;
  const intervals: Partial<Record<ScheduledRun, number>> = {};
  for (const poller of SCHEDULED_RUNS) {
    const value = seconds[pollIntervalVariable(poller)] ?? seconds[POLL_INTERVAL_VARIABLE];
    if (value !== undefined) intervals[poller] = Math.round(value * 1000);
  }
  return intervals;
}

export interface LocalSchedulesOptions {
  readonly handler: PollerHandler;
  /**
   * Between ticks of every poller, or per poller; by default (and for a poller not named) each poller's
   * deployed rate (DEFAULT_SCHEDULE_MINUTES: hourly, the Beamery poller every 5 minutes, the deletions
   * sweep and the rediscovery run daily). 0 = no timer: only `trigger()` runs.
   */
  readonly intervalMs?: PollIntervals;
  /**
   * Default: every run, the rediscovery ones (`profiles`, `rediscovery`) included whatever the local
   * AI settings say. Deployed, their schedules are disabled while `ai.rediscovery.enabled` is off; here
   * the consumer's gate alone decides: with rediscovery off it acknowledges their messages without
   * doing anything, and a test or a developer that turns rediscovery on (startLocalStack's `ai`) can
   * trigger them at once, without the stack having to read the AI settings itself.
   */
  readonly pollers?: readonly ScheduledRun[];
  /** Sent with every run, as the deployed schedules send theirs. */
  readonly window?: PollerEvent['window'];
  /** Also run once at start (the deployed schedules first fire one interval after deploy). */
  readonly runOnStart?: boolean;
  readonly functionName?: string;
  /** Each run's outcome; by default failures go to stderr as one JSON line and successes are left to the handler's own logs. */
  readonly onRun?: (outcome: LocalPollOutcome) => void;
}

export type LocalPollOutcome =
  | { readonly poller: ScheduledRun; readonly ok: true; readonly summary: ScheduledRunSummary }
  | { readonly poller: ScheduledRun; readonly ok: false; readonly error: unknown };

export interface LocalSchedules {
  /** Runs the given pollers (all by default) now, each after any run of it in progress, and resolves with their outcomes. */
  trigger(...pollers: ScheduledRun[]): Promise<LocalPollOutcome[]>;
  /** Stops the timer and waits for runs in progress. */
  stop(): Promise<void>;
}

export function startLocalSchedules(options: LocalSchedulesOptions): LocalSchedules {
  const {
    handler,
    intervalMs,
    pollers = SCHEDULED_RUNS,
    functionName = 'scheduled-runs',
    onRun = reportFailure(functionName),
  } = options;
  const given = typeof intervalMs === 'number' ? Object.fromEntries(SCHEDULED_RUNS.map((poller) => [poller, intervalMs])) : (intervalMs ?? {});
  for (const value of Object.values(given)) {
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) throw new Error('the poll interval must be 0 (manual only) or a positive number of ms');
  }
  const intervalOf = (poller: ScheduledRun) => given[poller] ?? DEFAULT_SCHEDULE_MINUTES[poller] * 60_000;

  // One chain per poller: runs of a poller happen one after another, never side by side.
  const chains = new Map<ScheduledRun, Promise<unknown>>();
  const running = new Set<ScheduledRun>();
  let stopped = false;

  const runOnce = async (poller: ScheduledRun): Promise<LocalPollOutcome> => {
    running.add(poller);
    try {
      const event: PollerEvent = { poller, ...(options.window && isWindowPoller(poller) ? { window: options.window } : {}) };
      const summary = await invokeWithTimeout(() => handler(event, lambdaContext({ functionName, timeoutMs: FUNCTION_TIMEOUT_MS })), FUNCTION_TIMEOUT_MS);
      return { poller, ok: true, summary };
    } catch (error) {
      return { poller, ok: false, error };
    } finally {
      running.delete(poller);
    }
  };

  const enqueue = (poller: ScheduledRun): Promise<LocalPollOutcome> => {
    const outcome = (chains.get(poller) ?? Promise.resolve()).then(() => runOnce(poller));
    const reported = outcome.then((o) => {
      onRun(o);
      return o;
    });
    chains.set(poller, reported.catch(() => undefined));
    return reported;
  };

  const tick = (poller: ScheduledRun) => {
    if (!stopped && !running.has(poller)) void enqueue(poller);
  };

  const timers = pollers.flatMap((poller) => (intervalOf(poller) > 0 ? [setInterval(() => tick(poller), intervalOf(poller))] : []));
  // The local stack's servers keep the process alive; a forgotten timer alone must not.
  for (const timer of timers) timer.unref();
  if (options.runOnStart) for (const poller of pollers) tick(poller);

  return {
    trigger: (...requested) => {
      if (stopped) return Promise.reject(new Error('local schedules are stopped'));
      return Promise.all((requested.length > 0 ? requested : pollers).map(enqueue));
    },
    stop: async () => {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      await Promise.all(chains.values());
    },
  };
}

function reportFailure(functionName: string): (outcome: LocalPollOutcome) => void {
  return (outcome) => {
    if (outcome.ok) return;
    const { error } = outcome;
    // Names only: a poll failure is a rate limit, credentials or a network error, never a payload.
    const detail = errorName(error);
    process.stderr.write(`${JSON.stringify({ level: 'ERROR', source: 'local-schedules', function: functionName, poller: outcome.poller, error: detail })}\n`);
  };
}
