import { DAY_MS, daysBetween, median, round } from '#core/analytics/durations';
import { byStageOrder, type AnalyticsApplication, type StageVisit } from '#core/analytics/history';

/** One week of the company's volumes. */
export interface VolumeWeek {
  /** The week's first day (YYYY-MM-DD); weeks end at `asOf`, not on a calendar boundary. */
  readonly weekStart: string;
  readonly applications: number;
  readonly hires: number;
}

/** One week of one stage: the median stay of the stays that ended that week. */
export interface StageWeek {
  readonly weekStart: string;
  readonly stage: string;
  readonly count: number;
  readonly medianDays: number | null;
}

export interface Trends {
  readonly volumes: readonly VolumeWeek[];
  readonly timeInStage: readonly StageWeek[];
}

const WEEK_MS = 7 * DAY_MS;

export function weeklyTrends(applications: readonly AnalyticsApplication[], visits: readonly StageVisit[], asOf: number, weeks: number): Trends {
  const start = asOf - weeks * WEEK_MS;
  const week = (at: number): number | undefined => (at > start && at <= asOf ? Math.min(weeks - 1, Math.floor((at - start) / WEEK_MS)) : undefined);
  const weekStart = (index: number) => new Date(start + index * WEEK_MS).toISOString().slice(0, 10);

  const created = new Array<number>(weeks).fill(0);
  const hires = new Array<number>(weeks).fill(0);
  for (const application of applications) {
    const c = week(Date.parse(application.createdAt));
    if (c !== undefined) created[c]! += 1;
    const h = application.hiredAt === null ? undefined : week(Date.parse(application.hiredAt));
    if (h !== undefined) hires[h]! += 1;
  }

  const stays = new Map<string, { order: number; weeks: number[][] }>();
  for (const visit of visits) {
    if (visit.enteredAt === null || visit.exitedAt === null) continue;
    const w = week(Date.parse(visit.exitedAt));
    if (w === undefined) continue;
    let stage = stays.get(visit.stage);
    if (stage === undefined) stays.set(visit.stage, (stage = { order: visit.order, weeks: Array.from({ length: weeks }, () => []) }));
    stage.order = Math.min(stage.order, visit.order);
    stage.weeks[w]!.push(daysBetween(visit.enteredAt, visit.exitedAt));
  }

  return {
    volumes: created.map((applicationsThatWeek, index) => ({ weekStart: weekStart(index), applications: applicationsThatWeek, hires: hires[index]! })),
    timeInStage: [...stays.entries()]
      .sort(byStageOrder)
      .flatMap(([stage, { weeks: byWeek }]) =>
        byWeek.map((days, index) => ({ weekStart: weekStart(index), stage, count: days.length, medianDays: round(median(days) ?? null) })),
      ),
  };
}
