import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { proxyEvent } from './api-gateway-event.ts';
import { WEBHOOK_PATH } from './defaults.ts';
import { InvocationTimedOut, invokeWithTimeout, lambdaContext } from './lambda-context.ts';
import { LOOPBACK_HOST, urlHost } from './listen-host.ts';

/**
 * Plays the bridge's REST API with Lambda proxy integrations: POST /webhooks/greenhouse, and any
 * further POST routes given (the local stack adds POST /beamery/push). Where API Gateway itself
 * answers (unknown route, oversized body, a failing or slow
 * function) it answers with API Gateway's status codes and bodies, so a local client sees what
 * Greenhouse would.
 */
export type ApiGatewayProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** A further POST route with its own function, as another resource and method of the same REST API. */
export interface ApiGatewayRoute {
  readonly path: string;
  readonly handler: ApiGatewayProxyHandler;
  readonly functionName: string;
}

export interface ApiGatewayOptions {
  /** The function behind POST /webhooks/greenhouse. */
  readonly handler: ApiGatewayProxyHandler;
  readonly routes?: readonly ApiGatewayRoute[];
  /** 0 picks a free port. */
  readonly port?: number;
  /** The address to listen on (default 127.0.0.1). */
  readonly host?: string;
  readonly stage?: string;
  readonly functionName?: string;
  /** API Gateway's default integration timeout. */
  readonly integrationTimeoutMs?: number;
  readonly onError?: (error: unknown) => void;
}

export interface LocalApiGateway {
  readonly port: number;
  readonly webhookUrl: string;
  /** The URL of a route's path on this gateway. */
  urlFor(path: string): string;
  close(): Promise<void>;
}

/** REST APIs refuse payloads over 10 MB before the function runs. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

interface GatewayAnswer {
  readonly status: number;
  readonly errorType?: string;
  readonly message: string;
}

// REST API answers an undefined resource or method this way, not with 404/405.
const MISSING_AUTHENTICATION_TOKEN: GatewayAnswer = {
  status: 403,
  errorType: 'MissingAuthenticationTokenException',
  message: 'Missing Authentication Token',
};
const REQUEST_TOO_LARGE: GatewayAnswer = { status: 413, message: 'Request Too Long' };
const INTEGRATION_FAILED: GatewayAnswer = { status: 502, message: 'Internal server error' };
const INTEGRATION_TIMEOUT: GatewayAnswer = { status: 504, message: 'Endpoint request timed out' };

export async function startApiGateway(options: ApiGatewayOptions): Promise<LocalApiGateway> {
  const {
    handler,
    port = 0,
    host = LOOPBACK_HOST,
    stage = 'local',
    functionName = 'ingest-webhook',
    integrationTimeoutMs = 29_000,
    onError = (error) => process.stderr.write(`${JSON.stringify({ level: 'ERROR', source: 'api-gateway', error: String(error) })}\n`),
  } = options;
  const routes = new Map<string, Omit<ApiGatewayRoute, 'path'>>([
    [WEBHOOK_PATH, { handler, functionName }],
    ...(options.routes ?? []).map((route) => [route.path, { handler: route.handler, functionName: route.functionName }] as const),
  ]);

  const server = createServer((req, res) => {
    serve(req, res).catch((error) => {
      onError(error);
      if (!res.headersSent) answer(res, INTEGRATION_FAILED, randomUUID());
      else res.destroy();
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = routes.get(url.pathname);
    if (req.method !== 'POST' || !route) {
      req.resume();
      return answer(res, MISSING_AUTHENTICATION_TOKEN, randomUUID());
    }
    const body = await readBody(req);
    if (body === undefined) return answer(res, REQUEST_TOO_LARGE, randomUUID());

    const event = proxyEvent(
      {
        method: req.method,
        path: url.pathname,
        query: url.searchParams,
        rawHeaders: req.rawHeaders,
        body,
        sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
        port: actualPort(),
      },
      { resource: url.pathname, stage },
    );
    const requestId = event.requestContext.requestId;
    let result: APIGatewayProxyResult;
    try {
      const context = lambdaContext({ functionName: route.functionName, timeoutMs: integrationTimeoutMs });
      result = await invokeWithTimeout(() => route.handler(event, context), integrationTimeoutMs);
    } catch (error) {
      onError(error);
      return answer(res, error instanceof InvocationTimedOut ? INTEGRATION_TIMEOUT : INTEGRATION_FAILED, requestId);
    }
    if (!isProxyResult(result)) {
      onError(new Error('the function returned no valid proxy result (statusCode and string body)'));
      return answer(res, INTEGRATION_FAILED, requestId);
    }
    writeResult(res, result, requestId);
  }

  const actualPort = () => (server.address() as AddressInfo).port;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  // The address itself, not `localhost`, which may resolve to ::1 first.
  const origin = `http://${urlHost(host)}:${actualPort()}`;
  return {
    port: actualPort(),
    webhookUrl: `${origin}${WEBHOOK_PATH}`,
    urlFor: (path) => `${origin}${path}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Past the cap the rest is read and dropped, so the client gets the 413 rather than a reset.
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= MAX_PAYLOAD_BYTES) chunks.push(chunk);
    });
    req.once('end', () => resolve(size > MAX_PAYLOAD_BYTES ? undefined : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

function isProxyResult(value: unknown): value is APIGatewayProxyResult {
  const result = value as Partial<APIGatewayProxyResult> | null | undefined;
  return (
    typeof result === 'object' &&
    result !== null &&
    Number.isInteger(result.statusCode) &&
    (result.body === undefined || result.body === null || typeof result.body === 'string')
  );
}

function writeResult(res: ServerResponse, result: APIGatewayProxyResult, requestId: string): void {
  const headers = new Map<string, string[]>();
  for (const [name, value] of Object.entries(result.headers ?? {})) headers.set(name, [String(value)]);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    headers.set(name, [...(headers.get(name) ?? []), ...values.map(String)]);
  }
  // API Gateway labels a proxy response without a Content-Type as JSON.
  if (![...headers.keys()].some((name) => name.toLowerCase() === 'content-type')) headers.set('Content-Type', ['application/json']);
  headers.set('x-amzn-RequestId', [requestId]);
  const body = result.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  // A flat [name, value, name, value…] list keeps repeated headers and the handler's header case.
  res.writeHead(result.statusCode, [...headers].flatMap(([name, values]) => values.flatMap((v) => [name, v])));
  res.end(body);
}

function answer(res: ServerResponse, { status, errorType, message }: GatewayAnswer, requestId: string): void {
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'x-amzn-RequestId': requestId,
    ...(errorType ? { 'x-amzn-ErrorType': errorType } : {}),
  });
  res.end(JSON.stringify({ message }));
}
