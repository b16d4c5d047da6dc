import type { AnalyticsSettings } from '#core/analytics/settings';
import { DAY_MS, daysBetween, median, round } from '#core/analytics/durations';
import { latestVisits, type AnalyticsJob, type PipelineHistory, type StageVisit } from '#core/analytics/history';
import { funnelOutcomes, groupVisits } from '#core/analytics/segment-metrics';

/**
 * Time to fill per open job, forecast from stage throughput (docs/pipeline-analytics.md, "Forecast").
 *
 * From the history up to `asOf` the model learns, per stage, the share of applications that reach it
 * and are later hired (its yield, from the stage-to-stage conversion rates) and the median days from
 * entering it to the hire; and, for new applicants, the overall yield and the median time to hire. For an open job, each
 * active application is an expected fraction of a hire (its stage's yield) at an expected time (the
 * stage's days to hire less the days it has already spent there). Sorted by that time, the expected
 * hires add up; the forecast is the time at which they reach the job's unfilled openings. When the
 * current pipeline cannot fill them, the rest come from new applicants at the job's recent arrival rate
 * (shrunk towards the company's per-job rate while the job is young) times the new-applicant yield,
 * plus a median time to hire. With no throughput to go on (no
 * applicants, no arrivals), it falls back to the median time to fill less the time already open.
 *
 * Expected values stand in for distributions on purpose: simple enough to explain to a recruiter, and
 * the backtest (backtest.ts) measures what that costs against the naive median.
 */
export interface JobForecast {
  readonly jobKey: string;
  readonly title: string;
  readonly department: string;
  readonly remainingOpenings: number;
  /** Days the job has been open at `asOf`. */
  readonly daysOpen: number;
  /** Active applications in the job's pipeline. */
  readonly pipeline: number;
  /** Sum of their stage yields: hires the current pipeline is expected to make. */
  readonly expectedHiresFromPipeline: number;
  /** Days from `asOf` until the last unfilled opening is filled. */
  readonly daysToFill: number;
  /** daysOpen + daysToFill: the forecast time to fill. */
  readonly timeToFillDays: number;
  readonly method: 'pipeline' | 'pipeline-and-arrivals' | 'median-fallback';
}

export interface ThroughputModel {
  readonly stageYield: ReadonlyMap<string, number>;
  readonly stageDaysToHire: ReadonlyMap<string, number>;
  readonly newApplicantYield: number;
  readonly medianTimeToHire: number | undefined;
  readonly medianTimeToFill: number | undefined;
  /** Applications per open job per day over the arrival window, all jobs pooled: the prior for a job's own rate. */
  readonly arrivalsPerJobDay: number;
}

/** Applications created in the window ÷ the days jobs were open in it. */
function pooledArrivalRate(history: PipelineHistory, asOf: number, windowDays: number): number {
  const start = asOf - windowDays * DAY_MS;
  const created = history.applications.filter((application) => Date.parse(application.createdAt) > start && Date.parse(application.createdAt) <= asOf).length;
  const openDays = history.jobs.reduce((sum, job) => {
    if (job.openedAt === null) return sum;
    const from = Math.max(start, Date.parse(job.openedAt));
    const to = Math.min(asOf, job.closedAt === null ? asOf : Date.parse(job.closedAt));
    return sum + Math.max(0, to - from) / DAY_MS;
  }, 0);
  return openDays === 0 ? 0 : created / openDays;
}

/**
 * A job's arrival rate shrunk towards the pooled one (a Gamma–Poisson estimate whose prior weighs as
 * much as `PRIOR_DAYS` days of the job's own applications): a job a week old with two applicants would
 * otherwise forecast from a rate that is mostly noise, and 1 ÷ a small noisy rate runs very long.
 */
const PRIOR_DAYS = 14;

/**
 * Learns the model from the history at `asOf` (the caller passes a history that holds nothing later).
 *
 * A stage's yield is the product of the pass rates of it and every later stage, each pass rate the
 * stage-to-stage conversion (advanced ÷ decided). Counting hires among decided applications directly
 * would understate it: rejections come early and hires late, so the recently decided are mostly
 * rejections while the future hires are still in the pipeline. Applications rejected when their job
 * had no seat left are left out of the pass rates.
 */
