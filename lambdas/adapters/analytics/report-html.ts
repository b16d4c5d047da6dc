import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { PipelineReport } from '#core/analytics/pipeline-report';

/**
 * The pipeline report as one self-contained HTML file: every chart drawn to static SVG here, at build
 * time, and inlined, so the file makes no request when opened (its Content-Security-Policy forbids
 * any) and shows the same offline, in a mail attachment or from a presigned S3 URL.
 *
 * Charts by Vega-Lite compiled to Vega and rendered by Vega's headless SVG renderer (`view.toSVG()`):
 * a well-kept grammar that renders in Node with no DOM and no canvas, so no native dependency (Chart.js
 * and ECharts draw on a canvas; Observable Plot needs a DOM). Without node-canvas Vega estimates text
 * widths instead of measuring them, which is close enough for axis labels.
 *
 * An adapter, not core: pure, but it depends on the charting library, and the core imports only zod.
 */

/** The charts every report carries, by the `data-chart` name of their figure. */
export const REPORT_CHARTS = ['funnel', 'time-in-stage', 'time-in-stage-trend', 'volume-trend', 'bottlenecks'] as const;
export type ReportChart = (typeof REPORT_CHARTS)[number];

const WIDTH = 560;
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

export async function renderReportHtml(report: PipelineReport): Promise<string> {
  const charts = await Promise.all(REPORT_CHARTS.map(async (name) => [name, await renderSvg(chartSpec(name, report))] as const));
  const svg = Object.fromEntries(charts) as Record<ReportChart, string>;
  const figure = (name: ReportChart, caption: string) => `<figure data-chart="${name}">${svg[name]}<figcaption>${escape(caption)}</figcaption></figure>`;
  const { settings, company } = report;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pipeline analytics · ${escape(day(report.asOf))}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Pipeline analytics</h1>
<p>As of ${escape(report.asOf)}. Aggregates only: no candidate, application or their identifiers appear in this report.</p>
</header>
<section class="tiles">
${tile('Applications (last year and active)', company.applications)}
${tile('Active', company.active)}
${tile('Hired', company.hired)}
${tile('Open jobs', company.openJobs)}
${tile('Open openings', company.openOpenings)}
${tile('Median time to fill', days(company.timeToFill.medianDays))}
${tile('Median time to hire', days(company.timeToHire.medianDays))}
</section>
<section>
<h2>Bottlenecks</h2>
<p>A stage is flagged when its median time in stage over the last ${settings.recentWindowDays} days exceeds its median over the ${settings.baselineDays} days before by more than ${Math.round(settings.bottleneckMargin * 100)} %, with at least ${settings.minSampleSize} stays in each window.</p>
${bottleneckList(report)}
${figure('bottlenecks', `Median days in stage: last ${settings.recentWindowDays} days against the ${settings.baselineDays} days before (company)`)}
</section>
<section>
<h2>Funnel</h2>
${figure('funnel', 'Applications that reached each stage, with the share of decided ones that moved on')}
${stageTable(report)}
</section>
<section>
<h2>Time in stage</h2>
${figure('time-in-stage', 'How long stays in each stage lasted (stays that ended in the last year)')}
${figure('time-in-stage-trend', 'Weekly median time in stage')}
</section>
<section>
<h2>Volumes</h2>
${figure('volume-trend', 'Applications and hires per week')}
${departmentTable(report)}
</section>
<section>
<h2>Time-to-fill forecast</h2>
${backtestText(report)}
${forecastTable(report)}
</section>
</body>
</html>
`;
}

async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const base = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: WIDTH,
  background: 'white',
  config: { font: FONT, view: { stroke: null } },
} as const;

function chartSpec(name: ReportChart, report: PipelineReport): TopLevelSpec {
  const stages = report.company.stages;
  const stageOrder = stages.map((stage) => stage.stage);
  switch (name) {
    case 'funnel':
      return {
        ...base,
        data: {
          values: stages.map((stage) => ({
            stage: stage.stage,
            entered: stage.entered,
            label: `${stage.entered}${stage.conversion === null ? '' : ` · ${Math.round(stage.conversion * 100)} % on`}`,
          })),
        },
        encoding: { y: { field: 'stage', type: 'nominal', sort: stageOrder, title: null }, x: { field: 'entered', type: 'quantitative', title: 'Applications' } },
        layer: [
          { mark: { type: 'bar', color: '#3b6ea5' } },
          { mark: { type: 'text', align: 'left', dx: 4, color: '#222' }, encoding: { text: { field: 'label' } } },
        ],
      };
    case 'time-in-stage':
      return {
        ...base,
        width: WIDTH / 2,
        data: {
          values: stages.flatMap((stage) =>
            stage.distribution.map((bin) => ({ stage: stage.stage, bin: bin.toDays === null ? `${bin.fromDays}+` : `${bin.fromDays}–${bin.toDays}`, from: bin.fromDays, count: bin.count })),
          ),
        },
        facet: { row: { field: 'stage', type: 'nominal', sort: stageOrder, title: null, header: { labelAngle: 0, labelAlign: 'left' } } },
        spec: {
          width: WIDTH,
          height: 60,
          mark: { type: 'bar', color: '#5b8c5a' },
          encoding: {
            x: { field: 'bin', type: 'ordinal', sort: { field: 'from' }, title: 'Days in stage', axis: { labelAngle: 0 } },
            y: { field: 'count', type: 'quantitative', title: 'Stays' },
          },
        },
        resolve: { scale: { y: 'independent' } },
      } as TopLevelSpec;
    case 'time-in-stage-trend':
      return {
        ...base,
        data: { values: report.trends.timeInStage.filter((week) => week.medianDays !== null) },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'weekStart', type: 'temporal', title: 'Week' },
          y: { field: 'medianDays', type: 'quantitative', title: 'Median days in stage' },
          color: { field: 'stage', type: 'nominal', sort: stageOrder, title: 'Stage' },
        },
      };
    case 'volume-trend':
      return {
        ...base,
        data: { values: report.trends.volumes.flatMap((week) => [
          { weekStart: week.weekStart, series: 'Applications', count: week.applications },
          { weekStart: week.weekStart, series: 'Hires', count: week.hires },
        ]) },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'weekStart', type: 'temporal', title: 'Week' },
          y: { field: 'count', type: 'quantitative', title: 'Per week' },
          color: { field: 'series', type: 'nominal', title: null },
        },
      };
    case 'bottlenecks':
      return {
        ...base,
        data: {
          values: report.stageComparisons.flatMap((comparison) => [
            { stage: comparison.stage, window: `Last ${report.settings.recentWindowDays} days`, days: comparison.recentMedianDays, flagged: comparison.verdict === 'bottleneck' },
            { stage: comparison.stage, window: `${report.settings.baselineDays}-day baseline`, days: comparison.baselineMedianDays, flagged: false },
          ]),
        },
        mark: 'bar',
        encoding: {
          y: { field: 'stage', type: 'nominal', sort: stageOrder, title: null },
          yOffset: { field: 'window', type: 'nominal' },
          x: { field: 'days', type: 'quantitative', title: 'Median days in stage' },
          color: {
            condition: { test: 'datum.flagged', value: '#c0392b' },
            field: 'window',
            type: 'nominal',
            scale: { range: ['#3b6ea5', '#a9b8c9'] },
            title: null,
          },
        },
      } as TopLevelSpec;
  }
}

function bottleneckList(report: PipelineReport): string {
  if (report.bottlenecks.length === 0) return '<p class="ok" data-bottlenecks="0">No stage is slower than its baseline by more than the margin.</p>';
  const items = report.bottlenecks.map(
    (b) =>
      `<li><strong>${escape(b.message)}</strong> <span class="detail">(median ${b.recentMedianDays} days over ${b.recentCount} stays against ${b.baselineMedianDays} days over ${b.baselineCount})</span></li>`,
  );
  return `<ul class="bottlenecks" data-bottlenecks="${report.bottlenecks.length}">${items.join('')}</ul>`;
}

function stageTable(report: PipelineReport): string {
  const rows = report.company.stages.map(
    (stage) =>
      `<tr><td>${escape(stage.stage)}</td><td>${stage.entered}</td><td>${stage.conversion === null ? '–' : `${Math.round(stage.conversion * 100)} %`}</td><td>${days(stage.timeInStage.medianDays)}</td><td>${days(stage.timeInStage.p90Days)}</td><td>${stage.inStage}</td><td>${stage.aging.count} <span class="detail">(&gt; ${stage.aging.thresholdDays} d)</span></td></tr>`,
  );
  return table(['Stage', 'Reached', 'Moved on', 'Median', 'p90', 'In stage now', 'Aging'], rows);
}

function departmentTable(report: PipelineReport): string {
  const rows = report.departments.map(
    ({ department, metrics }) =>
      `<tr><td>${escape(department)}</td><td>${metrics.openJobs}</td><td>${metrics.applications}</td><td>${metrics.hired}</td><td>${days(metrics.timeToFill.medianDays)}</td><td>${days(metrics.timeToHire.medianDays)}</td><td>${metrics.stages.reduce((sum, stage) => sum + stage.aging.count, 0)}</td></tr>`,
  );
  return table(['Department', 'Open jobs', 'Applications', 'Hired', 'Median time to fill', 'Median time to hire', 'Aging'], rows);
}

function forecastTable(report: PipelineReport): string {
  const rows = report.forecasts.map(
    (f) =>
      `<tr><td>${escape(f.title)}</td><td>${escape(f.department)}</td><td>${f.remainingOpenings}</td><td>${f.pipeline}</td><td>${days(f.daysOpen)}</td><td>${days(f.daysToFill)}</td><td>${escape(f.method)}</td></tr>`,
  );
  return table(['Job', 'Department', 'Openings left', 'Pipeline', 'Open for', 'Forecast to fill', 'Method'], rows);
}

function backtestText(report: PipelineReport): string {
  const b = report.backtest;
  if (b === null || b.samples === 0) return '<p>No backtest in this run.</p>';
  const error = (e: { maeDays: number | null; mape: number | null }) => `MAE ${days(e.maeDays)}, MAPE ${e.mape === null ? '–' : `${Math.round(e.mape * 100)} %`}`;
  return `<p data-backtest>Backtest on ${b.samples} predictions of past jobs (at ${b.cutoffDays.join(' and ')} days after opening): forecast ${error(b.model)}; naive median ${error(b.naive)}.</p>`;
}

function table(headings: readonly string[], rows: readonly string[]): string {
  return `<table><thead><tr>${headings.map((h) => `<th>${escape(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function tile(label: string, value: number | string): string {
  return `<div class="tile"><div class="value">${escape(String(value))}</div><div class="label">${escape(label)}</div></div>`;
}

function days(value: number | null): string {
  return value === null ? '–' : `${value} d`;
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
body{font-family:${FONT};margin:2rem auto;max-width:960px;padding:0 1rem;color:#222;background:#fafafa}
h1{margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
.tiles{display:flex;flex-wrap:wrap;gap:.8rem}.tile{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.6rem .9rem;min-width:8rem}
.tile .value{font-size:1.4rem;font-weight:600}.tile .label{font-size:.8rem;color:#555}
figure{margin:1rem 0;background:#fff;border:1px solid #ddd;border-radius:6px;padding:.6rem;overflow-x:auto}
figcaption{font-size:.85rem;color:#555;margin-top:.3rem}
table{border-collapse:collapse;width:100%;font-size:.85rem;background:#fff}th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left}
th{background:#f0f0f0}.detail{color:#666;font-size:.85em}.bottlenecks li{margin:.3rem 0}.bottlenecks strong{color:#c0392b}.ok{color:#2e7d32}
`;
