import { Command } from 'commander';
import { LOOPBACK_HOST } from '../../listen-host.ts';
import { SimClock } from '../shared/clock.ts';
import { DEFAULT_BEAMERY_SCENARIO_PATH, DEFAULT_BEAMERY_SIM_PORT } from './paths.ts';
import { readScenarioFile } from './scenario.ts';
import { startBeamerySimulator } from './server.ts';

/**
 * Runs the Beamery simulator on its own (to become `npm run sim:beamery`):
 *
 *   tsx local/simulators/beamery/main.ts [--port 4102] [--time-scale 1] [--scenario scenarios/beamery/default.json]
 *
 * Environment: HOST (127.0.0.1), BEAMERY_SIM_PORT, BEAMERY_SIM_TIME_SCALE, BEAMERY_SIM_SCENARIO, BEAMERY_SIM_CLIENT_ID,
 * BEAMERY_SIM_CLIENT_SECRET (flags win). The credentials are local placeholders, not secrets.
 */

const env = process.env;
const program = new Command()
  .name('sim:beamery')
  .description('Beamery API simulator (our model of Beamery, not Beamery)')
  .option('--port <port>', 'port to listen on', env['BEAMERY_SIM_PORT'] ?? String(DEFAULT_BEAMERY_SIM_PORT))
  .option('--host <host>', 'address to listen on', env['HOST'] || LOOPBACK_HOST)
  .option('--time-scale <n>', 'simulated seconds per real second', env['BEAMERY_SIM_TIME_SCALE'] ?? '1')
  .option('--scenario <file>', 'scenario JSON to load at start', env['BEAMERY_SIM_SCENARIO'] ?? DEFAULT_BEAMERY_SCENARIO_PATH)
  .option('--client-id <id>', 'accepted clientId', env['BEAMERY_SIM_CLIENT_ID'])
  .option('--client-secret <secret>', 'accepted clientSecret', env['BEAMERY_SIM_CLIENT_SECRET'])
  .parse();

const opts = program.opts<{ port: string; host: string; timeScale: string; scenario: string; clientId?: string; clientSecret?: string }>();
const scale = Number(opts.timeScale);
if (!(scale > 0)) throw new Error(`--time-scale must be a positive number, got ${opts.timeScale}`);

const scenario = await readScenarioFile(opts.scenario);
const sim = await startBeamerySimulator({
  port: Number(opts.port),
  host: opts.host,
  clock: new SimClock(scale),
  scenario,
  settings: {
    credentials: { ...(opts.clientId ? { clientId: opts.clientId } : {}), ...(opts.clientSecret ? { clientSecret: opts.clientSecret } : {}) },
  },
});
const { credentials } = sim.settings.current;
console.log(`Beamery simulator on ${sim.url} (admin ${sim.origin}/_admin), time scale ${scale}, scenario ${scenario.name ?? opts.scenario}`);
console.log(`  ${sim.state.contacts.size} contacts, ${sim.state.vacancies.size} vacancies, ${sim.state.users.size} users; clientId ${credentials.clientId}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sim.close().then(() => process.exit(0));
  });
}
