/**
 * Ranking figures for the rediscovery eval, as pure functions over a ranked list of graded results
 * (the grade of the result at each position, best first) and the grades of every labelled item of the
 * query. A figure that is undefined (no relevant item, an ideal ranking worth nothing) is null, never
 * NaN or a flattering 1.
 */

/**
 * Share of the relevant items (grade ≥ `minGrade`) found in the first k results:
 * |relevant ∩ top k| / |relevant|. Null when the query has no relevant item.
 */
export function recallAtK(rankedGrades: readonly number[], allGrades: readonly number[], k: number, minGrade: number): number | null {
  const relevant = allGrades.filter((g) => g >= minGrade).length;
  if (relevant === 0) return null;
  return rankedGrades.slice(0, k).filter((g) => g >= minGrade).length / relevant;
}

/** Discounted cumulative gain of the first k grades: Σ (2^grade − 1) / log2(position + 1), positions from 1. */
export function dcgAtK(grades: readonly number[], k: number): number {
  return grades.slice(0, k).reduce((sum, grade, i) => sum + (2 ** grade - 1) / Math.log2(i + 2), 0);
}

/**
 * DCG of the ranking divided by the DCG of the best possible ranking of every graded item
 * (Järvelin and Kekäläinen's nDCG with exponential gain). Null when no item has a grade above 0.
 */
export function ndcgAtK(rankedGrades: readonly number[], allGrades: readonly number[], k: number): number | null {
  const ideal = dcgAtK([...allGrades].sort((a, b) => b - a), k);
  return ideal === 0 ? null : dcgAtK(rankedGrades, k) / ideal;
}

/** Mean of the defined values; null when there are none. */
export function meanOf(values: readonly (number | null)[]): number | null {
  const defined = values.filter((v): v is number => v !== null);
  return defined.length ? defined.reduce((s, v) => s + v, 0) / defined.length : null;
}
