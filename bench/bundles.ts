/**
 * `npx tsx bench/run.ts bundles`: each Lambda's bundle as `cdk synth` builds it (the stack is
 * synthesized with local esbuild, the same NodejsFunction build as a deploy), its size minified and
 * gzipped, the lazily loaded modules beside it (lib/constructs/bridge-function.ts, LAZY_MODULES), and
 * its cold import: a fresh Node process (this one's binary, Node 24) that imports the bundle's
 * index.mjs with the function's environment, as Lambda's init phase does, timed from `import()` to
 * the handler module being evaluated.
 *
 * The bundle is imported from a copy under .bench/ in the repository, so a module the bundle leaves
 * external resolves from node_modules as it would from the runtime's own copy: an external SDK would
 * be loaded, not skipped. Secrets a function reads at cold start are answered by a local stub of
 * Secrets Manager (AWS_ENDPOINT_URL), so the time includes the SDK call's code but not a network.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { App, AssetStaging, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { BridgeStack } from '#lib/bridge-stack';
import { parseStackConfig } from '#lib/config';
import { BridgeFunction, REPO_ROOT } from '#lib/constructs/bridge-function';
import { FUNCTION_ENVIRONMENTS, functionEnvironment, type BridgeFunctionId, type SecretRef } from '#lib/function-environments';

export interface BundleResult {
  readonly function: BridgeFunctionId;
  readonly logicalId: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Files beside index.mjs that the handler imports only when it needs them. */
  readonly lazyModules: readonly { readonly file: string; readonly bytes: number }[];
  /** Median and fastest of COLD_PROCESSES fresh processes, in ms. */
  readonly coldImportMs: { readonly median: number; readonly min: number };
  readonly targetBytes: number;
  readonly targetColdImportMs?: number;
  /** The same figures before the bundles were worked on (docs/architecture.md, "Bundles"). */
  readonly baselineBytes: number;
  readonly baselineColdImportMs?: number;
}

const KIB = 1024;
interface Figures {
  readonly bytes: number;
  readonly coldImportMs?: number;
}
/**
 * What each bundle is held to (the webhook's hot path smallest, the AI function without its parsers),
 * and its baseline: the bundle before any of the work docs/architecture.md ("Bundles") describes,
 * everything bundled, the resume parsers and credential providers included, classic zod.
 */
const FIGURES: Record<BridgeFunctionId, { readonly target: Figures; readonly baseline: Figures }> = {
  'ingest-webhook': { target: { bytes: 150 * KIB, coldImportMs: 60 }, baseline: { bytes: 581 * KIB, coldImportMs: 122 } },
  'beamery-push': { target: { bytes: 300 * KIB }, baseline: { bytes: 486 * KIB } },
  'greenhouse-changes': { target: { bytes: 300 * KIB }, baseline: { bytes: 660 * KIB } },
  'beamery-changes': { target: { bytes: 300 * KIB }, baseline: { bytes: 636 * KIB } },
  'scheduled-runs': { target: { bytes: 300 * KIB }, baseline: { bytes: 617 * KIB } },
  'ai-tasks': { target: { bytes: 900 * KIB }, baseline: { bytes: 2_611 * KIB } },
  // Vega and Vega-Lite, which render the report's charts, are most of it (1.3 MiB, a 145 ms cold
  // import measured): left in the main bundle, as the function runs once a night and renders every time.
  'pipeline-report': { target: { bytes: 1_500 * KIB }, baseline: { bytes: 1_360 * KIB } },
};
const COLD_PROCESSES = 7;

/** Every secret a function's environment names, by a made-up ARN in the bench's account. */
const SECRET_ARNS = new Proxy({} as Record<SecretRef, string>, {
  get: (_, ref) => `arn:aws:secretsmanager:eu-west-1:111111111111:secret:${String(ref)}`,
});

const COLD_SCRIPT = `
const t0 = performance.now();
await import(process.env.BENCH_BUNDLE_URL);
console.log(JSON.stringify({ ms: performance.now() - t0 }));
`;

