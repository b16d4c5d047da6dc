import { Logger } from '@aws-lambda-powertools/logger';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ANALYTICS_METRICS } from '#core/metrics';
import type { PipelineReport } from '#core/analytics/pipeline-report';
import { analyticsSettings } from '#core/analytics/settings';
import { LATEST_HTML_KEY, LATEST_JSON_KEY } from '#core/analytics/report-keys';
import type { MetricsSink } from '#adapters/metrics-sink';
import { makePipelineReportHandler, type PipelineReportHandlerDependencies } from '#lambdas/handlers/make-pipeline-report-handler';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/defaults';
import { startSqsEmulator, type SqsEmulator } from '#local/emulators';
import { startHarness, type Harness } from '../greenhouse/support.ts';

/**
 * The nightly pipeline report's handler against the Greenhouse simulator (a generated history with
 * a Screening slowdown in its last month) and fauxqs's S3: what a run stores, the metrics it emits,
 * and that a 429 ends it as a wait with nothing written.
 */
const HISTORY = { seed: 11, jobs: 8, days: 120, slowdown: { stage: 'Screening', factor: 3, lastDays: 30 } };

let h: Harness;
let emulator: SqsEmulator;
let s3: S3Client;
let asOf: number;
let generated: { jobs: number; applications: number };
let bucketCount = 0;

beforeAll(async () => {
  [h, emulator] = await Promise.all([startHarness(), startSqsEmulator()]);
  s3 = new S3Client({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: emulator.sqsEndpoint, forcePathStyle: true });
  await h.admin('PUT', '/scenario', { name: 'empty' });
  const made = await h.admin<{ jobs: number; applications: number; asOf: string }>('POST', '/generate/pipeline-history', HISTORY);
  generated = made;
  asOf = Date.parse(made.asOf);
}, 60_000);

afterAll(async () => {
  s3?.destroy();
  await Promise.all([h?.close(), emulator?.stop()]);
});

async function freshBucket(): Promise<string> {
  const bucket = `pipeline-reports-${++bucketCount}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

async function text(bucket: string, key: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return object.Body!.transformToString();
}

async function keysIn(bucket: string): Promise<string[]> {
  return ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key!).sort();
}

function recordingMetrics() {
  const emitted: { name: string; value: number }[] = [];
  const sink: MetricsSink & { published: number } = {
    published: 0,
    addMetric: (name, _unit, value) => void emitted.push({ name, value }),
    publishStoredMetrics() {
      this.published++;
    },
  };
  return { emitted, sink, value: (name: string) => emitted.filter((m) => m.name === name).map((m) => m.value) };
}

function handlerWith(bucket: string, overrides: Partial<PipelineReportHandlerDependencies> = {}) {
  const metrics = recordingMetrics();
  const logger = new Logger({ serviceName: 'pipeline-analytics', logLevel: 'SILENT' });
  const handler = makePipelineReportHandler({
    greenhouse: h.client(),
    s3,
    bucket: () => bucket,
    settings: { lookbackDays: HISTORY.days, report: analyticsSettings() },
    clock: { now: () => asOf },
    logger,
    metrics: metrics.sink,
    ...overrides,
  });
  return { handler, metrics, logger };
}

describe('the nightly pipeline report handler', () => {
  it('stores the dated report, latest.html and latest.json (aggregates only), and emits the headline metrics', async () => {
    const bucket = await freshBucket();
    const { handler, metrics } = handlerWith(bucket);
    const dated = `reports/${new Date(asOf).toISOString().slice(0, 10)}.html`;

    const run = await handler({ poller: 'pipeline-report' });
    if ('rateLimited' in run) throw new Error('rate limited');

    expect(run).toMatchObject({ asOf: new Date(asOf).toISOString(), keys: [dated, LATEST_HTML_KEY, LATEST_JSON_KEY], jobs: generated.jobs });
    expect(await keysIn(bucket)).toEqual([dated, LATEST_HTML_KEY, LATEST_JSON_KEY].sort());
    const html = await text(bucket, LATEST_HTML_KEY);
    expect(html).toContain('<svg');
    expect(await text(bucket, dated)).toBe(html);

    const report = JSON.parse(await text(bucket, LATEST_JSON_KEY)) as PipelineReport;
    expect(report.asOf).toBe(new Date(asOf).toISOString());
    expect(report.company.applications).toBeGreaterThan(100);
    // The injected slowdown is found, and the backtest ran.
    expect(report.bottlenecks.map((b) => b.stage)).toContain('Screening');
    expect(report.backtest?.samples).toBeGreaterThan(0);
    // No candidate in the aggregates: the simulator's applications hold candidates the report never names.
    const candidates = h.sim.state.all('candidates');
    expect(candidates.length).toBe(generated.applications);
    for (const stored of [JSON.stringify(report), html]) {
      for (const candidate of candidates) expect(stored).not.toContain(`${candidate.first_name} ${candidate.last_name}`);
    }

    // One datapoint each, read from the same report the run stored.
    expect(metrics.value(ANALYTICS_METRICS.reportRuns)).toEqual([1]);
    expect(metrics.value(ANALYTICS_METRICS.applicationsRead)).toEqual([run.applications]);
    expect(run.applications).toBe(generated.applications);
    expect(metrics.value(ANALYTICS_METRICS.bottlenecksFound)).toEqual([report.bottlenecks.length]);
    expect(metrics.value(ANALYTICS_METRICS.forecastBacktestMaeDays)).toEqual([report.backtest!.model.maeDays]);
    expect(metrics.value(ANALYTICS_METRICS.timeToFillMedianDays)).toEqual([report.company.timeToFill.medianDays]);
    expect(metrics.value(ANALYTICS_METRICS.timeToHireMedianDays)).toEqual([report.company.timeToHire.medianDays]);
    expect(metrics.value(ANALYTICS_METRICS.rateLimited)).toEqual([]);
    expect(metrics.sink.published).toBe(1);
  }, 60_000);

  it('ends a rate-limited run as a wait: logged and counted, not thrown, nothing written', async () => {
    const bucket = await freshBucket();
    const { handler, metrics, logger } = handlerWith(bucket);
    const warn = vi.spyOn(logger, 'warn');
    await h.admin('PUT', '/rate-limit', { limit: 2, windowSeconds: 60 });
    try {
      const run = await handler({});
      expect(run).toMatchObject({ rateLimited: true, operation: expect.stringMatching(/^GET \/v3\//) });
      expect((run as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    } finally {
      await h.admin('PUT', '/rate-limit', { limit: 10_000 });
    }
    expect(await keysIn(bucket)).toEqual([]);
    expect(metrics.emitted).toEqual([{ name: ANALYTICS_METRICS.rateLimited, value: 1 }]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('rate limited'), expect.objectContaining({ retryAfterSeconds: expect.any(Number) }));
    expect(metrics.sink.published).toBe(1);
  }, 60_000);

  it('throws any other failure (Lambda retries, then the DLQ), counting no run', async () => {
    const { handler, metrics } = handlerWith('no-such-bucket');
    await expect(handler({})).rejects.toThrow();
    expect(metrics.value(ANALYTICS_METRICS.reportRuns)).toEqual([]);

    const unconfigured = handlerWith('unused', {
      bucket: () => {
        throw new Error('configuration: PIPELINE_REPORTS_BUCKET is not set');
      },
    });
    await h.admin('DELETE', '/requests');
    await expect(unconfigured.handler({})).rejects.toThrow('PIPELINE_REPORTS_BUCKET is not set');
    // Before any Greenhouse call.
    expect(h.requests('GET /v3/applications')).toBe(0);
  }, 60_000);
});
