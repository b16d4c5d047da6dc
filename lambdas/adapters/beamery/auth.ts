import { BEAMERY_OPERATIONS, operationUrl } from './operations.ts';
import { authorizationFor } from './token-cache.ts';
import type { BeameryApiCredentials, BeameryBasicCredentials, BeameryCredentials, DoctorProbe } from './connection.ts';
import { parseToken } from './wire/activity.ts';
import { errorName } from '#core/error-name';

/**
 * Beamery's two ways to mint a token (docs/beamery-assumptions.md). `oauth`: `POST /v1/oauth/token`
 * with a JSON `{clientId, clientSecret}` body (HIGH: S2 docs, S4 code). `basic`: `GET /v1/auth` with
 * Basic `username:password` of the API user (MED: the older render of the official Swagger, S1; its
 * reply is not public, so `{token}` and `{access_token}` are both read). Which one a tenant serves is
 * configuration (`BEAMERY_AUTH`); `tryBeameryAuth` lets `bridge doctor` find out.
 */

export const BEAMERY_AUTH_VARIANTS = ['oauth', 'basic'] as const;
export type BeameryAuthVariant = (typeof BEAMERY_AUTH_VARIANTS)[number];
export const DEFAULT_BEAMERY_AUTH: BeameryAuthVariant = 'oauth';

export interface MintRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  /** `POST /v1/oauth/token`: method and path, for errors and evidence. */
  readonly operation: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly json?: unknown;
}

const isBasic = (c: BeameryApiCredentials): c is BeameryBasicCredentials => 'username' in c;

/** The cache key's user part: whoever the token is minted for. */
export function loginOf(credentials: BeameryApiCredentials): string {
  return isBasic(credentials) ? credentials.username : credentials.clientId;
}

/** The mint call of `variant`. Throws (naming shapes, never values) when the credentials do not fit it. */
export function mintRequest(variant: BeameryAuthVariant, baseUrl: string, credentials: BeameryApiCredentials): MintRequest {
  const name = variant === 'oauth' ? 'mintToken' : 'mintTokenBasic';
  const { method, path } = BEAMERY_OPERATIONS[name];
  const url = operationUrl(baseUrl, name);
  const operation = `${method} ${new URL(url).pathname}`;
  if (variant === 'oauth') {
    if (isBasic(credentials)) throw new Error(`beamery ${method} ${path}: auth 'oauth' needs credentials {"clientId","clientSecret"}, got {"username","password"} (set BEAMERY_AUTH=basic for those)`);
    const { clientId, clientSecret }: BeameryCredentials = credentials;
    return { method, url, operation, json: { clientId, clientSecret } };
  }
  const [username, password] = isBasic(credentials) ? [credentials.username, credentials.password] : [credentials.clientId, credentials.clientSecret];
  // Raw, not URL-encoded: Basic carries the pair as it is (RFC 7617).
  return { method, url, operation, headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}` } };
}

export interface AuthAttempt extends DoctorProbe {
  /** On `ok`: the `Authorization` header the token makes, for the doctor's further calls. Never print it. */
  readonly authorization?: string;
}

/**
 * One uncached attempt to mint a token with `variant`, for `bridge doctor`. `ok`: a 2xx with a token
 * in a readable shape. `fail`: the tenant answers and says no (404/405: it does not serve this
 * variant; 401/403: the credentials are refused; a 2xx without a token). `unknown`: no verdict (429,
 * 5xx, no connection), so try again.
 */
export async function tryBeameryAuth(
  variant: BeameryAuthVariant,
  baseUrl: string,
  credentials: BeameryApiCredentials,
  fetchImpl: typeof fetch = globalThis.fetch,
  timeoutMs = 10_000,
): Promise<AuthAttempt> {
  let request: MintRequest;
  try {
    request = mintRequest(variant, baseUrl.replace(/\/+$/, ''), credentials);
  } catch (error) {
    return { status: 'fail', evidence: (error as Error).message };
  }
  const at = `${variant}: ${request.operation}`;
  let response: Response;
  try {
    response = await fetchImpl(request.url, {
      method: request.method,
      headers: { accept: 'application/json', ...(request.json ? { 'content-type': 'application/json' } : {}), ...request.headers },
      ...(request.json ? { body: JSON.stringify(request.json) } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { status: 'unknown', evidence: `${at} → no answer (${errorName(error)})` };
  }
  const status = response.status;
  if (response.ok) {
    const body: unknown = await response.json().catch(() => undefined);
    try {
      const token = parseToken(body);
      const lifetime = token.expiresInSeconds === undefined ? 'no expires_in' : `expires_in ${token.expiresInSeconds}`;
      return { status: 'ok', evidence: `${at} → ${status}, token minted (type ${token.tokenType}, ${lifetime})`, authorization: authorizationFor(token) };
    } catch {
      const keys = body && typeof body === 'object' ? Object.keys(body).join(', ') : typeof body;
      return { status: 'fail', evidence: `${at} → ${status} without a token (body keys: ${keys || 'none'})` };
    }
  }
  await response.body?.cancel();
  if (status === 404 || status === 405) return { status: 'fail', evidence: `${at} → ${status}: this tenant does not serve the ${variant} login` };
  if (status === 401 || status === 403) return { status: 'fail', evidence: `${at} → ${status}: credentials refused` };
  return { status: 'unknown', evidence: `${at} → ${status}: no verdict, try again` };
}
