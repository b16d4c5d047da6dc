/**
 * Thrown by a reconcile that cannot proceed yet for a reason that passes by itself in seconds (another
 * reconcile is creating the same record). The queue consumer hands the message back with this delay,
 * as it does for a rate limit, instead of failing it.
 */
export class RetryLater extends Error {
  override readonly name = 'RetryLater';

  constructor(
    readonly reason: string,
    readonly retryAfterSeconds: number,
  ) {
    super(`${reason}; retry in ${retryAfterSeconds} s`);
  }
}
