import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { COHERE_MAX_CHARS, createBedrockEmbedder } from '#adapters/bedrock/bedrock-embedder';
import { classifyOutcome } from '#adapters/queue/message-outcome';
import { ModelAnswerInvalid } from '#core/ai/model';
import type { Embeddings } from '#core/ai/rediscovery/ports';
import { RateLimited } from '#core/api-errors';
import { startBedrockSimulator, type BedrockSimulator } from '#local/simulators/bedrock/server';

const TITAN = 'amazon.titan-embed-text-v2:0';
const COHERE = 'cohere.embed-english-v3';
const ATTEMPTS = 4;

const PROFILES = [
  'Senior backend engineer: TypeScript, Node.js, AWS Lambda, DynamoDB.',
  'Data analyst: SQL, dbt, Looker dashboards for finance.',
  'Registered nurse, intensive care, eight years.',
];

let sim: BedrockSimulator;
let sdk: BedrockRuntimeClient;
/** The real SDK client, pointed at the simulator and retrying on a 10 ms backoff so throttling tests stay fast. */
const client = () => sdk;

/** One unit vector of the model's size per text, and provenance that names the model. */
function expectUnitVectors(result: Embeddings, model: string, count: number, dimensions: number): void {
  expect(result.provenance).toEqual({ provider: 'bedrock', model, isLanguageModel: true, dimensions });
  expect(result.vectors).toHaveLength(count);
  for (const vector of result.vectors) {
    expect(vector).toHaveLength(dimensions);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 10);
  }
}
/** The simulator's estimate, which it reports as Bedrock reports counts: about four characters a token. */
const tokens = (texts: readonly string[]) => texts.reduce((sum, text) => sum + Math.max(1, Math.ceil(text.length / 4)), 0);

beforeAll(async () => {
  sim = await startBedrockSimulator({ port: 0, models: [TITAN, COHERE], respond: () => ({}) });
  sdk = new BedrockRuntimeClient({
    endpoint: sim.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    retryStrategy: new ConfiguredRetryStrategy(ATTEMPTS, 10),
  });
});
afterAll(async () => {
  sdk?.destroy();
  await sim?.close();
});
beforeEach(() => sim.reset());

describe('createBedrockEmbedder with Titan Text Embeddings V2', () => {
  it('embeds each text in its own call with the configured dimensions, normalised, in order', async () => {
    const embedder = createBedrockEmbedder({ client: client(), modelId: TITAN, dimensions: 512, concurrency: 2 });
    const result = await embedder.embed(PROFILES, 'document');

    expectUnitVectors(result, TITAN, 3, 512);
    expect(sim.invocations().map((call) => [call.texts, call.dimensions, call.normalize, call.outcome])).toEqual(
      expect.arrayContaining(PROFILES.map((text) => [[text], 512, true, 'embeddings'])),
    );
    expect(sim.invocations()).toHaveLength(3);
    // Order: the second vector is the second text's, whatever order the parallel calls finished in.
    const alone = await embedder.embed([PROFILES[1]!], 'document');
    expect(result.vectors[1]).toEqual(alone.vectors[0]);
    expect(result.vectors[0]).not.toEqual(alone.vectors[0]);
  });

  it('counts the tokens Titan reports and prices them at $0.00002 per 1,000', async () => {
    const result = await createBedrockEmbedder({ client: client(), modelId: TITAN }).embed(PROFILES, 'query');

    expect(result.usage).toEqual({ inputTokens: tokens(PROFILES), estimated: false });
    expect(result.estimatedCostUsd).toBeCloseTo((tokens(PROFILES) / 1000) * 0.00002, 12);
    expect(result.vectors[0]).toHaveLength(1024);
  });

  it('sends the same body for a query as for a document: Titan has no input type', async () => {
    const embedder = createBedrockEmbedder({ client: client(), modelId: TITAN, dimensions: 256 });
    const document = await embedder.embed([PROFILES[0]!], 'document');
    const query = await embedder.embed([PROFILES[0]!], 'query');

    expect(query.vectors).toEqual(document.vectors);
    expect(sim.invocations().map((call) => call.inputType)).toEqual([undefined, undefined]);
  });
});

