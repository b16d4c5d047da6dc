import { describe, expect, it } from 'vitest';
import { probabilityLongerByChance, standardNormalCdf } from '#core/analytics/rank-test';

describe('the one-sided rank test', () => {
  it('computes Φ', () => {
    expect(standardNormalCdf(0)).toBeCloseTo(0.5, 6);
    expect(standardNormalCdf(1.959964)).toBeCloseTo(0.975, 5);
    expect(standardNormalCdf(-2.326348)).toBeCloseTo(0.01, 5);
  });

  it('matches a hand-computed U with ties', () => {
    // Later [3, 4, 5] against earlier [1, 2, 3]: ranks of later 3.5, 5, 6 → W 14.5, U 8.5 of 9; mean 4.5;
    // tie correction (one pair): var = 9/12 × (7 − 6/30) = 5.1; z = 4/√5.1.
    expect(probabilityLongerByChance([3, 4, 5], [1, 2, 3])).toBeCloseTo(1 - standardNormalCdf(4 / Math.sqrt(5.1)), 10);
  });

  it('is near one half for the same values, small for clearly longer ones, one when a side is empty', () => {
    const same = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(probabilityLongerByChance(same, same)).toBeCloseTo(0.5, 6);
    expect(probabilityLongerByChance(same.map((v) => v + 20), same)).toBeLessThan(0.001);
    expect(probabilityLongerByChance(same, same.map((v) => v + 20))).toBeGreaterThan(0.999);
    expect(probabilityLongerByChance([], same)).toBe(1);
  });
});
