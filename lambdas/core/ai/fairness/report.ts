import { impactRatios, type CategoryRow, type ImpactRatioReport } from './impact-ratios.ts';
import type { DayWindow, FairnessInputs } from './read.ts';

/**
 * The impact-ratio report as the operator reads it: text (a table per dimension), JSON, or one
 * self-contained HTML page. It holds counts and rates per category only, never an application id.
 */
export interface FairnessReport extends ImpactRatioReport {
  readonly window: DayWindow;
  readonly threshold: number;
  /** Applications created in the window, and of them those with no screening score in the Audit. */
  readonly applications: number;
  readonly notScreened: number;
}

export function fairnessReport(window: DayWindow, threshold: number, inputs: FairnessInputs): FairnessReport {
  return { window, threshold, applications: inputs.applications, notScreened: inputs.notScreened, ...impactRatios(inputs.outcomes, inputs.answers, { threshold }) };
}

const percent = (rate: number) => `${(rate * 100).toFixed(1)} %`;
const ratio = (row: CategoryRow) => (row.impactRatio === null ? '—' : row.impactRatio.toFixed(3));
const note = (row: CategoryRow) =>
  row.status === 'excluded-small' ? 'excluded (under 2 %)' : row.status === 'unknown' ? 'reported, not in the ratios' : row.flagged ? 'FLAG: under 0.80' : '';

const HEADERS = ['Category', 'Applicants', 'Selected', 'Selection rate', 'Impact ratio', ''] as const;
const cells = (row: CategoryRow) => [row.category, String(row.applicants), String(row.selected), percent(row.selectionRate), ratio(row), note(row)];

export function formatFairnessText(report: FairnessReport): string {
  const lines = [
    `Impact-ratio report, applications created ${report.window.from} to ${report.window.to}`,
    `${report.applications} applications; ${report.screened} screened (${report.selected} selected at or above ${report.threshold}); ${report.notScreened} without a screening score, left out.`,
    '',
  ];
  for (const dimension of report.dimensions) {
    lines.push(`By ${dimension.dimension}${dimension.reference ? ` (ratios against ${dimension.reference})` : ''}:`);
    const table = [[...HEADERS], ...dimension.rows.map(cells)];
    const widths = HEADERS.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
    for (const row of table) lines.push(`  ${row.map((cell, c) => (c === 0 || c === 5 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd()}`);
    lines.push('');
  }
  lines.push(report.flagged.length === 0 ? 'No impact ratio under 0.80.' : `Under 0.80 (four-fifths rule): ${report.flagged.join('; ')}.`, '', 'Method:');
  for (const line of report.method) lines.push(`  - ${line}`);
  return lines.join('\n');
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function formatFairnessHtml(report: FairnessReport): string {
  const title = `Impact-ratio report, ${report.window.from} to ${report.window.to}`;
  const tables = report.dimensions.map((dimension) => {
    const head = HEADERS.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
    const body = dimension.rows
      .map((row) => `<tr class="${row.flagged ? 'flag' : row.status}">${cells(row).map((c, i) => `<td${i > 0 && i < 5 ? ' class="n"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`)
      .join('\n');
    const caption = `By ${dimension.dimension}${dimension.reference ? ` (ratios against ${dimension.reference})` : ''}`;
    return `<table><caption>${escapeHtml(caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
  });
  const flags = report.flagged.length === 0 ? '<p>No impact ratio under 0.80.</p>' : `<p class="flag">Under 0.80 (four-fifths rule): ${escapeHtml(report.flagged.join('; '))}.</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse;margin:1em 0}caption{text-align:left;font-weight:600;padding:.3em 0}th,td{border:1px solid #ccc;padding:.3em .6em}td.n{text-align:right}tr.flag td,p.flag{color:#a00;font-weight:600}tr.excluded-small td,tr.unknown td{color:#666}</style>
</head><body>
<h1>${escapeHtml(title)}</h1>
<p>${report.applications} applications; ${report.screened} screened (${report.selected} selected at or above ${report.threshold}); ${report.notScreened} without a screening score, left out.</p>
${tables.join('\n')}
${flags}
<h2>Method</h2>
<ul>${report.method.map((m) => `<li>${escapeHtml(m)}</li>`).join('')}</ul>
</body></html>
`;
}
