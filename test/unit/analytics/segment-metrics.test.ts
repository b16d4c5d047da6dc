import { describe, expect, it } from 'vitest';
import { median, percentile } from '#core/analytics/durations';
import { groupVisits, segmentMetrics } from '#core/analytics/segment-metrics';
import { analyticsSettings } from '#core/analytics/settings';
import { TINY, TINY_AS_OF } from './tiny-history.ts';

const settings = analyticsSettings();
const visitsByApplication = groupVisits(TINY.stageVisits);
const company = segmentMetrics({ jobs: TINY.jobs, applications: TINY.applications, visitsByApplication }, TINY_AS_OF, settings);
const stage = (name: string) => company.stages.find((s) => s.stage === name)!;

describe('percentiles', () => {
  it('interpolates between the closest ranks', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(percentile([2, 2, 2, 2, 4], 0.9)).toBeCloseTo(3.2); // rank 3.6: 2 + 0.6 × (4 − 2)
    expect(percentile([], 0.5)).toBeUndefined();
  });
});

describe('segment metrics on a hand-computed history', () => {
  it('counts jobs, openings and applications', () => {
    expect(company).toMatchObject({ jobs: 2, openJobs: 1, openOpenings: 1, applications: 6, active: 2, hired: 2, rejected: 2 });
  });

  it('orders the stages and counts the funnel: reached, moved on, rejected in, still in', () => {
    expect(company.stages.map((s) => s.stage)).toEqual(['Review', 'Screen', 'Offer']);
    // Review: all six reached it; A1, A2, A3, A5 went further, A6 was rejected in it, A4 is still there.
    expect(stage('Review')).toMatchObject({ entered: 6, advanced: 4, dropped: 1, inStage: 1, conversion: 0.8 });
    // Screen: A1 and A5 went on to Offer, A2 was rejected, A3 is still there: 2 of the 3 decided.
    expect(stage('Screen')).toMatchObject({ entered: 4, advanced: 2, dropped: 1, inStage: 1 });
    expect(stage('Screen').conversion).toBeCloseTo(2 / 3);
    // Offer: both were hired.
    expect(stage('Offer')).toMatchObject({ entered: 2, advanced: 2, dropped: 0, inStage: 0, conversion: 1 });
  });

  it('measures time in stage on completed stays: median and p90', () => {
    // Review stays 2, 2, 4, 2, 2 days (A4 still there); Screen 8, 2, 6; Offer 10, 21.
    expect(stage('Review').timeInStage).toEqual({ count: 5, medianDays: 2, p90Days: 3.2 });
    expect(stage('Screen').timeInStage).toEqual({ count: 3, medianDays: 6, p90Days: 7.6 });
    expect(stage('Offer').timeInStage).toEqual({ count: 2, medianDays: 15.5, p90Days: 19.9 });
    expect(stage('Screen').distribution.find((bin) => bin.fromDays === 7)).toEqual({ fromDays: 7, toDays: 10, count: 1 });
    expect(stage('Offer').distribution.reduce((sum, bin) => sum + bin.count, 0)).toBe(2);
  });

  it('measures time to fill (opening opened → filled) and time to hire (created → hired)', () => {
    // Fills: J1's first opening 05-31 → 06-21 (21 days), J2's 05-01 → 05-31 (30 days).
    expect(company.timeToFill).toEqual({ count: 2, medianDays: 25.5, p90Days: 29.1 });
    // Hires: A1 06-01 → 06-21 (20 days), A5 05-02 → 05-31 (29 days).
    expect(company.timeToHire).toEqual({ count: 2, medianDays: 24.5, p90Days: 28.1 });
  });

  it('counts active applications idle in a stage past its threshold', () => {
    // A3 has been in Screen since 06-09 (21 days > 14); A4 in Review since 06-20 (10 days).
    expect(stage('Screen').aging).toEqual({ thresholdDays: 14, count: 1 });
    expect(stage('Review').aging).toEqual({ thresholdDays: 14, count: 0 });
    const strict = analyticsSettings({ agingDaysByStage: { Review: 7 } });
    const withStageThreshold = segmentMetrics({ jobs: TINY.jobs, applications: TINY.applications, visitsByApplication }, TINY_AS_OF, strict);
    expect(withStageThreshold.stages.find((s) => s.stage === 'Review')!.aging).toEqual({ thresholdDays: 7, count: 1 });
  });

  it('keeps a segment to its own jobs', () => {
    const j1 = TINY.jobs.filter((job) => job.key === 'J1');
    const engineering = segmentMetrics({ jobs: j1, applications: TINY.applications.filter((a) => a.jobKey === 'J1'), visitsByApplication }, TINY_AS_OF, settings);
    expect(engineering).toMatchObject({ jobs: 1, applications: 4, hired: 1 });
    expect(engineering.stages[0]).toMatchObject({ stage: 'Review', entered: 4, advanced: 3, dropped: 0, inStage: 1, conversion: 1 });
    expect(engineering.timeToFill).toEqual({ count: 1, medianDays: 21, p90Days: 21 });
  });

  it('leaves durations that ended before the metrics window out', () => {
    const lastTwentyDays = segmentMetrics({ jobs: TINY.jobs, applications: TINY.applications, visitsByApplication }, TINY_AS_OF, settings, 20);
    // Only A1's fill (06-21) and hire are within 20 days of 06-30; J2's ended on 05-31.
    expect(lastTwentyDays.timeToFill.count).toBe(1);
    expect(lastTwentyDays.timeToHire.count).toBe(1);
    expect(lastTwentyDays.stages.find((s) => s.stage === 'Offer')!.timeInStage.count).toBe(1);
  });
});
