import type { AnalyticsSettings } from '#core/analytics/settings';
import { backtestForecast, type BacktestResult } from '#core/analytics/backtest';
import { bottlenecks, COMPANY, compareStages, type Bottleneck, type StageComparison } from '#core/analytics/bottlenecks';
import { forecastOpenJobs, type JobForecast } from '#core/analytics/forecast';
import { historyAsOf, type AnalyticsJob, type JobStatus, type PipelineHistory } from '#core/analytics/history';
import { groupVisits, segmentMetrics, type SegmentMetrics } from '#core/analytics/segment-metrics';
import { weeklyTrends, type Trends } from '#core/analytics/trends';

/**
 * Everything the nightly analytics publish, as data: the HTML report, the metrics and any job note
 * are drawn from this. It holds aggregates only: counts, durations and job-level facts, never an
 * application, a candidate or their keys (test/unit/analytics/privacy.test.ts).
 */
export interface PipelineReport {
  readonly asOf: string;
  readonly settings: Pick<AnalyticsSettings, 'recentWindowDays' | 'baselineDays' | 'bottleneckMargin' | 'minSampleSize'>;
  readonly company: SegmentMetrics;
  readonly departments: readonly { readonly department: string; readonly metrics: SegmentMetrics }[];
  readonly jobs: readonly JobSummary[];
  /** The company's stages under the bottleneck rule, flagged or not (the report's comparison chart). */
  readonly stageComparisons: readonly StageComparison[];
  /** Flagged stages, the company's and each department's, the slowest first. */
  readonly bottlenecks: readonly Bottleneck[];
  readonly trends: Trends;
  readonly forecasts: readonly JobForecast[];
  /** Null when the run skipped it. */
  readonly backtest: BacktestResult | null;
}

export interface JobSummary {
  /** The Greenhouse job id: the wiring needs it for a job note. Not personal data. */
  readonly jobKey: string;
  readonly title: string;
  readonly department: string;
  readonly office: string;
  readonly status: JobStatus;
  readonly metrics: SegmentMetrics;
}

export interface ReportOptions {
  /** Run the forecast backtest (seconds on a year of history for hundreds of jobs). Default true. */
  readonly backtest?: boolean;
}

export function buildPipelineReport(history: PipelineHistory, asOf: number, settings: AnalyticsSettings, options: ReportOptions = {}): PipelineReport {
  // Whatever the caller read, nothing after `asOf` counts.
  const now = historyAsOf(history, asOf);
  const visitsByApplication = groupVisits(now.stageVisits);
  const jobsByKey = new Map(now.jobs.map((job) => [job.key, job]));
  const applicationsOf = (jobs: readonly AnalyticsJob[]) => {
    const keys = new Set(jobs.map((job) => job.key));
    return now.applications.filter((application) => keys.has(application.jobKey));
  };
  const visitsOf = (applications: readonly PipelineHistory['applications'][number][]) => applications.flatMap((application) => visitsByApplication.get(application.key) ?? []);
  const metricsOf = (jobs: readonly AnalyticsJob[]) => segmentMetrics({ jobs, applications: applicationsOf(jobs), visitsByApplication }, asOf, settings);

  const departmentNames = [...new Set(now.jobs.map((job) => job.department))].sort((a, b) => a.localeCompare(b));
  const jobsIn = (department: string) => now.jobs.filter((job) => job.department === department);
  const companyComparisons = compareStages(COMPANY, now.stageVisits, asOf, settings);
  const departmentComparisons = departmentNames.flatMap((department) => compareStages(department, visitsOf(applicationsOf(jobsIn(department))), asOf, settings));

  return {
    asOf: new Date(asOf).toISOString(),
    settings: {
      recentWindowDays: settings.recentWindowDays,
      baselineDays: settings.baselineDays,
      bottleneckMargin: settings.bottleneckMargin,
      minSampleSize: settings.minSampleSize,
    },
    company: metricsOf(now.jobs),
    departments: departmentNames.map((department) => ({ department, metrics: metricsOf(jobsIn(department)) })),
    jobs: [...jobsByKey.values()].map((job) => ({
      jobKey: job.key,
      title: job.title,
      department: job.department,
      office: job.office,
      status: job.status,
      metrics: metricsOf([job]),
    })),
    stageComparisons: companyComparisons,
    bottlenecks: bottlenecks([...companyComparisons, ...departmentComparisons], settings),
    trends: weeklyTrends(now.applications, now.stageVisits, asOf, settings.trendWeeks),
    forecasts: forecastOpenJobs(now, asOf, settings).sort((a, b) => b.daysToFill - a.daysToFill),
    backtest: options.backtest === false ? null : backtestForecast(now, asOf, settings),
  };
}
