import { ENV } from '#lambdas/config';
import { SimClock } from '#local/simulators/shared/clock';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_SCENARIO_PATH, startGreenhouseSimulator, type GreenhouseSimulator } from '#local/simulators/greenhouse/server';
import { startBeamerySimulator, type BeamerySimulator } from '#local/simulators/beamery/server';
import { parseScenario, readScenarioFile } from '#local/simulators/beamery/scenario';
import { DEFAULT_BEAMERY_SCENARIO_PATH } from '#local/simulators/beamery/paths';
import { startGreenhouseProxy, type GreenhouseProxy } from './greenhouse-proxy.ts';

/**
 * Greenhouse and Beamery for a chaos run, in this process: the Greenhouse simulator with the default
 * company (its jobs and people are left alone; the run adds its own), behind the fault proxy; the
 * Beamery simulator with the default tenant's users only, so the run's contacts and vacancies are all
 * there is to judge. The Lambdas' environment (this process's, inherited by the consumer processes)
 * points at them, as a developer's real-API settings would.
 */
export interface ChaosSaas {
  readonly greenhouseSim: GreenhouseSimulator;
  readonly beamerySim: BeamerySimulator;
  readonly proxy: GreenhouseProxy;
  stop(): Promise<void>;
}

const BEAMERY_CREDENTIALS = { clientId: 'chaos-beamery-client', clientSecret: 'chaos-beamery-secret' };

export async function startChaosSaas(limits: { readonly greenhouseLimit: number; readonly beameryLimit: number; readonly seed: number }): Promise<ChaosSaas> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const close of stops.splice(0).reverse()) await close().catch(() => undefined);
  };
  try {
    // The token limit is raised too: every restarted consumer process mints its own tokens.
    const greenhouseSim = await startGreenhouseSimulator({
      clock: new SimClock(1),
      scenario: DEFAULT_SCENARIO_PATH,
      rateLimit: { limit: limits.greenhouseLimit, tokenLimit: 200 },
      logger: false,
    });
    stops.push(() => greenhouseSim.close());
    const beameryDefault = await readScenarioFile(DEFAULT_BEAMERY_SCENARIO_PATH);
    const beamerySim = await startBeamerySimulator({
      clock: new SimClock(1),
      scenario: parseScenario({ name: 'chaos', users: beameryDefault.users }),
      settings: { credentials: BEAMERY_CREDENTIALS, rateLimit: { perSecond: limits.beameryLimit } },
    });
    stops.push(() => beamerySim.close());
    const proxy = await startGreenhouseProxy(greenhouseSim.url, { lossRate: 0, seed: limits.seed });
    stops.push(() => proxy.close());
    Object.assign(process.env, {
      [ENV.greenhouseApiBaseUrl]: proxy.url,
      [ENV.greenhouseTokenUrl]: `${proxy.url}/token`,
      [ENV.greenhouseClientId]: DEFAULT_CLIENT_ID,
      [ENV.greenhouseClientSecret]: DEFAULT_CLIENT_SECRET,
      [ENV.beameryBaseUrl]: beamerySim.url,
      [ENV.beameryClientId]: BEAMERY_CREDENTIALS.clientId,
      [ENV.beameryClientSecret]: BEAMERY_CREDENTIALS.clientSecret,
    });
    return { greenhouseSim, beamerySim, proxy, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