describe('createBedrockEmbedder with Cohere Embed v3', () => {
  it('embeds up to 96 texts a call, 1,024 numbers each, normalised, in order', async () => {
    const texts = Array.from({ length: 100 }, (_, i) => `Candidate ${i}: ${PROFILES[i % 3]}`);
    const embedder = createBedrockEmbedder({ client: client(), modelId: COHERE });
    const result = await embedder.embed(texts, 'document');

    expectUnitVectors(result, COHERE, 100, 1024);
    expect(sim.invocations().map((call) => call.texts.length).sort((a, b) => a - b)).toEqual([4, 96]);
    const alone = await embedder.embed([texts[97]!], 'document');
    expect(result.vectors[97]).toEqual(alone.vectors[0]);
  });

  it('sends the purpose as Cohere input_type and cuts the end off', async () => {
    const embedder = createBedrockEmbedder({ client: client(), modelId: COHERE });
    await embedder.embed([PROFILES[0]!], 'document');
    await embedder.embed(['TypeScript engineer who has run AWS Lambda in production'], 'query');

    expect(sim.invocations().map((call) => [call.inputType, call.truncate])).toEqual([
      ['search_document', 'END'],
      ['search_query', 'END'],
    ]);
  });

  it('cuts a text to the 2,048 characters Bedrock takes instead of being refused', async () => {
    const long = 'Kubernetes operator and platform engineer. '.repeat(100);
    const result = await createBedrockEmbedder({ client: client(), modelId: COHERE }).embed([long], 'document');

    expect(result.vectors[0]).toHaveLength(1024);
    expect(sim.invocations().map((call) => [call.outcome, call.texts[0]?.length])).toEqual([['embeddings', COHERE_MAX_CHARS]]);
  });

  it("counts tokens from Bedrock's token-count header, Cohere's body having none, at $0.0001 per 1,000", async () => {
    const result = await createBedrockEmbedder({ client: client(), modelId: COHERE }).embed(PROFILES, 'document');

    expect(result.usage).toEqual({ inputTokens: tokens(PROFILES), estimated: false });
    expect(result.estimatedCostUsd).toBeCloseTo((tokens(PROFILES) / 1000) * 0.0001, 12);
  });
});

describe('createBedrockEmbedder failures', () => {
  it('lets the SDK retry throttling: throttled twice, answered on the third request', async () => {
    sim.throttleNext(2);
    const result = await createBedrockEmbedder({ client: client(), modelId: TITAN }).embed([PROFILES[0]!], 'document');

    expect(result.vectors).toHaveLength(1);
    expect(sim.invocations().map((call) => call.outcome)).toEqual(['ThrottlingException', 'ThrottlingException', 'embeddings']);
  });

  it('turns throttling that outlasts the SDK attempts into RateLimited, a transient outcome for the queue', async () => {
    sim.throttleNext(100);
    const error = await createBedrockEmbedder({ client: client(), modelId: COHERE })
      .embed(PROFILES, 'document')
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RateLimited);
    expect(error).toMatchObject({ system: 'bedrock', operation: 'InvokeModel', source: 'server', retryAfterSeconds: 30 });
    expect(classifyOutcome(error)).toMatchObject({ kind: 'transient', pausesBatch: true });
    expect(sim.invocations()).toHaveLength(ATTEMPTS);
  });

  it('leaves a 5xx that outlasts the SDK attempts as the SDK error, which the queue treats as transient', async () => {
    sim.failNext(100);
    const error = await createBedrockEmbedder({ client: client(), modelId: TITAN })
      .embed([PROFILES[0]!], 'document')
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'InternalServerException', $metadata: { httpStatusCode: 500 } });
    expect(classifyOutcome(error)).toMatchObject({ kind: 'transient', pausesBatch: false });
    expect(sim.invocations()).toHaveLength(ATTEMPTS);
  });

  it('builds its own client from the environment with the given SDK attempts when none is passed', async () => {
    // The SDK reads a service's endpoint and credentials from the environment, as it would in Lambda.
    const environment = { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: sim.url, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: '', AWS_PROFILE: '' };
    for (const [name, value] of Object.entries(environment)) vi.stubEnv(name, value);
    try {
      sim.throttleNext(100);
      const error = await createBedrockEmbedder({ modelId: TITAN, maxAttempts: 2 })
        .embed([PROFILES[0]!], 'document')
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(RateLimited);
      expect(sim.invocations()).toHaveLength(2);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it.each([
    ['a short vector', TITAN, { embedding: [0.6, 0.8], inputTextTokenCount: 3 }, /answered a vector of 2 numbers for text 0, expected 256/],
    ['no vector', TITAN, { inputTextTokenCount: 3 }, /answered no vector for text 0/],
    ['the zero vector', TITAN, { embedding: new Array(256).fill(0), inputTextTokenCount: 3 }, /answered the zero vector/],
    ['a vector with a string in it', TITAN, { embedding: ['0.1', ...new Array(255).fill(0.1)] }, /not finite numbers/],
    ['fewer vectors than texts', COHERE, { embeddings: [new Array(1024).fill(0.1)] }, /answered 1 embeddings for 3 texts/],
    ['a body that is not JSON', COHERE, 'Internal error', /not JSON/],
  ])('refuses an answer with %s: ModelAnswerInvalid, a failure for the queue, never a stand-in vector', async (_, modelId, body, message) => {
    const embedder = createBedrockEmbedder({ client: client(), modelId, ...(modelId === TITAN && { dimensions: 256, concurrency: 1 }) });
    sim.answerNextInvoke(body);
    const error = await embedder.embed(PROFILES, 'document').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ModelAnswerInvalid);
    expect((error as Error).message).toMatch(message);
    expect(classifyOutcome(error).kind).toBe('failure');
    // Titan stops at the first bad answer rather than spending calls on the rest.
    expect(sim.invocations()).toHaveLength(1);
  });

  it('refuses an empty text without calling Bedrock', async () => {
    const error = await createBedrockEmbedder({ client: client(), modelId: TITAN })
      .embed(['Welder', '  '], 'document')
      .catch((e: unknown) => e);

    expect((error as Error).message).toMatch(/text 1 is empty/);
    expect(sim.invocations()).toHaveLength(0);
  });

  it('embeds nothing for no texts, without a call', async () => {
    const result = await createBedrockEmbedder({ client: client(), modelId: COHERE }).embed([], 'query');

    expect(result).toMatchObject({ vectors: [], usage: { inputTokens: 0, estimated: false }, estimatedCostUsd: 0 });
    expect(sim.invocations()).toHaveLength(0);
  });

  it('refuses a model or a size it cannot embed with, before any call', () => {
    expect(() => createBedrockEmbedder({ client: client(), modelId: 'amazon.titan-embed-text-v1' })).toThrow(/unsupported embedding model/);
    expect(() => createBedrockEmbedder({ client: client(), modelId: TITAN, dimensions: 300 })).toThrow(/256, 512, 1024 dimensions, not 300/);
    expect(() => createBedrockEmbedder({ client: client(), modelId: COHERE, dimensions: 512 })).toThrow(/1024 dimensions, not 512/);
  });
});

