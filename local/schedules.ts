import type { Context } from 'aws-lambda';
import { SCHEDULED_RUNS, type ScheduledRun } from '#core/sync/poll-window';
import type { PollerEvent, PollRunSummary, UsersRunSummary } from '#handlers/make-greenhouse-poller';
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
export type PollerHandler = (event: PollerEvent, context: Context) => Promise<PollRunSummary | UsersRunSummary>;

export const DEFAULT_LOCAL_POLL_INTERVAL_MS = 60 * 60 * 1000;
/** The deployed poller's timeout. */
const FUNCTION_TIMEOUT_MS = 5 * 60 * 1000;

export interface LocalSchedulesOptions {
  readonly handler: PollerHandler;
  /** Between ticks; hourly by default, like the deployed schedules. 0 = no timer: only `trigger()` runs. */
  readonly intervalMs?: number;
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
  | { readonly poller: ScheduledRun; readonly ok: true; readonly summary: PollRunSummary | UsersRunSummary }
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
    intervalMs = DEFAULT_LOCAL_POLL_INTERVAL_MS,
    pollers = SCHEDULED_RUNS,
    functionName = 'greenhouse-poller',
    onRun = reportFailure(functionName),
  } = options;
  if (!Number.isFinite(intervalMs) || intervalMs < 0) throw new Error('the poll interval must be 0 (manual only) or a positive number of ms');

  // One chain per poller: runs of a poller happen one after another, never side by side.
  const chains = new Map<ScheduledRun, Promise<unknown>>();
  const running = new Set<ScheduledRun>();
  let stopped = false;

  const runOnce = async (poller: ScheduledRun): Promise<LocalPollOutcome> => {
    running.add(poller);
    try {
      const event: PollerEvent = { poller, ...(options.window && poller !== 'users' ? { window: options.window } : {}) };
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

  const tick = () => {
    if (stopped) return;
    for (const poller of pollers) if (!running.has(poller)) void enqueue(poller);
  };

  const timer = intervalMs > 0 ? setInterval(tick, intervalMs) : undefined;
  // The local stack's servers keep the process alive; a forgotten timer alone must not.
  timer?.unref();
  if (options.runOnStart) tick();

  return {
    trigger: (...requested) => {
      if (stopped) return Promise.reject(new Error('local schedules are stopped'));
      return Promise.all((requested.length > 0 ? requested : pollers).map(enqueue));
    },
    stop: async () => {
      stopped = true;
      if (timer) clearInterval(timer);
      await Promise.all(chains.values());
    },
  };
}

function reportFailure(functionName: string): (outcome: LocalPollOutcome) => void {
  return (outcome) => {
    if (outcome.ok) return;
    const { error } = outcome;
    // Names only: a poll failure is a rate limit, credentials or a network error, never a payload.
    const detail = error instanceof Error ? error.name : 'unknown';
    process.stderr.write(`${JSON.stringify({ level: 'ERROR', source: 'local-schedules', function: functionName, poller: outcome.poller, error: detail })}\n`);
  };
}
