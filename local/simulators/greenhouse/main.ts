import { Command } from 'commander';
import { DEFAULT_WEBHOOK_PORT, LOCAL_WEBHOOK_SECRET, WEBHOOK_PATH } from '../../defaults.ts';
import { LOOPBACK_HOST, urlHost } from '../../listen-host.ts';
import { SimClock } from '../shared/clock.ts';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_GREENHOUSE_SIM_PORT,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_SCENARIO_PATH,
  startGreenhouseSimulator,
} from './server.ts';

/**
 * `npm run sim:greenhouse`: the Greenhouse simulator on its own. Every option has an environment
 * variable, so the local stack can start it the same way:
 *
 *   HOST                           address to listen on (default 127.0.0.1)
 *   GREENHOUSE_SIM_PORT            port (default 4010)
 *   GREENHOUSE_SIM_TIME_SCALE      simulated seconds per real second (default 1)
 *   GREENHOUSE_SIM_SCENARIO        scenario file (default scenarios/greenhouse/default.json)
 *   GREENHOUSE_SIM_WEBHOOK_URL     where webhooks go, comma-separated; "none" sends none
 *                                  (default: the local stack's webhook route)
 *   GREENHOUSE_SIM_WEBHOOK_SECRET  signing key (default: the local stack's webhook secret)
 *   GREENHOUSE_SIM_CLIENT_ID / GREENHOUSE_SIM_CLIENT_SECRET   the accepted OAuth credential
 *   GREENHOUSE_SIM_RATE_LIMIT      requests per 30-second window (default 75)
 */

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const program = new Command()
    .name('npm run sim:greenhouse --')
    .description('Run the Greenhouse Harvest v3 + webhooks simulator')
    .option('--port <n>', 'port', env['GREENHOUSE_SIM_PORT'] ?? String(DEFAULT_GREENHOUSE_SIM_PORT))
    .option('--host <address>', 'address to listen on', env['HOST'] || LOOPBACK_HOST)
    .option('--time-scale <n>', 'simulated seconds per real second', env['GREENHOUSE_SIM_TIME_SCALE'] ?? '1')
    .option('--scenario <file>', 'scenario file', env['GREENHOUSE_SIM_SCENARIO'] ?? DEFAULT_SCENARIO_PATH)
    .option(
      '--webhook-url <urls>',
      'webhook endpoint(s), comma-separated, or "none"',
      env['GREENHOUSE_SIM_WEBHOOK_URL'] ?? `http://${urlHost(env['HOST'] || LOOPBACK_HOST)}:${env['PORT'] || DEFAULT_WEBHOOK_PORT}${WEBHOOK_PATH}`,
    )
    .option('--webhook-secret <secret>', 'webhook secret key', env['GREENHOUSE_SIM_WEBHOOK_SECRET'] ?? LOCAL_WEBHOOK_SECRET)
    .option('--client-id <id>', 'OAuth client id', env['GREENHOUSE_SIM_CLIENT_ID'] ?? DEFAULT_CLIENT_ID)
    .option('--client-secret <secret>', 'OAuth client secret', env['GREENHOUSE_SIM_CLIENT_SECRET'] ?? DEFAULT_CLIENT_SECRET)
    .option('--rate-limit <n>', 'requests per 30-second window', env['GREENHOUSE_SIM_RATE_LIMIT'] ?? '75')
    .parse(argv);
  const o = program.opts<Record<string, string>>();

  const urls = o['webhookUrl'] === 'none' ? [] : o['webhookUrl']!.split(',').map((u) => u.trim()).filter(Boolean);
  const sim = await startGreenhouseSimulator({
    port: Number(o['port']),
    host: o['host']!,
    clock: new SimClock(Number(o['timeScale'])),
    scenario: o['scenario'],
    credentials: [{ clientId: o['clientId']!, clientSecret: o['clientSecret']!, scopes: 'all' }],
    rateLimit: { limit: Number(o['rateLimit']) },
    webhooks: urls.map((url) => ({ url, secret: o['webhookSecret']! })),
  });
  const counts = sim.state.counts();
  process.stdout.write(
    `greenhouse simulator ready on ${sim.url} (v3 at ${sim.url}/v3, token at ${sim.url}/token, admin at ${sim.url}/_admin)\n` +
      `  scenario: ${counts.candidates} candidates, ${counts.applications} applications, ${counts.jobs} jobs, ${counts.users} users\n` +
      `  webhooks: ${urls.length ? urls.join(', ') : 'none'}; time scale ${sim.clock.scale}\n`,
  );
  const stop = () => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.main) {
  main(process.argv, process.env).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
