import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AssetStaging } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { BridgeFunction, EVENT_STREAM_SERDE, LAZY_MODULES, STREAMING_ENTRIES, UNUSED_CREDENTIAL_PROVIDERS } from '#lib/constructs/bridge-function';
import { FUNCTION_ENVIRONMENTS, functionEnvironment, type SecretRef } from '#lib/function-environments';
import { parseStackConfig } from '#lib/config';
import { resumeDocx, resumePdf } from '#local/resume-files';
import type { PdfReading } from '#adapters/pdf-text';
import { synthBridge } from './support.ts';

/**
 * The bundles as `cdk synth` builds them: what each loads at cold start, and the parsers the AI
 * function loads on first use, built beside its index.mjs and working from there. The stack is
 * synthesized with its optional functions on (the nightly pipeline report), so every bundle is built.
 */
/**
 * Optional packages a bundled library tries with `import()` in a try/catch and does without: Vega
 * (the pipeline report's charts) measures text with `canvas` where it is installed, and estimates it
 * otherwise, which is all an SVG needs.
 */
const OPTIONAL_IMPORTS: Readonly<Record<string, readonly string[]>> = { 'lambdas/handlers/pipeline-report.ts': ['canvas'] };

describe('Lambda bundles', () => {
  const bundles = new Map<string, string>();

  beforeAll(() => {
    const { stack } = synthBridge({ bundle: true, bridge: { analytics: { enabled: true } } });
    for (const fn of stack.node.findAll().filter((c): c is BridgeFunction => c instanceof BridgeFunction)) {
      const staging = fn.function.node.findAll().find((c): c is AssetStaging => c instanceof AssetStaging);
      bundles.set(fn.entry, staging!.absoluteStagedPath);
    }
  }, 120_000);

  it('import nothing at cold start but Node built-ins: the credential providers and event-stream serde left out are only ever loaded by import()', () => {
    // Every function of the synthesized configuration has its bundle.
    expect([...bundles.keys()].sort()).toEqual(Object.values(FUNCTION_ENVIRONMENTS).map((f) => f.entry).sort());
    for (const [entry, dir] of bundles) {
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      // A statement's start: the bundle's first line, or after `;` (minified) or a line break. The S3
      // client's error text quotes `import "@aws-sdk/signature-v4-crt"`, inside a string, after `[`.
      const staticImports = [...code.matchAll(/(?:^|[;\n])\s*import\s*(?:[\w${},*\s]+from\s*)?"([^"]+)"/g)].map((m) => m[1]);
      expect(staticImports.filter((specifier) => !specifier!.startsWith('node:'))).toEqual([]);
      // The pattern still sees the imports there are (the built-ins every bundle loads).
      expect(staticImports.length, entry).toBeGreaterThan(0);
      const dynamicImports = new Set([...code.matchAll(/\bimport\("([^"]+)"\)/g)].map((m) => m[1]!).filter((s) => !s.startsWith('node:')));
      for (const specifier of dynamicImports) {
        const allowed =
          specifier === EVENT_STREAM_SERDE || UNUSED_CREDENTIAL_PROVIDERS.some((p) => specifier === p || specifier.startsWith(`${p}/`)) || (OPTIONAL_IMPORTS[entry] ?? []).includes(specifier);
        expect(allowed, `${entry}: import("${specifier}")`).toBe(true);
      }
      // Only the AI function's Bedrock client and the report's S3 client import the event-stream serde; the others leave it out.
      expect(dynamicImports.has(EVENT_STREAM_SERDE)).toBe(!STREAMING_ENTRIES.has(entry));
    }
  });

  it('carry the X-Ray SDK without semver: the stand-in replaces it (BUNDLE_ALIASES)', () => {
    for (const [entry, dir] of bundles) {
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(code, entry).toContain('semver is not bundled');
      // semver's constants module names its spec version; the stand-in has nothing of it.
      expect(code, entry).not.toContain('SEMVER_SPEC_VERSION');
    }
  });

  it('load in a fresh Node process as on Lambda, tracing on: the ingest bundle initialises Powertools Tracer and the X-Ray SDK without semver', async () => {
    const environment = functionEnvironment('ingest-webhook', parseStackConfig({}), {
      queueUrl: (queue, deadLetter) => `https://sqs.eu-west-1.amazonaws.com/111111111111/${queue}${deadLetter ? '-dlq' : ''}.fifo`,
      tableName: (table) => `bridge-${table}`,
      secretArns: new Proxy({} as Record<SecretRef, string>, { get: (_, ref) => `arn:aws:secretsmanager:eu-west-1:111111111111:secret:${String(ref)}` }),
    });
    const script = `const m = await import(${JSON.stringify(pathToFileURL(join(bundles.get('lambdas/handlers/ingest-webhook.ts')!, 'index.mjs')).href)}); console.log(typeof m.handler);`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        PATH: process.env['PATH'] ?? '',
        AWS_REGION: 'eu-west-1',
        // What Lambda sets, and what Powertools Tracer takes for "running on Lambda": tracing is on.
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
        AWS_LAMBDA_FUNCTION_NAME: 'ingest',
        AWS_ACCESS_KEY_ID: 'AKIATEST',
        AWS_SECRET_ACCESS_KEY: 'test',
        ...environment,
      },
    });
    expect(stdout.trim()).toBe('function');
  });

  it('carry zod/mini only: classic zod (about 50 KiB more in each) is imported nowhere on a handler graph', () => {
    for (const dir of bundles.values()) {
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      // Constructor names survive minification: zod/mini's base schema is "ZodMiniType", classic zod's "ZodType".
      expect(code).toContain('"ZodMiniType"');
      expect(code).not.toContain('"ZodType"');
    }
  });

  it('build the resume parsers beside the AI function only, and they read a PDF and a DOCX from there', async () => {
    const ai = bundles.get('lambdas/handlers/ai-tasks.ts')!;
    for (const [entry, dir] of bundles) {
      for (const { file } of LAZY_MODULES) expect(existsSync(join(dir, file))).toBe(entry === 'lambdas/handlers/ai-tasks.ts');
    }
    const lines = ['Sam Fictional', 'Staff Software Engineer', 'Built an idempotent webhook pipeline on AWS Lambda'];
    const pdf = (await import(pathToFileURL(join(ai, 'pdf-text.mjs')).href)) as { readPdfText: (b: Uint8Array, max: number) => Promise<PdfReading> };
    expect(await pdf.readPdfText(await resumePdf(lines), 100)).toMatchObject({ outcome: 'read', pages: 1 });
    const docx = (await import(pathToFileURL(join(ai, 'docx-text.mjs')).href)) as { readDocxText: (b: Uint8Array) => Promise<string | undefined> };
    expect(await docx.readDocxText(await resumeDocx(lines))).toContain(lines[2]);
  });
});
