import type { Iso } from '#core/analytics/history';

export const DAY_MS = 86_400_000;

/** Days from `from` to `to` (fractional; negative when `to` is earlier). */
export function daysBetween(from: Iso | number, to: Iso | number): number {
  const ms = (at: Iso | number) => (typeof at === 'number' ? at : Date.parse(at));
  return (ms(to) - ms(from)) / DAY_MS;
}

/**
 * The `p`-th percentile (0–1) by linear interpolation between the closest ranks (the common
 * "type 7" definition, numpy's and a spreadsheet's default); undefined for no values.
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (sorted.length - 1) * p;
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

export function median(values: readonly number[]): number | undefined {
  return percentile(values, 0.5);
}

/** A duration distribution as the report shows it: how many, the median and the 90th percentile, in days. */
export interface DurationSummary {
  readonly count: number;
  readonly medianDays: number | null;
  readonly p90Days: number | null;
}

export function summariseDurations(days: readonly number[]): DurationSummary {
  return { count: days.length, medianDays: round(median(days) ?? null), p90Days: round(percentile(days, 0.9) ?? null) };
}

/** Rounds to a tenth of a day: finer is noise, and the report should not look more precise than it is. */
export function round(days: number | null, places = 1): number | null {
  if (days === null) return null;
  const factor = 10 ** places;
  return Math.round(days * factor) / factor;
}
