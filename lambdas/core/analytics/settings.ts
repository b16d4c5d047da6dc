import * as z from '#core/zod-mini';

/**
 * The operator's analytics settings, one schema for the stack config and the Lambda (as the AI
 * settings are). Every window and threshold the metrics use is here, with the defaults
 * docs/pipeline-analytics.md explains.
 */
const days = (fallback: number) => z._default(z.number().check(z.gt(0)), fallback);

export const analyticsSettingsSchema = z.strictObject({
  /** The bottleneck rule's recent window: visits that left a stage in the last this-many days. */
  recentWindowDays: days(30),
  /** Its baseline: visits that left the stage in this many days before the recent window. */
  baselineDays: days(90),
  /** A stage is a bottleneck when its recent median exceeds the baseline's by more than this share (0.25 = 25 %). */
  bottleneckMargin: z._default(z.number().check(z.gt(0)), 0.25),
  /** …and only when the recent stays are longer beyond chance: a one-sided rank test below this p-value. */
  bottleneckMaxPValue: z._default(z.number().check(z.gt(0), z.lte(1)), 0.01),
  /** Fewer visits than this in either window and the stage is not judged: tiny samples swing. */
  minSampleSize: z._default(z.int().check(z.gte(1)), 20),
  /** An application idle in a stage longer than this (days) is aging, unless `agingDaysByStage` names the stage. */
  agingDays: days(14),
  agingDaysByStage: z._default(z.record(z.string(), z.number().check(z.gt(0))), {}),
  /** Weeks of trend lines in the report. */
  trendWeeks: z._default(z.int().check(z.gte(1), z.lte(104)), 26),
  /** The forecast's arrival rate: applications per day to a job over this many days. */
  arrivalWindowDays: days(30),
  /** The backtest predicts each past job at these many days after it opened. */
  backtestCutoffDays: z._default(z.array(z.number().check(z.gt(0))).check(z.minLength(1)), [14, 30]),
});

export type AnalyticsSettings = z.infer<typeof analyticsSettingsSchema>;

/** The settings with every default: what the analytics run with unless the operator says otherwise. */
export function analyticsSettings(input: z.input<typeof analyticsSettingsSchema> = {}): AnalyticsSettings {
  return analyticsSettingsSchema.parse(input);
}

export function agingThresholdDays(settings: AnalyticsSettings, stage: string): number {
  return settings.agingDaysByStage[stage] ?? settings.agingDays;
}
