/**
 * Where the nightly pipeline report lives in its bucket: the report function writes these keys, the
 * bucket's lifecycle rule (lib/constructs/pipeline-reports.ts) expires the prefix, and `bridge report`
 * reads the latest.
 */
export const REPORTS_PREFIX = 'reports/';
export const LATEST_HTML_KEY = `${REPORTS_PREFIX}latest.html`;
/** The report's data (core/analytics/pipeline-report.ts): aggregates only, as the HTML. */
export const LATEST_JSON_KEY = `${REPORTS_PREFIX}latest.json`;

/** `reports/2026-12-04.html`: one report per UTC day; a second run that day replaces it. */
export function datedReportKey(asOfMs: number): string {
  return `${REPORTS_PREFIX}${new Date(asOfMs).toISOString().slice(0, 10)}.html`;
}