export function throughputModel(history: PipelineHistory, asOf: number, settings: AnalyticsSettings): ThroughputModel {
  // Rejected once every seat of the job was taken: the pipeline closed out, not judged. Counted as
  // drops, those would make every stage look harder to pass than it is for a job still hiring.
  const filledUp = new Map(
    history.jobs.flatMap((job) =>
      job.openings.length > 0 && job.openings.every((opening) => opening.closedAt !== null) ? [[job.key, Math.max(...job.openings.map((opening) => Date.parse(opening.closedAt!)))] as const] : [],
    ),
  );
  const closedOut = (application: PipelineHistory['applications'][number]) =>
    application.rejectedAt !== null && Date.parse(application.rejectedAt) >= (filledUp.get(application.jobKey) ?? Infinity);
  const applications = new Map(history.applications.filter((application) => !closedOut(application)).map((application) => [application.key, application]));
  const stages = new Map<string, { order: number; advanced: number; dropped: number; daysToHire: number[] }>();
  for (const [key, visits] of groupVisits(history.stageVisits)) {
    const application = applications.get(key);
    if (application === undefined) continue;
    for (const [name, { outcome, visit }] of funnelOutcomes(application, visits)) {
      let stage = stages.get(name);
      if (stage === undefined) stages.set(name, (stage = { order: visit.order, advanced: 0, dropped: 0, daysToHire: [] }));
      stage.order = Math.min(stage.order, visit.order);
      if (outcome === 'advanced') stage.advanced += 1;
      else if (outcome === 'dropped') stage.dropped += 1;
      if (application.status === 'hired' && visit.enteredAt !== null) stage.daysToHire.push(daysBetween(visit.enteredAt, application.hiredAt!));
    }
  }
  const ordered = [...stages.entries()].sort(([, a], [, b]) => b.order - a.order);
  const stageYield = new Map<string, number>();
  let yieldFromHere = 1;
  for (const [name, stage] of ordered) {
    const decided = stage.advanced + stage.dropped;
    yieldFromHere *= decided === 0 ? 0 : stage.advanced / decided;
    stageYield.set(name, yieldFromHere);
  }
  const hired = history.applications.filter((application) => application.status === 'hired');
  return {
    stageYield,
    stageDaysToHire: new Map(ordered.flatMap(([name, { daysToHire }]) => (daysToHire.length === 0 ? [] : [[name, median(daysToHire)!]]))),
    // The first stage's yield: where every new application starts.
    newApplicantYield: ordered.length === 0 ? 0 : stageYield.get(ordered.at(-1)![0])!,
    medianTimeToHire: median(hired.map((application) => daysBetween(application.createdAt, application.hiredAt!))),
    arrivalsPerJobDay: pooledArrivalRate(history, asOf, settings.arrivalWindowDays),
    medianTimeToFill: median(
      history.jobs.flatMap((job) => job.openings.filter((opening) => opening.filled && opening.closedAt !== null).map((opening) => daysBetween(opening.openedAt, opening.closedAt!))),
    ),
  };
}

export interface ForecastOptions {
  /** Forecast only these jobs. */
  readonly only?: (job: AnalyticsJob) => boolean;
  /** A model learned before (from a history that ends no later than `asOf`); learned from `history` without it. */
  readonly model?: ThroughputModel;
}

/**
 * A forecast for every open job with unfilled openings (or those `only` keeps), from a history that
 * holds nothing after `asOf`; the model learns from all of it.
 */
export function forecastOpenJobs(history: PipelineHistory, asOf: number, settings: AnalyticsSettings, options: ForecastOptions = {}): JobForecast[] {
  const model = options.model ?? throughputModel(history, asOf, settings);
  const only = options.only ?? (() => true);
  const visits = groupVisits(history.stageVisits);
  const latest = latestVisits(history.stageVisits);
  const byJob = new Map<string, typeof history.applications[number][]>();
  for (const application of history.applications) {
    const list = byJob.get(application.jobKey);
    if (list === undefined) byJob.set(application.jobKey, [application]);
    else list.push(application);
  }
  return history.jobs
    .filter((job) => job.status === 'open' && unfilled(job).length > 0 && only(job))
    .map((job) => forecastJob(job, byJob.get(job.key) ?? [], visits, latest, model, asOf, settings));
}

function unfilled(job: AnalyticsJob) {
  return job.openings.filter((opening) => opening.closedAt === null);
}

function forecastJob(
  job: AnalyticsJob,
  applications: readonly PipelineHistory['applications'][number][],
  visits: ReadonlyMap<string, readonly StageVisit[]>,
  latest: ReadonlyMap<string, StageVisit>,
  model: ThroughputModel,
  asOf: number,
  settings: AnalyticsSettings,
): JobForecast {
  const openings = unfilled(job);
  const remaining = openings.length;
  const openedAt = Math.min(...openings.map((opening) => Date.parse(opening.openedAt)), job.openedAt === null ? Infinity : Date.parse(job.openedAt));
  const daysOpen = Math.max(0, (asOf - openedAt) / DAY_MS);

  const active = applications.filter((application) => application.status === 'active' && visits.has(application.key));
  const expected = active
    .map((application) => {
      const visit = latest.get(application.key)!;
      const inStage = visit.enteredAt === null ? 0 : (asOf - Date.parse(visit.enteredAt)) / DAY_MS;
      const toHire = model.stageDaysToHire.get(visit.stage) ?? model.medianTimeToHire ?? 0;
      return { hires: model.stageYield.get(visit.stage) ?? model.newApplicantYield, days: Math.max(0, toHire - inStage) };
    })
    .sort((a, b) => a.days - b.days);

  let cumulative = 0;
  let daysToFill: number | undefined;
  for (const { hires, days } of expected) {
    cumulative += hires;
    if (cumulative >= remaining) {
      daysToFill = days;
      break;
    }
  }
  const expectedHiresFromPipeline = round(cumulative, 2)!;
  let method: JobForecast['method'] = 'pipeline';

  if (daysToFill === undefined) {
    const windowDays = Math.max(1, Math.min(settings.arrivalWindowDays, daysOpen));
    const seen = applications.filter((application) => Date.parse(application.createdAt) > asOf - windowDays * DAY_MS).length;
    const arrivals = (seen + model.arrivalsPerJobDay * PRIOR_DAYS) / (windowDays + PRIOR_DAYS);
    const hiresPerDay = arrivals * model.newApplicantYield;
    if (hiresPerDay > 0 && model.medianTimeToHire !== undefined) {
      method = 'pipeline-and-arrivals';
      daysToFill = (remaining - cumulative) / hiresPerDay + model.medianTimeToHire;
    } else {
      method = 'median-fallback';
      daysToFill = Math.max(0, (model.medianTimeToFill ?? 0) - daysOpen);
    }
  }

  return {
    jobKey: job.key,
    title: job.title,
    department: job.department,
    remainingOpenings: remaining,
    daysOpen: round(daysOpen)!,
    pipeline: active.length,
    expectedHiresFromPipeline,
    daysToFill: round(daysToFill)!,
    timeToFillDays: round(daysOpen + daysToFill)!,
    method,
  };
}
