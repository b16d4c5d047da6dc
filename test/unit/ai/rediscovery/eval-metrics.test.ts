import { describe, expect, it } from 'vitest';
import { dcgAtK, meanOf, ndcgAtK, recallAtK } from '../../../../eval/rediscovery/metrics.ts';

describe('recallAtK', () => {
  it('is the share of relevant items found in the first k', () => {
    // Relevant (grade ≥ 2) in the pool: 3, 2, 2, 3 → 4. In the top 3: the 3 and the 2 → 2 / 4.
    expect(recallAtK([3, 0, 2, 2, 1], [3, 0, 2, 2, 1, 3, 0], 3, 2)).toBe(0.5);
    expect(recallAtK([3, 0, 2, 2, 1], [3, 0, 2, 2, 1, 3, 0], 5, 2)).toBe(0.75);
    // With grade ≥ 1 the 1 counts too: 4 of 5 in the top 5.
    expect(recallAtK([3, 0, 2, 2, 1], [3, 0, 2, 2, 1, 3, 0], 5, 1)).toBe(0.8);
  });

  it('is null, not 1 or 0, when the query has no relevant item', () => {
    expect(recallAtK([0, 1], [0, 1, 0], 2, 2)).toBeNull();
  });
});

describe('dcgAtK and ndcgAtK', () => {
  it('computes DCG with exponential gain and a log2 discount', () => {
    // (2^3−1)/log2 2 + (2^0−1)/log2 3 + (2^2−1)/log2 4 = 7 + 0 + 1.5
    expect(dcgAtK([3, 0, 2, 1], 3)).toBeCloseTo(8.5, 12);
    // The fourth position adds (2^1−1)/log2 5.
    expect(dcgAtK([3, 0, 2, 1], 4)).toBeCloseTo(8.5 + 1 / Math.log2(5), 12);
  });

  it('divides by the DCG of the best ordering of every graded item, not only of the retrieved ones', () => {
    // Retrieved [3, 0, 2]; the pool also holds a 3 that was missed. Ideal top 3: [3, 3, 2] →
    // 7 + 7/log2 3 + 3/2 = 8.5 + 7/log2 3.
    expect(ndcgAtK([3, 0, 2], [3, 0, 2, 3, 1, 0], 3)).toBeCloseTo(8.5 / (8.5 + 7 / Math.log2(3)), 12);
    expect(ndcgAtK([3, 2, 1], [1, 3, 2, 0], 3)).toBeCloseTo(1, 12);
    expect(ndcgAtK([0, 0, 0], [3, 0, 0, 0], 3)).toBe(0);
  });

  it('is null when no item has a grade above 0', () => {
    expect(ndcgAtK([0, 0], [0, 0, 0], 2)).toBeNull();
  });
});

describe('meanOf', () => {
  it('averages the defined figures only', () => {
    expect(meanOf([0.5, null, 1])).toBe(0.75);
    expect(meanOf([null])).toBeNull();
  });
});
