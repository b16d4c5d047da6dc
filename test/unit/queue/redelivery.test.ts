import { describe, expect, it } from 'vitest';
import { failureVisibilitySeconds, receivesAllowed, transientVisibilitySeconds, waitedTooLong } from '#core/queue/redelivery';
import { DEFAULT_MAX_RECEIVE_COUNT, QUEUES } from '#lib/resource-definitions';

const DAY = 86_400;

/** Plays a message that meets a transient outcome on every receive, the worst case, until `untilSeconds`. */
function receivesWhileWaiting(retryAfterSeconds: number, untilSeconds: number, random = () => 0.5): number {
  let age = 0;
  let receives = 0;
  while (age < untilSeconds) {
    receives++;
    age += transientVisibilitySeconds({ retryAfterSeconds, receiveCount: receives, ageSeconds: age }, random);
  }
  return receives;
}

describe('redelivery schedule', () => {
  it.each([1, 5, 30])('keeps a message that waits a whole retention (retry after %i s) under the redrive backstop', (retryAfter) => {
    for (const queue of QUEUES) {
      const receives = receivesWhileWaiting(retryAfter, queue.retentionDays * DAY);
      expect(receives).toBeLessThan(DEFAULT_MAX_RECEIVE_COUNT);
    }
  });

  it('answers at the pace the API asks for while a message is young', () => {
    // A backlog behind a 30-second rate window: the first twenty waits are the window (+ jitter), no more.
    for (let receive = 1; receive <= 20; receive++) {
      const seconds = transientVisibilitySeconds({ retryAfterSeconds: 30, receiveCount: receive, ageSeconds: receive * 30 }, () => 0);
      expect(seconds).toBe(30);
    }
    expect(transientVisibilitySeconds({ retryAfterSeconds: 1, receiveCount: 3, ageSeconds: 3 }, () => 0)).toBe(1);
  });

  it('waits longer once a message has been received as often as its age allows', () => {
    const age = 60;
    const receives = Math.ceil(receivesAllowed(age));
    const seconds = transientVisibilitySeconds({ retryAfterSeconds: 1, receiveCount: receives, ageSeconds: age }, () => 0);
    expect(seconds).toBeGreaterThan(1);
    expect(receivesAllowed(age + seconds)).toBeGreaterThanOrEqual(receives + 1 - 1e-9);
  });

  it('backs off real failures up to the queue visibility timeout', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => failureVisibilitySeconds(n, 360))).toEqual([10, 20, 40, 80, 160, 320]);
    expect(failureVisibilitySeconds(9, 360)).toBe(360);
    expect(failureVisibilitySeconds(3, 2)).toBe(2);
  });

  it('says a message has waited too long a day before its retention ends', () => {
    const sent = Date.UTC(2026, 0, 1);
    expect(waitedTooLong(sent, sent + 12 * DAY * 1000, 14 * DAY)).toBe(false);
    expect(waitedTooLong(sent, sent + 13 * DAY * 1000, 14 * DAY)).toBe(true);
  });
});
