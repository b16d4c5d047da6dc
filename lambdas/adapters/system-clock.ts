import { setTimeout as sleepReal } from 'node:timers/promises';
import type { Clock } from '#core/clock';

/** The machine's time: what every deployed function and the CLI run on. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleepReal(Math.max(0, ms), undefined, signal ? { signal } : undefined),
};
