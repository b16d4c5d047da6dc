import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { POLLER_METRICS, USERS_UNMATCHED_METRIC } from '#core/metrics';
import type { Clock } from '#core/clock';
import type { PollProgress } from '#core/sync/poll-greenhouse';
import type { CompletedRunSummary } from '#core/sync/scheduled-runs';
import type { MetricsSink } from '#adapters/metrics-sink';

/**
 * The metrics and log lines of the scheduled runs (make-scheduled-runs-handler.ts): counts and ids
 * only, never a record's content. A window poller's steps are reported as they happen, so a run that
 * fails later still counts what it queued.
 */
export function scheduledRunReport(logger: Logger, metrics: MetricsSink, clock: Clock) {
  const count = (name: string, value = 1) => metrics.addMetric(name, MetricUnit.Count, value);

  function progress(event: PollProgress): void {
    if (event.kind === 'queued') {
      count(POLLER_METRICS.queued, event.messages);
    } else if (event.kind === 'window-done') {
      const { poller, window } = event;
      logger.info('poll window done', { poller, from: window.from, to: window.to, found: window.found });
    } else {
      const { poller, window, found, queued, windows, budgetMs } = event;
      count(POLLER_METRICS.backpressure);
      logger.warn('greenhouse-changes had no room before the run\'s budget ran out; watermark kept, the next run lists this window again', {
        poller,
        from: window.from,
        to: window.to,
        found,
        queued,
        windows,
        budgetMs,
      });
    }
  }

  function completed(summary: CompletedRunSummary): void {
    if (summary.poller === 'users') {
      const { poller: _poller, ...result } = summary;
      count(USERS_UNMATCHED_METRIC, result.unmatched);
      logger.info('users reference sync done', { ...result });
    } else if (summary.poller === 'beamery') {
      count(POLLER_METRICS.queued, summary.queued);
      logger.info('beamery poll done', { ...summary });
    } else if (summary.poller === 'deletions') {
      if (!summary.complete) logger.warn('deletions sweep reached its request cap; the next run continues from its cursor', { ...summary });
      else logger.info('deletions sweep done', { ...summary });
    } else if (summary.poller === 'rediscovery') {
      // Its messages were counted as they were queued (progress).
      logger.info('rediscovery run queued the open jobs', { ...summary });
    } else if (!summary.caughtUp && !summary.backpressured) {
      logger.warn('poller still behind after its windows for this run; the next run continues', { poller: summary.poller, watermark: summary.watermark, windows: summary.windows.length });
    }
    if ('watermark' in summary && typeof summary.watermark === 'string') {
      metrics.addMetric(POLLER_METRICS.lagSeconds, MetricUnit.Seconds, Math.max(0, Math.round((clock.now() - Date.parse(summary.watermark)) / 1000)));
    }
  }

  return { count, progress, completed };
}
