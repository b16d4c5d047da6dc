import { SQSClient } from '@aws-sdk/client-sqs';
import { Option, type Command } from 'commander';
import { readConfig, type BridgeConfig } from '#lambdas/config';
import { QUEUES, type QueueId } from '#lib/resource-definitions';
import { requireCliSettings } from '../cli-settings.ts';
import { formatDeadLetterList, formatDeadLetters, listDeadLetters, redrive } from '#adapters/operator/dlq';

/**
 * `bridge dlq list|show|redrive [--queue q] [--ids …]` (lambdas/adapters/operator/dlq.ts). Bodies are
 * printed only by `show --body`: quarantined deliveries and event payloads hold people's data.
 */
interface DlqOptions {
  readonly queue?: QueueId;
  readonly ids?: readonly string[];
  readonly body?: boolean;
  readonly json?: boolean;
}

/** The chosen queues, once their settings are checked (a redrive needs the queue as well as its DLQ). */
function configured(options: DlqOptions, redriving = false): { config: BridgeConfig; queues: QueueId[] } {
  const config = readConfig();
  const queues = options.queue ? [options.queue] : QUEUES.map((q) => q.id);
  requireCliSettings(config, queues.flatMap((queue) => [{ queue, deadLetter: true }, ...(redriving ? [{ queue }] : [])]));
  return { config, queues };
}
/** `--ids a b` and `--ids a,b` both work. */
const idsOf = (options: DlqOptions): string[] | undefined => options.ids?.flatMap((id) => id.split(',')).map((id) => id.trim()).filter((id) => id !== '');

export function registerDlqCommands(cli: Command): void {
  const dlq = cli.command('dlq').description('inspect the dead-letter queues and send their messages back');
  const common = (command: Command) =>
    command
      .addOption(new Option('--queue <queue>', 'only this queue\'s DLQ').choices(QUEUES.map((q) => q.id)))
      .option('--ids <messageIds...>', 'only these dead letters (message ids, as `dlq list` prints them)')
      .option('--json', 'print JSON')
;

  common(dlq.command('list').description('one line per dead letter: queue, message id, when, entity, failures and reason (never the body)')).action(async (options: DlqOptions) => {
    const ids = idsOf(options);
    const { config, queues } = configured(options);
    const letters = await listDeadLetters(config, new SQSClient({}), queues, { body: false, ...(ids ? { ids } : {}) });
    process.stdout.write(`${options.json ? JSON.stringify(letters, null, 2) : formatDeadLetterList(letters)}\n`);
  });
  common(dlq.command('show').description('every field of the dead letters: decoded envelope and failure attributes; the body only with --body'))
    .option('--body', 'also print the message body (it may hold personal data)')
    .action(async (options: DlqOptions) => {
      const ids = idsOf(options);
      const { config, queues } = configured(options);
      const letters = await listDeadLetters(config, new SQSClient({}), queues, { body: options.body ?? false, ...(ids ? { ids } : {}) });
      process.stdout.write(`${options.json ? JSON.stringify(letters, null, 2) : formatDeadLetters(letters)}\n`);
      if (ids && letters.length < ids.length) process.exitCode = 1;
    });
  common(dlq.command('redrive').description('send dead letters back to their queue (an SQS move task on AWS; receive and resend locally or with --ids)')).action(async (options: DlqOptions) => {
    const ids = idsOf(options);
    const { config, queues } = configured(options, true);
    const results = await redrive(config, new SQSClient({}), queues, ids ? { ids } : {});
    if (options.json) {
      process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    } else {
      for (const r of results) {
        process.stdout.write(r.method === 'move-task' ? `${r.queue}: move task started (${r.taskHandle})\n` : `${r.queue}: ${r.moved.length} sent back\n`);
      }
    }
    const moved = results.flatMap((r) => (r.method === 'resend' ? r.moved : []));
    if (ids && moved.length < ids.length) {
      process.stderr.write(`not found on the chosen DLQs: ${ids.filter((id) => !moved.includes(id)).join(', ')}\n`);
      process.exitCode = 1;
    }
  });
}
