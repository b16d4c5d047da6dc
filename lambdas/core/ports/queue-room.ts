/**
 * Room on a queue a publisher may fill faster than its consumers drain it (backpressure): the
 * window pollers and the backfill wait on it before each batch. lambdas/adapters/queue/backpressure.ts
 * implements it from the queue's depth.
 */
export interface QueueRoom {
  /** Waits until the queue has room and says how much (at least 1). */
  waitForRoom(options?: { readonly signal?: AbortSignal }): Promise<number>;
  /** The same, but gives up at `deadlineMs` (the clock's epoch ms): undefined when the deadline came first. */
  waitForRoom(options: { readonly signal?: AbortSignal; readonly deadlineMs: number | undefined }): Promise<number | undefined>;
}
