import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';

/**
 * The event a REST API (v1) Lambda proxy integration hands its function, built from one HTTP request.
 * Greenhouse signs the raw bytes, so the body is passed on untouched: as a string when the bytes are
 * valid UTF-8 (what API Gateway does for text), otherwise base64 with isBase64Encoded.
 */
export interface ProxyRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Node's `rawHeaders`: name, value, name, value… with the case the client sent. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly port: number;
}

export interface ProxyRoute {
  readonly resource: string;
  readonly stage: string;
}

const LOCAL_ACCOUNT = '000000000000';
const LOCAL_API_ID = 'local';

export function proxyEvent(request: ProxyRequest, route: ProxyRoute, now = new Date()): APIGatewayProxyEvent {
  const { headers, multiValueHeaders } = headerMaps(request);
  const host = headers['Host'] ?? headers['host'] ?? 'localhost';
  const body = encodeBody(request.body);
  return {
    resource: route.resource,
    path: request.path,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    ...queryMaps(request.query),
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: LOCAL_API_ID,
      authorizer: null,
      domainName: host,
      domainPrefix: host.split('.')[0]!.split(':')[0]!,
      extendedRequestId: randomUUID(),
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent: headers['User-Agent'] ?? headers['user-agent'] ?? null,
        userArn: null,
      },
      path: `/${route.stage}${request.path}`,
      protocol: 'HTTP/1.1',
      requestId: randomUUID(),
      requestTime: requestTime(now),
      requestTimeEpoch: now.getTime(),
      resourceId: LOCAL_API_ID,
      resourcePath: route.resource,
      stage: route.stage,
    },
    ...body,
  };
}

function headerMaps(request: ProxyRequest) {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  const add = (name: string, value: string) => {
    // A repeated header: API Gateway's `headers` keeps the last value, `multiValueHeaders` all of them.
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  };
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) add(request.rawHeaders[i]!, request.rawHeaders[i + 1]!);
  // API Gateway adds these behind its load balancer; handlers that log the caller read them.
  const sent = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
  if (!sent.has('x-forwarded-for')) add('X-Forwarded-For', request.sourceIp);
  if (!sent.has('x-forwarded-port')) add('X-Forwarded-Port', String(request.port));
  if (!sent.has('x-forwarded-proto')) add('X-Forwarded-Proto', 'http');
  return { headers, multiValueHeaders };
}

function queryMaps(query: URLSearchParams): Pick<APIGatewayProxyEvent, 'queryStringParameters' | 'multiValueQueryStringParameters'> {
  const names = [...new Set(query.keys())];
  if (names.length === 0) return { queryStringParameters: null, multiValueQueryStringParameters: null };
  return {
    queryStringParameters: Object.fromEntries(names.map((name) => [name, query.getAll(name).at(-1)!])),
    multiValueQueryStringParameters: Object.fromEntries(names.map((name) => [name, query.getAll(name)])),
  };
}

function encodeBody(bytes: Buffer): Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'> {
  if (bytes.byteLength === 0) return { body: null, isBase64Encoded: false };
  // ignoreBOM keeps a leading byte-order mark in the string: stripping it would change the signed bytes.
  try {
    return { body: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), isBase64Encoded: false };
  } catch {
    return { body: bytes.toString('base64'), isBase64Encoded: true };
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's `requestTime` format: `09/Apr/2015:12:34:56 +0000`. */
function requestTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`
  );
}
