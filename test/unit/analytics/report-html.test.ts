import { describe, expect, it } from 'vitest';
import { REPORT_CHARTS, renderReportHtml } from '#adapters/analytics/report-html';
import { buildPipelineReport } from '#core/analytics/pipeline-report';
import { analyticsSettings } from '#core/analytics/settings';
import { generatePipelineHistory } from '#local/analytics-history';

const AS_OF = Date.parse('2026-12-01T00:00:00Z');

describe('the HTML report', async () => {
  const history = generatePipelineHistory({ asOf: AS_OF, jobs: 80, seed: 9, slowdown: { stage: 'Onsite', factor: 2.5, lastDays: 60 } });
  const firstOpen = history.jobs.find((job) => job.status === 'open')!;
  const jobs = history.jobs.map((job) => (job === firstOpen ? { ...job, title: 'Engineer <script>alert(1)</script>' } : job));
  const report = buildPipelineReport({ ...history, jobs }, AS_OF, analyticsSettings({ minSampleSize: 10 }));
  const html = await renderReportHtml(report);
  const figures = [...html.matchAll(/<figure data-chart="([^"]+)">([\s\S]*?)<\/figure>/g)];

  it('draws every chart as inline SVG with marks in it', () => {
    expect(figures.map((m) => m[1]).sort()).toEqual([...REPORT_CHARTS].sort());
    for (const [, name, body] of figures) {
      expect(body, name).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(body!.match(/<path|<rect|<line/g)!.length, name).toBeGreaterThan(10);
    }
  });

  it('lists the bottleneck it was given', () => {
    expect(report.bottlenecks.some((b) => b.scope === 'Company' && b.stage === 'Onsite')).toBe(true);
    expect(html).toMatch(/<strong>Onsite is \d+ % slower than its 90-day median<\/strong>/);
  });

  it('prints the backtest error', () => {
    expect(html).toMatch(/<p data-backtest>Backtest on \d+ predictions .*forecast MAE [\d.]+ d, MAPE \d+ %; naive median MAE [\d.]+ d, MAPE \d+ %/);
  });

  it('makes no request when opened: no script, no external resource, a policy that forbids them', () => {
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|url\(/i);
    // The only URLs are XML namespace names, which nothing fetches.
    const urls = [...html.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((m) => m[0]);
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']));
  });

  it('escapes what it prints', () => {
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('Engineer &#60;script&#62;alert(1)&#60;/script&#62;');
  });
});
