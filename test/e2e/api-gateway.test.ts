import { request } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rawBody } from '#handlers/http';
import { startApiGateway, type ApiGatewayProxyHandler, type LocalApiGateway } from '#local/api-gateway';
import { BEAMERY_PUSH_PATH } from '#local/defaults';

/**
 * The local API Gateway with an injected handler: the proxy event it builds, how it writes the
 * handler's answer back, and the answers API Gateway gives on its own.
 */
let gateway: LocalApiGateway;
let events: APIGatewayProxyEvent[] = [];
let respond: ApiGatewayProxyHandler;
let functionNames: string[] = [];

beforeAll(async () => {
  const recording: ApiGatewayProxyHandler = (event, context) => {
    events.push(event);
    functionNames.push(context.functionName);
    return respond(event, context);
  };
  gateway = await startApiGateway({
    handler: recording,
    routes: [{ path: BEAMERY_PUSH_PATH, handler: recording, functionName: 'beamery-push' }],
    integrationTimeoutMs: 300,
    onError: () => undefined,
  });
});
beforeEach(() => {
  events = [];
  functionNames = [];
  respond = async () => ({ statusCode: 200, body: '{"ok":true}' });
});
afterAll(async () => {
  await gateway?.close();
});

/** node:http rather than fetch: fetch would merge repeated headers before they left the client. */
function rawPost(path: string, headers: string[], body: Buffer): Promise<{ status: number; rawHeaders: string[]; body: string }> {
  return new Promise((resolve, reject) => {
    // With a raw header list Node adds no Host header of its own, and its server insists on one.
    const all = ['Host', `127.0.0.1:${gateway.port}`, ...headers];
    const req = request({ host: '127.0.0.1', port: gateway.port, path, method: 'POST', headers: all }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('local API Gateway (REST, Lambda proxy integration)', () => {
  it('builds the proxy event a REST API would, keeping the header case the client sent', async () => {
    const body = Buffer.from('{"action":"ping"}');
    await rawPost(
      '/webhooks/greenhouse?x=1&x=2',
      ['Content-Type', 'application/json', 'Signature', 'sha256 abc', 'X-Repeated', 'a', 'X-Repeated', 'b', 'User-Agent', 'Greenhouse'],
      body,
    );

    const [event] = events;
    expect(event).toMatchObject({
      resource: '/webhooks/greenhouse',
      path: '/webhooks/greenhouse',
      httpMethod: 'POST',
      body: '{"action":"ping"}',
      isBase64Encoded: false,
      pathParameters: null,
      stageVariables: null,
      queryStringParameters: { x: '2' },
      multiValueQueryStringParameters: { x: ['1', '2'] },
      headers: { Signature: 'sha256 abc', 'X-Repeated': 'b', 'Content-Type': 'application/json' },
      multiValueHeaders: { Signature: ['sha256 abc'], 'X-Repeated': ['a', 'b'] },
      requestContext: {
        httpMethod: 'POST',
        resourcePath: '/webhooks/greenhouse',
        path: '/local/webhooks/greenhouse',
        stage: 'local',
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        identity: { sourceIp: '127.0.0.1', userAgent: 'Greenhouse' },
      },
    });
    expect(Math.abs(event!.requestContext.requestTimeEpoch - Date.now())).toBeLessThan(5_000);
    expect(event!.headers['signature']).toBeUndefined();
  });

  it.each([
    ['plain JSON', Buffer.from('{"name":"Zoë \\u003cb\\u003e"}')],
    ['a leading byte-order mark', Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d])],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d])],
  ])('passes %s on so the handler sees the exact bytes sent', async (_, bytes) => {
    await rawPost('/webhooks/greenhouse', ['Content-Type', 'application/json'], bytes);
    expect(rawBody(events[0]!).equals(bytes)).toBe(true);
  });

  it('base64-encodes a body that is not valid UTF-8', async () => {
    await rawPost('/webhooks/greenhouse', [], Buffer.from([0xff, 0x00]));
    expect(events[0]).toMatchObject({ isBase64Encoded: true, body: Buffer.from([0xff, 0x00]).toString('base64') });
  });

  it("writes the handler's status, headers and body back", async () => {
    respond = async (): Promise<APIGatewayProxyResult> => ({
      statusCode: 202,
      headers: { 'content-type': 'application/json', 'X-Custom': 'v' },
      multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
      body: '{"status":"queued"}',
    });
    const reply = await rawPost('/webhooks/greenhouse', [], Buffer.from('{}'));
    expect(reply.status).toBe(202);
    expect(reply.body).toBe('{"status":"queued"}');
    const pairs = reply.rawHeaders.flatMap((v, i, all) => (i % 2 === 0 ? [[v, all[i + 1]]] : []));
    expect(pairs).toEqual(expect.arrayContaining([['X-Custom', 'v'], ['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2']]));
  });

  it.each([
    ['an unknown path', 'POST', '/webhooks/lever'],
    ['the root', 'POST', '/'],
    ['another method on the webhook path', 'GET', '/webhooks/greenhouse'],
    ['another method on the push path', 'GET', '/beamery/push'],
    ['a path under the push route', 'POST', '/beamery/push/extra'],
  ])('answers %s with 403 Missing Authentication Token, as REST APIs do', async (_, method, path) => {
    const reply = await fetch(`http://127.0.0.1:${gateway.port}${path}`, { method, ...(method === 'GET' ? {} : { body: '{}' }) });
    expect(reply.status).toBe(403);
    expect(reply.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(await reply.json()).toEqual({ message: 'Missing Authentication Token' });
    expect(events).toEqual([]);
  });

  it("routes POST /beamery/push to its own function, as a second resource of the same REST API", async () => {
    respond = async () => ({ statusCode: 202, body: '{"queued":1}' });
    const reply = await fetch(gateway.urlFor(BEAMERY_PUSH_PATH), {
      method: 'POST',
      headers: { Authorization: 'Bearer k', 'Content-Type': 'application/json' },
      body: '{"contactId":"a1"}',
    });
    expect(reply.status).toBe(202);
    expect(await reply.json()).toEqual({ queued: 1 });
    expect(functionNames).toEqual(['beamery-push']);
    expect(events[0]).toMatchObject({
      resource: BEAMERY_PUSH_PATH,
      path: BEAMERY_PUSH_PATH,
      httpMethod: 'POST',
      body: '{"contactId":"a1"}',
      headers: { Authorization: 'Bearer k' },
      requestContext: { resourcePath: BEAMERY_PUSH_PATH, path: `/local${BEAMERY_PUSH_PATH}` },
    });
    await fetch(gateway.webhookUrl, { method: 'POST', body: '{}' });
    expect(functionNames).toEqual(['beamery-push', 'ingest-webhook']);
  });

  it('answers 502 Internal server error when the function fails', async () => {
    respond = async () => {
      throw new Error('boom');
    };
    const reply = await fetch(gateway.webhookUrl, { method: 'POST', body: '{}' });
    expect(reply.status).toBe(502);
    expect(await reply.json()).toEqual({ message: 'Internal server error' });
  });

  it('answers 504 when the function outlives the integration timeout', async () => {
    respond = () => new Promise((resolve) => setTimeout(() => resolve({ statusCode: 200, body: '' }), 1_000));
    const reply = await fetch(gateway.webhookUrl, { method: 'POST', body: '{}' });
    expect(reply.status).toBe(504);
    expect(await reply.json()).toEqual({ message: 'Endpoint request timed out' });
  });
});
