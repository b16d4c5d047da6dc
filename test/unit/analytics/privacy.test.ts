import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '#adapters/analytics/report-html';
import type { PipelineHistory } from '#core/analytics/history';
import { buildPipelineReport } from '#core/analytics/pipeline-report';
import { analyticsSettings } from '#core/analytics/settings';
import { generatePipelineHistory } from '#local/analytics-history';

/**
 * The report holds aggregates only (docs/pipeline-analytics.md, "Privacy"). The input here carries a
 * candidate's name, email and ids everywhere they could come from: in every application key (which
 * the stage history repeats), and as the extra fields a Harvest record would bring along if the
 * wiring handed records over whole instead of mapping them.
 */
const AS_OF = Date.parse('2026-12-01T00:00:00Z');
const FIRST = ['Lena', 'Marek', 'Noor', 'Ofelia', 'Piet'];
const LAST = ['Marsh', 'Quist', 'Vale', 'Ystad', 'Zorn'];

function withPersonalData(history: PipelineHistory): PipelineHistory {
  const person = (index: number) => {
    const first = FIRST[index % FIRST.length]!;
    const last = LAST[Math.floor(index / FIRST.length) % LAST.length]!;
    return { first, last, email: `${first}.${last}.${index}@example.test`.toLowerCase(), candidateId: `cand${7_000_000 + index}` };
  };
  const keys = new Map(history.applications.map((application, index) => {
    const p = person(index);
    return [application.key, `${p.first} ${p.last} <${p.email}> ${p.candidateId}/appl${9_000_000 + index}`];
  }));
  return {
    jobs: history.jobs,
    applications: history.applications.map((application, index) => {
      const p = person(index);
      return Object.assign({ ...application, key: keys.get(application.key)! }, {
        candidate: { id: p.candidateId, first_name: p.first, last_name: p.last, email_addresses: [{ value: p.email }] },
      });
    }),
    stageVisits: history.stageVisits.map((visit) => ({ ...visit, applicationKey: keys.get(visit.applicationKey)! })),
  };
}

describe('the report holds no candidate data', async () => {
  const history = withPersonalData(generatePipelineHistory({ asOf: AS_OF, jobs: 80, seed: 3, slowdown: { stage: 'Screening', factor: 2, lastDays: 60 } }));
  const report = buildPipelineReport(history, AS_OF, analyticsSettings());
  const outputs = { json: JSON.stringify(report), html: await renderReportHtml(report) };

  it('is a full report, not an empty one (the checks below are not vacuous)', () => {
    expect(report.company.applications).toBe(history.applications.length);
    expect(report.forecasts.length).toBeGreaterThan(0);
    expect(report.backtest!.samples).toBeGreaterThan(0);
    expect(outputs.html).toContain('Software Engineer');
  });

  for (const [name, text] of Object.entries(outputs)) {
    it(`no application key, candidate id, name or email in the ${name}`, () => {
      const leaked = history.applications.filter((application) => text.includes(application.key));
      expect(leaked).toEqual([]);
      expect(text).not.toMatch(/@example\.test|\bcand\d+|\bappl\d+/);
      for (const word of [...FIRST, ...LAST]) expect(text).not.toContain(word);
    });
  }
});
