import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_PROVIDERS } from '@aws-lambda-powertools/parameters/base';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import AWSXRay, { type Segment, type Subsegment } from 'aws-xray-sdk-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { createBedrockEmbedder } from '#adapters/bedrock/bedrock-embedder';
import { createConverseModel } from '#adapters/bedrock/converse-model';
import { ApiClient } from '#adapters/http/api-client';
import { powertoolsTracing, type LambdaTracing } from '#adapters/tracing';
import { NotFound, RateLimited } from '#core/api-errors';
import { lambdaRuntime, lambdaTracer } from '#lambdas/runtime';
import { startBedrockSimulator, type BedrockSimulator } from '#local/simulators/bedrock/server';

/**
 * The real adapter: a Powertools Tracer, enabled as inside Lambda, writing into a real X-Ray segment
 * of aws-xray-sdk-core that is the current segment, read back from the segment object. Nothing is
 * sent: the segment is never closed, so the SDK never emits it to a daemon.
 */
const MODEL = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const TITAN = 'amazon.titan-embed-text-v2:0';
const EMAIL = 'lena.marsh@example.test';
const CANDIDATE_ID = '48213377';
const SERVICE = 'greenhouse-sync';

let sim: BedrockSimulator;
let sdk: BedrockRuntimeClient;

beforeAll(async () => {
  sim = await startBedrockSimulator({ port: 0, models: [MODEL, TITAN], respond: () => ({ score: 72 }) });
});
afterAll(async () => {
  await sim?.close();
});

beforeEach(() => {
  // What Lambda sets: AWS_EXECUTION_ENV is all Powertools needs to trace; the initialization type gives cold starts.
  vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs24.x');
  vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
  vi.stubEnv('POWERTOOLS_TRACE_ENABLED', '');
  vi.stubEnv('_HANDLER', 'index.handler');
  sdk = new BedrockRuntimeClient({ endpoint: sim.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, maxAttempts: 1 });
  sim.reset();
});
afterEach(() => {
  vi.unstubAllEnvs();
  sdk.destroy();
  delete DEFAULT_PROVIDERS['secrets'];
});

/** Runs `work` with a fresh segment as the current one, as Lambda's facade segment is; returns the segment. */
async function inSegment(work: () => Promise<unknown>): Promise<Segment> {
  const segment = new AWSXRay.Segment('bridge-test');
  await AWSXRay.getNamespace().runPromise(async () => {
    AWSXRay.setSegment(segment);
    await work();
  });
  return segment;
}

/** A subsegment as the X-Ray SDK keeps it: the fields it serialises, which its types leave out. */
type RecordedSubsegment = Subsegment & {
  readonly annotations?: Record<string, unknown>;
  readonly metadata?: unknown;
  readonly cause?: unknown;
  readonly error?: boolean;
  readonly fault?: boolean;
  readonly throttle?: boolean;
};
const subsegmentsOf = (parent: Segment | Subsegment): RecordedSubsegment[] => (parent.subsegments ?? []) as RecordedSubsegment[];
/** What X-Ray would receive for the segment: its whole serialised document. */
const documentOf = (segment: Segment) => JSON.stringify(segment);

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
function apiClient(system: 'greenhouse' | 'beamery', tracing: LambdaTracing, answers: Response[]): ApiClient {
  return new ApiClient({
    system,
    readRateLimit: (response) => ({ status: response.status }),
    errorDetail: () => ({ messages: [] }),
    clock: { now: () => Date.now(), sleep: async () => undefined },
    fetch: async () => answers.shift() ?? json(500, {}),
    spans: tracing.spans,
  });
}

