import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bridgeInProcess } from '../support/bridge-in-process.ts';
import { callJson } from '../support/http.ts';
import { localCliFor, startE2eStack, type E2eStack, type LocalCli } from '../support/e2e-stack.ts';

/**
 * The acceptance of issue 18's analytics on the local stack: a year of hiring generated in the
 * Greenhouse simulator with Screening made twice as slow over the last 60 days, then
 * `bridge report --local --out …` reads it through Harvest v3, finds the slowdown, prints the
 * forecast's backtest error and writes an HTML report with charts that holds no candidate.
 */
interface CandidateRow {
  readonly first_name: string;
  readonly last_name: string;
  readonly email_addresses: readonly { readonly value: string }[];
}

let e2e: E2eStack;
let cli: LocalCli;

beforeAll(async () => {
  e2e = await startE2eStack({ webhookSecret: 'pipeline-report-secret', greenhouseRateLimit: 5_000, pollIntervalMs: 0 });
  cli = await localCliFor('pipeline-report-');
}, 60_000);

afterAll(async () => {
  await cli?.close();
  await e2e?.stop();
});

it('`bridge report --local` finds an injected Screening slowdown, prints the backtest error and writes a chart report without candidates', async () => {
  const made = await callJson<{ jobs: number; applications: number }>(e2e.stack.greenhouse, 'POST', '/_admin/generate/pipeline-history', {
    seed: 18,
    jobs: 60,
    days: 365,
    slowdown: { stage: 'Screening', factor: 2, lastDays: 60 },
  });
  expect(made.applications).toBeGreaterThan(1_000);

  const out = join(cli.dir, 'pipeline.html');
  const run = await bridgeInProcess('report', '--local', '--out', out);
  expect(run.exitCode, run.stderr).toBe(0);

  const bottlenecks = run.stdout.split(/^bottlenecks \(\d+\):$/m)[1]!.split(/^forecast backtest/m)[0]!;
  expect(bottlenecks).toMatch(/^ {2}Screening is \d+ % slower than its 90-day median/m);
  // Only the slowed stage is flagged, company-wide or in a department.
  for (const line of bottlenecks.trim().split('\n')) expect(line.trim()).toMatch(/^Screening /);
  expect(run.stdout).toMatch(/^forecast backtest \(\d+ predictions\): MAE [\d.]+ days, MAPE \d+ %; naive median: MAE [\d.]+ days, MAPE \d+ %$/m);
  expect(run.stdout).toContain(`report written to ${out}`);

  const html = await readFile(out, 'utf8');
  expect(html.match(/<svg\b/g)?.length ?? 0).toBeGreaterThanOrEqual(5);
  expect(html).toContain('Screening');

  const candidates = await callJson<CandidateRow[]>(e2e.stack.greenhouse, 'GET', '/_admin/state?table=candidates');
  // The generated ones, and the default scenario's few besides.
  expect(candidates.length).toBeGreaterThanOrEqual(made.applications);
  const names = new Set(candidates.flatMap((c) => [c.first_name, c.last_name]));
  const fullNames = new Set(candidates.map((c) => `${c.first_name} ${c.last_name}`));
  const emails = new Set(candidates.flatMap((c) => c.email_addresses.map((e) => e.value)));
  for (const text of [html, run.stdout]) {
    for (const name of names) expect(new RegExp(`\\b${name}\\b`).test(text), name).toBe(false);
    for (const name of fullNames) expect(text).not.toContain(name);
    for (const email of emails) expect(text.toLowerCase()).not.toContain(email);
    expect(text).not.toContain('@example.test');
  }
}, 60_000);
