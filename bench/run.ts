/**
 * `npm run bench`: what the ingest path costs, measured rather than asserted in tests.
 *
 *  1. decisions/s of the pure core (verify the signature, parse, route) over the official examples;
 *  2. verified webhooks/s through the real ingest handler into the SQS emulator (fauxqs), with one
 *     delivery at a time and with 16 in flight, and their latency percentiles (without the delivery
 *     record on DynamoDB, which section 8 measures, so this bounds the handler and SQS alone);
 *  3. the minified bundle of each Lambda, as `cdk synth` builds it, and its cold import, against their
 *     targets (bench/bundles.ts);
 *  4. the shared rate budget: eight workers against each simulator's limit for 60 simulated seconds
 *     (bench/rate-limit.ts), as a share of the limit and the 429s they caused;
 *  5. the backfill: `bridge backfill` of 300 jobs and 5,000 candidates through both simulators on the
 *     local stack, the consumers draining into Beamery, against the bound the two rate limits set
 *     (bench/backfill.ts; about eight minutes, most of the whole run);
 *  6. a 500-candidate bulk edit at Greenhouse's documented limit (50 per 30 s) through the local stack
 *     (bench/bulk-edit.ts; about eight minutes): converged, stale, dead-lettered, calls per edit;
 *  6b. what the bridge's own writes cost when they come back, through a webhook or the Beamery poll
 *     (bench/echo.ts): reads per echo;
 *  7. the AI workflows (bench/ai.ts): resume text extraction cold and warm, the pure screening path,
 *     the Converse adapter against the Bedrock simulator, and the estimated Bedrock cost per screening;
 *  8. late redeliveries (bench/redelivery.ts): messages queued when each webhook is retried 16 simulated
 *     minutes later, with SQS's deduplication alone and with ingest's delivery record (seconds);
 *  9. the monthly AWS cost of a small, a medium and a large tenant, fixed and variable (bench/cost.ts),
 *     from the default stack's inventory and the request counts sections 5–7 measured when they ran.
 *
 * Numbers are for this machine and an in-process emulator: they bound the bridge's own overhead, not
 * SQS's service latency. Results are printed and written to .bench/results.json.
 *
 * `npx tsx bench/run.ts <section...>` runs only the sections named (core, ingest, bundles, rate-limit,
 * backfill, bulk-edit, echo, ai, redelivery, cost) and updates only theirs in .bench/results.json; with none, all run.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { decideDelivery } from '#core/webhooks/delivery';
import { signGreenhouseBody } from '#core/webhooks/signature';
import { startSqsEmulator } from '#local/emulators';
import { createQueues } from '#local/resources';
import { greenhouseWebhookFixtures } from '../test/support/fixtures.ts';
import { drain } from '../test/support/queues.ts';
import { benchRateLimit, describeRateLimit, type RateLimitResult } from './rate-limit.ts';
import { backfillOptionsFromEnv, benchBackfill, describeBackfill, type BackfillBenchResult } from './backfill.ts';
import { ingestOnQueues, signedDelivery } from '../test/support/ingest.ts';
import { benchAi, describeAi, type AiBenchResult } from './ai.ts';
import { benchBulkEdit, describeBulkEdit, type BulkEditResult } from './bulk-edit.ts';
import { benchRedelivery, describeRedelivery, type RedeliveryResult } from './redelivery.ts';
import { benchCost, describeCost, type CostBenchResult } from './cost.ts';
import { benchBundles, describeBundles, type BundleResult } from './bundles.ts';
import { benchEcho, describeEcho, type EchoBenchResult } from './echo.ts';

const SECRET = 'bench-secret';
const fixtures = greenhouseWebhookFixtures().filter((f) => f.action !== 'ping');

interface Results {
  machine: { node: string; cpus: number };
  core: { decisions: number; perSecond: number };
  ingest: { concurrency: number; deliveries: number; perSecond: number; p50Ms: number; p99Ms: number; messages: number }[];
  bundles: BundleResult[];
  rateLimit: RateLimitResult[];
  /** The measurements, or why the bench failed (an incomplete sync, a dead-lettered message). */
  backfill: BackfillBenchResult | { error: string };
  bulkEdit: BulkEditResult;
  echo: EchoBenchResult;
  ai: AiBenchResult;
  redelivery: RedeliveryResult;
  cost: CostBenchResult;
}

const SECTIONS = ['core', 'ingest', 'bundles', 'rate-limit', 'backfill', 'bulk-edit', 'echo', 'ai', 'redelivery', 'cost'] as const;
type Section = (typeof SECTIONS)[number];
const requested = process.argv.slice(2);
for (const name of requested) if (!SECTIONS.includes(name as Section)) throw new Error(`unknown bench section ${name}; one of ${SECTIONS.join(', ')}`);
const runs = (section: Section) => requested.length === 0 || requested.includes(section);

