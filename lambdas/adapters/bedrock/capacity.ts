/**
 * Bedrock out of capacity, for every Bedrock adapter (Converse, InvokeModel): throttling, a model not
 * ready or the service unavailable, by name or status. After the SDK's own retries such an error
 * becomes a `RateLimited` that waits this long: Bedrock sends no Retry-After, and its token buckets
 * refill per minute.
 */
export const THROTTLED_RETRY_AFTER_SECONDS = 30;

const CAPACITY_ERRORS = new Set(['ThrottlingException', 'ServiceUnavailableException', 'ModelNotReadyException']);

export function isOutOfCapacity(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return CAPACITY_ERRORS.has(error.name) || status === 429 || status === 503;
}
