import { systemClock } from '#adapters/system-clock';
import type { Clock } from '#core/clock';
import type { RateObservation } from '#core/rate/budget';
import {
  ApiError,
  Forbidden,
  NetworkError,
  NotFound,
  RateLimited,
  ServerError,
  Unauthorized,
  ValidationFailed,
  WriteOutcomeUnknown,
  type ApiSystem,
} from '#core/api-errors';
import { NO_TRACE_SPANS, type SpanName, type TraceSpans } from '#core/ports/trace-spans';
import type { RateBudget } from './rate-budget.ts';
import { errorName } from '#core/error-name';

/**
 * The one HTTP path of the Greenhouse and Beamery adapters: budget, auth, timeout, typed errors,
 * bounded retries. What differs per API (rate-limit headers, error bodies, how to authenticate) comes
 * in as functions from the adapter.
 *
 * Retry rules: 5xx and network errors are retried with jittered exponential backoff, a bounded number
 * of times, for methods that are safe to repeat. A POST is repeated only when the adapter gave a
 * `verifyWrite` that, asked after the failure, says the write did not happen; otherwise an ambiguous
 * failure surfaces as WriteOutcomeUnknown. A 429 is never slept on: it becomes RateLimited with the
 * server's retry time, and a consumer hands its message back to the queue for that long.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiRequest<T> {
  readonly method: HttpMethod;
  /** Absolute URL. */
  readonly url: string;
  readonly json?: unknown;
  readonly form?: URLSearchParams;
  readonly headers?: Readonly<Record<string, string>>;
  /** Turns the parsed JSON body (undefined when empty) into the typed result; throw to reject it. */
  readonly parse: (body: unknown) => T;
  /**
   * For non-idempotent writes: after an ambiguous failure, finds the write if it happened. Return the
   * result to use, or undefined if the write did not happen (it is then retried).
   */
  readonly verifyWrite?: () => Promise<T | undefined>;
}

export interface ApiResponse<T> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export interface ErrorDetail {
  readonly messages: readonly string[];
  readonly missingScope?: string;
}

export interface ApiClientOptions {
  readonly system: ApiSystem;
  /**
   * `Authorization` header value for the next request (a cached token, minted when needed). Without
   * it (token endpoints) no header is sent and a 401 is final.
   */
  readonly authorize?: () => Promise<string>;
  /**
   * Called once on a 401 before the one retry, with the header value that was refused (undefined if
   * `authorize` itself failed): drop exactly that token, so many requests refused together cause one
   * new mint.
   */
  readonly onUnauthorized?: (refusedAuthorization: string | undefined) => void;
  readonly readRateLimit: (response: Response, now: number) => RateObservation;
  /** Messages from an error body, without values it may echo. */
  readonly errorDetail: (status: number, body: unknown) => ErrorDetail;
  readonly budget?: RateBudget;
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
  readonly retry?: Partial<RetryPolicy>;
  /** Per attempt. */
  readonly timeoutMs?: number;
  /** Where each request() is traced, as one span named for the system (none by default). */
  readonly spans?: TraceSpans;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 250, maxDelayMs: 4_000 };

const IDEMPOTENT = new Set<HttpMethod>(['GET', 'PUT', 'PATCH', 'DELETE']);

/** `GET /v3/candidates`: what errors and logs may name. Never the query: it can hold an email address. */
export function operationOf(method: HttpMethod, url: string): string {
  return `${method} ${new URL(url).pathname}`;
}

const SPAN_NAMES: Partial<Readonly<Record<ApiSystem, SpanName>>> = { greenhouse: 'Greenhouse', beamery: 'Beamery' };

/**
 * Path segments kept as they are in a route template: lowercase words joined by underscores
 * (`candidates`, `application_stages`, `oauth`) and API versions (`v3`). Everything else is a value
 * (a numeric id, a UUID, an email address, a name with a capital or a dot) and becomes `{id}`: the
 * shape that may stay is listed, rather than the values that may not, so a value nobody foresaw is
 * hidden by default.
 */
const ROUTE_WORD = /^(?:[a-z]+(?:_[a-z]+)*|v\d+)$/;

/**
 * `GET /v3/candidates/{id}`: the route a request took, without its ids or query, for trace
 * annotations, which X-Ray indexes and keeps searchable (operationOf keeps the ids, for errors).
 */
export function routeTemplateOf(method: HttpMethod, url: string): string {
  const segments = new URL(url).pathname.split('/').map((segment) => (segment === '' || ROUTE_WORD.test(segment) ? segment : '{id}'));
  return `${method} ${segments.join('/')}`;
}

