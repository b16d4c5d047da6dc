import { describe, expect, it } from 'vitest';
import { describeRule, impactTable, rocAuc, selectionWeights } from '../../../eval/fairness/metrics.ts';
import { selectionFrom } from '../../../eval/fairness/run.ts';

describe('selectionWeights', () => {
  it('takes the top share, the variants tied at the cut sharing the places left', () => {
    // k = 0.5 × 4 = 2: 90 is in, the two 80s share the one place left.
    expect(selectionWeights([90, 80, 80, 70], { kind: 'top-share', share: 0.5 })).toEqual([1, 0.5, 0.5, 0]);
    // k = 0.5 × 5 = 2.5: 90 and 85 in, the 80 gets half a place.
    expect(selectionWeights([80, 90, 70, 85, 60], { kind: 'top-share', share: 0.5 })).toEqual([0.5, 1, 0, 1, 0]);
    // Every score equal: each gets the same share, so no group can be favoured by a tie-break.
    expect(selectionWeights([50, 50, 50, 50], { kind: 'top-share', share: 0.25 })).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(selectionWeights([3, 2, 1], { kind: 'top-share', share: 1 })).toEqual([1, 1, 1]);
  });

  it('selects at or above a threshold', () => {
    expect(selectionWeights([90, 80, 79, 50], { kind: 'threshold', threshold: 80 })).toEqual([1, 1, 0, 0]);
  });

  it('refuses a share outside (0, 1]', () => {
    expect(() => selectionWeights([1], { kind: 'top-share', share: 0 })).toThrow(/not in/);
    expect(() => selectionWeights([1], { kind: 'top-share', share: 1.5 })).toThrow(/not in/);
  });

  it('reads --top and --threshold, top 50 % unless told, not both', () => {
    expect(selectionFrom({})).toEqual({ kind: 'top-share', share: 0.5 });
    expect(selectionFrom({ top: 0.3 })).toEqual({ kind: 'top-share', share: 0.3 });
    expect(selectionFrom({ threshold: 50 })).toEqual({ kind: 'threshold', threshold: 50 });
    expect(() => selectionFrom({ top: 0.3, threshold: 50 })).toThrow(/exclude/);
    expect(describeRule({ kind: 'top-share', share: 0.5 })).toMatch(/top 50% of each job/);
  });
});

describe('impactTable', () => {
  it('divides each rate by the highest and names the lowest group', () => {
    const items = [
      ...[1, 1, 0, 0].map((selected) => ({ group: 'A', selected })),
      ...[1, 0, 0, 0].map((selected) => ({ group: 'B', selected })),
    ];
    const table = impactTable(items, ['A', 'B', 'C']);
    expect(table.rows).toEqual([
      { group: 'A', count: 4, selected: 2, rate: 0.5, impactRatio: 1 },
      { group: 'B', count: 4, selected: 1, rate: 0.25, impactRatio: 0.5 },
      { group: 'C', count: 0, selected: 0, rate: null, impactRatio: null },
    ]);
    expect(table).toMatchObject({ minimum: 0.5, lowest: 'B', highest: 'A' });
  });

  it('finds in the intersections a disparity the single dimensions hide', () => {
    // Selected per intersection out of 4: White female 3, White male 2, Black female 1, Black male 2.
    const cells = { 'White female': 3, 'White male': 2, 'Black female': 1, 'Black male': 2 } as const;
    const items = Object.entries(cells).flatMap(([group, selected]) => [0, 1, 2, 3].map((i) => ({ group, selected: i < selected ? 1 : 0 })));
    const by = (pick: (group: string) => string) => items.map((i) => ({ group: pick(i.group), selected: i.selected }));
    const sex = impactTable(by((g) => g.split(' ')[1]!), ['female', 'male']);
    const race = impactTable(by((g) => g.split(' ')[0]!), ['White', 'Black']);
    const intersection = impactTable(items, Object.keys(cells));
    // female 4/8 = male 4/8; White 5/8, Black 3/8 → 0.6; Black female 1/4 ÷ White female 3/4 → 1/3.
    expect(sex.minimum).toBe(1);
    expect(race.minimum).toBeCloseTo(0.6, 12);
    expect(intersection.minimum).toBeCloseTo(1 / 3, 12);
    expect(intersection).toMatchObject({ lowest: 'Black female', highest: 'White female' });
  });

  it('has no ratio when no group was selected', () => {
    const table = impactTable([{ group: 'A', selected: 0 }, { group: 'B', selected: 0 }], ['A', 'B']);
    expect(table).toMatchObject({ minimum: null, lowest: null, highest: null });
    expect(table.rows.map((r) => r.rate)).toEqual([0, 0]);
  });
});

describe('rocAuc', () => {
  it('counts the positive–negative pairs the scores order right', () => {
    // Positives 0.9 and 0.7, negatives 0.8 and 0.6: 3 of 4 pairs right.
    expect(rocAuc([0.9, 0.8, 0.7, 0.6], [true, false, true, false])).toBe(0.75);
    expect(rocAuc([3, 2, 1], [true, false, false])).toBe(1);
    expect(rocAuc([1, 2, 3], [true, false, false])).toBe(0);
  });

  it('counts a tie as half', () => {
    // The positive ties one negative (½) and beats the other (1): 1.5 / 2.
    expect(rocAuc([5, 5, 0], [true, false, false])).toBe(0.75);
    expect(rocAuc([7, 7, 7, 7], [true, true, false, false])).toBe(0.5);
  });

  it('is undefined with one class only, and refuses unequal lengths', () => {
    expect(rocAuc([1, 2], [true, true])).toBeNull();
    expect(rocAuc([1, 2], [false, false])).toBeNull();
    expect(() => rocAuc([1], [true, false])).toThrow(/differ in length/);
  });
});
