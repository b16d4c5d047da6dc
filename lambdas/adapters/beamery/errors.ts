import { ApiError } from '#adapters/http/errors';

/**
 * Beamery-specific failures beside the shared ones of lambdas/adapters/http/errors.ts. Like those,
 * messages name the operation and field paths, never values from a contact.
 */

/** A 2xx whose body matches none of the shapes we accept (a sign an assumption broke: check the sandbox). */
export class BeameryResponseInvalid extends ApiError {
  constructor(
    operation: string,
    /** zod issue paths and rules, e.g. `contacts: expected array`. */
    readonly issues: readonly string[],
  ) {
    super('beamery', operation, undefined, `unexpected response shape: ${issues.join('; ') || 'unreadable'}`);
  }
}

/** An attachment refused locally, before any upload, against Beamery's product limits (S12). */
export class AttachmentRejected extends ApiError {
  constructor(
    operation: string,
    readonly reason: 'too-large' | 'type-not-allowed' | 'empty',
    detail: string,
  ) {
    super('beamery', operation, undefined, `attachment rejected (${reason}): ${detail}`);
  }
}