describe('powertoolsTracing on a real X-Ray segment', () => {
  it('opens Greenhouse, Beamery and Bedrock subsegments with their annotations, and nothing from the requests', async () => {
    const tracing = powertoolsTracing(lambdaTracer(SERVICE));
    expect(tracing.enabled).toBe(true);
    const screening = { workflow: 'screening', system: 'Screen.', prompt: `Candidate Lena Marsh, ${EMAIL}`, tool: { name: 'record', description: 'Records.' }, schema: z.object({ score: z.number() }) } as const;

    const segment = await inSegment(async () => {
      await apiClient('greenhouse', tracing, [json(200, { id: CANDIDATE_ID })]).request({ method: 'GET', url: `https://harvest.greenhouse.io/v3/candidates/${CANDIDATE_ID}`, parse: (b) => b });
      await apiClient('beamery', tracing, [json(503, {}), json(200, { contacts: [] })]).request({
        method: 'GET',
        url: `https://frontier.beamery.com/v1/contacts?email=${encodeURIComponent(EMAIL)}`,
        parse: (b) => b,
      });
      await createConverseModel({ client: tracing.captureAWSv3Client(sdk), modelId: MODEL, spans: tracing.spans }).infer(screening);
    });

    const [greenhouse, beamery, bedrock, ...more] = subsegmentsOf(segment);
    expect(more).toEqual([]);
    expect([greenhouse?.name, beamery?.name, bedrock?.name]).toEqual(['Greenhouse', 'Beamery', 'Bedrock']);
    expect(greenhouse?.annotations).toEqual({ operation: 'GET /v3/candidates/{id}', status: 200, attempts: 1 });
    expect(beamery?.annotations).toEqual({ operation: 'GET /v1/contacts', status: 200, attempts: 2 });
    expect(bedrock?.annotations).toEqual({ operation: 'Converse', model_id: MODEL });
    // The captured SDK client's own subsegment sits inside the Bedrock span.
    expect(subsegmentsOf(bedrock!).map((s) => s.name)).toEqual(['BedrockRuntime']);
    for (const sub of [greenhouse, beamery, bedrock]) expect(sub?.isClosed()).toBe(true);

    const document = documentOf(segment);
    expect(document).not.toContain(CANDIDATE_ID);
    expect(document).not.toMatch(/lena|marsh|@example/i);
  });

  it('keeps concurrent calls apart: each embedding span holds its own SDK call', async () => {
    const tracing = powertoolsTracing(lambdaTracer(SERVICE));
    const texts = ['first profile', 'second profile', 'third profile', 'fourth profile', 'fifth profile', 'sixth profile'];
    const segment = await inSegment(() =>
      createBedrockEmbedder({ client: tracing.captureAWSv3Client(sdk), modelId: TITAN, dimensions: 256, concurrency: 3, spans: tracing.spans }).embed(texts, 'document'),
    );

    const spans = subsegmentsOf(segment);
    expect(spans).toHaveLength(texts.length);
    for (const span of spans) {
      expect(span.name).toBe('Bedrock');
      expect(span.annotations).toEqual({ operation: 'InvokeModel', model_id: TITAN });
      expect(subsegmentsOf(span).map((s) => s.name)).toEqual(['BedrockRuntime']);
    }
  });

  it('records a failure by its error name and flag, never its message', async () => {
    const tracing = powertoolsTracing(lambdaTracer(SERVICE));
    const segment = await inSegment(async () => {
      const notFound = apiClient('greenhouse', tracing, [json(404, { message: EMAIL })]);
      await expect(notFound.request({ method: 'GET', url: `https://harvest.greenhouse.io/v3/candidates/${CANDIDATE_ID}`, parse: (b) => b })).rejects.toBeInstanceOf(NotFound);
      const limited = apiClient('beamery', tracing, [json(429, {})]);
      await expect(limited.request({ method: 'GET', url: 'https://frontier.beamery.com/v1/vacancies', parse: (b) => b })).rejects.toBeInstanceOf(RateLimited);
      await expect(tracing.spans.span('Bedrock', { operation: 'Converse', model_id: MODEL }, async () => Promise.reject(new Error(`cannot read ${EMAIL}`)))).rejects.toThrow(EMAIL);
    });

    const [notFound, limited, failed] = subsegmentsOf(segment);
    expect(notFound?.annotations).toEqual({ operation: 'GET /v3/candidates/{id}', status: 404, attempts: 1, error: 'NotFound' });
    expect([notFound?.error, notFound?.fault, notFound?.throttle]).toEqual([true, undefined, undefined]);
    expect(limited?.annotations).toMatchObject({ status: 429, error: 'RateLimited' });
    expect([limited?.error, limited?.throttle]).toEqual([true, true]);
    expect(failed?.annotations).toEqual({ operation: 'Converse', model_id: MODEL, error: 'Error' });
    expect(failed?.fault).toBe(true);
    for (const sub of [notFound, limited, failed]) expect(sub?.cause).toBeUndefined();
    expect(documentOf(segment)).not.toMatch(/lena|@example|cannot read/i);
  });

  it('traces each invocation as `## <handler>` with ColdStart and Service, never its result or its error message', async () => {
    const tracing = powertoolsTracing(lambdaTracer(SERVICE));
    const handler = tracing.handler(async (event: { fail: boolean }) => {
      if (event.fail) throw new Error(`candidate ${EMAIL} is gone`);
      return { candidate: EMAIL };
    });

    const segment = await inSegment(async () => {
      await expect(handler({ fail: false })).resolves.toEqual({ candidate: EMAIL });
      await expect(handler({ fail: true })).rejects.toThrow(EMAIL);
    });

    const [first, second] = subsegmentsOf(segment);
    expect(first?.name).toBe('## index.handler');
    expect(first?.annotations).toEqual({ ColdStart: true, Service: SERVICE });
    expect(first?.metadata).toBeUndefined();
    expect(second?.annotations).toEqual({ ColdStart: false, Service: SERVICE, error: 'Error' });
    expect(second?.fault).toBe(true);
    expect(documentOf(segment)).not.toMatch(/lena|@example/i);
  });

  it('leaves fetch uninstrumented: no subsegment records a request URL', async () => {
    const tracing = powertoolsTracing(lambdaTracer(SERVICE));
    const server: Server = createServer((_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/contacts?email=${encodeURIComponent(EMAIL)}`;
      const segment = await inSegment(async () => {
        await tracing.spans.span('Beamery', { operation: 'GET /v1/contacts' }, async () => (await fetch(url)).text());
      });
      const [span] = subsegmentsOf(segment);
      expect(span?.name).toBe('Beamery');
      expect(subsegmentsOf(span!)).toEqual([]);
      expect(documentOf(segment)).not.toContain('127.0.0.1');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('gives getSecret a traced Secrets Manager client when the function traces', () => {
    const { tracing } = lambdaRuntime('greenhouse-changes');
    expect(tracing.enabled).toBe(true);
    const provider = DEFAULT_PROVIDERS['secrets'];
    expect(provider).toBeInstanceOf(SecretsProvider);
    expect((provider as SecretsProvider).client.middlewareStack.identify().some((entry) => entry.startsWith('XRaySDKInstrumentation'))).toBe(true);
  });
});
