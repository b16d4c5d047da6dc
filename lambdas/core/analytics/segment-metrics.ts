import { agingThresholdDays, type AnalyticsSettings } from '#core/analytics/settings';
import { DAY_MS, daysBetween, summariseDurations, type DurationSummary } from '#core/analytics/durations';
import { byStageOrder, type AnalyticsApplication, type AnalyticsJob, type StageVisit } from '#core/analytics/history';

/**
 * The aggregates of one segment (a job, a department, the company): counts and durations only, never
 * an application. Durations count what ended in the metrics window before `asOf` (a year by default),
 * so an old hire does not weigh on today's numbers.
 */
export interface SegmentMetrics {
  readonly jobs: number;
  readonly openJobs: number;
  /** Unfilled openings of open jobs. */
  readonly openOpenings: number;
  /** Applications created in the window, and what became of them. */
  readonly applications: number;
  readonly active: number;
  readonly hired: number;
  readonly rejected: number;
  readonly stages: readonly StageMetrics[];
  /** Opening opened → filled, for openings filled in the window. */
  readonly timeToFill: DurationSummary;
  /** Application created → hired, for hires in the window. */
  readonly timeToHire: DurationSummary;
}

export interface StageMetrics {
  readonly stage: string;
  /** The lowest place the stage has in the segment's interview plans. */
  readonly order: number;
  /** Applications (created in the window, or active) that reached the stage. */
  readonly entered: number;
  /** Of those, how many went on to a later stage or a hire. */
  readonly advanced: number;
  /** How many were rejected in it. */
  readonly dropped: number;
  /** How many are still in it. */
  readonly inStage: number;
  /** Stage-to-stage conversion: advanced ÷ (advanced + dropped), the decided ones only; null with none decided. */
  readonly conversion: number | null;
  /** Completed stays that ended in the window. */
  readonly timeInStage: DurationSummary;
  /** The same stays as a histogram (the report's distribution chart). */
  readonly distribution: readonly DurationBin[];
  /** Active applications idle in the stage longer than its threshold. */
  readonly aging: { readonly thresholdDays: number; readonly count: number };
}

export interface DurationBin {
  readonly fromDays: number;
  /** Null for the last, open-ended bin. */
  readonly toDays: number | null;
  readonly count: number;
}

/** Bin edges in days: finer where most stays end, coarse in the tail. */
export const DURATION_BIN_EDGES: readonly number[] = [0, 1, 2, 3, 5, 7, 10, 14, 21, 30, 45, 60];

/** One segment's records, the visits grouped by application once for every segment. */
export interface Segment {
  readonly jobs: readonly AnalyticsJob[];
  readonly applications: readonly AnalyticsApplication[];
  readonly visitsByApplication: ReadonlyMap<string, readonly StageVisit[]>;
}

export function groupVisits(visits: readonly StageVisit[]): Map<string, StageVisit[]> {
  const grouped = new Map<string, StageVisit[]>();
  for (const visit of visits) {
    const list = grouped.get(visit.applicationKey);
    if (list === undefined) grouped.set(visit.applicationKey, [visit]);
    else list.push(visit);
  }
  return grouped;
}

export function segmentMetrics(segment: Segment, asOf: number, settings: AnalyticsSettings, windowDays = 365): SegmentMetrics {
  const windowStart = asOf - windowDays * DAY_MS;
  const inWindow = (at: string | null): at is string => at !== null && Date.parse(at) > windowStart && Date.parse(at) <= asOf;
  const open = segment.jobs.filter((job) => job.status === 'open');
  // Active applications count whenever they were created: they are today's pipeline.
  const applications = segment.applications.filter((application) => inWindow(application.createdAt) || application.status === 'active');

  return {
    jobs: segment.jobs.length,
    openJobs: open.length,
    openOpenings: open.reduce((sum, job) => sum + job.openings.filter((opening) => opening.closedAt === null).length, 0),
    applications: applications.length,
    active: applications.filter((application) => application.status === 'active').length,
    hired: applications.filter((application) => application.status === 'hired').length,
    rejected: applications.filter((application) => application.status === 'rejected').length,
    stages: stageMetrics(segment.applications, new Set(applications), segment.visitsByApplication, asOf, windowStart, settings),
    timeToFill: summariseDurations(
      segment.jobs.flatMap((job) => job.openings.filter((opening) => opening.filled && inWindow(opening.closedAt)).map((opening) => daysBetween(opening.openedAt, opening.closedAt!))),
    ),
    timeToHire: summariseDurations(segment.applications.filter((application) => inWindow(application.hiredAt)).map((application) => daysBetween(application.createdAt, application.hiredAt!))),
  };
}

