/**
 * Time as the bridge sees it. Production uses the system clock (lambdas/adapters/system-clock.ts);
 * the simulators and the benchmark hand the clients a scaled clock (local/simulators/shared/clock.ts)
 * so windows of 30 seconds and retry schedules of hours pass in moments.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Waits `ms` milliseconds of this clock's time. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The clock's current time as the ISO 8601 string every stored timestamp and audit entry carries. */
export function isoNow(clock: Pick<Clock, 'now'>): string {
  return new Date(clock.now()).toISOString();
}
