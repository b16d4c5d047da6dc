#!/usr/bin/env node
/**
 * The operator CLI (DESIGN: bin/bridge.ts). Reads the same environment the Lambdas read
 * (lambdas/config.ts): queue URLs, the Ledger table, Greenhouse credentials (Secrets Manager ARNs on
 * AWS; plain values with BRIDGE_RUNTIME=local, as the local stack sets them).
 *
 *   npx tsx bin/bridge.ts backfill [--jobs-only | --candidates-only] [--restart]
 *   npx tsx bin/bridge.ts push <contactId…> [--file ids.txt]
 *   npx tsx bin/bridge.ts audit <applicationId> [--json]
 *   npx tsx bin/bridge.ts doctor [--write-test] [--json] [--local]
 *   npx tsx bin/bridge.ts pause|resume <greenhouse-to-beamery|beamery-to-greenhouse|ai|pollers|all> [--json] [--local]
 *
 * `audit` prints the Audit trail of one Greenhouse application (AI inferences, reuses, failures,
 * with score, evidence and provenance), oldest first: it answers "why this score?".
 *
 * `doctor` checks the configured Greenhouse and Beamery tenants the way the bridge uses them (one line
 * per check: ok / fail / unknown, with its evidence), stores the report in the Ledger so consumers stop
 * on a capability it found broken, and exits 1 on any `fail`. `--local` runs any command against the
 * running `npm start` stack, without other configuration.
 *
 * `backfill`, `push`, `audit` and `doctor` so far; dlq, status, demo and local are still to come.
 * Exit codes: 0 done, 1 failed, 2 invalid arguments.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { Command, Option } from 'commander';
import { formatProgress, phasesFor } from '#core/sync/backfill-plan';
import { BEAMERY_CONTACT_ID, MAX_PUSH_CONTACTS, beameryChangeMessage, pushContactIds } from '#core/sync/beamery-messages';
import { formatAuditTrail } from '#core/ai/audit-trail';
import { entityKey } from '#core/envelope';
import { readConfig, requireQueueUrl, requireTableName } from '#lambdas/config';
import { DynamoDbAudit } from '#adapters/store/audit';
import { awsBackfillDependencies, runBackfill } from '#adapters/backfill-runner';
import { SqsQueuePublisher, type QueuePublisher } from '#adapters/queue/sqs-publisher';
import { runDoctor } from '#adapters/doctor/run-doctor';
import { doctorExitCode, formatReport } from '#core/doctor/report';
import { readLocalStackEnvironment } from '#local/stack-file';
import { registerPauseCommands } from './commands/pause.ts';

/** One progress line on stderr: redrawn in place on a terminal, a line per update (throttled) otherwise. */
function progressLine(stream: NodeJS.WriteStream = process.stderr) {
  let lastPlain = 0;
  return {
    update(line: string, final = false) {
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${line}${final ? '\n' : ''}`);
      } else if (final || Date.now() - lastPlain > 5_000) {
        lastPlain = Date.now();
        stream.write(`${line}\n`);
      }
    },
  };
}

async function backfill(options: { jobsOnly?: boolean; candidatesOnly?: boolean; restart?: boolean }): Promise<void> {
  const phases = phasesFor(options);
  const config = readConfig();
  const line = progressLine();
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort(new Error('interrupted')));

  const result = await runBackfill(
    awsBackfillDependencies(config, { dynamodb: new DynamoDBClient({}), sqs: new SQSClient({}) }, (progress) => line.update(formatProgress(progress))),
    { phases, restart: options.restart ?? false, signal: abort.signal },
  ).catch((error: unknown) => {
    line.update('', true);
    throw error;
  });

  const { checkpoint, action, enqueued } = result;
  line.update(formatProgress({ phase: 'done', phaseDone: 0, totalDone: checkpoint.counts.jobs + checkpoint.counts.candidates, pages: checkpoint.counts.pages, skippedPrivate: checkpoint.counts.skippedPrivate, sessionDone: enqueued, sessionMs: 0 }), true);
  if (action === 'finished') {
    process.stderr.write(`run ${checkpoint.runId} (started ${checkpoint.startedAt}) already finished; use --restart for a new run\n`);
  }
  // A summary on stdout, for scripts.
  process.stdout.write(`${JSON.stringify({ action, runId: checkpoint.runId, startedAt: checkpoint.startedAt, counts: checkpoint.counts, enqueuedNow: enqueued })}\n`);
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

async function push(contactIds: string[], options: { file?: string }): Promise<void> {
  const fromFile = options.file === undefined ? [] : parseIdList(options.file === '-' ? await readStdin() : await readFile(options.file, 'utf8'));
  const config = readConfig();
  const queueUrl = requireQueueUrl(config, 'beamery-changes');
  const { queued, deliveryId } = await pushContacts([...contactIds, ...fromFile], {
    publisher: new SqsQueuePublisher(new SQSClient({}), (queue, deadLetter) => {
      if (queue !== 'beamery-changes' || deadLetter) throw new Error(`push does not send to ${queue}`);
      return queueUrl;
    }),
    now: () => new Date(),
    newDeliveryId: () => randomUUID(),
  });
  process.stderr.write(`queued ${queued} contact${queued === 1 ? '' : 's'} on beamery-changes for Greenhouse\n`);
  // A summary on stdout, for scripts.
  process.stdout.write(`${JSON.stringify({ queued, deliveryId })}\n`);
}

/** Invalid arguments: exit code 2 rather than 1, so a script tells a typo from a failure. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

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
    .hook('preAction', (_cli, command) => {
      // A command's --local, before it reads its configuration: the stack's environment replaces the caller's.
      if (command.opts<{ local?: boolean }>().local) Object.assign(process.env, readLocalStackEnvironment());
    });
  cli
    .command('backfill')
    .description('historic sync: enqueue every Greenhouse job, then every non-private candidate (resumable)')
    .addOption(new Option('--jobs-only', 'only jobs').conflicts('candidatesOnly'))
    .addOption(new Option('--candidates-only', 'only candidates').conflicts('jobsOnly'))
    .option('--restart', 'ignore the stored checkpoint and start a new run')
    .action(backfill);
  cli
    .command('push')
    .description('push Beamery contacts to Greenhouse: queue each on beamery-changes, as POST /beamery/push does')
    .argument('[contactIds...]', 'Beamery contact ids')
    .option('--file <path>', 'also read contact ids from a file, one per line (- for stdin)')
    .action(push);
  cli
    .command('audit')
    .description('print the audit trail of a Greenhouse application: AI inferences with score, evidence, model and prompt version, oldest first')
    .argument('<applicationId>', 'Greenhouse application id')
    .option('--json', 'print one JSON array of the entries (model output parsed) instead of text')
    .action(audit);
  cli
    .command('doctor')
    .description('check the configured Greenhouse and Beamery tenants as the bridge uses them; exit 1 on any failed check')
    .option('--write-test', 'also create, change, verify and anonymize a throwaway prospect and contact (for a sandbox)')
    .option('--json', 'print the report as one JSON object')
    .option('--local', 'run against the running local stack (npm start)')
    .action(doctor);
  registerPauseCommands(cli);
  return cli;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('bin/bridge.ts')) {
  program()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      process.stderr.write(`bridge: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = error instanceof UsageError ? error.exitCode : 1;
    });
}
