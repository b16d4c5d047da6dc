import { describe, expect, it } from 'vitest';
import { runChaos, type ChaosResult } from '../../bench/chaos/run.ts';
import { describeChaos } from '../../bench/chaos/summary.ts';

/**
 * `npm run chaos` at a tenth of its scale (bench/chaos/run.ts): 200 changes in the two simulators
 * reach the bridge with every webhook delivered three times (same and new event ids) out of order,
 * 20 % 5xx on both APIs, 429 storms, lost answers on both sides, consumer processes killed with
 * SIGKILL mid-batch, and the whole stack restarted halfway on the data it keeps on disk. What the
 * bridge promises an operator must hold all the same: one Beamery contact per non-private candidate,
 * none for a private one, every changed field at Greenhouse's final value (and a phone added in
 * Beamery in Greenhouse), and the dead-letter queues holding only the poison deliveries, each of them.
 * Timings are the benchmark's business, not asserted here.
 */
describe('chaos, small scale', () => {
  it('converges to one up-to-date contact per candidate and dead-letters only poison, whatever goes wrong on the way', async () => {
    const result: ChaosResult = await runChaos({
      changes: 200,
      changesPerSecond: 10,
      // Faults every few seconds, so a short run meets each of them more than once.
      killEveryMs: 15_000,
      stormEveryMs: 15_000,
      stormMs: 3_000,
      mix: { create: 0.25, private: 0.08, beamery: 0.15, poison: 0.025 },
      greenhouseLostAnswerRate: 0.3,
      stackRestart: true,
      quiesceTimeoutMs: 150_000,
      seed: 7,
      log: () => undefined,
    });
    const summary = describeChaos(result).join('\n');
    const { verdict, faults, changes } = result;

    // The chaos happened.
    expect(result.deliveries.events, summary).toBeGreaterThanOrEqual(changes.greenhouse);
    expect(faults.killsMidBatch, summary).toBeGreaterThan(0);
    expect(faults.stackRestarts, summary).toBe(1);
    expect(faults.storms, summary).toBeGreaterThan(0);
    expect(faults.beameryLostAnswers, summary).toBeGreaterThan(0);
    expect(faults.beameryByStatus['503'] ?? 0, summary).toBeGreaterThan(0);
    expect(changes.beamery, summary).toBeGreaterThan(0);
    expect(changes.poison, summary).toBe(5);

    // The promise held.
    expect(result.quiet, summary).toBe(true);
    expect(verdict.nonPrivate, summary).toBeGreaterThan(0);
    expect(verdict.candidates, summary).toBeGreaterThan(verdict.nonPrivate);
    expect(verdict.missing, summary).toEqual([]);
    expect(verdict.duplicated, summary).toEqual([]);
    expect(verdict.privateLeaked, summary).toEqual([]);
    expect(verdict.exactlyOne, summary).toBe(verdict.nonPrivate);
    expect(verdict.stale.examples, summary).toEqual([]);
    expect(verdict.healthyDeadLettered, summary).toBe(0);
    expect(verdict.deadLetters['greenhouse-changes'].poison, summary).toBe(changes.poison);
    expect(result.passed, summary).toBe(true);
  }, 300_000);
});
