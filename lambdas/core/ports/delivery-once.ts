/**
 * What ingest needs to publish a Greenhouse delivery once across Greenhouse's retries
 * (lambdas/adapters/store/delivery-once.ts implements it with Powertools idempotency). `context` is
 * the Lambda invocation's, passed through so a record left by a timed-out invocation lapses.
 */
type InvocationContext = { getRemainingTimeInMillis(): number };

export type DeliveryOnceOutcome =
  | { readonly outcome: 'published' }
  /** Published earlier within its record's lifetime (two days in production): nothing was sent now. */
  | { readonly outcome: 'duplicate' }
  /** Another invocation is publishing this delivery right now: nothing was sent, the caller should be retried. */
  | { readonly outcome: 'in-progress' }
  /** Published, but the record could not be read or written, so a later repeat will be published again. */
  | { readonly outcome: 'unrecorded'; readonly storeError: unknown };

/** Runs a delivery's publish at most once per key within its record's lifetime (two days in production). A publish that throws leaves no record. */
export interface DeliveryOnce {
  publishOnce(key: string, publish: () => Promise<void>, context?: InvocationContext): Promise<DeliveryOnceOutcome>;
}

