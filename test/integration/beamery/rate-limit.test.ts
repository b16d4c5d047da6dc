import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InMemoryBudgetStore, SharedRateBudget } from '#adapters/http/rate-budget';
import { RateLimited } from '#core/api-errors';
import { BEAMERY_BUDGET_POLICY } from '#adapters/beamery/client';
import type { BeamerySimulator } from '#local/simulators/beamery/server';
import { readScenarioFile } from '#local/simulators/beamery/scenario';
import { DEFAULT_BEAMERY_SCENARIO_PATH } from '#local/simulators/beamery/paths';
import { SimClock } from '#local/simulators/shared/clock';
import { calls, clientFor, resetSimulator, startSimulator } from './harness.ts';

const AVERY = '0b7e1c9a-0000-4000-8000-000000000001';

describe('Beamery rate limit with the shared budget, against the simulator', () => {
  let sim: BeamerySimulator;

  beforeAll(async () => {
    // Real time, unlike the other files: on a faster clock a burst's own queueing (a few real ms per
    // request, far more on a busy CI machine) stretches over much of a simulated second, so grants of
    // one budget window reach the simulator in its next window, which real latency does not do. At 4x
    // this failed under load (29 429s); at 1x the file takes a few seconds longer.
    sim = await startSimulator({ clock: new SimClock(1), scenario: await readScenarioFile(DEFAULT_BEAMERY_SCENARIO_PATH) });
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    await resetSimulator(sim);
    // Start each case in a fresh server window, untouched by the previous case's requests.
    (sim.clock as SimClock).advance(1_000);
  });

  const budgeted = () =>
    clientFor(sim, { budget: new SharedRateBudget({ system: 'beamery', store: new InMemoryBudgetStore(), policy: BEAMERY_BUDGET_POLICY, clock: sim.clock, maxWaitMs: 10_000 }) });

  it('stamps x-ratelimit-limit "40;w=1", remaining and reset on every answer', async () => {
    const token = await sim.app.inject({ method: 'POST', url: '/v1/oauth/token', payload: { clientId: 'test-client', clientSecret: 'test-secret' } });
    const response = await sim.app.inject({ method: 'GET', url: '/v1/users', headers: { authorization: `Bearer ${token.json().access_token}` } });
    expect(response.headers['x-ratelimit-limit']).toBe('40;w=1');
    expect(Number(response.headers['x-ratelimit-remaining'])).toBeLessThan(40);
    expect(response.headers['x-ratelimit-reset']).toBe('1');
    expect(response.headers['retry-after']).toBeUndefined();
    expect(token.headers['x-ratelimit-limit']).toBe('30;w=1');
  });

  /** Runs a call as a consumer would: on RateLimited, the message waits its retry time and runs again. */
  async function asConsumer<T>(call: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof RateLimited)) throw error;
        await sim.clock.sleep(error.retryAfterSeconds * 1000);
      }
    }
  }

  // Beamery's windows cannot be aligned with ours (whole-second reset on a one-second window), so an
  // occasional 429 at a window edge is expected; the budget's promise is at most one per window.
  it('paces a burst of 100 calls under 40 per second, with at most one 429 per second', async () => {
    const client = budgeted();
    const started = sim.clock.now();
    await Promise.all(Array.from({ length: 100 }, () => asConsumer(() => client.getContact(AVERY))));
    const seconds = Math.ceil((sim.clock.now() - started) / 1000);
    expect(calls(sim, 'GET /v1/contact/:id', 200)).toBe(100);
    expect(calls(sim, 'GET /v1/contact/:id', 429)).toBeLessThanOrEqual(seconds);
    // 37 per second (40 less 7.5%), spaced evenly: 100 calls take at least 99/37 s.
    expect(sim.clock.now() - started).toBeGreaterThanOrEqual(2_600);
  });

  it('learns a lower limit from the headers and stays near it', async () => {
    sim.settings.update({ rateLimit: { perSecond: 10 } });
    const client = budgeted();
    await client.getContact(AVERY);
    const started = sim.clock.now();
    await Promise.all(Array.from({ length: 30 }, () => asConsumer(() => client.getContact(AVERY))));
    const seconds = Math.ceil((sim.clock.now() - started) / 1000);
    expect(calls(sim, 'GET /v1/contact/:id', 200)).toBe(31);
    expect(calls(sim, 'GET /v1/contact/:id', 429)).toBeLessThanOrEqual(seconds);
    // 9 per second once the limit of 10 is known.
    expect(sim.clock.now() - started).toBeGreaterThanOrEqual(2_500);
  });
});
