import { errorName } from '#core/error-name';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { RateLimited } from '#core/api-errors';
import { POLLER_METRICS } from '#core/metrics';
import type { BackpressurePolicy } from '#core/sync/backfill-plan';
import type { SweepSummary } from '#core/sync/deletion-sweep';
import type { BeameryPollSummary } from '#core/sync/poll-beamery';
import type { PollRunSummary } from '#core/sync/poll-greenhouse';
import { SCHEDULED_RUNS, pollerEventSchema, type PollerEvent, type PollerName } from '#core/sync/poll-window';
import { runScheduled, type ScheduledRunSummary, type ScheduledRunsDependencies, type UsersRunSummary } from '#core/sync/scheduled-runs';
import { queueRoom } from '#adapters/queue/backpressure';
import type { PauseSwitch } from '#adapters/store/switches';
import type { MetricsSink } from '#adapters/metrics-sink';
import { scheduledRunReport } from './scheduled-run-report.ts';
import { withInvocation } from './invocation.ts';

/**
 * The scheduled runs' Lambda: EventBridge Scheduler invokes it with `{ "poller": ... }` (poll-window.ts
 * SCHEDULED_RUNS); what each run does is in lambdas/core/sync/scheduled-runs.ts. A rate limit ends the
 * run with `{ rateLimited: true }`: the watermark stays and the next tick lists the same time again
 * (thrown, it would reach the schedules' DLQ after Lambda's retries, and a rate limit is never
 * poison). Any other failure is thrown: the watermark stays, Lambda retries, then the next tick.
 */

/** The handler, typed by its input: a window poller's run answers with windows, a users run with counts. */
export interface ScheduledRunsHandler {
  (event: PollerEvent & { poller: PollerName }, context?: Context): Promise<PollRunSummary>;
  (event: PollerEvent & { poller: 'users' }, context?: Context): Promise<UsersRunSummary>;
  (event: PollerEvent & { poller: 'beamery' }, context?: Context): Promise<BeameryPollSummary>;
  (event: PollerEvent & { poller: 'deletions' }, context?: Context): Promise<SweepSummary>;
  (event: unknown, context?: Context): Promise<ScheduledRunSummary>;
}

export interface ScheduledRunsHandlerDependencies extends Omit<ScheduledRunsDependencies, 'backpressure'> {
  /** The operator's `pollers` switch: a paused run does nothing and keeps every watermark. */
  readonly pause?: PauseSwitch;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
  /** Backpressure on greenhouse-changes for the jobs and candidates pollers; without it every batch is published at once. */
  readonly backpressure?: PollerBackpressure;
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

export function makeScheduledRunsHandler(deps: ScheduledRunsHandlerDependencies): ScheduledRunsHandler {
  const { logger, metrics, pause, backpressure: settings, ...rest } = deps;
  const report = scheduledRunReport(logger, metrics, deps.clock);
  const run: ScheduledRunsDependencies = {
    ...rest,
    ...(settings && {
      backpressure: { budgetMs: settings.budgetMs, room: () => queueRoom({ queueDepth: settings.queueDepth, clock: deps.clock, policy: settings.policy, depthPollMs: settings.depthPollMs }) },
    }),
  };

  const handler = async (rawEvent: unknown, context?: Context): Promise<ScheduledRunSummary> => {
    return withInvocation({ logger, metrics }, context, async () => {
      const parsed = pollerEventSchema.safeParse(rawEvent);
      if (!parsed.success) {
        report.count(POLLER_METRICS.failed);
        throw new Error(`poller input must be {"poller":${SCHEDULED_RUNS.map((name) => `"${name}"`).join('|')}}: ${z.prettifyError(parsed.error)}`);
      }
      const { poller } = parsed.data;
      if (pause && (await pause.isPaused())) {
        logger.info('pollers paused; run skipped, watermark kept', { poller });
        return { poller, paused: true };
      }
      try {
        const summary = await runScheduled(run, parsed.data, report.progress);
        report.completed(summary);
        return summary;
      } catch (error) {
        if (error instanceof RateLimited) {
          report.count(POLLER_METRICS.rateLimited);
          logger.warn('poller rate limited; watermark kept, the next run lists the window again', { poller, retryAfterSeconds: error.retryAfterSeconds, operation: error.operation });
          return { poller, rateLimited: true, retryAfterSeconds: error.retryAfterSeconds };
        }
        report.count(POLLER_METRICS.failed);
        logger.error('poller failed; watermark kept', { poller, error: errorName(error) });
        throw error;
      }
    });
  };
  return handler as ScheduledRunsHandler;
}
