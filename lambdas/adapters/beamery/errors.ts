import { ApiError } from '#core/api-errors';
import { CAPABILITY_BROKEN_METRIC } from '#core/metrics';

/**
 * Beamery-specific failures beside the shared ones of lambdas/core/api-errors.ts. Like those,
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

/** The metric a consumer counts for a CapabilityBroken failure (named with the others in core/metrics.ts). */
export { CAPABILITY_BROKEN_METRIC };

/**
 * An ASSUMED route that the tenant's API shows to be wrong: it answers 404 for records that a
 * documented call shows to exist (the contact read path), or for a write that names no record (the
 * vacancy create path). Never data: a consumer counts it as a real failure, so the message ends in the
 * DLQ after its retries, and raises `metric` for the alarm. The fix is configuration or code, not time.
 */
export class CapabilityBroken extends ApiError {
  readonly metric = CAPABILITY_BROKEN_METRIC;

  constructor(
    operation: string,
    /** Which capability (`contactRead`, `vacancyCreate`, `vacancyUpdate`). */
    readonly capability: string,
    /** What showed it broken, in words without contact data. */
    readonly evidence: string,
  ) {
    super('beamery', operation, 404, `capability ${capability} is broken: ${evidence}`);
  }
}
