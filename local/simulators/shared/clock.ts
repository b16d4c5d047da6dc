import { setTimeout as sleepReal } from 'node:timers/promises';
import type { Clock } from '#core/clock';

export type { Clock } from '#core/clock';

/**
 * Simulated time for the simulators and the clients that run against them. With `scale` 10, one
 * real second is ten simulated seconds: a Greenhouse 30-second rate window passes in 3 s and a
 * 15-hour webhook retry schedule in 90 minutes (or seconds, at a larger scale). `advance` jumps
 * ahead, for tests of token expiry and watermarks.
 */
export class SimClock implements Clock {
  private readonly realStart = Date.now();
  private offsetMs = 0;

  constructor(
    readonly scale = 1,
    private readonly start = Date.now(),
  ) {
    if (!(scale > 0)) throw new Error('clock scale must be positive');
  }

  now(): number {
    return this.start + (Date.now() - this.realStart) * this.scale + this.offsetMs;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepReal(Math.max(0, ms) / this.scale, undefined, signal ? { signal } : undefined);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