function benchCore(): Results['core'] {
  const deliveries = fixtures.map((f) => ({
    rawBody: f.raw,
    signatureHeader: signGreenhouseBody(f.raw, SECRET),
    eventIdHeader: randomUUID(),
    receivedAt: new Date(),
  }));
  const policy = { secret: SECRET, payloadCapBytes: 256 * 1024 };
  for (let i = 0; i < 2_000; i++) decideDelivery(deliveries[i % deliveries.length]!, policy); // warm-up
  const decisions = 50_000;
  const start = process.hrtime.bigint();
  for (let i = 0; i < decisions; i++) {
    if (decideDelivery(deliveries[i % deliveries.length]!, policy).outcome !== 'routed') throw new Error('not routed');
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { decisions, perSecond: Math.round(decisions / seconds) };
}

async function benchIngest(): Promise<Results['ingest']> {
  const emulator = await startSqsEmulator();
  try {
    const queues = await createQueues(emulator, { prefix: 'bench-' });
    const ingest = ingestOnQueues(emulator.sqs, queues, SECRET);
    const results: Results['ingest'] = [];
    for (const concurrency of [1, 16]) {
      const deliveries = 2_000;
      const latencies: number[] = [];
      let next = 0;
      const worker = async () => {
        while (next < deliveries) {
          const f = fixtures[next++ % fixtures.length]!;
          const event = signedDelivery(f.raw, SECRET, randomUUID());
          const t0 = performance.now();
          const res = await ingest(event);
          latencies.push(performance.now() - t0);
          if (res.statusCode !== 200) throw new Error(`ingest answered ${res.statusCode}`);
        }
      };
      const start = performance.now();
      await Promise.all(Array.from({ length: concurrency }, worker));
      const seconds = (performance.now() - start) / 1000;
      let messages = 0;
      for (const q of Object.values(queues)) messages += (await drain(emulator.sqs, q.url)).length;
      latencies.sort((a, b) => a - b);
      const pct = (p: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(2));
      results.push({ concurrency, deliveries, perSecond: Math.round(deliveries / seconds), p50Ms: pct(0.5), p99Ms: pct(0.99), messages });
    }
    return results;
  } finally {
    await emulator.stop();
  }
}

const RESULTS_PATH = '.bench/results.json';
const previous = (() => {
  try {
    return JSON.parse(readFileSync(RESULTS_PATH, 'utf8')) as Partial<Results>;
  } catch {
    return {};
  }
})();
const results: Partial<Results> = requested.length === 0 ? {} : previous;
results.machine = { node: process.version, cpus: (await import('node:os')).cpus().length };
if (runs('core')) results.core = benchCore();
if (runs('ingest')) results.ingest = await benchIngest();
if (runs('bundles')) results.bundles = await benchBundles();
if (runs('rate-limit')) {
  results.rateLimit = [await benchRateLimit({ system: 'greenhouse', limit: 50 }), await benchRateLimit({ system: 'beamery', limit: 40 })];
}
/**
 * The sections that run the Lambda handlers on a local stack: Node caches a handler module with the
 * first stack's endpoints, so a second stack in the same process would be served by handlers talking
 * to the first (stopped) one. When both run, each runs in a child process of its own, which writes its
 * results as a single-section run does; this process reads them back and does not print them again.
 */
const STACK_SECTIONS = { backfill: 'backfill', 'bulk-edit': 'bulkEdit', echo: 'echo' } as const;
const isolated = new Set<Section>(Object.keys(STACK_SECTIONS).filter((section) => runs(section as Section)).length > 1 ? (Object.keys(STACK_SECTIONS) as Section[]) : []);
function runInChild(section: keyof typeof STACK_SECTIONS): void {
  const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, section], { stdio: 'inherit', env: process.env });
  if (child.status !== 0) process.exitCode = 1;
  const written = JSON.parse(readFileSync(RESULTS_PATH, 'utf8')) as Partial<Results>;
  Object.assign(results, { [STACK_SECTIONS[section]]: written[STACK_SECTIONS[section]] });
}
const printed = (section: Section) => runs(section) && !isolated.has(section);

if (isolated.has('backfill')) runInChild('backfill');
else if (runs('backfill')) {
  try {
    results.backfill = await benchBackfill(backfillOptionsFromEnv());
  } catch (error) {
    // Loud, but the other sections' results are still printed and written.
    results.backfill = { error: error instanceof Error ? error.message : String(error) };
    process.exitCode = 1;
  }
}
if (isolated.has('bulk-edit')) runInChild('bulk-edit');
else if (runs('bulk-edit')) results.bulkEdit = await benchBulkEdit();
if (isolated.has('echo')) runInChild('echo');
else if (runs('echo')) results.echo = await benchEcho();
if (runs('ai')) results.ai = await benchAi();
if (runs('redelivery')) results.redelivery = await benchRedelivery();
// Last: it prices the request counts the sections above measured (or their estimates when they have not run).
if (runs('cost')) results.cost = benchCost(results);

console.log(`node ${results.machine.node}, ${results.machine.cpus} cpus`);
if (runs('core') && results.core) {
  console.log(`core: ${results.core.perSecond.toLocaleString('en')} decisions/s (verify + parse + route, ${results.core.decisions} official examples)`);
}
for (const r of runs('ingest') ? (results.ingest ?? []) : []) {
  console.log(
    `ingest → fauxqs, ${r.concurrency} in flight: ${r.perSecond.toLocaleString('en')} verified webhooks/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms (${r.deliveries} deliveries, ${r.messages} messages)`,
  );
}
if (runs('bundles') && results.bundles) for (const line of describeBundles(results.bundles)) console.log(line);
for (const r of runs('rate-limit') ? (results.rateLimit ?? []) : []) {
  console.log(describeRateLimit(r));
}
if (printed('backfill') && results.backfill) {
  if ('error' in results.backfill) console.error(`backfill: FAILED: ${results.backfill.error}`);
  else for (const line of describeBackfill(results.backfill)) console.log(line);
}
if (printed('bulk-edit') && results.bulkEdit) for (const line of describeBulkEdit(results.bulkEdit)) console.log(line);
if (printed('echo') && results.echo) for (const line of describeEcho(results.echo)) console.log(line);
if (runs('ai') && results.ai) for (const line of describeAi(results.ai)) console.log(line);
if (runs('redelivery') && results.redelivery) for (const line of describeRedelivery(results.redelivery)) console.log(line);
if (runs('cost') && results.cost) for (const line of describeCost(results.cost)) console.log(line);
mkdirSync('.bench', { recursive: true });
writeFileSync(RESULTS_PATH, `${JSON.stringify(results, null, 2)}\n`);