export async function benchBundles(): Promise<BundleResult[]> {
  const outdir = mkdtempSync(join(tmpdir(), 'bridge-bench-synth-'));
  const coldRoot = join(REPO_ROOT, '.bench', 'cold-import');
  const secrets = await startSecretsStub();
  try {
    const config = parseStackConfig({});
    const app = new App({ outdir });
    const stack = new BridgeStack(app, 'Bench', { config });
    app.synth();
    const functions = stack.node.findAll().filter((c): c is BridgeFunction => c instanceof BridgeFunction);
    const results: BundleResult[] = [];
    for (const bridgeFunction of functions) {
      const id = functionIdOf(bridgeFunction.entry);
      const staging = bridgeFunction.function.node.findAll().find((c): c is AssetStaging => c instanceof AssetStaging);
      if (!staging) throw new Error(`no bundle staged for ${id}`);
      const dir = staging.absoluteStagedPath;
      const code = readFileSync(join(dir, 'index.mjs'));
      const lazyModules = readdirSync(dir)
        .filter((f) => f.endsWith('.mjs') && f !== 'index.mjs')
        .map((file) => ({ file, bytes: statSync(join(dir, file)).size }));

      const copy = join(coldRoot, id);
      rmSync(copy, { recursive: true, force: true });
      mkdirSync(coldRoot, { recursive: true });
      cpSync(dir, copy, { recursive: true });
      const environment = { ...templateEnvironment(stack, bridgeFunction), ...functionEnvironment(id, config, fakeSources) };
      const times: number[] = [];
      // One process at a time: on two cores, parallel cold starts would time each other.
      for (let i = 0; i < COLD_PROCESSES; i++) times.push(await coldImport(join(copy, 'index.mjs'), environment, secrets.url));
      times.sort((a, b) => a - b);

      const { target, baseline } = FIGURES[id];
      results.push({
        function: id,
        logicalId: stack.getLogicalId(bridgeFunction.function.node.defaultChild as CfnFunction),
        bytes: code.byteLength,
        gzipBytes: gzipSync(code).byteLength,
        lazyModules,
        coldImportMs: { median: round(times[Math.floor(times.length / 2)]!), min: round(times[0]!) },
        targetBytes: target.bytes,
        ...(target.coldImportMs === undefined ? {} : { targetColdImportMs: target.coldImportMs }),
        baselineBytes: baseline.bytes,
        ...(baseline.coldImportMs === undefined ? {} : { baselineColdImportMs: baseline.coldImportMs }),
      });
    }
    return results;
  } finally {
    await secrets.stop();
    rmSync(outdir, { recursive: true, force: true });
    rmSync(coldRoot, { recursive: true, force: true });
  }
}

export function describeBundles(results: readonly BundleResult[]): string[] {
  return results.map((b) => {
    const size = `${kib(b.bytes)} KiB minified (${againstTarget(b.bytes, b.targetBytes, kib)}; baseline ${kib(b.baselineBytes)})`;
    const coldTarget = b.targetColdImportMs === undefined ? undefined : againstTarget(b.coldImportMs.median, b.targetColdImportMs, (ms) => ms.toFixed(1));
    const coldAgainst = [coldTarget, b.baselineColdImportMs === undefined ? undefined : `baseline ${b.baselineColdImportMs}`].filter(Boolean).join('; ');
    const cold = `cold import ${b.coldImportMs.median} ms median, ${b.coldImportMs.min} ms fastest${coldAgainst ? ` (${coldAgainst})` : ''}`;
    const lazy = b.lazyModules.length ? `; loaded on first use: ${b.lazyModules.map((m) => `${m.file} ${kib(m.bytes)} KiB`).join(', ')}` : '';
    return `bundle ${b.function}: ${size}, ${kib(b.gzipBytes)} KiB gzipped; ${cold}${lazy}`;
  });
}

const fakeSources = {
  queueUrl: (queue: string, deadLetter: boolean) => `https://sqs.eu-west-1.amazonaws.com/111111111111/${queue}${deadLetter ? '-dlq' : ''}.fifo`,
  tableName: (table: string) => `bridge-${table}`,
  secretArns: SECRET_ARNS,
};

function functionIdOf(entry: string): BridgeFunctionId {
  const found = (Object.keys(FUNCTION_ENVIRONMENTS) as BridgeFunctionId[]).find((id) => FUNCTION_ENVIRONMENTS[id].entry === entry);
  if (!found) throw new Error(`no function environment for ${entry}`);
  return found;
}

/** The function's literal variables as deployed (POWERTOOLS_*, NODE_OPTIONS); references are filled from functionEnvironment. */
function templateEnvironment(stack: Stack, bridgeFunction: BridgeFunction): Record<string, string> {
  const cfn = bridgeFunction.function.node.defaultChild as CfnFunction;
  const variables = (stack.resolve(cfn.environment) as { variables?: Record<string, unknown> } | undefined)?.variables ?? {};
  return Object.fromEntries(Object.entries(variables).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

async function coldImport(indexPath: string, environment: Record<string, string>, endpoint: string): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', COLD_SCRIPT], {
    // Only what Lambda sets: no tsx loader, no inherited variables. The role's credentials come as
    // environment variables there too.
    env: {
      PATH: process.env['PATH'] ?? '',
      AWS_REGION: 'eu-west-1',
      AWS_LAMBDA_FUNCTION_NAME: 'bench',
      AWS_ACCESS_KEY_ID: 'AKIABENCH',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_SESSION_TOKEN: 'bench',
      AWS_ENDPOINT_URL: endpoint,
      ...environment,
      BENCH_BUNDLE_URL: new URL(`file://${indexPath}`).href,
    },
  });
  return (JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { ms: number }).ms;
}

/** Answers every call as Secrets Manager's GetSecretValue would, with a value long enough for any key. */
async function startSecretsStub(): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ ARN: SECRET_ARNS['identity-hash-key'], Name: 'identity-hash-key', SecretString: 'k'.repeat(32), VersionId: 'v1' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** "target ≤ 150.0, met" or "target ≤ 150.0, MISSED by 231.9". */
function againstTarget(value: number, target: number, format: (n: number) => string): string {
  return `target ≤ ${format(target)}, ${value <= target ? 'met' : `MISSED by ${format(value - target)}`}`;
}

const kib = (bytes: number) => (bytes / KIB).toFixed(1);
const round = (ms: number) => Number(ms.toFixed(1));
