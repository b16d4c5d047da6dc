import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { createConverseModel } from '#adapters/bedrock/converse-model';
import { RateLimited } from '#core/api-errors';
import { GuardrailIntervened, ModelAnswerInvalid, type StructuredRequest } from '#core/ai/model';
import { startBedrockSimulator, type BedrockSimulator } from '#local/simulators/bedrock/server';

const MODEL = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const PROFILE_ARN = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0';
const ATTEMPTS = 4;

const answerSchema = z.strictObject({
  score: z.number().int().min(0).max(100),
  summary: z.string().min(1).max(200),
  tags: z.array(z.string()).max(3).default([]),
});
const VALID = { score: 72, summary: 'Meets most requirements.', tags: ['typescript'] };

const request: StructuredRequest<z.infer<typeof answerSchema>> = {
  workflow: 'screening',
  system: 'You screen resumes against requirements.',
  prompt: 'Requirements: TypeScript. Resume: five years of TypeScript.',
  tool: { name: 'record_screening', description: 'Records the screening result.' },
  schema: answerSchema,
};

let sim: BedrockSimulator;
const clients: BedrockRuntimeClient[] = [];

/** The real SDK client, retrying on a 10 ms backoff so throttling tests stay fast. */
function client(): BedrockRuntimeClient {
  const made = new BedrockRuntimeClient({
    endpoint: sim.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    retryStrategy: new ConfiguredRetryStrategy(ATTEMPTS, 10),
  });
  clients.push(made);
  return made;
}

beforeAll(async () => {
  sim = await startBedrockSimulator({ port: 0, models: [MODEL, PROFILE_ARN], respond: () => VALID });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await sim?.close();
});
beforeEach(() => sim.reset());

