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

/**
 * BEAMERY_SIM_VARIANT=strict runs a suite on the other reading of each ASSUMED behaviour that
 * configuration can follow: the simulator serves only the Basic login, ignores writes to `integrations`
 * and keeps consent in custom fields; the clients are configured to expect it. The ASSUMED paths have
 * no such setting (a wrong one is a broken capability), so they stay as they are.
 */
const STRICT = process.env['BEAMERY_SIM_VARIANT'] === 'strict';
const STRICT_SETTINGS = { auth: 'basic', fields: { greenhouseId: 'ignored', consent: 'custom-fields' } } as const;
const STRICT_CLIENT: Partial<BeameryClientOptions> = {
  auth: 'basic',
  greenhouseIdField: { kind: 'custom-field', fieldId: 'cf-greenhouse-id' },
  consentFields: { status: { kind: 'custom-field', fieldId: 'cf-consent-status' }, date: { kind: 'custom-field', fieldId: 'cf-consent-date' } },
};

/** What a Lambda's environment says about the same variant (lambdas/config.ts), for tests that run the handlers. */
export const VARIANT_ENVIRONMENT: Readonly<Record<string, string>> = STRICT
  ? {
      BEAMERY_AUTH: 'basic',
      BEAMERY_GREENHOUSE_ID_FIELD: 'customField:cf-greenhouse-id',
      BEAMERY_CONSENT_STATUS_FIELD: 'customField:cf-consent-status',
      BEAMERY_CONSENT_DATE_FIELD: 'customField:cf-consent-date',
    }
  : {};

export async function startSimulator(options: BeamerySimulatorOptions = {}): Promise<BeamerySimulator> {
  return startBeamerySimulator({
    clock: new SimClock(TIME_SCALE),
    ...options,
    settings: { ...(STRICT ? STRICT_SETTINGS : {}), credentials: CREDENTIALS, ...options.settings },
  });
}

export function clientFor(sim: BeamerySimulator, options: Partial<BeameryClientOptions> = {}): BeameryClient {
  return new BeameryClient({
    baseUrl: sim.url,
    credentials: async () => CREDENTIALS,
    clock: sim.clock,
    retry: { baseDelayMs: 10, maxDelayMs: 20 },
    ...(STRICT ? STRICT_CLIENT : {}),
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
