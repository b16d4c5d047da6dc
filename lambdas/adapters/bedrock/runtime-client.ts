import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';

/** SDK attempts per Bedrock call when a caller sets none. */
export const DEFAULT_BEDROCK_MAX_ATTEMPTS = 4;

/**
 * The Bedrock Runtime client every Bedrock adapter builds when it is given none: adaptive retries
 * (throttling is the usual failure, and adaptive mode slows the caller down), a bounded number of
 * attempts. The Lambda wiring builds it here too, so it can trace the client before handing it over.
 */
export function bedrockRuntimeClient(maxAttempts: number = DEFAULT_BEDROCK_MAX_ATTEMPTS): BedrockRuntimeClient {
  return new BedrockRuntimeClient({ maxAttempts, retryMode: 'adaptive' });
}
