import { ENV } from '#lambdas/config';
import { SimClock } from './simulators/shared/clock.ts';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_SCENARIO_PATH, startGreenhouseSimulator } from './simulators/greenhouse/server.ts';
import { startBeamerySimulator } from './simulators/beamery/server.ts';
import { readScenarioFile } from './simulators/beamery/scenario.ts';
import { DEFAULT_BEAMERY_SCENARIO_PATH } from './simulators/beamery/paths.ts';
import type { DeepPartial, SimulatorSettings } from './simulators/beamery/settings.ts';
import type { ApiContractInput } from './simulators/greenhouse/api-contract.ts';

/**
 * Greenhouse and Beamery for the local stack: their simulators by default, or the real APIs when the
 * developer has configured credentials for them (then nothing is started and the Lambdas get the real
 * base URLs). Either way the result is the environment the Lambdas read (lambdas/config.ts).
 */
export type SaasChoice = { readonly kind: 'simulator'; readonly port: number } | { readonly kind: 'real' };

export interface SaasOptions {
  readonly greenhouse: SaasChoice;
  readonly beamery: SaasChoice;
  /** Where the Greenhouse simulator sends its signed webhooks (the local webhook route). */
  readonly webhookUrl: string;
  readonly webhookSecret: string;
  /** The address the simulators listen on (default 127.0.0.1). */
  readonly host?: string;
  /**
   * The simulators' readings of what their vendors leave open (local/simulators/greenhouse/api-contract.ts,
   * local/simulators/beamery/settings.ts): to see the bridge, and `bridge doctor`, meet the alternatives.
   */
  readonly variants?: SimulatorVariants;
}

export interface SimulatorVariants {
  readonly greenhouse?: ApiContractInput;
  readonly beamery?: DeepPartial<SimulatorSettings>;
}

export interface LocalSaas {
  /** For the `ready` line: a simulator's URL, or `real`. */
  readonly greenhouse: string;
  readonly beamery: string;
  readonly environment: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

const LOCAL_BEAMERY_CREDENTIALS = { clientId: 'local-beamery-client', clientSecret: 'local-beamery-secret' };

/** Real APIs are used only when everything they need is in the environment. */
export function saasChoiceFromEnvironment(env: NodeJS.ProcessEnv, simulatorPorts: { greenhouse: number; beamery: number }): Pick<SaasOptions, 'greenhouse' | 'beamery'> {
  const has = (...names: string[]) => names.every((name) => Boolean(env[name]));
  return {
    greenhouse: has(ENV.greenhouseApiBaseUrl, ENV.greenhouseClientId, ENV.greenhouseClientSecret)
      ? { kind: 'real' }
      : { kind: 'simulator', port: simulatorPorts.greenhouse },
    beamery:
      has(ENV.beameryClientId, ENV.beameryClientSecret) && (has(ENV.beameryBaseUrl) || has(ENV.beameryRegion))
        ? { kind: 'real' }
        : { kind: 'simulator', port: simulatorPorts.beamery },
  };
}

export async function startSaas(options: SaasOptions): Promise<LocalSaas> {
  const stops: (() => Promise<void>)[] = [];
  const environment: Record<string, string> = {};
  let greenhouse = 'real';
  let beamery = 'real';
  try {
    if (options.greenhouse.kind === 'simulator') {
      const sim = await startGreenhouseSimulator({
        port: options.greenhouse.port,
        host: options.host,
        clock: new SimClock(1),
        scenario: DEFAULT_SCENARIO_PATH,
        webhooks: [{ url: options.webhookUrl, secret: options.webhookSecret }],
        logger: false,
        ...(options.variants?.greenhouse ? { apiContract: options.variants.greenhouse } : {}),
      });
      stops.push(() => sim.close());
      greenhouse = sim.url;
      Object.assign(environment, {
        [ENV.greenhouseApiBaseUrl]: sim.url,
        [ENV.greenhouseTokenUrl]: `${sim.url}/token`,
        [ENV.greenhouseClientId]: DEFAULT_CLIENT_ID,
        [ENV.greenhouseClientSecret]: DEFAULT_CLIENT_SECRET,
      });
    }
    if (options.beamery.kind === 'simulator') {
      const sim = await startBeamerySimulator({
        port: options.beamery.port,
        host: options.host,
        clock: new SimClock(1),
        scenario: await readScenarioFile(DEFAULT_BEAMERY_SCENARIO_PATH),
        settings: { ...options.variants?.beamery, credentials: LOCAL_BEAMERY_CREDENTIALS },
      });
      stops.push(() => sim.close());
      beamery = sim.url;
      Object.assign(environment, {
        [ENV.beameryBaseUrl]: sim.url,
        [ENV.beameryClientId]: LOCAL_BEAMERY_CREDENTIALS.clientId,
        [ENV.beameryClientSecret]: LOCAL_BEAMERY_CREDENTIALS.clientSecret,
      });
    }
  } catch (error) {
    await Promise.all(stops.map((stop) => stop()));
    throw error;
  }
  return { greenhouse, beamery, environment, stop: () => Promise.all(stops.map((stop) => stop())).then(() => undefined) };
}
