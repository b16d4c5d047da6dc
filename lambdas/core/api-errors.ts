/**
 * Typed failures of the Greenhouse and Beamery APIs, carrying what the caller needs to act: a
 * consumer hands a rate-limited message back to its queue with `retryAfterSeconds` as visibility,
 * surfaces a missing Greenhouse scope to the operator, and never retries a write whose outcome is
 * unknown. Messages name the operation (method and path, never the query string, which can hold an
 * email address) and never quote a response body.
 */
export type ApiSystem = 'greenhouse' | 'beamery' | 'bedrock' | 's3vectors';

export abstract class ApiError extends Error {
  constructor(
    readonly system: ApiSystem,
    /** `GET /v3/candidates`: method and path only. */
    readonly operation: string,
    readonly status: number | undefined,
    message: string,
  ) {
    super(`${system} ${operation}: ${message}`);
    this.name = new.target.name;
  }
}

export class RateLimited extends ApiError {
  constructor(
    system: ApiSystem,
    operation: string,
    readonly retryAfterSeconds: number,
    /** `server`: the API answered 429. `budget`: the shared budget is spent for longer than the caller may wait. */
    readonly source: 'server' | 'budget',
  ) {
    super(system, operation, source === 'server' ? 429 : undefined, `rate limited, retry after ${retryAfterSeconds} s (${source})`);
  }
}

export class Unauthorized extends ApiError {
  constructor(system: ApiSystem, operation: string, status = 401) {
    super(system, operation, status, 'credentials rejected');
  }
}

export class Forbidden extends ApiError {
  constructor(
    system: ApiSystem,
    operation: string,
    /** Greenhouse names the scope the credential lacks (`harvest:candidates:merge`) when it can. */
    readonly missingScope?: string,
  ) {
    super(system, operation, 403, missingScope ? `forbidden: the credential lacks ${missingScope}` : 'forbidden');
  }
}

export class NotFound extends ApiError {
  constructor(system: ApiSystem, operation: string) {
    super(system, operation, 404, 'not found');
  }
}

export class ValidationFailed extends ApiError {
  constructor(
    system: ApiSystem,
    operation: string,
    status: number,
    /** The API's own messages (field names and rules; the adapters drop anything that echoes values). */
    readonly messages: readonly string[],
  ) {
    super(system, operation, status, `rejected (${status}): ${messages.join('; ') || 'no message'}`);
  }
}

export class ServerError extends ApiError {
  constructor(system: ApiSystem, operation: string, status: number) {
    super(system, operation, status, `server error ${status}`);
  }
}

export class NetworkError extends ApiError {
  constructor(system: ApiSystem, operation: string, readonly causeName: string) {
    super(system, operation, undefined, `network error (${causeName})`);
  }
}

/** A write failed ambiguously and could not be checked: retrying might duplicate it. */
export class WriteOutcomeUnknown extends ApiError {
  constructor(system: ApiSystem, operation: string, cause: ApiError) {
    super(system, operation, cause.status, `write outcome unknown after ${cause.name}; not retried`);
  }
}

/** The tenant's API lacks an operation the bridge can do without (Beamery merge, notes, …). */
export class Unsupported extends ApiError {
  constructor(system: ApiSystem, operation: string, readonly capability: string) {
    super(system, operation, undefined, `the tenant's API does not support ${capability}`);
  }
}
