import { describe, expect, it } from 'vitest';
import { queueCap, type BackpressurePolicy } from '#core/sync/backfill-plan';
import { NO_DRAIN_SEEN, drainRate, lookedAtDepth, roomOnQueue, type DrainTrack } from '#core/sync/queue-drain';

const POLICY: BackpressurePolicy = { minQueued: 10, maxQueued: 1_000, horizonMs: 15_000 };

/** The track after looks at the given depths, one every `everyMs` from 0. */
function looks(depths: readonly number[], everyMs = 1_000, from: DrainTrack = NO_DRAIN_SEEN, startMs = 0): DrainTrack {
  return depths.reduce((track, depth, i) => lookedAtDepth(track, startMs + i * everyMs, depth, POLICY), from);
}

describe('queue drain measured from the depth', () => {
  it('nothing seen: no rate, the floor less the depth', () => {
    expect(drainRate(NO_DRAIN_SEEN, POLICY)).toBe(0);
    expect(roomOnQueue(NO_DRAIN_SEEN, POLICY)).toBe(POLICY.minQueued);
    expect(roomOnQueue(looks([4]), POLICY)).toBe(POLICY.minQueued - 4);
  });

  it('a queue falling by 5 a second over the whole window drains at 5 a second', () => {
    const track = looks(Array.from({ length: 31 }, (_, i) => 200 - 5 * i));
    expect(drainRate(track, POLICY)).toBe(5);
    expect(roomOnQueue(track, POLICY)).toBe(queueCap(5, POLICY) - 50);
  });

  it('sends that SQS dropped as duplicates leave the depth as it was, and count for nothing', () => {
    // A resume sends 300 repeats in bursts between looks; the queue stays empty.
    const track = looks(Array.from({ length: 31 }, () => 0));
    expect(drainRate(track, POLICY)).toBe(0);
    expect(roomOnQueue(track, POLICY)).toBe(POLICY.minQueued);
  });

  it('what was sent and accepted raises the depth and is never taken for a drain', () => {
    // The consumers take 5 a second; the publisher sends 10 every other second and looks again at once.
    let track = NO_DRAIN_SEEN;
    let depth = 50;
    for (let second = 0; second <= 30; second += 2) {
      track = lookedAtDepth(track, second * 1_000, depth, POLICY);
      depth += 10;
      track = lookedAtDepth(track, second * 1_000 + 10, depth, POLICY);
      depth -= 5;
      track = lookedAtDepth(track, (second + 1) * 1_000, depth, POLICY);
      depth -= 5;
    }
    // The falls during the 10 ms after each send are not seen: a little under 5 a second.
    expect(drainRate(track, POLICY)).toBeLessThanOrEqual(5);
    expect(drainRate(track, POLICY)).toBeGreaterThan(4.5);
  });

  it('messages others add while the queue drains are not a drain', () => {
    // Consumers take 2 a second while webhooks add 3: the depth rises, nothing is counted.
    expect(drainRate(looks(Array.from({ length: 10 }, (_, i) => 20 + i)), POLICY)).toBe(0);
  });

  it('a fall seen within milliseconds is spread over a horizon, not taken for thousands a second', () => {
    const track = lookedAtDepth(lookedAtDepth(NO_DRAIN_SEEN, 0, 10, POLICY), 5, 0, POLICY);
    expect(drainRate(track, POLICY)).toBeCloseTo(10 / 15);
    expect(roomOnQueue(track, POLICY)).toBe(POLICY.minQueued);
  });

  it('forgets falls older than two horizons: a queue that stopped draining closes to the floor', () => {
    const draining = looks(Array.from({ length: 31 }, (_, i) => 200 - 5 * i));
    expect(roomOnQueue(draining, POLICY)).toBe(75 - 50);
    const stalled = looks(Array.from({ length: 31 }, () => 50), 1_000, draining, 31_000);
    expect(drainRate(stalled, POLICY)).toBe(0);
    expect(roomOnQueue(stalled, POLICY)).toBe(POLICY.minQueued - 50);
  });

  it('the depth left by an interrupted run: no room until the queue has drained below the cap its own drain measures', () => {
    // 400 on the queue at the resume, draining 10 a second: the cap is 150 once a horizon is seen.
    const track = looks(Array.from({ length: 16 }, (_, i) => 400 - 10 * i));
    expect(drainRate(track, POLICY)).toBe(10);
    expect(roomOnQueue(track, POLICY)).toBe(150 - 250);
  });
});
