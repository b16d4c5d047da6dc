import type { AnalyticsSettings } from '#core/analytics/settings';
import { DAY_MS, daysBetween, median, round } from '#core/analytics/durations';
import { byStageOrder, type StageVisit } from '#core/analytics/history';
import { probabilityLongerByChance } from '#core/analytics/rank-test';

/**
 * One stage of one scope judged by the bottleneck rule: its median time in stage over the recent
 * window against its trailing baseline just before it. A stay counts in the window it ended in, so
 * a slowdown shows once the slowed stays start to leave the stage. A stage is a bottleneck when the
 * median is slower by more than the margin, on enough stays in both windows, and the recent stays are
 * longer beyond what chance gives two samples of the same stage (a one-sided rank test): a department
 * with 30 stays a month otherwise sees a stage "30 % slower" every few reports from noise alone.
 */
export interface StageComparison {
  /** `Company` or a department's name. */
  readonly scope: string;
  readonly stage: string;
  readonly order: number;
  readonly recentCount: number;
  readonly baselineCount: number;
  readonly recentMedianDays: number | null;
  readonly baselineMedianDays: number | null;
  /** recent ÷ baseline − 1 (0.4 = 40 % slower); null when either window is empty or the baseline is zero. */
  readonly change: number | null;
  /** How likely recent stays this much longer would be by chance (Mann–Whitney, one-sided). */
  readonly pValue: number;
  /**
   * `bottleneck`: above the margin on enough stays, beyond chance; `too-few`: a window has fewer than
   * the minimum; `ok` otherwise.
   */
  readonly verdict: 'bottleneck' | 'ok' | 'too-few';
}

export interface Bottleneck extends StageComparison {
  readonly verdict: 'bottleneck';
  /** "Screening is 40 % slower than its 90-day median", with the scope when it is not the company. */
  readonly message: string;
}

export const COMPANY = 'Company';

export function compareStages(scope: string, visits: Iterable<StageVisit>, asOf: number, settings: AnalyticsSettings): StageComparison[] {
  const recentStart = asOf - settings.recentWindowDays * DAY_MS;
  const baselineStart = recentStart - settings.baselineDays * DAY_MS;
  const byStage = new Map<string, { order: number; recent: number[]; baseline: number[] }>();
  for (const visit of visits) {
    if (visit.enteredAt === null || visit.exitedAt === null) continue;
    const exited = Date.parse(visit.exitedAt);
    if (exited <= baselineStart || exited > asOf) continue;
    let stage = byStage.get(visit.stage);
    if (stage === undefined) byStage.set(visit.stage, (stage = { order: visit.order, recent: [], baseline: [] }));
    stage.order = Math.min(stage.order, visit.order);
    (exited > recentStart ? stage.recent : stage.baseline).push(daysBetween(visit.enteredAt, exited));
  }
  return [...byStage.entries()]
    .sort(byStageOrder)
    .map(([stage, { order, recent, baseline }]) => {
      const recentMedian = median(recent) ?? null;
      const baselineMedian = median(baseline) ?? null;
      const change = recentMedian === null || baselineMedian === null || baselineMedian === 0 ? null : recentMedian / baselineMedian - 1;
      const enough = recent.length >= settings.minSampleSize && baseline.length >= settings.minSampleSize;
      const pValue = probabilityLongerByChance(recent, baseline);
      const slower = change !== null && change > settings.bottleneckMargin && pValue < settings.bottleneckMaxPValue;
      const verdict = !enough ? 'too-few' : slower ? 'bottleneck' : 'ok';
      return {
        scope,
        stage,
        order,
        recentCount: recent.length,
        baselineCount: baseline.length,
        recentMedianDays: round(recentMedian),
        baselineMedianDays: round(baselineMedian),
        change: change === null ? null : round(change, 3),
        pValue: round(pValue, 4)!,
        verdict,
      };
    });
}

/** The flagged comparisons, worded, the slowest first. */
export function bottlenecks(comparisons: readonly StageComparison[], settings: AnalyticsSettings): Bottleneck[] {
  return comparisons
    .filter((comparison): comparison is StageComparison & { verdict: 'bottleneck' } => comparison.verdict === 'bottleneck')
    .sort((a, b) => (b.change ?? 0) - (a.change ?? 0))
    .map((comparison) => ({ ...comparison, message: bottleneckMessage(comparison, settings) }));
}

export function bottleneckMessage(comparison: StageComparison, settings: AnalyticsSettings): string {
  const percent = Math.round((comparison.change ?? 0) * 100);
  const where = comparison.scope === COMPANY ? '' : ` in ${comparison.scope}`;
  return `${comparison.stage}${where} is ${percent} % slower than its ${settings.baselineDays}-day median`;
}
