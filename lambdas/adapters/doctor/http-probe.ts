import { errorName } from '#core/error-name';
/**
 * One raw HTTP exchange for `bridge doctor`. Unlike the clients (lambdas/adapters/http/api-client.ts),
 * it never turns a status into an error, retries or parses for the sync: the doctor's job is to show
 * the operator exactly what the tenant answered (status, headers, envelope), so every outcome,
 * a network failure included, comes back as data. A 429 is waited out once (its Retry-After, at most
 * 30 s): a busy tenant should not read as a broken one.
 */
export interface ProbeResult {
  /** 0 when no response arrived (then `error` says why). */
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON, the text when it is not JSON, undefined when empty. */
  readonly body: unknown;
  readonly error?: string;
}

export interface ProbeRequest {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly headers?: Readonly<Record<string, string>>;
  readonly json?: unknown;
  readonly form?: URLSearchParams;
}

export type Probe = (url: string, request?: ProbeRequest) => Promise<ProbeResult>;

const TIMEOUT_MS = 20_000;
const MAX_RATE_WAIT_S = 30;

export function httpProbe(fetchFn: typeof fetch = globalThis.fetch): Probe {
  const once = async (url: string, request: ProbeRequest): Promise<ProbeResult> => {
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    let body: string | URLSearchParams | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.form) {
      body = request.form;
    }
    try {
      const response = await fetchFn(url, { method: request.method ?? 'GET', headers, ...(body !== undefined ? { body } : {}), signal: AbortSignal.timeout(TIMEOUT_MS) });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: parseBody(text) };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? errorName(error);
      return { status: 0, headers: new Headers(), body: undefined, error: cause };
    }
  };
  return async (url, request = {}) => {
    const first = await once(url, request);
    if (first.status !== 429) return first;
    const wait = Number(first.headers.get('retry-after') ?? '1');
    await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_RATE_WAIT_S, Number.isFinite(wait) ? Math.max(0, wait) : 1) * 1000));
    return once(url, request);
  };
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** `403` / `network error ECONNREFUSED`: how a probe's outcome reads in evidence. */
export function statusText(result: ProbeResult): string {
  return result.status === 0 ? `network error ${result.error ?? 'unknown'}` : String(result.status);
}

