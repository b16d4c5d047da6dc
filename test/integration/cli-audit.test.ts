import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbAudit } from '#adapters/store/audit';
import { entityKey } from '#core/envelope';
import { ENV } from '#lambdas/config';
import { tableDefinition } from '#lib/resource-definitions';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/defaults';
import { startDynamoDbLocal, type DynamoDbLocal } from '#local/dynamodb-local';
import { createTables } from '#local/resources';
import { localDynamoDbClient } from '#local/sdk-clients';
import { runBridgeCli } from '../support/local-stack-process.ts';

/**
 * `bridge audit <applicationId>` (bin/bridge.ts) as an operator runs it: a child process (the test
 * runner's Node with tsx as a loader, as the other process tests start the stack) against DynamoDB
 * Local, with only the environment the CLI reads, after the workflows' entries are written through
 * DynamoDbAudit.
 */
const APPLICATION_ID = 123;

let ddbLocal: DynamoDbLocal | undefined;
let dynamodb: DynamoDBClient | undefined;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  ddbLocal = await startDynamoDbLocal();
  dynamodb = localDynamoDbClient(ddbLocal.endpoint);
  const tables = await createTables(dynamodb, 'cli-audit-');
  const audit = new DynamoDbAudit(dynamodb, tables.audit);
  const key = entityKey('greenhouse', 'application', APPLICATION_ID);
  const common = { workflow: 'screening', applicationId: APPLICATION_ID, jobId: 7, mode: 'assist', provider: 'bedrock', model: 'anthropic.claude-test', promptVersion: 'screening-v1' };
  const answer = {
    score: 72,
    summary: 'Strong TypeScript background; no AWS evidence.',
    strengths: [{ point: '5+ years of TypeScript', evidence: 'Led the TypeScript migration at Acme' }],
    gaps: [{ point: 'AWS experience', evidence: 'No cloud provider named' }],
    notJudged: ['Right to work in the EU'],
  };
  await audit.record({
    kind: 'ai-not-screenable',
    entityKey: key,
    summary: 'Screening not run: no-resume. Nothing was guessed or written back.',
    detail: { workflow: 'screening', applicationId: APPLICATION_ID, jobId: 7, mode: 'assist', reason: 'no-resume' },
    at: '2026-11-20T08:00:00.000Z',
  });
  await audit.record({
    kind: 'ai-inference',
    entityKey: key,
    summary: 'Screening score 72 by bedrock/anthropic.claude-test (screening-v1).',
    detail: { ...common, inputHash: 'f'.repeat(64), reused: false, inputTokens: 1200, outputTokens: 310, latencyMs: 2345, score: 72, output: JSON.stringify(answer) },
    at: '2026-11-23T10:00:00.000Z',
  });
  await audit.record({
    kind: 'ai-reused',
    entityKey: key,
    summary: 'Screening score 72 reused from an earlier inference with the same resume, job version, prompt and model.',
    detail: { ...common, inputHash: 'f'.repeat(64), reused: true, inputTokens: 0, outputTokens: 0, latencyMs: 0, score: 72, output: JSON.stringify(answer) },
    at: '2026-11-24T09:00:00.000Z',
  });
  // Another application's entry: not in this trail.
  await audit.record({ kind: 'ai-not-screenable', entityKey: entityKey('greenhouse', 'application', 124), summary: 'other application', at: '2026-11-21T00:00:00.000Z' });

  // What the CLI reads, and nothing from the test runner's own AWS setup.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && name !== ENV.aiSettings));
  env = {
    ...inherited,
    [tableDefinition('audit').nameEnv]: tables.audit,
    [ENV.runtime]: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: ddbLocal.endpoint,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  };
});
afterAll(async () => {
  dynamodb?.destroy();
  await ddbLocal?.stop();
});

function bridge(...args: string[]): ReturnType<typeof runBridgeCli> {
  return runBridgeCli(args, env, 20_000);
}

describe('bridge audit <applicationId>', () => {
  it('prints the trail oldest first with the score and summary, as JSON with --json, a clear line when empty, and exits 2 on a bad id', async () => {
    const [text, json, empty, bad, zero] = await Promise.all([
      bridge('audit', String(APPLICATION_ID)),
      bridge('audit', String(APPLICATION_ID), '--json'),
      bridge('audit', '999'),
      bridge('audit', 'abc'),
      bridge('audit', '0'),
    ]);

    expect(text, text.stderr).toMatchObject({ code: 0, stderr: '' });
    const lines = text.stdout.split('\n');
    expect(lines[0]).toBe('Audit trail of Greenhouse application 123 (greenhouse#application#123): 3 entries, oldest first');
    expect(lines.filter((line) => /^\d{4}-/.test(line))).toEqual([
      '2026-11-20T08:00:00.000Z  ai-not-screenable  screening',
      '2026-11-23T10:00:00.000Z  ai-inference  screening',
      '2026-11-24T09:00:00.000Z  ai-reused  screening',
    ]);
    expect(text.stdout).toContain('    score: 72/100\n    summary: Strong TypeScript background; no AWS evidence.');
    expect(text.stdout).toContain('    provider bedrock · model anthropic.claude-test · prompt screening-v1 · mode assist · job 7');
    expect(text.stdout).toContain('    tokens 1200 in / 310 out · latency 2345 ms · input ffffffffffff\n');
    expect(text.stdout).toContain('      • 5+ years of TypeScript — “Led the TypeScript migration at Acme”');
    expect(text.stdout).toContain('    reason: no-resume');
    expect(text.stdout).not.toContain('other application');

    expect(json.code, json.stderr).toBe(0);
    const entries = JSON.parse(json.stdout) as { kind: string; detail: { output?: { score: number } } }[];
    expect(entries.map((e) => e.kind)).toEqual(['ai-not-screenable', 'ai-inference', 'ai-reused']);
    expect(entries[1]!.detail.output).toMatchObject({ score: 72 });

    expect(empty).toMatchObject({ code: 0, stderr: '' });
    expect(empty.stdout).toContain('Nothing is recorded in the audit trail for Greenhouse application 999');
    expect(empty.stdout).toContain('entries expire after the configured retention (365 days)');

    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toBe('bridge: invalid application id "abc": expected a positive integer (the Greenhouse application id)\n');
    expect(zero.code).toBe(2);
  });
});
