import { errorName } from '#core/error-name';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import * as z from '#core/zod-mini';
import { POLLER_METRICS } from '#core/metrics';
import type { SweepSummary } from '#core/sync/deletion-sweep';
import type { BeameryPollSummary } from '#core/sync/poll-beamery';
import type { PollRunSummary } from '#core/sync/poll-greenhouse';
import type { RediscoveryRunSummary } from '#core/sync/rediscovery-run';
import { SCHEDULED_RUNS, pollerEventSchema, type PollerEvent, type PollerName } from '#core/sync/poll-window';
import { isRateLimitedRun, runScheduled, type ScheduledRunSummary, type ScheduledRunsDependencies, type UsersRunSummary } from '#core/sync/scheduled-runs';
import type { PauseSwitch } from '#adapters/store/switches';
import { withPriority } from '#adapters/http/traffic-priority';
import { withLeases } from '#adapters/http/rate-budget';
import type { MetricsSink } from '#adapters/metrics-sink';
import { scheduledRunReport } from './scheduled-run-report.ts';
import { withInvocation } from './invocation.ts';

/**
 * The scheduled runs' Lambda: EventBridge Scheduler invokes it with `{ "poller": ... }` (poll-window.ts
 * SCHEDULED_RUNS); what each run does, and that a rate limit ends it as a wait rather than a failure,
 * is in lambdas/core/sync/scheduled-runs.ts. Any other failure is thrown: the watermark stays, Lambda
 * retries, then the next tick.
 */

/** The handler, typed by its input: a window poller's run answers with windows, a users run with counts. */
export interface ScheduledRunsHandler {
  (event: PollerEvent & { poller: PollerName }, context?: Context): Promise<PollRunSummary>;
  (event: PollerEvent & { poller: 'users' }, context?: Context): Promise<UsersRunSummary>;
  (event: PollerEvent & { poller: 'beamery' }, context?: Context): Promise<BeameryPollSummary>;
  (event: PollerEvent & { poller: 'deletions' }, context?: Context): Promise<SweepSummary>;
  (event: PollerEvent & { poller: 'rediscovery' }, context?: Context): Promise<RediscoveryRunSummary>;
  (event: unknown, context?: Context): Promise<ScheduledRunSummary>;
}

export interface ScheduledRunsHandlerDependencies extends ScheduledRunsDependencies {
  /** The operator's `pollers` switch: a paused run does nothing and keeps every watermark. */
  readonly pause?: PauseSwitch;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
}

export function makeScheduledRunsHandler(deps: ScheduledRunsHandlerDependencies): ScheduledRunsHandler {
  const { logger, metrics, pause, ...run } = deps;
  const report = scheduledRunReport(logger, metrics, deps.clock);

  const handler = async (rawEvent: unknown, context?: Context): Promise<ScheduledRunSummary> => {
    return withInvocation({ logger, metrics }, context, async () => {
      const parsed = pollerEventSchema.safeParse(rawEvent);
      if (!parsed.success) {
        throw new Error(`poller input must be {"poller":${SCHEDULED_RUNS.map((name) => `"${name}"`).join('|')}}: ${z.prettifyError(parsed.error)}`);
      }
      const { poller } = parsed.data;
      if (pause && (await pause.isPaused())) {
        logger.info('pollers paused; run skipped, watermark kept', { poller });
        return { poller, paused: true };
      }
      try {
        // The deletions sweep is bulk: it leaves each window's live reserve to webhooks and polls. The
        // rediscovery run is live like the pollers: one listing of the open jobs a day. The run holds the
        // rate budgets' leases: what it did not spend goes back when it ends.
        const summary = await withLeases(() => withPriority(poller === 'deletions' ? 'bulk' : 'live', () => runScheduled(run, parsed.data, report.progress)));
        if (isRateLimitedRun(summary)) {
          report.count(POLLER_METRICS.rateLimited);
          logger.warn('poller rate limited; watermark kept, the next run lists the window again', { poller, retryAfterSeconds: summary.retryAfterSeconds, operation: summary.operation });
        } else {
          report.completed(summary);
        }
        return summary;
      } catch (error) {
        // Counted by the poller's Errors alarm: the error is thrown on.
        logger.error('poller failed; watermark kept', { poller, error: errorName(error) });
        throw error;
      }
    });
  };
  return handler as ScheduledRunsHandler;
}
