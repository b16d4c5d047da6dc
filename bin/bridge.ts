#!/usr/bin/env node
/**
 * The operator CLI (DESIGN: bin/bridge.ts). Reads the same environment the Lambdas read
 * (lambdas/config.ts): queue URLs, the Ledger table, Greenhouse credentials (Secrets Manager ARNs on
 * AWS; plain values with BRIDGE_RUNTIME=local, as the local stack sets them).
 *
 *   npx tsx bin/bridge.ts status
 *   npx tsx bin/bridge.ts dlq list|show|redrive|delete [--queue q] [--ids …] [--body]
 *   npx tsx bin/bridge.ts reconcile candidate|job|contact <id…>
 *   npx tsx bin/bridge.ts pause|resume <greenhouse-to-beamery|beamery-to-greenhouse|ai|pollers|all>
 *   npx tsx bin/bridge.ts backfill [--jobs-only | --candidates-only] [--restart]
 *   npx tsx bin/bridge.ts push <contactId…> [--file ids.txt]
 *   npx tsx bin/bridge.ts audit <applicationId>
 *   npx tsx bin/bridge.ts explain <applicationId> [--out file]
 *   npx tsx bin/bridge.ts overrides [--from YYYY-MM-DD --to YYYY-MM-DD]
 *   npx tsx bin/bridge.ts fairness-report --from YYYY-MM-DD --to YYYY-MM-DD [--json | --html] [--out file]
 *   npx tsx bin/bridge.ts doctor [--write-test]
 *   npx tsx bin/bridge.ts rediscover <jobId> [--shadow]
 *   npx tsx bin/bridge.ts jd <jobId> [--shadow]
 *   npx tsx bin/bridge.ts report [--out file.html] [--open]
 *   npx tsx bin/bridge.ts rotate-push-key [--grace-hours 24]
 *
 * Every command takes --json (one JSON value on stdout instead of text) and --local / --stack <name>.
 *
 * `audit` prints the Audit trail of one Greenhouse application (AI inferences, reuses, failures,
 * with score, evidence and provenance), oldest first: it answers "why this score?".
 *
 * `doctor` checks the configured Greenhouse and Beamery tenants the way the bridge uses them (one line
 * per check: ok / fail / unknown, with its evidence), stores the report in the Ledger so consumers stop
 * on a capability it found broken, and exits 1 on any `fail`.
 *
 * `bridge --help` lists every command. Each takes its configuration from the caller's environment,
 * or `--local` (the running `npm start` stack), or `--stack <name>` (a deployed stack's outputs:
 * bin/cli-settings.ts); a command names every missing setting at once before it calls or writes anything.
 * Exit codes: 0 done, 1 failed, 2 usage (unknown or no command, invalid arguments, missing settings);
 * `backfill` stopped by Ctrl-C exits 130 (it resumes from its checkpoint when run again).
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { Command, CommanderError, Option } from 'commander';
import { BEAMERY_CONTACT_ID, MAX_PUSH_CONTACTS, beameryChangeMessage, pushContactIds } from '#core/sync/beamery-messages';
import { formatAuditTrail } from '#core/ai/audit-trail';
import { entityKey } from '#core/envelope';
import { readConfig, requireTableName } from '#lambdas/config';
import { DynamoDbAudit } from '#adapters/store/audit';
import type { QueuePublisher } from '#core/ports/queue-publisher';
import { publisherFor } from '#wiring/publisher-for';
import { runDoctor } from '#adapters/doctor/run-doctor';
import { doctorExitCode, formatReport } from '#core/doctor/report';
import { readLocalStackEnvironment } from '#local/stack-file';
import { UsageError, readStackEnvironment, requireCliSettings } from './cli-settings.ts';
import { backfillCommand, type BackfillCommandOptions } from './commands/backfill.ts';
import { registerPauseCommands } from './commands/pause.ts';
import { registerStatusCommand } from './commands/status.ts';
import { registerDlqCommands } from './commands/dlq.ts';
import { registerReconcileCommand } from './commands/reconcile.ts';
import { registerAiCommands } from './commands/ai.ts';
import { registerReportCommand } from './commands/report.ts';
import { registerExplainCommand } from './commands/explain.ts';
import { registerOverridesCommand } from './commands/overrides.ts';
import { registerFairnessReportCommand } from './commands/fairness-report.ts';
import { registerRotatePushKeyCommand } from './commands/rotate-push-key.ts';

async function backfill(options: BackfillCommandOptions): Promise<void> {
  const abort = new AbortController();
  const interrupted = () => abort.abort(new Error('interrupted'));
  // The first Ctrl-C stops cleanly after the message in hand; a second one ends the process at once.
  process.once('SIGINT', interrupted);
  try {
    process.exitCode = await backfillCommand(options, { stdout: process.stdout, stderr: process.stderr, signal: abort.signal });
  } finally {
    process.removeListener('SIGINT', interrupted);
  }
}

/** A file of contact ids: one per line; blank lines and `#` comments are skipped. */
export function parseIdList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

