import { describe, expect, it } from 'vitest';
import { backtestForecast } from '#core/analytics/backtest';
import { DAY_MS } from '#core/analytics/durations';
import { forecastOpenJobs, throughputModel } from '#core/analytics/forecast';
import { historyAsOf, type PipelineHistory } from '#core/analytics/history';
import { analyticsSettings } from '#core/analytics/settings';
import { generatePipelineHistory } from '#local/analytics-history';
import { TINY, TINY_AS_OF } from './tiny-history.ts';

const settings = analyticsSettings();

describe('the throughput model on the hand-computed history', () => {
  const model = throughputModel(TINY, TINY_AS_OF, settings);

  it('chains the stage pass rates into each stage’s yield', () => {
    // Pass rates: Offer 2/2, Screen 2/3 (A2 rejected), Review 4/5 (A6 rejected).
    expect(model.stageYield.get('Offer')).toBe(1);
    expect(model.stageYield.get('Screen')).toBeCloseTo(2 / 3);
    expect(model.stageYield.get('Review')).toBeCloseTo(0.8 * (2 / 3));
    expect(model.newApplicantYield).toBeCloseTo(0.8 * (2 / 3));
  });

  it('learns the median days from entering a stage to the hire', () => {
    // A1: Review 06-01, Screen 06-03, Offer 06-11, hired 06-21; A5: 05-02, 05-04, 05-10, hired 05-31.
    expect(model.stageDaysToHire.get('Review')).toBe(24.5);
    expect(model.stageDaysToHire.get('Screen')).toBe(22.5);
    expect(model.stageDaysToHire.get('Offer')).toBe(15.5);
    expect(model.medianTimeToHire).toBe(24.5);
  });
});

describe('the time-to-fill forecast', () => {
  it('fills the remaining opening from the current pipeline when it holds enough expected hires', () => {
    // J1 has one unfilled opening. A3 (Screen for 21 days): 2/3 of a hire in max(0, 22.5 − 21) = 1.5 days;
    // A4 (Review for 10 days): 0.533 of a hire in 24.5 − 10 = 14.5 days. The sum passes 1 at 14.5 days.
    const [j1] = forecastOpenJobs(TINY, TINY_AS_OF, settings);
    expect(j1).toEqual({
      jobKey: 'J1',
      title: 'Software Engineer',
      department: 'Engineering',
      remainingOpenings: 1,
      daysOpen: 30,
      pipeline: 2,
      expectedHiresFromPipeline: 1.2,
      daysToFill: 14.5,
      timeToFillDays: 44.5,
      method: 'pipeline',
    });
  });

  it('adds new applicants at the job’s arrival rate when the pipeline cannot fill the openings', () => {
    const twoLeft: PipelineHistory = {
      ...TINY,
      jobs: TINY.jobs.map((job) => (job.key === 'J1' ? { ...job, openings: [...job.openings, { openedAt: '2026-05-31T00:00:00.000Z', closedAt: null, filled: false }] } : job)),
    };
    const [j1] = forecastOpenJobs(twoLeft, TINY_AS_OF, settings);
    // 0.8 expected hires missing. J1 had 4 applications in its 30 days; pooled over the open jobs, 4 in
    // 30 job-days; shrunk: (4 + 4/30 × 14) / (30 + 14) a day, each yielding 0.533 hires; then 24.5 days to hire.
    const yieldNew = 0.8 * (2 / 3);
    const perDay = (4 + (4 / 30) * 14) / (30 + 14);
    expect(j1!.method).toBe('pipeline-and-arrivals');
    expect(j1!.daysToFill).toBeCloseTo((2 - (2 / 3 + yieldNew)) / (perDay * yieldNew) + 24.5, 1);
  });

  it('forecasts a job sooner with its pipeline than the same job with its pipeline taken away', () => {
    const history = generatePipelineHistory({ asOf: TINY_AS_OF, jobs: 60, seed: 5 });
    const model = throughputModel(history, TINY_AS_OF, settings);
    const withPipeline = forecastOpenJobs(history, TINY_AS_OF, settings, { model }).filter((f) => f.expectedHiresFromPipeline > 0);
    expect(withPipeline.length).toBeGreaterThan(5);
    const jobs = new Set(withPipeline.map((f) => f.jobKey));
    const emptied = { ...history, applications: history.applications.filter((a) => !(jobs.has(a.jobKey) && a.status === 'active')) };
    const without = forecastOpenJobs(emptied, TINY_AS_OF, settings, { model, only: (job) => jobs.has(job.key) });
    for (const forecast of withPipeline) {
      const same = without.find((f) => f.jobKey === forecast.jobKey)!;
      expect(same).toMatchObject({ pipeline: 0, expectedHiresFromPipeline: 0 });
      expect(same.daysToFill).toBeGreaterThan(forecast.daysToFill);
    }
  });
});

