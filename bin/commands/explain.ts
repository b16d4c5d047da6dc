import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Command } from 'commander';
import { explainApplication, hasAiEntries, readApplicationFacts, type ApplicationFacts } from '#core/ai/explanation';
import { entityKey } from '#core/envelope';
import { readConfig, requireTableName, type BridgeConfig } from '#lambdas/config';
import { DynamoDbAudit } from '#adapters/store/audit';
import { greenhouseClientFrom } from '#wiring/api-clients';
import { CLI_BUDGET_WAIT_MS, missingCliSettings, requireCliSettings } from '../cli-settings.ts';
import { parseApplicationId } from '../bridge.ts';

/**
 * `bridge explain <applicationId> [--json] [--out file]`: the plain-language explanation of what the
 * AI produced for one application, from its Audit trail, to send to the candidate
 * (lambdas/core/ai/explanation.ts). What the hiring team did since (stage moves, a rejection) is read
 * from Greenhouse when it is configured; without it, or when the read fails, the explanation is made
 * from the Audit alone and says the decisions were not read. Exit 1 when nothing of the AI is recorded.
 */

interface ExplainOptions {
  readonly json?: boolean;
  readonly out?: string;
}

export function registerExplainCommand(cli: Command): void {
  cli
    .command('explain')
    .summary("explain the AI's part in an application, for the candidate")
    .description(
      "explain to the candidate what the AI produced for a Greenhouse application: inputs considered, requirements met and missed with the evidence, model and prompt version, and the hiring team's decisions since; from the Audit trail (and Greenhouse, when configured)",
    )
    .argument('<applicationId>', 'Greenhouse application id')
    .option('--json', 'print the explanation as one JSON object (its fields and its text)')
    .option('--out <file>', 'write the explanation to this file instead of stdout')
    .action(explain);
}

async function explain(applicationId: string, options: ExplainOptions): Promise<void> {
  const id = parseApplicationId(applicationId);
  const config = readConfig();
  requireCliSettings(config, [{ table: 'audit' }]);
  const dynamodb = new DynamoDBClient({});
  try {
    const entries = await new DynamoDbAudit(dynamodb, requireTableName(config, 'audit'), { retentionDays: config.ai.auditRetentionDays }).list(entityKey('greenhouse', 'application', id));
    if (!hasAiEntries(entries)) throw new Error(`no AI output recorded for application ${id} (or its entries have expired after ${config.ai.auditRetentionDays} days): nothing to explain`);
    const explanation = explainApplication(id, entries, await humanDecisions(config, dynamodb, id));
    const text = options.json ? JSON.stringify(explanation, null, 2) : explanation.text;
    if (options.out === undefined) {
      process.stdout.write(`${text}\n`);
      return;
    }
    const out = resolve(options.out);
    // It holds what a candidate's application was judged on: readable by its owner only.
    await writeFile(out, `${text}\n`, { mode: 0o600 });
    process.stdout.write(`explanation of application ${id} written to ${out}\n`);
  } finally {
    dynamodb.destroy();
  }
}

/** Greenhouse's facts, when it is configured and answers; otherwise undefined, and a word on stderr why. */
async function humanDecisions(config: BridgeConfig, dynamodb: DynamoDBClient, id: number): Promise<ApplicationFacts | undefined> {
  const missing = missingCliSettings(config, ['greenhouse']);
  if (missing.length > 0) {
    process.stderr.write(`bridge: Greenhouse is not configured (${missing.join(', ')}): explaining from the Audit alone; the hiring team's decisions were not read\n`);
    return undefined;
  }
  try {
    const facts = await readApplicationFacts(greenhouseClientFrom(config, { dynamodb, budgetMaxWaitMs: CLI_BUDGET_WAIT_MS }), id);
    if (!facts) process.stderr.write(`bridge: Greenhouse has no application ${id}: the hiring team's decisions were not read\n`);
    return facts;
  } catch (error) {
    process.stderr.write(`bridge: reading application ${id} from Greenhouse failed (${error instanceof Error ? error.name : 'error'}): the hiring team's decisions were not read\n`);
    return undefined;
  }
}
