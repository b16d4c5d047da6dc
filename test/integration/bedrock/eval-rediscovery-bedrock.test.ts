import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startBedrockSimulator, type BedrockSimulator } from '#local/simulators/bedrock/server';
import { runRediscoveryEval } from '../../../eval/rediscovery/run.ts';

/**
 * `npm run eval -- rediscovery --provider bedrock` goes through the adapter a deployment uses (the SDK
 * finds the Bedrock simulator by AWS_ENDPOINT_URL_BEDROCK_RUNTIME here, the real Bedrock with
 * credentials): every candidate and job is embedded by the named model, and the report says which.
 * The simulator's vectors are not a language model's, so its figures are not asserted.
 */
const TITAN = 'amazon.titan-embed-text-v2:0';
let sim: BedrockSimulator;

beforeAll(async () => {
  sim = await startBedrockSimulator({ port: 0, models: [TITAN], respond: () => ({}) });
  for (const [name, value] of Object.entries({
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: sim.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
  })) vi.stubEnv(name, value);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await sim?.close();
});

describe('the rediscovery eval on Bedrock', () => {
  it('embeds the pool and the jobs with the named model and reports it', async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
    try {
      expect(await runRediscoveryEval(['--provider', 'bedrock', '--model', TITAN, '--dimensions', '256'])).toBe(0);
    } finally {
      log.mockRestore();
    }
    expect(lines.join('\n')).toContain(`Embedder bedrock · model ${TITAN} · 256 dimensions`);
    const embedded = sim.invocations().filter((call) => call.outcome === 'embeddings');
    // 41 past candidates and 6 jobs, one text a call (Titan).
    expect(embedded).toHaveLength(47);
    expect(embedded.every((call) => call.dimensions === 256)).toBe(true);
  });
});
