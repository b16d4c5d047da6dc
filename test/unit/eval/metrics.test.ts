import { describe, expect, it } from 'vitest';
import { averageRanks, kendallTauB, meanScoreByLabel, pairwiseAccuracy, proxySensitivity, spearman } from '../../../eval/metrics.ts';

describe('averageRanks', () => {
  it('gives tied values the mean of the ranks they span', () => {
    expect(averageRanks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
    expect(averageRanks([30, 10, 30, 30])).toEqual([3, 1, 3, 3]);
    expect(averageRanks([])).toEqual([]);
  });
});

describe('spearman', () => {
  it('is 1 for the same order and −1 for the reverse', () => {
    expect(spearman([10, 40, 70, 90], [0, 1, 2, 3])).toBeCloseTo(1, 12);
    expect(spearman([90, 70, 40, 10], [0, 1, 2, 3])).toBeCloseTo(-1, 12);
  });

  it('uses average ranks for ties', () => {
    // Ranks [1, 2.5, 2.5, 4] against [1, 2, 3, 4]: sxy 4.5, sxx 4.5, syy 5, so rho = 4.5 / √22.5 = √0.9.
    expect(spearman([1, 2, 2, 3], [1, 2, 3, 4])).toBeCloseTo(Math.sqrt(0.9), 12);
    // Scores tied within a label do not lower the figure when labels are tied the same way.
    expect(spearman([5, 5, 60, 60, 90, 90], [0, 0, 1, 1, 2, 2])).toBeCloseTo(1, 12);
  });

  it('is undefined (null) when either side has no variation or fewer than two items', () => {
    expect(spearman([50, 50, 50], [0, 1, 2])).toBeNull();
    expect(spearman([10, 20, 30], [1, 1, 1])).toBeNull();
    expect(spearman([10], [1])).toBeNull();
  });

  it('refuses series of different lengths', () => {
    expect(() => spearman([1, 2], [1])).toThrow(/differ in length/);
  });
});

describe('kendallTauB', () => {
  it('is 1 for the same order and −1 for the reverse', () => {
    expect(kendallTauB([10, 40, 70, 90], [0, 1, 2, 3])).toBeCloseTo(1, 12);
    expect(kendallTauB([90, 70, 40, 10], [0, 1, 2, 3])).toBeCloseTo(-1, 12);
  });

  it('follows (nc − nd) / √((n0 − n1)(n0 − n2)) on a small known example', () => {
    // Scores [10, 30, 30, 40, 50] against labels [0, 1, 1, 0, 2]: ten pairs (n0 = 10).
    // Tied in scores: (2,3), so n1 = 1. Tied in labels: (1,4) and (2,3), so n2 = 2.
    // Discordant: (2,4) and (3,4): 30 < 40 while 1 > 0. Concordant: the other six.
    // tau-b = (6 − 2) / √(9 · 8) = 4 / √72 (scipy.stats.kendalltau agrees: 0.4714).
    expect(kendallTauB([10, 30, 30, 40, 50], [0, 1, 1, 0, 2])).toBeCloseTo(4 / Math.sqrt(72), 12);
    // One tie in x only: 5 concordant, n1 = 1, n2 = 0: 5 / √(5 · 6).
    expect(kendallTauB([1, 2, 2, 3], [1, 2, 3, 4])).toBeCloseTo(5 / Math.sqrt(30), 12);
  });

  it('is undefined (null) when every score or every label is the same', () => {
    expect(kendallTauB([50, 50, 50], [0, 1, 2])).toBeNull();
    expect(kendallTauB([1, 2, 3], [2, 2, 2])).toBeNull();
  });
});

describe('pairwiseAccuracy', () => {
  it('counts cross-label pairs within a group, a tie as half', () => {
    const result = pairwiseAccuracy([
      { group: 'a', label: 0, score: 10 },
      { group: 'a', label: 1, score: 20 },
      { group: 'a', label: 2, score: 20 },
      { group: 'a', label: 2, score: 90 },
      // Another job's resumes are never paired with job a's, whatever their scores.
      { group: 'b', label: 2, score: 0 },
      { group: 'b', label: 0, score: 5 },
    ]);
    // Group a: (0,1) ✓, (0,2) ✓, (0,2') ✓, (1,2) tie ½, (1,2') ✓; the two strongs are not a pair. Group b: (2,0) ✗.
    expect(result).toEqual({ pairs: 6, correct: 4.5, accuracy: 0.75 });
  });

  it('is 1 for a perfect order, 0 for the reverse and null without cross-label pairs', () => {
    expect(pairwiseAccuracy([0, 1, 2].map((label) => ({ group: 'a', label, score: label * 10 }))).accuracy).toBe(1);
    expect(pairwiseAccuracy([0, 1, 2].map((label) => ({ group: 'a', label, score: -label }))).accuracy).toBe(0);
    expect(pairwiseAccuracy([{ group: 'a', label: 1, score: 1 }, { group: 'a', label: 1, score: 2 }])).toEqual({ pairs: 0, correct: 0, accuracy: null });
  });
});

describe('meanScoreByLabel', () => {
  it('averages each label in the order given, null where a label has no items', () => {
    const items = [
      { label: 'strong' as const, score: 90 },
      { label: 'strong' as const, score: 70 },
      { label: 'weak' as const, score: 15 },
    ];
    expect(meanScoreByLabel(items, ['weak', 'partial', 'strong'])).toEqual([
      { label: 'weak', count: 1, mean: 15 },
      { label: 'partial', count: 0, mean: null },
      { label: 'strong', count: 2, mean: 80 },
    ]);
  });
});

describe('proxySensitivity', () => {
  it('gives each variant |variant − base|, the max, the mean and the proxy kind at the max', () => {
    const result = proxySensitivity([
      { variantId: 'v1', baseId: 'b1', proxy: 'name', baseScore: 50, variantScore: 60 },
      { variantId: 'v2', baseId: 'b2', proxy: 'age', baseScore: 70, variantScore: 58 },
      { variantId: 'v3', baseId: 'b3', proxy: 'photo', baseScore: 30, variantScore: 30 },
      { variantId: 'v4', baseId: 'b1', proxy: 'name', baseScore: 50, variantScore: 48 },
    ]);
    expect(result.rows.map((r) => [r.variantId, r.change, r.delta])).toEqual([
      ['v1', 10, 10],
      ['v2', -12, 12],
      ['v3', 0, 0],
      ['v4', -2, 2],
    ]);
    expect(result.max).toBe(12);
    expect(result.mean).toBe(6);
    expect(result.maxProxy).toBe('age');
    expect(result.maxVariantIds).toEqual(['v2']);
    expect(result.byProxy).toEqual([
      { proxy: 'name', count: 2, max: 10, mean: 6 },
      { proxy: 'age', count: 1, max: 12, mean: 12 },
      { proxy: 'photo', count: 1, max: 0, mean: 0 },
    ]);
  });

  it('names every variant tied at the max, and no proxy when nothing moved', () => {
    const tied = proxySensitivity([
      { variantId: 'v1', baseId: 'b1', proxy: 'name', baseScore: 50, variantScore: 45 },
      { variantId: 'v2', baseId: 'b2', proxy: 'age', baseScore: 40, variantScore: 45 },
    ]);
    expect(tied).toMatchObject({ max: 5, maxProxy: 'name', maxVariantIds: ['v1', 'v2'] });
    const still = proxySensitivity([{ variantId: 'v1', baseId: 'b1', proxy: 'name', baseScore: 50, variantScore: 50 }]);
    expect(still).toMatchObject({ max: 0, mean: 0, maxProxy: null, maxVariantIds: [] });
    expect(proxySensitivity([])).toMatchObject({ rows: [], max: 0, mean: null, maxProxy: null, byProxy: [] });
  });
});