describe('createConverseModel against the Bedrock simulator', () => {
  it('forces the one tool whose input schema is the answer schema', async () => {
    await createConverseModel({ client: client(), modelId: MODEL }).infer({ ...request, maxTokens: 500 });

    const [call] = sim.requests();
    expect(call).toMatchObject({
      modelId: MODEL,
      system: request.system,
      prompt: request.prompt,
      toolName: 'record_screening',
      toolChoice: { tool: { name: 'record_screening' } },
      messages: 1,
      maxTokens: 500,
      temperature: 0,
    });
    expect(call?.guardrail).toBeUndefined();
    expect(call?.inputSchema).toEqual({
      type: 'object',
      properties: {
        score: { type: 'integer', minimum: 0, maximum: 100 },
        summary: { type: 'string', minLength: 1, maxLength: 200 },
        // The model writes the schema's input: a field with a default may be left out.
        tags: { type: 'array', items: { type: 'string' }, maxItems: 3, default: [] },
      },
      required: ['score', 'summary'],
      additionalProperties: false,
    });
  });

  it('returns the parsed answer with the usage Bedrock reported and the configured model id', async () => {
    const model = createConverseModel({ client: client(), modelId: PROFILE_ARN });
    const result = await model.infer(request);

    expect(model.provider).toBe('bedrock');
    expect(result.output).toEqual(VALID);
    expect(result.model).toBe(PROFILE_ARN);
    // The ARN travelled URL-encoded in the path and arrived whole.
    expect(sim.requests().map((c) => c.modelId)).toEqual([PROFILE_ARN]);
    expect(result.usage).toEqual(sim.requests()[0]?.usage);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(request.maxTokens).toBeUndefined();
    expect(sim.requests()[0]?.maxTokens).toBe(2000);
  });

  it('re-asks once with an error toolResult naming the problems by path, then accepts the fixed answer', async () => {
    sim.answerNext({ score: 'Jane Roe', summary: '', extra: 'jane@example.com' });
    const result = await createConverseModel({ client: client(), modelId: MODEL }).infer(request);

    expect(result.output).toEqual(VALID);
    const [first, second] = sim.requests();
    expect(sim.requests()).toHaveLength(2);
    expect(second).toMatchObject({ messages: 3, prompt: request.prompt, toolName: 'record_screening' });
    expect(second?.toolResults).toHaveLength(1);
    const [toolResult] = second?.toolResults ?? [];
    expect(toolResult?.toolUseId).toBe(first?.toolUseId);
    expect(toolResult?.status).toBe('error');
    expect(toolResult?.text).toMatch(/score must be number/);
    expect(toolResult?.text).toMatch(/summary must be at least 1 characters/);
    expect(toolResult?.text).toMatch(/\(root\) has properties the schema does not allow/);
    expect(toolResult?.text).not.toMatch(/Jane|jane@example\.com|extra/);
    expect(result.usage).toEqual({
      inputTokens: (first?.usage?.inputTokens ?? 0) + (second?.usage?.inputTokens ?? 0),
      outputTokens: (first?.usage?.outputTokens ?? 0) + (second?.usage?.outputTokens ?? 0),
    });
  });

  it('gives up with ModelAnswerInvalid after two invalid answers', async () => {
    sim.answerNext({ score: 101, summary: 'Jane Roe' });
    sim.answerNext({ score: 'Jane Roe' });
    const error = await createConverseModel({ client: client(), modelId: MODEL })
      .infer(request)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ModelAnswerInvalid);
    expect((error as ModelAnswerInvalid).workflow).toBe('screening');
    expect((error as Error).message).toMatch(/score must be number/);
    expect((error as Error).message).not.toMatch(/Jane/);
    expect(sim.requests()).toHaveLength(2);
  });

  it('lets the SDK retry throttling: throttled twice, answered on the third request', async () => {
    sim.throttleNext(2);
    const result = await createConverseModel({ client: client(), modelId: MODEL }).infer(request);

    expect(result.output).toEqual(VALID);
    expect(sim.requests().map((c) => c.outcome)).toEqual(['ThrottlingException', 'ThrottlingException', 'tool_use']);
  });

  it('turns throttling that outlasts the SDK attempts into RateLimited for the queue', async () => {
    sim.throttleNext(100);
    const error = await createConverseModel({ client: client(), modelId: MODEL })
      .infer(request)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RateLimited);
    expect(error).toMatchObject({ system: 'bedrock', operation: 'Converse', source: 'server', retryAfterSeconds: 30 });
    expect(sim.requests()).toHaveLength(ATTEMPTS);
  });

  it('builds its own client with the given SDK attempts when none is passed', async () => {
    // The SDK reads a service's endpoint and credentials from the environment, as it would in Lambda.
    vi.stubEnv('AWS_ENDPOINT_URL_BEDROCK_RUNTIME', sim.url);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    vi.stubEnv('AWS_SESSION_TOKEN', '');
    vi.stubEnv('AWS_PROFILE', '');
    try {
      sim.throttleNext(100);
      const error = await createConverseModel({ modelId: MODEL, maxAttempts: 2 })
        .infer(request)
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(RateLimited);
      expect(sim.requests()).toHaveLength(2);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('sends the guardrail and throws GuardrailIntervened when it intervenes', async () => {
    const model = createConverseModel({ client: client(), modelId: MODEL, guardrail: { id: 'gr0abc123', version: '3' } });
    sim.blockWhenPromptContains('forbidden');

    await expect(model.infer(request)).resolves.toMatchObject({ output: VALID });
    const error = await model.infer({ ...request, prompt: 'Something Forbidden here.' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(GuardrailIntervened);
    expect(sim.requests().map((c) => [c.guardrail, c.outcome])).toEqual([
      [{ id: 'gr0abc123', version: '3' }, 'tool_use'],
      [{ id: 'gr0abc123', version: '3' }, 'guardrail_intervened'],
    ]);
  });

  it('passes an unknown model through as ResourceNotFoundException', async () => {
    const error = await createConverseModel({ client: client(), modelId: 'anthropic.no-such-model-v9:0' })
      .infer(request)
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
    expect(sim.requests()).toHaveLength(0);
  });

  it('passes a request Bedrock rejects through as ValidationException, without retrying', async () => {
    const error = await createConverseModel({ client: client(), modelId: MODEL })
      .infer({ ...request, tool: { ...request.tool, name: 'record screening' } })
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    expect(sim.requests().map((c) => c.outcome)).toEqual(['ValidationException']);
  });

  it('refuses an unsigned request with AccessDeniedException', async () => {
    const response = await fetch(`${sim.url}/model/${encodeURIComponent(MODEL)}/converse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hi' }] }] }),
    });

    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
    expect(await response.json()).toEqual({ message: expect.any(String) });
    expect(sim.requests()).toHaveLength(0);
  });
});
