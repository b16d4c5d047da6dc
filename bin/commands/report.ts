import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Command } from 'commander';
import { readPipelineHistory } from '#core/analytics/greenhouse-history';
import { buildPipelineReport, type PipelineReport } from '#core/analytics/pipeline-report';
import { renderReportHtml } from '#adapters/analytics/report-html';
import { ENV, readConfig, type BridgeConfig } from '#lambdas/config';
import { greenhouseClientFrom } from '#wiring/api-clients';
import { LATEST_HTML_KEY } from '#core/analytics/report-keys';
import { CLI_BUDGET_WAIT_MS, UsageError, requireCliSettings } from '../cli-settings.ts';

/**
 * `bridge report [--out file.html] [--open] [--json]`: the pipeline analytics report
 * (docs/pipeline-analytics.md).
 *
 * Locally (`--local`, or the `local` runtime) it is built now from the Greenhouse the stack talks to:
 * the history read, the report with its forecast backtest, the HTML written to `--out`
 * (pipeline-report.html by default), and the bottleneck list and the backtest error printed. On AWS
 * the nightly run has stored it: the latest report's presigned URL is printed and, with `--out`, the
 * report downloaded. `--json` prints the report (locally) or `{url, out}` (on AWS) as JSON instead.
 */
/** The bucket's variable and the latest report's key, as the stack and the nightly run name them. */
export const PIPELINE_REPORTS_BUCKET = ENV.pipelineReportsBucket;
export const LATEST_REPORT_KEY = LATEST_HTML_KEY;
export const DEFAULT_REPORT_FILE = 'pipeline-report.html';
/** A presigned link lives an hour: long enough to open, short enough not to be worth forwarding. */
const URL_EXPIRY_SECONDS = 3_600;

interface ReportOptions {
  readonly out?: string;
  readonly open?: boolean;
  readonly json?: boolean;
}

export function registerReportCommand(cli: Command): void {
  cli
    .command('report')
    .summary('pipeline analytics: bottlenecks, forecast error, charts')
    .description(
      'the pipeline analytics report: locally built now from Greenhouse (bottleneck list and forecast backtest error printed, HTML written to --out); on AWS the latest nightly report, as a presigned URL (and downloaded with --out)',
    )
    .option('--out <file>', `write the HTML report to this file (locally: ${DEFAULT_REPORT_FILE} when not given)`)
    .option('--open', 'open the report with the system opener (xdg-open / open)')
    .option('--json', 'print the report (locally) or {url, out} (on AWS) as JSON')
    .action(async (options: ReportOptions) => {
      const config = readConfig();
      if (config.runtime === 'local') await localReport(config, options);
      else await storedReport(options);
    });
}

async function localReport(config: BridgeConfig, options: ReportOptions): Promise<void> {
  requireCliSettings(config, ['greenhouse']);
  const asOf = Date.now();
  const greenhouse = greenhouseClientFrom(config, { dynamodb: new DynamoDBClient({}), budgetMaxWaitMs: CLI_BUDGET_WAIT_MS });
  const history = await readPipelineHistory(greenhouse, { asOfMs: asOf, lookbackDays: config.analytics.lookbackDays });
  const report = buildPipelineReport(history, asOf, config.analytics.report, { backtest: true });
  const out = resolve(options.out ?? DEFAULT_REPORT_FILE);
  await writeFile(out, await renderReportHtml(report), { mode: 0o600 });
  process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : `${formatReportSummary(report)}\nreport written to ${out}\n`);
  if (options.open) await openWith(out);
}

async function storedReport(options: ReportOptions): Promise<void> {
  const bucket = process.env[PIPELINE_REPORTS_BUCKET];
  if (!bucket) throw new UsageError(`${PIPELINE_REPORTS_BUCKET} (stack output PipelineReportsBucketName) is not set: the stack keeps no pipeline reports, or --stack was not given`);
  const s3 = new S3Client({});
  try {
    const get = () => new GetObjectCommand({ Bucket: bucket, Key: LATEST_REPORT_KEY });
    const url = await getSignedUrl(s3, get(), { expiresIn: URL_EXPIRY_SECONDS });
    let out: string | undefined;
    if (options.out !== undefined) {
      const object = await s3.send(get());
      out = resolve(options.out);
      await writeFile(out, await object.Body!.transformToByteArray(), { mode: 0o600 });
    }
    process.stdout.write(
      options.json
        ? `${JSON.stringify({ url, expiresInSeconds: URL_EXPIRY_SECONDS, out: out ?? null })}\n`
        : `latest pipeline report (link valid ${URL_EXPIRY_SECONDS / 60} minutes):\n${url}\n${out ? `downloaded to ${out}\n` : ''}`,
    );
    if (options.open) await openWith(out ?? url);
  } finally {
    s3.destroy();
  }
}

/** The bottleneck list and the forecast's backtest error, as the operator reads them. */
export function formatReportSummary(report: PipelineReport): string {
  const lines = [`pipeline report as of ${report.asOf}`, `bottlenecks (${report.bottlenecks.length}):`];
  if (report.bottlenecks.length === 0) lines.push('  none');
  for (const b of report.bottlenecks) lines.push(`  ${b.message} (${b.recentMedianDays} vs ${b.baselineMedianDays} days, ${b.recentCount} vs ${b.baselineCount} stays)`);
  const backtest = report.backtest;
  if (backtest === null || backtest.samples === 0) lines.push('forecast backtest: no filled job to measure it on');
  else {
    const error = (e: { maeDays: number | null; mape: number | null }) =>
      `MAE ${e.maeDays === null ? '–' : `${e.maeDays} days`}, MAPE ${e.mape === null ? '–' : `${Math.round(e.mape * 100)} %`}`;
    lines.push(`forecast backtest (${backtest.samples} predictions): ${error(backtest.model)}; naive median: ${error(backtest.naive)}`);
  }
  return lines.join('\n');
}

/** The system's opener when there is one; otherwise where the report is. */
async function openWith(target: string): Promise<void> {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? undefined : 'xdg-open';
  const opened =
    opener !== undefined &&
    (await new Promise<boolean>((done) => {
      const child = spawn(opener, [target], { stdio: 'ignore', detached: true });
      child.once('error', () => done(false));
      child.once('spawn', () => {
        child.unref();
        done(true);
      });
    }));
  if (!opened) process.stdout.write(`no system opener found: the report is at ${target}\n`);
}
