import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Command } from 'commander';
import { formatOverrideReport, overrideReport, overrideWindowBounds, readOverrideInputs, type OverrideWindow } from '#core/ai/overrides/report';
import { readConfig, requireTableName } from '#lambdas/config';
import { DynamoDbAudit } from '#adapters/store/audit';
import { greenhouseClientFrom } from '#wiring/api-clients';
import { CLI_BUDGET_WAIT_MS, UsageError, requireCliSettings } from '../cli-settings.ts';

/**
 * `bridge overrides [--from YYYY-MM-DD --to YYYY-MM-DD] [--json]`: the rate of reviewer overrides of AI
 * screening per job and per kind (lambdas/core/ai/overrides/report.ts), over applications created in
 * the window (the last 30 days by default). Reads Greenhouse's applications, then each one's Audit
 * entries by its key: the Audit cannot be listed by time or kind.
 */

const DEFAULT_DAYS = 30;

interface OverridesOptions {
  readonly from?: string;
  readonly to?: string;
  readonly json?: boolean;
}

export function registerOverridesCommand(cli: Command): void {
  cli
    .command('overrides')
    .summary('how often reviewers override AI screening, per job and kind')
    .description(
      'the override rate of AI screening (overridden ÷ screened in assist mode) per job and per kind (score-changed, needs-review-removed, advanced-below-threshold), from the Audit trail of the applications created in the window',
    )
    .option('--from <date>', `first day (YYYY-MM-DD, UTC); default ${DEFAULT_DAYS} days before --to`)
    .option('--to <date>', 'last day, inclusive (YYYY-MM-DD, UTC); default today')
    .option('--json', 'print the report as one JSON object')
    .action(overrides);
}

/** The window asked for, the last 30 days by default. */
export function overridesWindow(options: Pick<OverridesOptions, 'from' | 'to'>, today: Date = new Date()): OverrideWindow {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const to = options.to ?? day(today.getTime());
  const from = options.from ?? day(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_DAYS - 1) * 86_400_000);
  const window = { from, to };
  try {
    overrideWindowBounds(window);
  } catch (error) {
    throw new UsageError(`invalid window: ${(error as Error).message}`);
  }
  return window;
}

async function overrides(options: OverridesOptions): Promise<void> {
  const window = overridesWindow(options);
  const config = readConfig();
  requireCliSettings(config, [{ table: 'audit' }, { table: 'ledger' }, 'greenhouse']);
  const dynamodb = new DynamoDBClient({});
  try {
    const inputs = await readOverrideInputs(window, {
      greenhouse: greenhouseClientFrom(config, { dynamodb, budgetMaxWaitMs: CLI_BUDGET_WAIT_MS }),
      audit: new DynamoDbAudit(dynamodb, requireTableName(config, 'audit'), { retentionDays: config.ai.auditRetentionDays }),
    });
    const report = overrideReport(window, inputs);
    process.stdout.write(`${options.json ? JSON.stringify(report, null, 2) : formatOverrideReport(report)}\n`);
  } finally {
    dynamodb.destroy();
  }
}
