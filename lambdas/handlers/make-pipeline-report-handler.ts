import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { RateLimited } from '#core/api-errors';
import type { Clock } from '#core/clock';
import { errorName } from '#core/error-name';
import { ANALYTICS_METRICS } from '#core/metrics';
import { readPipelineHistory, type PipelineHistoryReads } from '#core/analytics/greenhouse-history';
import { buildPipelineReport, type PipelineReport } from '#core/analytics/pipeline-report';
import { datedReportKey, LATEST_HTML_KEY, LATEST_JSON_KEY } from '#core/analytics/report-keys';
import type { AnalyticsSettings } from '#core/analytics/settings';
import { renderReportHtml } from '#adapters/analytics/report-html';
import { withLeases } from '#adapters/http/rate-budget';
import { withPriority } from '#adapters/http/traffic-priority';
import type { MetricsSink } from '#adapters/metrics-sink';
import { withInvocation } from './invocation.ts';

/**
 * The nightly pipeline report's Lambda: EventBridge Scheduler invokes it once a day (its input is not
 * read). It reads the pipeline history from Greenhouse at bulk priority, builds the report (the
 * forecast backtest included), renders the HTML and stores it in the reports bucket, then counts the
 * headline numbers. A rate limit ends the run as a wait: logged and counted, not thrown, as the
 * pollers do, since tomorrow's run reads the same history again; any other failure is thrown (Lambda
 * retries, then the schedule's dead-letter queue, and the Errors alarm).
 */

export interface PipelineReportRunSettings {
  readonly lookbackDays: number;
  readonly report: AnalyticsSettings;
}

export interface PipelineReportHandlerDependencies {
  readonly greenhouse: PipelineHistoryReads;
  readonly s3: Pick<S3Client, 'send'>;
  /** The reports bucket's name; throws when it is not configured (asked for at the start of each run). */
  readonly bucket: () => string;
  readonly settings: PipelineReportRunSettings;
  readonly clock: Pick<Clock, 'now'>;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
}

export interface CompletedReportRun {
  readonly asOf: string;
  /** The objects written, the dated one first. */
  readonly keys: readonly string[];
  readonly jobs: number;
  readonly applications: number;
  readonly bottlenecks: number;
}

export interface RateLimitedReportRun {
  readonly rateLimited: true;
  readonly retryAfterSeconds: number;
  /** The call that met the limit (`GET /v3/applications`), for the log. */
  readonly operation: string;
}

export type PipelineReportRun = CompletedReportRun | RateLimitedReportRun;

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];
type Emit = (name: string, value: number, unit?: Unit) => unknown;

export function makePipelineReportHandler(deps: PipelineReportHandlerDependencies): (event?: unknown, context?: Context) => Promise<PipelineReportRun> {
  const { greenhouse, s3, bucket, settings, clock, logger, metrics } = deps;
  const count: Emit = (name, value, unit = MetricUnit.Count) => metrics.addMetric(name, unit, value);

  return async (_event, context) =>
    withInvocation({ logger, metrics }, context, async () => {
      const asOfMs = clock.now();
      const reportsBucket = bucket();
      let history;
      try {
        // Bulk: the nightly read leaves each window's live reserve to webhooks and the pollers. The
        // run holds the rate budget's leases, and gives back what it did not spend when it ends.
        history = await withLeases(() => withPriority('bulk', () => readPipelineHistory(greenhouse, { asOfMs, lookbackDays: settings.lookbackDays })));
      } catch (error) {
        if (error instanceof RateLimited) {
          count(ANALYTICS_METRICS.rateLimited, 1);
          logger.warn('pipeline report rate limited; no report tonight, the next run reads the history again', {
            retryAfterSeconds: error.retryAfterSeconds,
            operation: error.operation,
          });
          return { rateLimited: true, retryAfterSeconds: error.retryAfterSeconds, operation: error.operation };
        }
        // Counted by the function's Errors alarm: the error is thrown on.
        logger.error('pipeline report failed reading Greenhouse', { error: errorName(error) });
        throw error;
      }

      const report = buildPipelineReport(history, asOfMs, settings.report, { backtest: true });
      const html = await renderReportHtml(report);
      const keys = [datedReportKey(asOfMs), LATEST_HTML_KEY, LATEST_JSON_KEY];
      const put = (key: string, body: string, contentType: string) =>
        s3.send(new PutObjectCommand({ Bucket: reportsBucket, Key: key, Body: body, ContentType: contentType, CacheControl: 'no-cache' }));
      // The dated copy first: a run that fails between the writes leaves yesterday's latest beside today's dated report, never a latest with no dated twin.
      await put(keys[0]!, html, 'text/html; charset=utf-8');
      await put(LATEST_HTML_KEY, html, 'text/html; charset=utf-8');
      // The report is aggregates only (core/analytics/pipeline-report.ts): counts, durations, job-level facts.
      await put(LATEST_JSON_KEY, JSON.stringify(report), 'application/json');

      emitReportMetrics(report, history.applications.length, count);
      const run: CompletedReportRun = {
        asOf: report.asOf,
        keys,
        jobs: report.jobs.length,
        applications: history.applications.length,
        bottlenecks: report.bottlenecks.length,
      };
      logger.info('pipeline report stored', {
        ...run,
        backtestSamples: report.backtest?.samples ?? 0,
        backtestMaeDays: report.backtest?.model.maeDays ?? null,
      });
      return run;
    });
}

/** The headline numbers, one datapoint each; a median with no sample is left out rather than sent as 0. */
function emitReportMetrics(report: PipelineReport, applicationsRead: number, count: Emit): void {
  count(ANALYTICS_METRICS.reportRuns, 1);
  count(ANALYTICS_METRICS.applicationsRead, applicationsRead);
  count(ANALYTICS_METRICS.bottlenecksFound, report.bottlenecks.length);
  const days: readonly [string, number | null | undefined][] = [
    [ANALYTICS_METRICS.forecastBacktestMaeDays, report.backtest?.model.maeDays],
    [ANALYTICS_METRICS.timeToFillMedianDays, report.company.timeToFill.medianDays],
    [ANALYTICS_METRICS.timeToHireMedianDays, report.company.timeToHire.medianDays],
  ];
  for (const [name, value] of days) if (value !== null && value !== undefined) count(name, value, MetricUnit.NoUnit);
}
