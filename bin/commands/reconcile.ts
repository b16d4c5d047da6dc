import { randomUUID } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import { Argument, type Command } from 'commander';
import { requireQueueUrl, readConfig } from '#lambdas/config';
import { RECONCILE_KINDS, reconcile, type ReconcileKind } from '#adapters/operator/reconcile';
import { SqsQueuePublisher } from '#adapters/queue/sqs-publisher';
import { UsageError, requireCliSettings } from '../cli-settings.ts';

/** `bridge reconcile candidate|job|contact <id…>`: queue those entities now (lambdas/adapters/operator/reconcile.ts). */
export function registerReconcileCommand(cli: Command): void {
  cli
    .command('reconcile')
    .summary('queue candidates, jobs or contacts for a sync now')
    .description('queue Greenhouse candidates or jobs, or Beamery contacts, for the consumers now, as a poll would')
    .addArgument(new Argument('<kind>', 'what the ids name').choices(RECONCILE_KINDS))
    .argument('<ids...>', 'Greenhouse candidate or job ids, or Beamery contact ids')
    .option('--json', 'print the result as one JSON object')
    .action(async (kind: ReconcileKind, ids: string[], options: { json?: boolean }) => {
      const config = readConfig();
      requireCliSettings(config, [{ queue: kind === 'contact' ? 'beamery-changes' : 'greenhouse-changes' }]);
      const sqs = new SQSClient({});
      const publisher = new SqsQueuePublisher(sqs, (queue, deadLetter) => requireQueueUrl(config, queue, deadLetter));
      const result = await reconcile(kind, ids, { publisher, runId: randomUUID(), now: () => new Date() }).catch((error: unknown) => {
        // The builders refuse what cannot be an id before anything is sent.
        throw error instanceof RangeError ? new UsageError(`nothing queued: ${error.message}`) : error;
      });
      process.stdout.write(`${options.json ? JSON.stringify(result) : `queued ${result.queued} ${kind}${result.queued === 1 ? '' : 's'} (${result.deliveryId})`}\n`);
    });
}