/** Full jitter: a random delay up to the exponential bound, so retrying invocations do not align. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)));
}

export class ApiClient {
  private readonly clock: Clock;
  private readonly fetch: typeof fetch;
  private readonly retry: RetryPolicy;

  constructor(private readonly options: ApiClientOptions) {
    this.clock = options.clock ?? systemClock;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  async request<T>(request: ApiRequest<T>): Promise<ApiResponse<T>> {
    const { system, spans = NO_TRACE_SPANS } = this.options;
    const name = SPAN_NAMES[system];
    const progress: Progress = { attempts: 0 };
    if (!name) return this.send(request, progress);
    return spans.span(name, { operation: routeTemplateOf(request.method, request.url) }, async (span) => {
      try {
        return await this.send(request, progress);
      } finally {
        span.annotate('attempts', progress.attempts);
        if (progress.status !== undefined) span.annotate('status', progress.status);
      }
    });
  }

  private async send<T>(request: ApiRequest<T>, progress: Progress): Promise<ApiResponse<T>> {
    const operation = operationOf(request.method, request.url);
    const repeatable = IDEMPOTENT.has(request.method);
    let reauthorized = false;
    for (let attempt = 1; ; attempt++) {
      const sent: { authorization?: string } = {};
      try {
        return await this.attempt(request, operation, sent, progress);
      } catch (error) {
        if (error instanceof Unauthorized && this.options.authorize && !reauthorized) {
          reauthorized = true;
          this.options.onUnauthorized?.(sent.authorization);
          attempt--;
          continue;
        }
        if (!isTransient(error)) throw error;
        if (!repeatable && !(error instanceof NetworkError && error.causeName === 'ECONNREFUSED')) {
          if (!request.verifyWrite) throw new WriteOutcomeUnknown(this.options.system, operation, error);
          const found = await request.verifyWrite();
          if (found !== undefined) return { status: 200, headers: new Headers(), body: found };
        }
        if (attempt >= this.retry.attempts) throw error;
        await this.clock.sleep(backoffDelay(attempt, this.retry));
      }
    }
  }

  private async attempt<T>(request: ApiRequest<T>, operation: string, sent: { authorization?: string }, progress: Progress): Promise<ApiResponse<T>> {
    const { system, budget, authorize } = this.options;
    await budget?.acquire(operation);
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (authorize) headers['authorization'] = sent.authorization = await authorize();
    let body: string | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = request.form.toString();
    }

    let response: Response;
    progress.attempts++;
    try {
      response = await this.fetch(request.url, {
        method: request.method,
        headers,
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
        redirect: 'error',
      });
    } catch (error) {
      throw new NetworkError(system, operation, networkCauseName(error));
    }

    progress.status = response.status;
    const observation = this.options.readRateLimit(response, this.clock.now());
    await budget?.observe(observation);
    const parsed = await readBody(response);

    if (response.ok) return { status: response.status, headers: response.headers, body: request.parse(parsed) };
    if (response.status === 429) throw new RateLimited(system, operation, retryAfterSeconds(observation, this.clock.now()), 'server');
    throw this.typedError(response.status, parsed, operation);
  }

  private typedError(status: number, body: unknown, operation: string): ApiError {
    const { system } = this.options;
    if (status === 401) return new Unauthorized(system, operation);
    const detail = this.options.errorDetail(status, body);
    if (status === 403) return new Forbidden(system, operation, detail.missingScope);
    if (status === 404) return new NotFound(system, operation);
    if (status >= 500) return new ServerError(system, operation, status);
    return new ValidationFailed(system, operation, status, detail.messages);
  }
}

/** What a request's span reports when it ends: requests sent (retries and a re-authorized one included), the last status. */
interface Progress {
  attempts: number;
  status?: number;
}

/** Retry-After when given (Greenhouse), else the end of the server's window (Beamery), else a second. */
function retryAfterSeconds(observation: RateObservation, now: number): number {
  const ms = observation.retryAfterMs ?? (observation.windowEndsAt !== undefined ? observation.windowEndsAt - now : 1_000);
  return Math.max(1, Math.ceil(ms / 1000));
}

function isTransient(error: unknown): error is ServerError | NetworkError {
  return error instanceof ServerError || error instanceof NetworkError;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** undici wraps the socket error in `cause`; its code says whether the request left this machine. */
function networkCauseName(error: unknown): string {
  const cause = (error as { cause?: { code?: string; name?: string } })?.cause;
  if (cause?.code) return cause.code;
  if (error instanceof Error && error.name === 'TimeoutError') return 'Timeout';
  return cause?.name ?? errorName(error);
}
