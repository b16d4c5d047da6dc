import type { AnalyticsSettings } from '#core/analytics/settings';
import { DAY_MS, round } from '#core/analytics/durations';
import { historyAsOf, type AnalyticsJob, type PipelineHistory } from '#core/analytics/history';
import { forecastOpenJobs, throughputModel, type ThroughputModel } from '#core/analytics/forecast';
import { groupVisits } from '#core/analytics/segment-metrics';

/**
 * The forecast measured on the past: every job whose openings were all filled is predicted again at
 * each cut-off (so many days after it opened, while it was still unfilled) and the prediction compared
 * with the time to fill it actually took. Nothing after the cut-off is used: the job's own pipeline is
 * taken as it stood at the cut-off (`historyAsOf`), and the model is learned from the whole history as
 * it stood at the start of the cut-off's week (weekly, so hundreds of predictions need only a few dozen
 * models; a model a few days old loses a few days of data, it never sees the future). The naive
 * forecast (the median time to fill known then, or the days already open if longer) is measured on
 * the same jobs, so the report says whether the model beats it.
 */
export interface BacktestResult {
  /** Predictions compared (job × cut-off). */
  readonly samples: number;
  readonly model: ForecastError;
  readonly naive: ForecastError;
  readonly cutoffDays: readonly number[];
}

export interface ForecastError {
  /** Mean absolute error, in days. */
  readonly maeDays: number | null;
  /** Mean absolute percentage error, as a share (0.25 = 25 %). */
  readonly mape: number | null;
  /** Mean of predicted − actual, in days: positive when the forecast runs long. */
  readonly biasDays: number | null;
}

const WEEK_MS = 7 * DAY_MS;

/** A job's time to fill: from its opening to the fill of its last opening. */
function actualTimeToFill(job: AnalyticsJob): { opened: number; filled: number } | undefined {
  if (job.openedAt === null || job.openings.length === 0 || !job.openings.every((opening) => opening.filled && opening.closedAt !== null)) return undefined;
  return { opened: Date.parse(job.openedAt), filled: Math.max(...job.openings.map((opening) => Date.parse(opening.closedAt!))) };
}

export function backtestForecast(history: PipelineHistory, asOf: number, settings: AnalyticsSettings): BacktestResult {
  const applicationsByJob = new Map<string, PipelineHistory['applications'][number][]>();
  for (const application of history.applications) applicationsByJob.set(application.jobKey, [...(applicationsByJob.get(application.jobKey) ?? []), application]);
  const visitsByApplication = groupVisits(history.stageVisits);
  const models = new Map<number, ThroughputModel>();
  const modelAt = (cutoff: number) => {
    const week = Math.floor(cutoff / WEEK_MS) * WEEK_MS;
    let found = models.get(week);
    if (found === undefined) {
      models.set(week, (found = throughputModel(historyAsOf(history, week), week, settings)));
    }
    return found;
  };

  const model: number[][] = [];
  const naive: number[][] = [];
  for (const cutoffDays of settings.backtestCutoffDays) {
    for (const job of history.jobs) {
      const actual = actualTimeToFill(job);
      if (actual === undefined || actual.filled > asOf) continue;
      const cutoff = actual.opened + cutoffDays * DAY_MS;
      if (actual.filled <= cutoff) continue;
      const applications = applicationsByJob.get(job.key) ?? [];
      const own: PipelineHistory = { jobs: [job], applications, stageVisits: applications.flatMap((application) => visitsByApplication.get(application.key) ?? []) };
      const learned = modelAt(cutoff);
      const forecast = forecastOpenJobs(historyAsOf(own, cutoff), cutoff, settings, { model: learned })[0];
      if (forecast === undefined) continue;
      const actualDays = (actual.filled - actual.opened) / DAY_MS;
      model.push([cutoffDays + forecast.daysToFill, actualDays]);
      naive.push([Math.max(cutoffDays, learned.medianTimeToFill ?? cutoffDays), actualDays]);
    }
  }
  return { samples: model.length, model: errors(model), naive: errors(naive), cutoffDays: settings.backtestCutoffDays };
}

function errors(pairs: readonly number[][]): ForecastError {
  if (pairs.length === 0) return { maeDays: null, mape: null, biasDays: null };
  const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
  const signed = pairs.map(([predicted, actual]) => predicted! - actual!);
  return {
    maeDays: round(mean(signed.map(Math.abs))),
    mape: round(mean(pairs.map(([, actual], index) => Math.abs(signed[index]!) / actual!)), 3),
    biasDays: round(mean(signed)),
  };
}
