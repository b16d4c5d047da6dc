import { SQSClient } from '@aws-sdk/client-sqs';
import { Option, type Command } from 'commander';
import { ENV, readConfig, type BridgeConfig } from '#lambdas/config';
import { QUEUES } from '#lib/resource-definitions';
import type { QueueId } from '#core/queues';
import { UsageError, requireCliSettings } from '../cli-settings.ts';
import {
  DEAD_LETTER_QUEUES,
  POLLERS_DLQ,
  deleteDeadLetters,
  formatDeadLetterList,
  formatDeadLetters,
  listDeadLetters,
  redrive,
  type DeadLetterQueueId,
} from '#adapters/operator/dlq';

/**
 * `bridge dlq list|show|redrive|delete [--queue q] [--ids …]` (lambdas/adapters/operator/dlq.ts).
 * Bodies are printed only by `show --body`: quarantined deliveries and event payloads hold people's data.
 */
interface DlqOptions {
  readonly queue?: DeadLetterQueueId;
  readonly ids?: readonly string[];
  readonly body?: boolean;
  readonly json?: boolean;
}

const LOCAL_HAS_NO_POLLER_DLQ =
  'the local stack has no poller dead-letter queue: a failed local poll run is reported on the stderr of `npm start` (local/schedules.ts), and the next tick lists the same time again';

/**
 * The chosen queues, once their settings are checked (a redrive needs the queue as well as its DLQ).
 * Without `--queue`, the pollers' DLQ is read when its URL is configured: the local stack has none,
 * and a stack deployed before its output existed has not published it (a note on stderr says so).
 */
function configured(options: DlqOptions, redriving = false): { config: BridgeConfig; queues: DeadLetterQueueId[] } {
  const config = readConfig();
  if (options.queue === POLLERS_DLQ) {
    if (config.runtime === 'local' && !config.pollerDeadLetterQueueUrl) throw new UsageError(LOCAL_HAS_NO_POLLER_DLQ);
    requireCliSettings(config, ['poller-dlq']);
    return { config, queues: [POLLERS_DLQ] };
  }
  const queues: QueueId[] = options.queue ? [options.queue] : QUEUES.map((q) => q.id);
  requireCliSettings(config, queues.flatMap((queue) => [{ queue, deadLetter: true }, ...(redriving ? [{ queue }] : [])]));
  if (options.queue || redriving) return { config, queues };
  if (config.pollerDeadLetterQueueUrl) return { config, queues: [...queues, POLLERS_DLQ] };
  if (config.runtime === 'aws') process.stderr.write(`note: the pollers' DLQ is not read: ${ENV.pollerDlqUrl} is not set (stack output PollerDlqUrl; redeploy a stack that lacks it)\n`);
  return { config, queues };
}
/** `--ids a b` and `--ids a,b` both work. */
const idsOf = (options: DlqOptions): string[] | undefined => options.ids?.flatMap((id) => id.split(',')).map((id) => id.trim()).filter((id) => id !== '');

export function registerDlqCommands(cli: Command): void {
  const dlq = cli.command('dlq').description('inspect the dead-letter queues, send their messages back or delete them');
  const queueOption = () => new Option('--queue <queue>', `only this queue's DLQ (${POLLERS_DLQ}: the poller schedules' DLQ)`).choices(DEAD_LETTER_QUEUES);
  const common = (command: Command) =>
    command
      .addOption(queueOption())
      .option('--ids <messageIds...>', 'only these dead letters (message ids, as `dlq list` prints them)')
      .option('--json', 'print JSON');

  common(dlq.command('list').description('one line per dead letter: queue, message id, when, entity (or poll run), failures and reason (never the body)')).action(async (options: DlqOptions) => {
    const ids = idsOf(options);
    const { config, queues } = configured(options);
    const letters = await listDeadLetters(config, new SQSClient({}), queues, { body: false, ...(ids ? { ids } : {}) });
    process.stdout.write(`${options.json ? JSON.stringify(letters, null, 2) : formatDeadLetterList(letters)}\n`);
  });
  common(dlq.command('show').description('every field of the dead letters: decoded envelope (or poll run) and failure attributes; the body only with --body'))
    .option('--body', 'also print the message body (it may hold personal data)')
    .action(async (options: DlqOptions) => {
      const ids = idsOf(options);
      const { config, queues } = configured(options);
      const letters = await listDeadLetters(config, new SQSClient({}), queues, { body: options.body ?? false, ...(ids ? { ids } : {}) });
      process.stdout.write(`${options.json ? JSON.stringify(letters, null, 2) : formatDeadLetters(letters)}\n`);
      if (ids && letters.length < ids.length) process.exitCode = 1;
    });
  common(dlq.command('redrive').description('send dead letters back to their queue (an SQS move task on AWS; receive and resend locally or with --ids)')).action(async (options: DlqOptions) => {
    if (options.queue === POLLERS_DLQ) {
      throw new UsageError(
        'a poll run is not redriven: its watermark did not move, so the next tick lists the same time again. Read why it failed (`bridge dlq show --queue pollers`), fix that, then `bridge dlq delete --queue pollers --ids <id…>`',
      );
    }
    const ids = idsOf(options);
    const { config, queues } = configured(options, true);
    const results = await redrive(config, new SQSClient({}), queues as QueueId[], ids ? { ids } : {});
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
  dlq
    .command('delete')
    .description('delete the chosen dead letters of one DLQ (never all): a case closed, or one the runbook says to drop')
    .addOption(queueOption().makeOptionMandatory())
    .requiredOption('--ids <messageIds...>', 'the dead letters to delete (message ids, as `dlq list` prints them)')
    .option('--json', 'print JSON')
    .action(async (options: DlqOptions & { queue: DeadLetterQueueId }) => {
      const ids = idsOf(options) ?? [];
      if (ids.length === 0) throw new UsageError('--ids names no message: give the ids `bridge dlq list` prints');
      const { config } = configured(options);
      const result = await deleteDeadLetters(config, new SQSClient({}), options.queue, ids);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      } else {
        process.stdout.write(`${result.queue}: ${result.deleted.length} deleted\n${result.deleted.length > 0 ? `${formatDeadLetterList(result.deleted)}\n` : ''}`);
      }
      if (result.notFound.length > 0) {
        process.stderr.write(`not found on the ${result.queue} DLQ: ${result.notFound.join(', ')}\n`);
        process.exitCode = 1;
      }
    });
}