describe('the history as it stood at a cut-off', () => {
  it('undoes what happened later: hires, rejections, stage exits, fills', () => {
    const cutoff = Date.parse('2026-06-10T00:00:00Z');
    const past = historyAsOf(TINY, cutoff);
    expect(past.applications.map((a) => [a.key, a.status, a.currentStage])).toEqual([
      ['A1', 'active', 'Screen'],
      ['A2', 'rejected', 'Screen'],
      ['A3', 'active', 'Screen'],
      ['A5', 'hired', 'Offer'],
      ['A6', 'rejected', 'Review'],
    ]);
    expect(past.stageVisits.find((v) => v.applicationKey === 'A1' && v.stage === 'Screen')!.exitedAt).toBeNull();
    expect(past.stageVisits.some((v) => v.applicationKey === 'A1' && v.stage === 'Offer')).toBe(false);
    expect(past.jobs.find((j) => j.key === 'J1')!.openings.every((o) => o.closedAt === null && !o.filled)).toBe(true);
  });

  it('gives a forecast that nothing after the cut-off can change', () => {
    const cutoff = Date.parse('2026-06-10T00:00:00Z');
    const rewritten: PipelineHistory = {
      ...TINY,
      // A different future: A1 rejected on 06-15 and a crowd of later applicants.
      applications: [
        ...TINY.applications.map((a) => (a.key === 'A1' ? { ...a, status: 'rejected' as const, hiredAt: null, rejectedAt: '2026-06-15T00:00:00.000Z' } : a)),
        ...Array.from({ length: 20 }, (_, i) => ({ key: `late-${i}`, jobKey: 'J1', createdAt: '2026-06-12T00:00:00.000Z', status: 'active' as const, hiredAt: null, rejectedAt: null, currentStage: 'Review' })),
      ],
    };
    const at = (history: PipelineHistory) => forecastOpenJobs(historyAsOf(history, cutoff), cutoff, settings);
    expect(at(rewritten)).toEqual(at(TINY));
  });
});

describe('the backtest on a generated year', () => {
  const asOf = Date.parse('2026-12-01T00:00:00Z');
  const history = generatePipelineHistory({ asOf, jobs: 120, seed: 11 });
  const result = backtestForecast(history, asOf, settings);

  it('predicts every filled job at each cut-off it was still open at, for the model and the naive median', () => {
    const expected = settings.backtestCutoffDays.reduce(
      (sum, cutoffDays) =>
        sum +
        history.jobs.filter((job) => {
          if (!job.openings.every((o) => o.filled)) return false;
          const filled = Math.max(...job.openings.map((o) => Date.parse(o.closedAt!)));
          return filled > Date.parse(job.openedAt!) + cutoffDays * DAY_MS;
        }).length,
      0,
    );
    expect(result.samples).toBe(expected);
    expect(result.samples).toBeGreaterThan(100);
  });

  it('reports the error in days and as a share, and the bias', () => {
    for (const error of [result.model, result.naive]) {
      expect(error.maeDays).toBeGreaterThan(0);
      expect(error.mape).toBeGreaterThan(0);
      expect(Math.abs(error.biasDays!)).toBeLessThanOrEqual(error.maeDays!);
    }
    // A method that ignores the pipeline entirely is not something to publish: its error would be far off.
    expect(result.model.maeDays).toBeLessThan(2 * result.naive.maeDays!);
    console.log(`forecast backtest on ${result.samples} predictions: model MAE ${result.model.maeDays} d, MAPE ${Math.round(result.model.mape! * 100)} %, bias ${result.model.biasDays} d; naive MAE ${result.naive.maeDays} d, MAPE ${Math.round(result.naive.mape! * 100)} %`);
  });
});
