/**
 * The one-sided Mann–Whitney U test (Wilcoxon rank-sum): how likely stays at least this much longer
 * would be if the recent and the baseline stays came from one distribution. Rank-based, so it suits
 * stay lengths (skewed, long-tailed) where a t-test would not, and it needs no distribution fitted.
 * Normal approximation with the tie correction, fine from about 8 values a side; the bottleneck rule
 * asks for more. Written here because the core takes no statistics package (architecture boundaries).
 */
export function probabilityLongerByChance(later: readonly number[], earlier: readonly number[]): number {
  const n1 = later.length;
  const n2 = earlier.length;
  if (n1 === 0 || n2 === 0) return 1;
  const all = [...later.map((value) => ({ value, later: true })), ...earlier.map((value) => ({ value, later: false }))].sort((a, b) => a.value - b.value);
  let rankSum = 0;
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.value === all[i]!.value) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (all[k]!.later) rankSum += rank;
    const tied = j - i + 1;
    tieTerm += tied ** 3 - tied;
    i = j + 1;
  }
  const n = n1 + n2;
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return 1;
  return 1 - standardNormalCdf((u - (n1 * n2) / 2) / Math.sqrt(variance));
}

/** Φ(z), by Abramowitz and Stegun 7.1.26 (absolute error under 1.5e-7). */
export function standardNormalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496735) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
