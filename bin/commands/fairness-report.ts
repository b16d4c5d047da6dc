import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Option, type Command } from 'commander';
import { readFairnessInputs, windowBounds, type DayWindow } from '#core/ai/fairness/read';
import { fairnessReport, formatFairnessHtml, formatFairnessText } from '#core/ai/fairness/report';
import { readConfig, requireTableName } from '#lambdas/config';
import { DynamoDbAudit } from '#adapters/store/audit';
import { greenhouseClientFrom } from '#wiring/api-clients';
import { CLI_BUDGET_WAIT_MS, UsageError, requireCliSettings } from '../cli-settings.ts';

/**
 * `bridge fairness-report --from YYYY-MM-DD --to YYYY-MM-DD [--json | --html] [--out file]`: selection
 * rates and impact ratios by sex, race/ethnicity and their intersections, from the screening outcomes
 * in the Audit trail joined with the candidates' voluntary self-identification read from Greenhouse
 * (lambdas/core/ai/fairness). The join happens in this process's memory: the answers are never
 * stored, logged or sent to a model, and the report holds counts per category only. Refused (exit 2)
 * unless `ai.fairness.readDemographics` is on.
 */

interface FairnessReportOptions {
  readonly from: string;
  readonly to: string;
  readonly json?: boolean;
  readonly html?: boolean;
  readonly out?: string;
}

export function registerFairnessReportCommand(cli: Command): void {
  cli
    .command('fairness-report')
    .summary('impact ratios of AI screening by sex and race/ethnicity')
    .description(
      'impact-ratio report of AI screening (NYC Local Law 144 method): selection rates and impact ratios by sex, race/ethnicity and their intersections, from the Audit trail and the candidates’ voluntary self-identification in Greenhouse, computed in memory; needs ai.fairness.readDemographics',
    )
    .requiredOption('--from <date>', 'first day of the window (YYYY-MM-DD, UTC), by application date')
    .requiredOption('--to <date>', 'last day of the window (YYYY-MM-DD, UTC), inclusive')
    .addOption(new Option('--json', 'print the report as one JSON object').conflicts('html'))
    .addOption(new Option('--html', 'print the report as one self-contained HTML page').conflicts('json'))
    .option('--out <file>', 'write the report to this file instead of stdout')
    .action(fairnessReportCommand);
}

async function fairnessReportCommand(options: FairnessReportOptions): Promise<void> {
  const window: DayWindow = { from: options.from, to: options.to };
  try {
    windowBounds(window);
  } catch (error) {
    throw new UsageError(`invalid window: ${(error as Error).message}`);
  }
  const config = readConfig();
  if (!config.ai.fairness.readDemographics) {
    throw new UsageError('the impact-ratio report reads candidates’ voluntary self-identification, which is off: set ai.fairness.readDemographics to true (docs/configuration.md) and give the Greenhouse credential the harvest:eeoc:list scope');
  }
  requireCliSettings(config, [{ table: 'audit' }, { table: 'ledger' }, 'greenhouse']);
  const dynamodb = new DynamoDBClient({});
  try {
    const inputs = await readFairnessInputs(window, {
      greenhouse: greenhouseClientFrom(config, { dynamodb, budgetMaxWaitMs: CLI_BUDGET_WAIT_MS }),
      audit: new DynamoDbAudit(dynamodb, requireTableName(config, 'audit'), { retentionDays: config.ai.auditRetentionDays }),
      settings: config.ai,
    });
    const report = fairnessReport(window, config.ai.screening.threshold, inputs);
    const text = options.json ? JSON.stringify(report, null, 2) : options.html ? formatFairnessHtml(report) : formatFairnessText(report);
    if (options.out === undefined) {
      process.stdout.write(`${text}\n`);
      return;
    }
    const out = resolve(options.out);
    // Counts by sex and race/ethnicity of the company's applicants: readable by its owner only.
    await writeFile(out, `${text}\n`, { mode: 0o600 });
    process.stdout.write(`impact-ratio report for ${window.from} to ${window.to} written to ${out}\n`);
  } finally {
    dynamodb.destroy();
  }
}
