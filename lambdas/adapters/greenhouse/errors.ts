import { ApiError } from '#core/api-errors';

/**
 * Greenhouse-specific failures beside the shared typed errors (lambdas/core/api-errors.ts).
 */

/**
 * A `Link: rel="next"` pointing at another host than the configured API. Following it would send
 * the bearer token elsewhere, so the listing stops. Not expected from Greenhouse; a guard.
 */
export class ForeignNextLink extends ApiError {
  constructor(operation: string, readonly host: string) {
    super('greenhouse', operation, undefined, `next page link points at a foreign host (${host}); not followed`);
  }
}

/** A 2xx answer whose body does not have the documented shape (a field of the wrong type, not an extra one). */
export class UnexpectedResponse extends ApiError {
  constructor(operation: string, status: number, readonly paths: readonly string[]) {
    super('greenhouse', operation, status, `unexpected response shape at ${paths.slice(0, 5).join(', ') || '(root)'}`);
  }
}

/**
 * An irreversible action (merge, anonymize) answered 2xx, but reading the candidate back does not show
 * its effect. Names the operation and the unconfirmed aspects (field names, never values).
 */
export class ActionNotConfirmed extends ApiError {
  constructor(operation: string, readonly unconfirmed: readonly string[]) {
    super('greenhouse', operation, undefined, `accepted, but the read-back does not show it (${unconfirmed.join(', ')})`);
  }
}
