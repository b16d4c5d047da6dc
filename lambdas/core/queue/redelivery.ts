/**
 * When a queue message comes back, and when it goes to its dead-letter queue. Pure: the consumer
 * shell (lambdas/handlers/fifo-consumer.ts) classifies each outcome and carries the decision out.
 *
 * The rule the operator relies on: a dead-letter queue holds only poison, with its reason. A transient
 * outcome (a rate limit, a 5xx or timeout, a revision race, a paused consumer) never counts toward it,
 * however long it lasts; a message goes there after `maxFailures` real failures, counted by the
 * consumer itself, because SQS's own receive count cannot tell the two apart (every hand-back is a
 * receive). The queue's redrive policy stays as a backstop for a consumer that dies on a message
 * before it can report anything; this schedule keeps transient receives far below it.
 */

/** SQS's ceiling for a visibility timeout. */
export const MAX_VISIBILITY_SECONDS = 43_200;
/** Real failures before a message is moved to its dead-letter queue (stack config `maxFailures`). */
export const DEFAULT_MAX_FAILURES = 5;
/**
 * How often a waiting message may be received: 20 times at once, then logarithmically in its age
 * (20 + 40·ln(1 + age / 1 min)): 48 in its first minute, 92 in five, 183 in an hour, about 414 in 13
 * days, below the redrive backstop (`maxReceiveCount`, 500 by default) however long it waits.
 */
const PROMPT_RECEIVES = 20;
const RECEIVES_PER_LOG_MINUTE = 40;
const AGE_UNIT_SECONDS = 60;
/** Backoff after the n-th real failure: 10 s, 20 s, 40 s, … up to the ceiling. */
const FAILURE_BASE_SECONDS = 10;
/** A message that has waited this close to its queue's retention is kept on the DLQ rather than lost. */
export const RETENTION_MARGIN_SECONDS = 86_400;

export function receivesAllowed(ageSeconds: number): number {
  return PROMPT_RECEIVES + RECEIVES_PER_LOG_MINUTE * Math.log1p(Math.max(0, ageSeconds) / AGE_UNIT_SECONDS);
}

/**
 * The visibility timeout of a transient hand-back: what the API asked for (the rate window, a
 * `Retry-After`), or longer when the message has already been received as often as its age allows,
 * until the age at which one more receive is allowed. Up to 20 % jitter spreads a batch's hand-backs
 * so they do not all return in the same second.
 */
export function transientVisibilitySeconds(
  wait: { readonly retryAfterSeconds: number; readonly receiveCount: number; readonly ageSeconds: number },
  random: () => number = Math.random,
): number {
  const { retryAfterSeconds, receiveCount, ageSeconds } = wait;
  const nextAllowedAt = AGE_UNIT_SECONDS * Math.expm1((receiveCount + 1 - PROMPT_RECEIVES) / RECEIVES_PER_LOG_MINUTE);
  const base = Math.max(1, retryAfterSeconds, nextAllowedAt - ageSeconds);
  return clampVisibility(Math.round(base * (1 + 0.2 * random())));
}

/** After the n-th real failure (n ≥ 1): soon enough to pass a blip, late enough not to hammer a bug. */
export function failureVisibilitySeconds(failures: number, queueVisibilitySeconds: number): number {
  return clampVisibility(Math.min(queueVisibilitySeconds, FAILURE_BASE_SECONDS * 2 ** Math.max(0, failures - 1)));
}

/** True once a message has waited so long that the queue would soon delete it unprocessed. */
export function waitedTooLong(sentAtMs: number, nowMs: number, retentionSeconds: number): boolean {
  return Number.isFinite(sentAtMs) && nowMs - sentAtMs >= (retentionSeconds - RETENTION_MARGIN_SECONDS) * 1000;
}

function clampVisibility(seconds: number): number {
  return Math.min(MAX_VISIBILITY_SECONDS, Math.max(1, Math.ceil(seconds)));
}
