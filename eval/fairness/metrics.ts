import { averageRanks } from '../metrics.ts';

/**
 * The fairness figures, as pure functions: which variants a top-k (or threshold) rule selects, the
 * selection rate and impact ratio per group (NYC Local Law 144's definitions: a category's selection
 * rate divided by the rate of the most selected category), and ROC AUC. An undefined figure is null,
 * never NaN.
 */

/** How variants are selected within one job's pool. */
export type SelectionRule =
  /** The top `share` (0–1] of the pool by score; variants tied at the cut share the places left. */
  | { readonly kind: 'top-share'; readonly share: number }
  /** Every variant scoring `threshold` or more (screening's review threshold: below it, a person reads). */
  | { readonly kind: 'threshold'; readonly threshold: number };

export function describeRule(rule: SelectionRule): string {
  return rule.kind === 'top-share'
    ? `the top ${Math.round(rule.share * 1000) / 10}% of each job's variants by score (variants tied at the cut share the places left)`
    : `every variant scoring ${rule.threshold} or more`;
}

/**
 * How much of each item the rule selects, 0–1. Top-share selects k = share × n: items above the cut
 * count 1, the items tied at the cut share what is left equally, which is the expected selection
 * under a random tie-break, so identical scores always get identical selection.
 */
export function selectionWeights(scores: readonly number[], rule: SelectionRule): number[] {
  if (rule.kind === 'threshold') return scores.map((s) => (s >= rule.threshold ? 1 : 0));
  if (!(rule.share > 0 && rule.share <= 1)) throw new Error(`top share ${rule.share} is not in (0, 1]`);
  const k = rule.share * scores.length;
  if (k === 0) return scores.map(() => 0);
  const cut = [...scores].sort((a, b) => b - a)[Math.ceil(k) - 1]!;
  const above = scores.filter((s) => s > cut).length;
  const tied = scores.filter((s) => s === cut).length;
  return scores.map((s) => (s > cut ? 1 : s === cut ? (k - above) / tied : 0));
}

export interface GroupRate {
  readonly group: string;
  readonly count: number;
  /** Sum of selection weights. */
  readonly selected: number;
  /** selected / count; null without any item. */
  readonly rate: number | null;
  /** rate / the highest rate; null when no group was selected at all. */
  readonly impactRatio: number | null;
}

export interface ImpactTable {
  readonly rows: GroupRate[];
  /** The lowest impact ratio (null when undefined). */
  readonly minimum: number | null;
  readonly lowest: string | null;
  readonly highest: string | null;
}

/** Selection rate and impact ratio per group, in the order of `groups`. */
export function impactTable(items: readonly { readonly group: string; readonly selected: number }[], groups: readonly string[]): ImpactTable {
  const counted = groups.map((group) => {
    const mine = items.filter((i) => i.group === group);
    const selected = mine.reduce((s, i) => s + i.selected, 0);
    return { group, count: mine.length, selected, rate: mine.length ? selected / mine.length : null };
  });
  const rated = counted.filter((r): r is typeof r & { rate: number } => r.rate !== null);
  const best = rated.reduce<(typeof rated)[number] | null>((b, r) => (b === null || r.rate > b.rate ? r : b), null);
  const rows = counted.map((r) => ({ ...r, impactRatio: r.rate === null || !best || best.rate === 0 ? null : r.rate / best.rate }));
  const ratios = rows.filter((r): r is GroupRate & { impactRatio: number } => r.impactRatio !== null);
  const worst = ratios.reduce<(typeof ratios)[number] | null>((w, r) => (w === null || r.impactRatio < w.impactRatio ? r : w), null);
  return { rows, minimum: worst?.impactRatio ?? null, lowest: worst?.group ?? null, highest: worst ? best!.group : null };
}

/**
 * ROC AUC: the chance that a random positive scores above a random negative, a tie counting half
 * (Mann–Whitney U from average ranks). Null without a positive or without a negative.
 */
export function rocAuc(scores: readonly number[], positive: readonly boolean[]): number | null {
  if (scores.length !== positive.length) throw new Error(`scores and labels differ in length (${scores.length} and ${positive.length})`);
  const ranks = averageRanks(scores);
  const nPos = positive.filter(Boolean).length;
  const nNeg = positive.length - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  const rankSum = ranks.reduce((s, r, i) => s + (positive[i] ? r : 0), 0);
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