describe('the Bedrock simulator InvokeModel route', () => {
  /** The simulator checks only that a SigV4 authorization is present. */
  const invoke = (modelId: string, body: unknown) =>
    fetch(`${sim.url}/model/${encodeURIComponent(modelId)}/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/test' },
      body: JSON.stringify(body),
    });

  it.each([
    ['Titan with an unsupported dimensions', TITAN, { inputText: 'Welder', dimensions: 300 }, /dimensions/],
    ['Titan with an unknown key', TITAN, { inputText: 'Welder', input_type: 'search_query' }, /extraneous key \[input_type\]/],
    ['Titan with an empty text', TITAN, { inputText: '' }, /minLength/],
    ['Cohere with more than 96 texts', COHERE, { texts: new Array(97).fill('Welder'), input_type: 'search_document' }, /maxItems: 96/],
    ['Cohere without input_type', COHERE, { texts: ['Welder'] }, /input_type/],
    ['Cohere with a text over 2,048 characters', COHERE, { texts: ['x'.repeat(2049)], input_type: 'search_query', truncate: 'END' }, /maxLength: 2048/],
  ])('answers 400 ValidationException for %s', async (_, modelId, body, message) => {
    const response = await invoke(modelId, body);

    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(((await response.json()) as { message: string }).message).toMatch(message);
    expect(sim.invocations().map((call) => call.outcome)).toEqual(['ValidationException']);
  });

  it('answers the documented bodies with vectors that are closer for texts sharing words', async () => {
    const titan = await invoke(TITAN, { inputText: 'TypeScript and AWS Lambda', dimensions: 256, normalize: true });
    expect(titan.headers.get('x-amzn-bedrock-input-token-count')).toBe('7');
    expect(await titan.json()).toEqual({ embedding: expect.any(Array), embeddingsByType: { float: expect.any(Array) }, inputTextTokenCount: 7 });

    const cohere = await invoke(COHERE, { texts: ['TypeScript and AWS Lambda', 'AWS Lambda in TypeScript', 'Intensive care nursing'], input_type: 'search_document' });
    const answer = (await cohere.json()) as { embeddings: number[][]; response_type: string; id: string };
    expect(answer).toMatchObject({ response_type: 'embeddings_floats', id: expect.any(String) });
    const [a, b, c] = answer.embeddings as [number[], number[], number[]];
    const cosine = (x: number[], y: number[]) => x.reduce((sum, v, i) => sum + v * y[i]!, 0);
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, c));
  });
});