export interface PushDependencies {
  readonly publisher: QueuePublisher;
  readonly now: () => Date;
  /** Names this run in every message (and in the SQS deduplication id): a fresh uuid per run. */
  readonly newDeliveryId: () => string;
}

/**
 * `bridge push`: one `beamery.change` (origin push, pushRequested) per contact on
 * beamery-changes.fifo, as `POST /beamery/push` enqueues them. Duplicates are dropped; more than
 * MAX_PUSH_CONTACTS ids go in several batches. Every id is checked before anything is queued.
 */
export async function pushContacts(ids: readonly string[], deps: PushDependencies): Promise<{ queued: number; deliveryId: string }> {
  const unique = [...new Set(ids)];
  const batches: string[][] = [];
  for (let i = 0; i < Math.max(unique.length, 1); i += MAX_PUSH_CONTACTS) {
    const checked = pushContactIds(unique.slice(i, i + MAX_PUSH_CONTACTS));
    if (!checked.ok) {
      const bad = unique.filter((id) => !BEAMERY_CONTACT_ID.test(id));
      const named = bad.length > 0 ? `: ${bad.slice(0, 5).map((id) => JSON.stringify(id)).join(', ')}${bad.length > 5 ? ', …' : ''}` : '';
      throw new Error(`nothing queued: ${checked.reason}${named}`);
    }
    batches.push(checked.ids);
  }
  const deliveryId = deps.newDeliveryId();
  const observedAt = deps.now().toISOString();
  let queued = 0;
  for (const batch of batches) {
    await deps.publisher.publish(batch.map((id) => beameryChangeMessage(id, { origin: 'push', observedAt, deliveryId, pushRequested: true })));
    queued += batch.length;
  }
  return { queued, deliveryId };
}

async function push(contactIds: string[], options: { file?: string; json?: boolean }): Promise<void> {
  const fromFile = options.file === undefined ? [] : parseIdList(options.file === '-' ? await readStdin() : await readFile(options.file, 'utf8'));
  const config = readConfig();
  requireCliSettings(config, [{ queue: 'beamery-changes' }]);
  const { queued, deliveryId } = await pushContacts([...contactIds, ...fromFile], {
    publisher: publisherFor(config, new SQSClient({}), { sender: 'push', queues: ['beamery-changes'] }),
    now: () => new Date(),
    newDeliveryId: () => randomUUID(),
  });
  process.stdout.write(
    options.json ? `${JSON.stringify({ queued, deliveryId })}\n` : `queued ${queued} contact${queued === 1 ? '' : 's'} on beamery-changes for Greenhouse (delivery ${deliveryId})\n`,
  );
}

export { UsageError };

/** A Greenhouse application id: a positive integer, written in decimal digits only. */
export function parseApplicationId(value: string): number {
  const id = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(id) || id <= 0) throw new UsageError(`invalid application id ${JSON.stringify(value)}: expected a positive integer (the Greenhouse application id)`);
  return id;
}

/** `bridge audit <applicationId>`: the application's Audit trail on stdout, oldest first (or one JSON array). */
async function audit(applicationId: string, options: { json?: boolean }): Promise<void> {
  const id = parseApplicationId(applicationId);
  const config = readConfig();
  requireCliSettings(config, [{ table: 'audit' }]);
  const trail = await new DynamoDbAudit(new DynamoDBClient({}), requireTableName(config, 'audit'), { retentionDays: config.ai.auditRetentionDays }).list(
    entityKey('greenhouse', 'application', id),
  );
  process.stdout.write(`${formatAuditTrail(id, trail, { json: options.json ?? false, retentionDays: config.ai.auditRetentionDays })}\n`);
}

