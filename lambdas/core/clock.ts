import { setTimeout as sleepReal } from 'node:timers/promises';

/**
 * Time as the bridge sees it. Production uses the system clock; the simulators and the benchmark
 * hand the clients a scaled clock (local/simulators/shared/clock.ts) so windows of 30 seconds and
 * retry schedules of hours pass in moments.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Waits `ms` milliseconds of this clock's time. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleepReal(Math.max(0, ms), undefined, signal ? { signal } : undefined),
};
