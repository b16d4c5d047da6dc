import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Argument, type Command } from 'commander';
import { SWITCHABLE, SWITCH_TARGETS, type SwitchTarget } from '#core/queue/pause';
import { readConfig, requireTableName } from '#lambdas/config';
import { DynamoDbSwitches, type PauseState } from '#adapters/store/switches';

/**
 * `bridge pause|resume <flow>`: flips the flow's switch in the Ledger. Consumers and pollers see it
 * within their switch cache (a minute); paused messages wait on their queue and are never
 * dead-lettered, paused pollers keep their watermarks, so a resume picks up where the pause began.
 */
export interface SwitchResult {
  readonly action: 'pause' | 'resume';
  readonly target: SwitchTarget;
  readonly paused: PauseState['paused'];
  readonly effectiveWithinSeconds: number;
}

export async function setSwitch(target: SwitchTarget, pause: boolean): Promise<SwitchResult> {
  const config = readConfig();
  const switches = new DynamoDbSwitches(new DynamoDBClient({}), requireTableName(config, 'ledger'), config.tenant);
  const state = await switches.set(target, pause, new Date());
  return { action: pause ? 'pause' : 'resume', target, paused: state.paused, effectiveWithinSeconds: config.switchCacheSeconds };
}

export function formatSwitch(result: SwitchResult): string {
  const lines = SWITCHABLE.map((flow) => {
    const since = result.paused[flow];
    return `  ${flow.padEnd(22)} ${since ? `paused since ${since}` : 'running'}`;
  });
  return [`${result.action}d ${result.target}; effective within ${result.effectiveWithinSeconds} s`, ...lines].join('\n');
}

export function registerPauseCommands(cli: Command): void {
  for (const pause of [true, false]) {
    cli
      .command(pause ? 'pause' : 'resume')
      .description(pause ? 'pause a flow: its messages wait on their queue (never dead-lettered), its pollers skip their runs' : 'resume a paused flow: waiting messages drain, pollers continue from their watermarks')
      .addArgument(new Argument('<flow>', 'what to switch').choices(SWITCH_TARGETS))
      .option('--json', 'print the result as one JSON object')
      .option('--local', 'run against the running local stack (npm start)')
      .action(async (flow: SwitchTarget, options: { json?: boolean }) => {
        const result = await setSwitch(flow, pause);
        process.stdout.write(`${options.json ? JSON.stringify(result) : formatSwitch(result)}\n`);
      });
  }
}