/** `bridge doctor`: the report on stdout (text, or one JSON object); exit code 1 on any `fail`. */
async function doctor(options: { writeTest?: boolean; json?: boolean }): Promise<void> {
  const config = readConfig();
  const report = await runDoctor(config, { ...(config.tableNames['ledger'] ? { dynamodb: new DynamoDBClient({}) } : {}) }, { writeTest: options.writeTest ?? false });
  process.stdout.write(`${options.json ? JSON.stringify(report, null, 2) : formatReport(report)}\n`);
  process.exitCode = doctorExitCode(report);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function program(): Command {
  const cli = new Command('bridge')
    .description('greenhouse-beamery-bridge operator CLI')
    // Usage errors (unknown command, no command, bad option) throw instead of exiting 1: exit code 2 below.
    .exitOverride()
    .showHelpAfterError('(bridge --help lists the commands)')
    // The list: one line per command (its summary, or its description's first clause); the details in `bridge <command> --help`.
    .configureHelp({ subcommandTerm: (command) => command.name(), subcommandDescription: (command) => command.summary() || firstClause(command.description()) })
    .hook('preAction', async (_cli, command) => {
      // A command's --local or --stack, before it reads its configuration: that environment replaces the caller's.
      const { local, stack } = command.opts<{ local?: boolean; stack?: string }>();
      if (local) Object.assign(process.env, readLocalStackEnvironment());
      if (stack !== undefined) Object.assign(process.env, await readStackEnvironment(stack));
    });
  cli
    .command('backfill')
    .summary('enqueue every Greenhouse job and candidate (resumable)')
    .description('historic sync: enqueue every Greenhouse job, then every non-private candidate (resumable)')
    .addOption(new Option('--jobs-only', 'only jobs').conflicts('candidatesOnly'))
    .addOption(new Option('--candidates-only', 'only candidates').conflicts('jobsOnly'))
    .option('--restart', 'ignore the stored checkpoint and start a new run')
    .option('--json', 'print the summary as one JSON object')
    .action(backfill);
  cli
    .command('push')
    .summary('push Beamery contacts to Greenhouse')
    .description('push Beamery contacts to Greenhouse: queue each on beamery-changes, as POST /beamery/push does')
    .argument('[contactIds...]', 'Beamery contact ids')
    .option('--file <path>', 'also read contact ids from a file, one per line (- for stdin)')
    .option('--json', 'print the summary as one JSON object: {"queued": n, "deliveryId": id}')
    .action(push);
  cli
    .command('audit')
    .summary('why this score: the AI audit trail of an application')
    .description('print the audit trail of a Greenhouse application: AI inferences with score, evidence, model and prompt version, oldest first')
    .argument('<applicationId>', 'Greenhouse application id')
    .option('--json', 'print one JSON array of the entries (model output parsed) instead of text')
    .action(audit);
  cli
    .command('doctor')
    .summary('check the Greenhouse and Beamery tenants the bridge uses')
    .description('check the configured Greenhouse and Beamery tenants as the bridge uses them; exit 1 on any failed check')
    .option('--write-test', 'also create, change, verify and anonymize a throwaway prospect and contact (for a sandbox)')
    .option('--json', 'print the report as one JSON object')
    .option('--local', 'run against the running local stack (npm start)')
    .action(doctor);
  registerPauseCommands(cli);
  registerStatusCommand(cli);
  registerDlqCommands(cli);
  registerReconcileCommand(cli);
  registerAiCommands(cli);
  registerReportCommand(cli);
  registerExplainCommand(cli);
  registerOverridesCommand(cli);
  registerFairnessReportCommand(cli);
  registerRotatePushKeyCommand(cli);
  for (const command of cli.commands) withConfigurationSources(command);
  return cli;
}

/**
 * Every command takes its configuration from one place: the caller's environment, `--local` or
 * `--stack <name>`, and reports usage errors with exit code 2 (commands added with addCommand do not
 * inherit the program's settings, so they are applied here, after every registration).
 */
function withConfigurationSources(command: Command): void {
  command.exitOverride().showHelpAfterError();
  // A command with subcommands (`dlq list`): the options belong on each leaf, whose action reads them.
  if (command.commands.length > 0) {
    for (const sub of command.commands) withConfigurationSources(sub);
    return;
  }
  const has = (flag: string) => command.options.some((o) => o.long === flag);
  if (!has('--local')) command.addOption(new Option('--local', 'run against the running local stack (npm start)').conflicts('stack'));
  if (!has('--stack')) command.addOption(new Option('--stack <name>', "run against a deployed stack: read its outputs (CloudFormation) in the caller's AWS account and region").conflicts('local'));
}

function firstClause(description: string): string {
  const clause = description.split(/[:;]| \(/)[0]!.trim();
  return clause.length <= 60 ? clause : `${clause.slice(0, clause.lastIndexOf(' ', 58))} …`;
}

/** The exit code of an error that reached the top: 2 for usage (commander's parse errors included), 1 for any other failure. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  return error instanceof UsageError ? error.exitCode : 1;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('bin/bridge.ts')) {
  program()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      // commander has printed its own message (and the help) already.
      if (!(error instanceof CommanderError)) process.stderr.write(`bridge: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = exitCodeOf(error);
    });
}
