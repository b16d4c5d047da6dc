import { SimClock } from '#local/simulators/shared/clock';
import { startBeamerySimulator, type BeamerySimulator, type BeamerySimulatorOptions } from '#local/simulators/beamery/server';
import { BeameryClient, clearBeameryTokenCache, type BeameryClientOptions } from '#adapters/beamery/client';

/**
 * A simulator on a free port with a fast clock, and clients pointed at it that share the clock (so
 * token lifetimes, rate windows and retry delays are all simulated time).
 */
export const CREDENTIALS = { clientId: 'test-client', clientSecret: 'test-secret' } as const;

/** 20 simulated seconds per real second: a 1-second rate window lasts 50 ms. */
export const TIME_SCALE = 20;

export async function startSimulator(options: BeamerySimulatorOptions = {}): Promise<BeamerySimulator> {
  return startBeamerySimulator({
    clock: new SimClock(TIME_SCALE),
    ...options,
    settings: { credentials: CREDENTIALS, ...options.settings },
  });
}

export function clientFor(sim: BeamerySimulator, options: Partial<BeameryClientOptions> = {}): BeameryClient {
  return new BeameryClient({
    baseUrl: sim.url,
    credentials: async () => CREDENTIALS,
    clock: sim.clock,
    retry: { baseDelayMs: 10, maxDelayMs: 20 },
    ...options,
  });
}

/** Requests the simulator saw for one route (`GET /v1/contact/:id`), optionally with one status. */
export function calls(sim: BeamerySimulator, route: string, status?: number): number {
  return sim.requests.count(route, status);
}

export async function freshStart(sim: BeamerySimulator): Promise<void> {
  clearBeameryTokenCache();
  sim.requests.reset();
  sim.faults.update({ serverErrorRate: 0, dropRate: 0, latencyMs: 0 });
  sim.overrides.clear();
}


/** Back to the start scenario and settings, through the admin API as an operator would. */
export async function resetSimulator(sim: BeamerySimulator): Promise<void> {
  const response = await sim.app.inject({ method: 'POST', url: '/_admin/reset' });
  if (response.statusCode !== 200) throw new Error(`reset failed: ${response.statusCode} ${response.body}`);
  await freshStart(sim);
}

export { collect } from '#core/async-iterables';
