#!/usr/bin/env node
/**
 * The operator CLI (DESIGN: bin/bridge.ts). Reads the same environment the Lambdas read
 * (lambdas/config.ts): queue URLs, the Ledger table, Greenhouse credentials (Secrets Manager ARNs on
 * AWS; plain values with BRIDGE_RUNTIME=local, as the local stack sets them).
 *
 *   npx tsx bin/bridge.ts backfill [--jobs-only | --candidates-only] [--restart]
 *
 * Only `backfill` so far; dlq, status, push, demo and local are still to come.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { Command, Option } from 'commander';
import { systemClock } from '#core/clock';
import { BACKFILL_CHECKPOINT_NAME, formatProgress, phasesFor } from '#core/sync/backfill-plan';
import { readConfig, requireQueueUrl, requireTableName } from '#lambdas/config';
import { greenhouseClientFrom } from '#adapters/api-clients';
import { DynamoDbCheckpointStore } from '#adapters/backfill-checkpoint-store';
import { runBackfill } from '#adapters/backfill-runner';
import { SqsQueuePublisher } from '#adapters/queue/sqs-publisher';

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
  const dynamodb = new DynamoDBClient({});
  const queueUrl = requireQueueUrl(config, 'greenhouse-changes');
  const greenhouse = greenhouseClientFrom(config, { dynamodb });
  const line = progressLine();
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort(new Error('interrupted')));

  const result = await runBackfill(
    {
      greenhouse,
      publisher: new SqsQueuePublisher(new SQSClient({}), (queue, deadLetter) => {
        if (queue !== 'greenhouse-changes' || deadLetter) throw new Error(`the backfill does not send to ${queue}`);
        return queueUrl;
      }),
      store: new DynamoDbCheckpointStore(dynamodb, requireTableName(config, 'ledger'), BACKFILL_CHECKPOINT_NAME),
      clock: systemClock,
      onProgress: (progress) => line.update(formatProgress(progress)),
    },
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

export function program(): Command {
  const cli = new Command('bridge').description('greenhouse-beamery-bridge operator CLI');
  cli
    .command('backfill')
    .description('historic sync: enqueue every Greenhouse job, then every non-private candidate (resumable)')
    .addOption(new Option('--jobs-only', 'only jobs').conflicts('candidatesOnly'))
    .addOption(new Option('--candidates-only', 'only candidates').conflicts('jobsOnly'))
    .option('--restart', 'ignore the stored checkpoint and start a new run')
    .action(backfill);
  return cli;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('bin/bridge.ts')) {
  program()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      process.stderr.write(`bridge: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
}
