import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ENV } from '#lambdas/config';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/defaults';
import { startSqsEmulator, type SqsEmulator } from '#local/emulators';
import { LATEST_REPORT_KEY, PIPELINE_REPORTS_BUCKET } from '../../../bin/commands/report.ts';
import { bridgeInProcess } from '../../support/bridge-in-process.ts';

/**
 * `bridge report` on AWS: the latest stored report as a presigned URL, downloaded with `--out`,
 * against fauxqs's S3; without the bucket's name, a usage error that names it and calls nothing.
 */
const BUCKET = 'pipeline-reports-test';
const REPORT = '<!doctype html><title>Pipeline report</title><svg></svg>';

let emulator: SqsEmulator;
let dir: string;

beforeAll(async () => {
  emulator = await startSqsEmulator();
  dir = await mkdtemp(join(tmpdir(), 'report-cli-'));
  const s3 = new S3Client({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: emulator.sqsEndpoint, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: LATEST_REPORT_KEY, Body: REPORT, ContentType: 'text/html' }));
  s3.destroy();
});

afterAll(async () => {
  await emulator?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

afterEach(() => vi.unstubAllEnvs());

function onAws(bucket: string): void {
  vi.stubEnv(ENV.runtime, 'aws');
  vi.stubEnv(PIPELINE_REPORTS_BUCKET, bucket);
  vi.stubEnv('AWS_ENDPOINT_URL_S3', emulator.sqsEndpoint);
  vi.stubEnv('AWS_REGION', LOCAL_REGION);
  vi.stubEnv('AWS_ACCESS_KEY_ID', LOCAL_CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', LOCAL_CREDENTIALS.secretAccessKey);
}

it('prints a presigned URL of the latest report that fetches it, and downloads it with --out', async () => {
  onAws(BUCKET);
  const out = join(dir, 'latest.html');
  const run = await bridgeInProcess('report', '--out', out, '--json');
  expect(run.exitCode, run.stderr).toBe(0);
  const answer = JSON.parse(run.stdout) as { url: string; expiresInSeconds: number; out: string };
  expect(answer.out).toBe(out);
  expect(answer.expiresInSeconds).toBe(3_600);
  const url = new URL(answer.url);
  expect(url.pathname).toBe(`/${BUCKET}/${LATEST_REPORT_KEY}`);
  expect(url.searchParams.get('X-Amz-Expires')).toBe('3600');
  expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  expect(await readFile(out, 'utf8')).toBe(REPORT);
  // The URL alone is enough to read it (no credentials sent with it).
  expect(await (await fetch(answer.url)).text()).toBe(REPORT);
});

it('without --out prints only the link', async () => {
  onAws(BUCKET);
  const run = await bridgeInProcess('report');
  expect(run.exitCode, run.stderr).toBe(0);
  expect(run.stdout).toMatch(new RegExp(`^latest pipeline report \\(link valid 60 minutes\\):\\nhttp://\\S+/${BUCKET}/reports/latest\\.html\\?\\S+\\n$`));
});

it('without the bucket, exits 2 naming PIPELINE_REPORTS_BUCKET and its stack output', async () => {
  onAws('');
  const run = await bridgeInProcess('report', '--out', join(dir, 'never.html'));
  expect(run.exitCode).toBe(2);
  expect(run.stderr).toContain('PIPELINE_REPORTS_BUCKET (stack output PipelineReportsBucketName)');
  await expect(readFile(join(dir, 'never.html'))).rejects.toThrow();
});

it('--open without a system opener says where the report is', async () => {
  onAws(BUCKET);
  // A PATH with no xdg-open (nor open) on it.
  vi.stubEnv('PATH', dir);
  const out = join(dir, 'opened.html');
  const run = await bridgeInProcess('report', '--out', out, '--open');
  expect(run.exitCode, run.stderr).toBe(0);
  expect(run.stdout).toContain(`no system opener found: the report is at ${out}`);
});
