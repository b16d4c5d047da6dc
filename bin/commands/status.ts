import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Command } from 'commander';
import { readConfig } from '#lambdas/config';
import { QUEUES } from '#lib/resource-definitions';
import { formatStatus, readStatus } from '#adapters/operator/status';
import { requireCliSettings } from '../cli-settings.ts';

/** `bridge status`: queues (depth, in flight, oldest age), dead letters, pollers, rate budgets, last failures, backfill (lambdas/adapters/operator/status.ts). */
export function registerStatusCommand(cli: Command): void {
  cli
    .command('status')
    .summary('queues, dead letters, poller lag, rate budgets, last failures')
    .description(
      'show queue depths, messages in flight and the oldest message\'s age (CloudWatch; not locally), dead letters, poller watermarks and lag, rate budgets, each consumer\'s last failure and the backfill checkpoint',
    )
    .option('--json', 'print the status as one JSON object')
    .action(async (options: { json?: boolean }) => {
      const config = readConfig();
      requireCliSettings(config, [...QUEUES.flatMap((q) => [{ queue: q.id }, { queue: q.id, deadLetter: true }]), { table: 'ledger' }]);
      const status = await readStatus(config, { sqs: new SQSClient({}), dynamodb: new DynamoDBClient({}) });
      process.stdout.write(`${options.json ? JSON.stringify(status, null, 2) : formatStatus(status)}\n`);
    });
}
