import { describe, expect, it } from 'vitest';
import { COMPANY } from '#core/analytics/bottlenecks';
import { buildPipelineReport } from '#core/analytics/pipeline-report';
import { analyticsSettings } from '#core/analytics/settings';
import { generatePipelineHistory, GENERATED_STAGES } from '#local/analytics-history';

const AS_OF = Date.parse('2026-12-01T00:00:00Z');
const settings = analyticsSettings();

describe('the report on a generated year', () => {
  const slowed = generatePipelineHistory({ asOf: AS_OF, seed: 18, slowdown: { stage: 'Screening', factor: 1.8, lastDays: 60 } });
  const report = buildPipelineReport(slowed, AS_OF, settings, { backtest: false });

  it('is built on a realistic volume: hundreds of jobs, thousands of applications over a year', () => {
    expect(slowed.jobs.length).toBe(200);
    expect(slowed.applications.length).toBeGreaterThan(5000);
    expect(report.company.stages.map((s) => s.stage)).toEqual(GENERATED_STAGES.map((s) => s.name));
    expect(report.departments.reduce((sum, d) => sum + d.metrics.applications, 0)).toBe(report.company.applications);
    expect(report.jobs.length).toBe(200);
    expect(report.trends.volumes).toHaveLength(settings.trendWeeks);
  });

  it('finds the injected slowdown, at the company level and nowhere else', () => {
    const company = report.bottlenecks.filter((b) => b.scope === COMPANY);
    expect(company.map((b) => b.stage)).toEqual(['Screening']);
    expect(company[0]!.message).toMatch(/^Screening is \d+ % slower than its 90-day median$/);
    expect(company[0]!.change!).toBeGreaterThan(0.4);
    expect(report.bottlenecks.every((b) => b.stage === 'Screening')).toBe(true);
  });

  it('flags nothing in the same year without the slowdown', () => {
    const steady = buildPipelineReport(generatePipelineHistory({ asOf: AS_OF, seed: 18 }), AS_OF, settings, { backtest: false });
    expect(steady.bottlenecks).toEqual([]);
    expect(steady.stageComparisons.every((c) => c.verdict === 'ok')).toBe(true);
  });

  it('forecasts every open job with an unfilled opening', () => {
    const open = report.jobs.filter((job) => job.status === 'open' && job.metrics.openOpenings > 0);
    expect(report.forecasts.map((f) => f.jobKey).sort()).toEqual(open.map((job) => job.jobKey).sort());
    expect(report.forecasts.every((f) => f.daysToFill >= 0 && Number.isFinite(f.timeToFillDays))).toBe(true);
  });
});
