import { describe, expect, it } from 'vitest';
import { bottlenecks, COMPANY, compareStages } from '#core/analytics/bottlenecks';
import { DAY_MS } from '#core/analytics/durations';
import type { StageVisit } from '#core/analytics/history';
import { analyticsSettings } from '#core/analytics/settings';

const AS_OF = Date.parse('2026-09-30T00:00:00Z');
const settings = analyticsSettings({ recentWindowDays: 30, baselineDays: 90, bottleneckMargin: 0.25, minSampleSize: 5 });

/** `count` stays of `days` days in `stage`, ending `endedDaysAgo` days before AS_OF. */
function stays(stage: string, order: number, count: number, days: number, endedDaysAgo: number): StageVisit[] {
  return Array.from({ length: count }, (_, i) => {
    const exited = AS_OF - endedDaysAgo * DAY_MS - i * 60_000;
    return { applicationKey: `${stage}-${endedDaysAgo}-${i}`, stage, order, enteredAt: new Date(exited - days * DAY_MS).toISOString(), exitedAt: new Date(exited).toISOString() };
  });
}

/** Stays of the given lengths in `stage`, ending `endedDaysAgo` days before AS_OF. */
function staysOf(stage: string, durations: readonly number[], endedDaysAgo: number): StageVisit[] {
  return durations.flatMap((days, i) => stays(stage, 1, 1, days, endedDaysAgo + i / 100));
}

describe('the bottleneck rule', () => {
  const visits = [
    // Screening: 4 days in the baseline, 5.6 in the last 30 days: 40 % slower.
    ...stays('Screening', 1, 6, 4, 60),
    ...stays('Screening', 1, 5, 5.6, 10),
    // Onsite: 20 % slower, under the 25 % margin.
    ...stays('Onsite', 2, 6, 5, 60),
    ...stays('Onsite', 2, 6, 6, 10),
    // Offer: twice as slow, on 4 recent stays only.
    ...stays('Offer', 3, 6, 3, 60),
    ...stays('Offer', 3, 4, 6, 10),
    // Review: exactly at the margin (25 %) is not above it.
    ...stays('Review', 0, 5, 4, 60),
    ...stays('Review', 0, 5, 5, 10),
  ];
  const comparisons = compareStages(COMPANY, visits, AS_OF, settings);
  const byStage = (stage: string) => comparisons.find((c) => c.stage === stage)!;

  it('flags a stage whose recent median exceeds its baseline by more than the margin, worded with the numbers', () => {
    expect(byStage('Screening')).toMatchObject({ recentCount: 5, baselineCount: 6, recentMedianDays: 5.6, baselineMedianDays: 4, change: 0.4, verdict: 'bottleneck' });
    const flagged = bottlenecks(comparisons, settings);
    expect(flagged.map((b) => b.message)).toEqual(['Screening is 40 % slower than its 90-day median']);
  });

  it('does not flag a stage below or at the margin', () => {
    expect(byStage('Onsite')).toMatchObject({ change: 0.2, verdict: 'ok' });
    expect(byStage('Review')).toMatchObject({ change: 0.25, verdict: 'ok' });
  });

  it('does not judge a stage on too few stays, however slow', () => {
    expect(byStage('Offer')).toMatchObject({ recentCount: 4, change: 1, verdict: 'too-few' });
    const lenient = analyticsSettings({ ...settings, minSampleSize: 4 });
    expect(compareStages(COMPANY, visits, AS_OF, lenient).find((c) => c.stage === 'Offer')!.verdict).toBe('bottleneck');
  });

  it('counts only stays that ended in the windows: not before the baseline, not after the report date, not unfinished', () => {
    const extra = [
      ...stays('Screening', 1, 10, 50, 200), // before the baseline window
      ...stays('Screening', 1, 10, 50, -5), // after AS_OF
      { applicationKey: 'open', stage: 'Screening', order: 1, enteredAt: new Date(AS_OF - 80 * DAY_MS).toISOString(), exitedAt: null },
    ];
    expect(compareStages(COMPANY, [...visits, ...extra], AS_OF, settings).find((c) => c.stage === 'Screening')).toEqual(byStage('Screening'));
  });

  it('names the scope when it is a department, and orders the flagged by how much slower', () => {
    const sales = compareStages('Sales', [...visits, ...stays('Onsite', 2, 6, 9, 12)], AS_OF, settings);
    expect(bottlenecks(sales, settings).map((b) => b.message)).toEqual([
      'Onsite in Sales is 50 % slower than its 90-day median',
      'Screening in Sales is 40 % slower than its 90-day median',
    ]);
  });

  it('does not flag a median over the margin that chance explains (rank test)', () => {
    // Medians 6 against 4.5 (+33 %), but the recent stays interleave with the baseline's.
    const noisy = [...staysOf('Screening', [2, 3, 4, 5, 6, 7], 60), ...staysOf('Screening', [1, 2, 6, 6.5, 8], 10)];
    const [screening] = compareStages(COMPANY, noisy, AS_OF, settings);
    expect(screening).toMatchObject({ recentMedianDays: 6, baselineMedianDays: 4.5, verdict: 'ok' });
    expect(screening!.change).toBeCloseTo(1 / 3, 3);
    expect(screening!.pValue).toBeGreaterThan(0.3);
    expect(byStage('Screening').pValue).toBeLessThan(0.01);
  });

  it('orders the comparisons by the stages of the plan', () => {
    expect(comparisons.map((c) => c.stage)).toEqual(['Review', 'Screening', 'Onsite', 'Offer']);
  });
});
