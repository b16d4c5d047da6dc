import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient, backoffDelay, operationOf, DEFAULT_RETRY } from '#adapters/http/api-client';
import {
  Forbidden,
  NetworkError,
  NotFound,
  RateLimited,
  ServerError,
  Unauthorized,
  ValidationFailed,
  WriteOutcomeUnknown,
} from '#core/api-errors';

type Answer = (req: IncomingMessage, res: ServerResponse) => void;

/** A real HTTP server whose next answers a test scripts; the client goes over the wire. */
describe('ApiClient', () => {
  let server: Server;
  let base: string;
  let script: Answer[];
  let requests: { method: string; url: string; authorization: string | undefined }[];
  let tokens: number;
  let refused: (string | undefined)[];
  let client: ApiClient;

  const json = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const drop: Answer = (req) => req.socket.destroy();

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization });
      req.resume();
      req.on('end', () => (script.shift() ?? json(500, { message: 'unscripted' }))(req, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  beforeEach(() => {
    script = [];
    requests = [];
    tokens = 0;
    refused = [];
    client = new ApiClient({
      system: 'greenhouse',
      authorize: async () => `Bearer token-${tokens}`,
      onUnauthorized: (value) => {
        refused.push(value);
        tokens++;
      },
      readRateLimit: (response) => ({
        status: response.status,
        retryAfterMs: response.headers.has('retry-after') ? Number(response.headers.get('retry-after')) * 1000 : undefined,
      }),
      errorDetail: (_status, body) => {
        const b = body as { errors?: string[]; scope?: string } | undefined;
        return { messages: b?.errors ?? [], missingScope: b?.scope };
      },
      retry: { baseDelayMs: 1, maxDelayMs: 2 },
    });
  });

  const get = () => client.request({ method: 'GET', url: `${base}/v3/candidates?email=someone@example.com`, parse: (b) => b });
  const post = (verifyWrite?: () => Promise<unknown>) =>
    client.request({ method: 'POST', url: `${base}/v3/notes`, json: { body: 'x' }, parse: (b) => b, verifyWrite });

  it('returns the parsed body of a success', async () => {
    script = [json(200, [{ id: 1 }])];
    expect((await get()).body).toEqual([{ id: 1 }]);
  });

  it('retries a GET after 5xx and dropped connections, a bounded number of times', async () => {
    script = [json(503, {}), drop, json(200, { ok: true })];
    expect((await get()).body).toEqual({ ok: true });
    expect(requests).toHaveLength(3);
    script = [json(502, {}), json(502, {}), json(502, {}), json(200, {})];
    await expect(get()).rejects.toBeInstanceOf(ServerError);
    expect(requests).toHaveLength(3 + DEFAULT_RETRY.attempts);
  });

  it('never repeats a POST whose outcome is unknown and that cannot be checked', async () => {
    script = [json(500, {}), json(201, { id: 2 })];
    const error = await post().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteOutcomeUnknown);
    expect(requests).toHaveLength(1);
  });

  it('repeats a POST once its check says the write did not happen', async () => {
    script = [drop, json(201, { id: 3 })];
    let checks = 0;
    const res = await post(async () => {
      checks++;
      return undefined;
    });
    expect(res.body).toEqual({ id: 3 });
    expect(checks).toBe(1);
    expect(requests).toHaveLength(2);
  });

  it('returns what the check found instead of writing twice', async () => {
    script = [json(504, {}), json(201, { id: 99 })];
    const res = await post(async () => ({ id: 4 }));
    expect(res.body).toEqual({ id: 4 });
    expect(requests).toHaveLength(1);
  });

  it('repeats a POST whose connection was refused (it never left the machine)', async () => {
    const refused = new ApiClient({
      system: 'beamery',
      authorize: async () => 'Bearer t',
      onUnauthorized: () => undefined,
      readRateLimit: (r) => ({ status: r.status }),
      errorDetail: () => ({ messages: [] }),
      retry: { baseDelayMs: 1, maxDelayMs: 1, attempts: 2 },
    });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await refused.request({ method: 'POST', url: `http://127.0.0.1:${port}/v1/contact`, json: {}, parse: (b) => b }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).causeName).toBe('ECONNREFUSED');
  });

  it('mints a new token once on a 401 and retries once', async () => {
    script = [json(401, {}), json(200, { ok: 1 })];
    expect((await get()).body).toEqual({ ok: 1 });
    expect(requests.map((r) => r.authorization)).toEqual(['Bearer token-0', 'Bearer token-1']);
    expect(refused).toEqual(['Bearer token-0']);
    script = [json(401, {}), json(401, {})];
    await expect(get()).rejects.toBeInstanceOf(Unauthorized);
  });

  it('sends no Authorization header without an authorizer, and takes a 401 as final (token endpoints)', async () => {
    const tokenEndpoint = new ApiClient({ system: 'beamery', readRateLimit: (r) => ({ status: r.status }), errorDetail: () => ({ messages: [] }) });
    script = [json(401, {}), json(200, {})];
    const error = await tokenEndpoint.request({ method: 'POST', url: `${base}/v1/oauth/token`, json: {}, parse: (b) => b }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Unauthorized);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.authorization).toBeUndefined();
  });

  it('turns a 429 into RateLimited with the server retry time, without sleeping on it', async () => {
    script = [json(429, { message: 'slow down' }, { 'retry-after': '17' })];
    const error = (await get().catch((e: unknown) => e)) as RateLimited;
    expect(error).toBeInstanceOf(RateLimited);
    expect(error.retryAfterSeconds).toBe(17);
    expect(error.source).toBe('server');
    expect(requests).toHaveLength(1);
  });

  it.each([
    [403, { scope: 'harvest:candidates:merge' }, Forbidden],
    [404, {}, NotFound],
    [422, { errors: ['per_page must be at most 500'] }, ValidationFailed],
    [400, {}, ValidationFailed],
  ])('maps %i to its typed error', async (status, body, type) => {
    script = [json(status, body)];
    const error = await get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    if (error instanceof Forbidden) expect(error.missingScope).toBe('harvest:candidates:merge');
    if (error instanceof ValidationFailed && status === 422) expect(error.messages).toEqual(['per_page must be at most 500']);
  });

  it('names the operation without its query string (which may hold an email)', async () => {
    script = [json(404, {})];
    const error = (await get().catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('GET /v3/candidates');
    expect(error.message).not.toContain('example.com');
    expect(operationOf('GET', 'https://x.test/v3/a?b=c')).toBe('GET /v3/a');
  });

  it('spreads retries with full jitter under an exponential bound', () => {
    const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(backoffDelay(1, policy, () => 0.999)).toBe(99);
    expect(backoffDelay(3, policy, () => 0.999)).toBe(399);
    expect(backoffDelay(10, policy, () => 0.999)).toBe(999);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });
});
