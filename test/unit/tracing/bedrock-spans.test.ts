import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createBedrockEmbedder } from '#adapters/bedrock/bedrock-embedder';
import { createConverseModel } from '#adapters/bedrock/converse-model';
import { RateLimited } from '#core/api-errors';
import type { StructuredRequest } from '#core/ai/model';
import { startBedrockSimulator, type BedrockSimulator } from '#local/simulators/bedrock/server';
import { annotationKeys, annotationValues, recordingSpans, XRAY_ANNOTATION_KEY, type RecordedSpan } from './recording-spans.ts';

const MODEL = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const TITAN = 'amazon.titan-embed-text-v2:0';
const COHERE = 'cohere.embed-english-v3';

/** A prompt and profiles carrying what a trace must never show: a candidate's name, email and id. */
const NAME = 'Lena Marsh';
const EMAIL = 'lena.marsh@example.test';
const CANDIDATE_ID = '48213377';
const request: StructuredRequest<{ score: number }> = {
  workflow: 'screening',
  system: 'You screen resumes against requirements.',
  prompt: `Candidate ${NAME} (${EMAIL}, id ${CANDIDATE_ID}). Requirements: TypeScript. Resume: five years of TypeScript.`,
  tool: { name: 'record_screening', description: 'Records the screening result.' },
  schema: z.strictObject({ score: z.number().int().min(0).max(100) }),
};
const PROFILES = [`${NAME}, backend engineer, ${EMAIL}`, 'Data analyst: SQL, dbt, Looker dashboards.', `Candidate ${CANDIDATE_ID}: registered nurse.`];

let sim: BedrockSimulator;
let sdk: BedrockRuntimeClient;

beforeAll(async () => {
  sim = await startBedrockSimulator({ port: 0, models: [MODEL, TITAN, COHERE], respond: () => ({ score: 72 }) });
  sdk = new BedrockRuntimeClient({
    endpoint: sim.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    retryStrategy: new ConfiguredRetryStrategy(2, 5),
  });
});
afterAll(async () => {
  sdk?.destroy();
  await sim?.close();
});
beforeEach(() => sim.reset());

/** The operation and the model id, and nothing from the prompt, the texts or the answer. */
function expectOnlyOperationAndModel(spans: readonly RecordedSpan[], operation: string, modelId: string): void {
  for (const span of spans) expect(span).toEqual({ name: 'Bedrock', annotations: { operation, model_id: modelId } });
  for (const key of annotationKeys(spans)) expect(key).toMatch(XRAY_ANNOTATION_KEY);
  for (const value of annotationValues(spans)) {
    expect(value).not.toMatch(/lena|marsh|@|48213377|typescript|nurse|72/i);
  }
}

describe('Bedrock spans', () => {
  it('Converse: one Bedrock span per call, the re-ask included', async () => {
    const { port, spans } = recordingSpans();
    sim.answerNext({ score: 'not a number' });
    const result = await createConverseModel({ client: sdk, modelId: MODEL, spans: port }).infer(request);

    expect(result.output).toEqual({ score: 72 });
    expect(sim.requests()).toHaveLength(2);
    expect(spans).toHaveLength(2);
    expectOnlyOperationAndModel(spans, 'Converse', MODEL);
  });

  it('Converse: a throttled call is still one span, and its error is classified as before', async () => {
    const { port, spans } = recordingSpans();
    sim.throttleNext(2);
    await expect(createConverseModel({ client: sdk, modelId: MODEL, spans: port }).infer(request)).rejects.toBeInstanceOf(RateLimited);

    expect(spans).toHaveLength(1);
    expectOnlyOperationAndModel(spans, 'Converse', MODEL);
  });

  it('Titan embeddings: one span per text, as each is its own InvokeModel call', async () => {
    const { port, spans } = recordingSpans();
    const result = await createBedrockEmbedder({ client: sdk, modelId: TITAN, dimensions: 256, spans: port }).embed(PROFILES, 'document');

    expect(result.vectors).toHaveLength(3);
    expect(spans).toHaveLength(3);
    expectOnlyOperationAndModel(spans, 'InvokeModel', TITAN);
  });

  it('Cohere embeddings: one span for a batch of texts', async () => {
    const { port, spans } = recordingSpans();
    await createBedrockEmbedder({ client: sdk, modelId: COHERE, spans: port }).embed(PROFILES, 'query');

    expect(spans).toHaveLength(1);
    expectOnlyOperationAndModel(spans, 'InvokeModel', COHERE);
  });
});