interface StageTally {
  order: number;
  entered: number;
  advanced: number;
  dropped: number;
  inStage: number;
  durations: number[];
  aging: number;
}

export type FunnelOutcome = 'advanced' | 'dropped' | 'in-stage';

/**
 * What became of an application in each stage it reached, once per stage however often it came back
 * (with the stage's first visit): it moved on (to a later stage, or was hired from it), was rejected
 * in it, or is still there.
 */
export function funnelOutcomes(application: AnalyticsApplication, visits: readonly StageVisit[]): Map<string, { outcome: FunnelOutcome; visit: StageVisit }> {
  const furthest = Math.max(...visits.map((visit) => visit.order));
  const outcomes = new Map<string, { outcome: FunnelOutcome; visit: StageVisit }>();
  for (const visit of visits) {
    if (outcomes.has(visit.stage)) continue;
    const outcome = visit.order < furthest || application.status === 'hired' ? 'advanced' : application.status === 'rejected' ? 'dropped' : 'in-stage';
    outcomes.set(visit.stage, { outcome, visit });
  }
  return outcomes;
}

/** Durations and aging from every application's stays; the funnel from the window's applications (`inFunnel`). */
function stageMetrics(
  applications: readonly AnalyticsApplication[],
  inFunnel: ReadonlySet<AnalyticsApplication>,
  visitsByApplication: ReadonlyMap<string, readonly StageVisit[]>,
  asOf: number,
  windowStart: number,
  settings: AnalyticsSettings,
): StageMetrics[] {
  const tallies = new Map<string, StageTally>();
  const tally = (visit: StageVisit): StageTally => {
    let found = tallies.get(visit.stage);
    if (found === undefined) {
      found = { order: visit.order, entered: 0, advanced: 0, dropped: 0, inStage: 0, durations: [], aging: 0 };
      tallies.set(visit.stage, found);
    }
    found.order = Math.min(found.order, visit.order);
    return found;
  };

  for (const application of applications) {
    const visits = visitsByApplication.get(application.key) ?? [];
    for (const visit of visits) {
      const stage = tally(visit);
      if (visit.enteredAt !== null && visit.exitedAt !== null) {
        const exited = Date.parse(visit.exitedAt);
        if (exited > windowStart && exited <= asOf) stage.durations.push(daysBetween(visit.enteredAt, exited));
      }
      if (visit.exitedAt === null && visit.enteredAt !== null && application.status === 'active') {
        if ((asOf - Date.parse(visit.enteredAt)) / DAY_MS > agingThresholdDays(settings, visit.stage)) stage.aging += 1;
      }
    }
    if (!inFunnel.has(application)) continue;
    for (const [name, { outcome }] of funnelOutcomes(application, visits)) {
      const stage = tallies.get(name)!;
      stage.entered += 1;
      if (outcome === 'advanced') stage.advanced += 1;
      else if (outcome === 'dropped') stage.dropped += 1;
      else stage.inStage += 1;
    }
  }

  return [...tallies.entries()]
    .sort(byStageOrder)
    .map(([stage, t]) => ({
      stage,
      order: t.order,
      entered: t.entered,
      advanced: t.advanced,
      dropped: t.dropped,
      inStage: t.inStage,
      conversion: t.advanced + t.dropped === 0 ? null : t.advanced / (t.advanced + t.dropped),
      timeInStage: summariseDurations(t.durations),
      distribution: histogram(t.durations),
      aging: { thresholdDays: agingThresholdDays(settings, stage), count: t.aging },
    }));
}

function histogram(days: readonly number[]): DurationBin[] {
  return DURATION_BIN_EDGES.map((fromDays, index) => {
    const toDays = DURATION_BIN_EDGES[index + 1] ?? null;
    return { fromDays, toDays, count: days.filter((d) => d >= fromDays && (toDays === null || d < toDays)).length };
  });
}
