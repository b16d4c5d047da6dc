/**
 * The eval's figures, as pure functions. A correlation that is undefined (fewer than two items, or
 * every score or every label equal) is `null`, never NaN: a provider that gives every resume the same
 * score has not ranked anything, and the report must say so rather than print a number.
 */

/** 1-based ranks; tied values share the average of the ranks they span. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.value === order[start]!.value) end++;
    const rank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) ranks[order[i]!.index] = rank;
    start = end + 1;
  }
  return ranks;
}

function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  if (n < 2) return null;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

function sameLength(x: readonly number[], y: readonly number[]): void {
  if (x.length !== y.length) throw new Error(`paired series differ in length (${x.length} and ${y.length})`);
}

/** Spearman's rho with ties: the Pearson correlation of the average ranks. */
export function spearman(x: readonly number[], y: readonly number[]): number | null {
  sameLength(x, y);
  return pearson(averageRanks(x), averageRanks(y));
}

/**
 * Kendall's tau-b: (concordant − discordant) / √((n0 − n1)(n0 − n2)), with n0 = n(n−1)/2 and n1, n2
 * the pairs tied in x and in y. A pair tied in both counts in neither numerator term.
 */
export function kendallTauB(x: readonly number[], y: readonly number[]): number | null {
  sameLength(x, y);
  const n = x.length;
  let concordant = 0;
  let discordant = 0;
  let tiedX = 0;
  let tiedY = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = Math.sign(x[i]! - x[j]!);
      const dy = Math.sign(y[i]! - y[j]!);
      if (dx === 0) tiedX++;
      if (dy === 0) tiedY++;
      if (dx * dy > 0) concordant++;
      else if (dx * dy < 0) discordant++;
    }
  }
  const n0 = (n * (n - 1)) / 2;
  const denominator = Math.sqrt((n0 - tiedX) * (n0 - tiedY));
  return denominator === 0 ? null : (concordant - discordant) / denominator;
}

export interface Scored {
  /** Pairs are only formed within a group (a job): scores for different posts are not comparable. */
  readonly group: string;
  /** The label's ordinal (weak 0, partial 1, strong 2). */
  readonly label: number;
  readonly score: number;
}

export interface PairwiseAccuracy {
  /** Pairs within a group whose labels differ. */
  readonly pairs: number;
  /** Pairs the scores order as the labels do; a tied score counts half. */
  readonly correct: number;
  /** correct / pairs, or null without any pair. */
  readonly accuracy: number | null;
}

export function pairwiseAccuracy(items: readonly Scored[]): PairwiseAccuracy {
  let pairs = 0;
  let correct = 0;
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i]!;
      const b = items[j]!;
      if (a.group !== b.group || a.label === b.label) continue;
      pairs++;
      const agreement = Math.sign(a.score - b.score) * Math.sign(a.label - b.label);
      correct += agreement > 0 ? 1 : agreement === 0 ? 0.5 : 0;
    }
  }
  return { pairs, correct, accuracy: pairs === 0 ? null : correct / pairs };
}

/** Mean score and count per label, in the order of `labels`; a label with no items has a null mean. */
export function meanScoreByLabel<L extends string>(
  items: readonly { readonly label: L; readonly score: number }[],
  labels: readonly L[],
): { label: L; count: number; mean: number | null }[] {
  return labels.map((label) => {
    const scores = items.filter((i) => i.label === label).map((i) => i.score);
    return { label, count: scores.length, mean: scores.length ? scores.reduce((s, v) => s + v, 0) / scores.length : null };
  });
}

export interface ProxyPair {
  readonly variantId: string;
  readonly baseId: string;
  readonly proxy: string;
  readonly baseScore: number;
  readonly variantScore: number;
}

export interface ProxyRow extends ProxyPair {
  /** variantScore − baseScore. */
  readonly change: number;
  /** |variantScore − baseScore|. */
  readonly delta: number;
}

export interface ProxySensitivity {
  readonly rows: ProxyRow[];
  /** The largest delta (0 without variants). */
  readonly max: number;
  readonly mean: number | null;
  /** The proxy kind of the first variant with the largest delta; null when no variant moved the score. */
  readonly maxProxy: string | null;
  /** Every variant whose delta equals the largest (empty when no variant moved the score). */
  readonly maxVariantIds: string[];
  /** Per proxy kind: how many variants, their largest and mean delta. */
  readonly byProxy: { proxy: string; count: number; max: number; mean: number }[];
}

export function proxySensitivity(pairs: readonly ProxyPair[]): ProxySensitivity {
  const rows = pairs.map((p) => ({ ...p, change: p.variantScore - p.baseScore, delta: Math.abs(p.variantScore - p.baseScore) }));
  const max = rows.reduce((m, r) => Math.max(m, r.delta), 0);
  const atMax = max > 0 ? rows.filter((r) => r.delta === max) : [];
  const kinds = [...new Set(rows.map((r) => r.proxy))];
  return {
    rows,
    max,
    mean: rows.length ? rows.reduce((s, r) => s + r.delta, 0) / rows.length : null,
    maxProxy: atMax[0]?.proxy ?? null,
    maxVariantIds: atMax.map((r) => r.variantId),
    byProxy: kinds.map((proxy) => {
      const deltas = rows.filter((r) => r.proxy === proxy).map((r) => r.delta);
      return { proxy, count: deltas.length, max: Math.max(...deltas), mean: deltas.reduce((s, v) => s + v, 0) / deltas.length };
    }),
  };
}
