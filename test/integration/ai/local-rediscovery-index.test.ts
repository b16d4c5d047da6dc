import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vectorKey } from '#core/ai/rediscovery/ports';
import { ENV, readConfig } from '#lambdas/config';
import { rediscoveryPortsFrom } from '#wiring/rediscovery';
import { readLocalStackEnvironment, writeLocalStackFile } from '#local/stack-file';
import { startLocalStack, type LocalStack } from '#local/stack';
import { missingCliSettings } from '../../../bin/cli-settings.ts';

/**
 * The local stack serves rediscovery's index from the S3 Vectors simulator: its functions (and, through
 * the stack file, `bridge … --local`) get the bucket and index names and the simulator's endpoint, and
 * the ports built from that configuration alone store and find vectors through the real adapter.
 */
let stack: LocalStack;
let dir: string;

beforeAll(async () => {
  process.env['POWERTOOLS_LOG_LEVEL'] = 'ERROR';
  process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
  dir = mkdtempSync(join(tmpdir(), 'local-rediscovery-'));
  stack = await startLocalStack({
    webhookSecret: 'local-rediscovery',
    pollIntervalMs: 0,
    consumers: {},
    ai: { provider: 'offline', rediscovery: { enabled: true, consentField: 'open_to_other_roles' } },
  });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the local stack\'s rediscovery index', () => {
  it('gives the functions and the stack file the index names and the simulator\'s endpoint', () => {
    const expected = {
      [ENV.rediscoveryVectorBucket]: 'local-rediscovery',
      [ENV.rediscoveryVectorIndex]: 'candidates-offline-512',
      AWS_ENDPOINT_URL_S3VECTORS: stack.s3vectorsEndpoint,
    };
    expect(process.env).toMatchObject(expected);
    const file = join(dir, 'running-stack.json');
    writeLocalStackFile(process.env, file);
    const fileEnvironment = readLocalStackEnvironment(file);
    expect(fileEnvironment).toMatchObject(expected);
    expect(missingCliSettings(readConfig(fileEnvironment), ['rediscovery-index'], fileEnvironment)).toEqual([]);
  });

  it('stores and finds vectors through rediscoveryPortsFrom(the local configuration)', async () => {
    const { embedder, index } = rediscoveryPortsFrom(readConfig());
    const texts = ['Kubernetes Go PostgreSQL on-call platform engineer', 'Pastry chef, sourdough and laminated doughs'];
    const { vectors } = await embedder.embed(texts, 'document');
    await index.put(vectors.map((vector, i) => ({ key: vectorKey(i + 1), vector, metadata: { candidateId: i + 1, lastActivityAt: null, hash: `h${i + 1}` } })));
    const [query] = (await embedder.embed(['platform engineer with Kubernetes and PostgreSQL'], 'query')).vectors;
    const matches = await index.query(query!, 2);
    expect(matches.map((m) => m.key)).toEqual([vectorKey(1), vectorKey(2)]);
    expect(matches[0]!.score).toBeGreaterThan(matches[1]!.score);
    await index.delete([vectorKey(1), vectorKey(2)]);
    expect(await index.get([vectorKey(1), vectorKey(2)])).toEqual([]);
  });
});
