import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { BACKFILL_CHECKPOINT_NAME, type BackfillCheckpoint } from '#core/sync/backfill-plan';
import { BEAMERY_POLL_WATERMARK } from '#core/sync/beamery-poll';
import { POLLERS } from '#core/sync/poll-window';
import { requireQueueUrl, requireTableName, type BridgeConfig } from '#lambdas/config';
import { QUEUES } from '#lib/resource-definitions';
import type { QueueId } from '#core/queues';
import type { ApiSystem } from '#core/api-errors';
import { DynamoDbCheckpointStore } from '#adapters/backfill-checkpoint-store';
import { rateBudgetKey } from '#adapters/store/dynamodb-budget-store';
import { ledgerKeys } from '#adapters/store/ledger';
import { lastFailureKey } from '#adapters/store/message-failures';
import { readOldestAges, type OldestAges } from '#adapters/operator/queue-age';

/**
 * `bridge status`: one read of everything an operator asks first — what waits on each queue and its
 * dead-letter queue, how far behind each poller is, where each API's shared rate budget stands, each
 * consumer's last real failure, and the backfill's checkpoint. Read-only: SQS attributes and Ledger
 * items by key (no scan), so it is cheap to run on a live stack. The age of a queue's oldest message
 * is not among SQS's attributes: on AWS it is CloudWatch's ApproximateAgeOfOldestMessage (one
 * GetMetricData call, queue-age.ts); locally, and when CloudWatch will not answer, it is left out (with
 * the reason) rather than estimated by receiving messages a consumer is waiting for.
 */
export interface QueueStatus {
  readonly queue: QueueId;
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
  /** Seconds, from CloudWatch (a minute or more behind); absent locally or when CloudWatch has no datapoint. */
  readonly oldestAgeSeconds?: number;
  readonly deadLetters: number;
  readonly deadLetterOldestAgeSeconds?: number;
  readonly lastFailure?: { readonly reason: string; readonly at: string; readonly messageId: string };
}

export interface PollerStatus {
  readonly poller: string;
  readonly watermark?: string;
  /** Now minus the watermark, in seconds: how old a change can be that no poll has looked for yet. */
  readonly lagSeconds?: number;
}

export interface BudgetStatus {
  readonly api: ApiSystem;
  readonly used?: number;
  readonly limit?: number;
  readonly windowEndsAt?: string;
  /** Set while a 429 (or its Retry-After) holds every caller back. */
  readonly blockedUntil?: string;
}

export interface BridgeStatus {
  readonly at: string;
  readonly queues: readonly QueueStatus[];
  /** Messages on the poller schedules' DLQ (poll runs that gave up); absent when its URL is not configured (the local stack has none). */
  readonly pollerDeadLetters?: number;
  /** Why no queue has an oldest age: a local stack (no CloudWatch), or CloudWatch's error. */
  readonly oldestAgeUnavailable?: string;
  readonly pollers: readonly PollerStatus[];
  readonly rateBudgets: readonly BudgetStatus[];
  readonly backfill?: Pick<BackfillCheckpoint, 'runId' | 'startedAt' | 'updatedAt' | 'phase' | 'counts'>;
}

export interface StatusClients {
  readonly sqs: SQSClient;
  readonly dynamodb: DynamoDBClient;
  /** On AWS, for the oldest messages' ages; the default client when absent. Never called locally. */
  readonly cloudwatch?: CloudWatchClient;
  readonly now?: () => Date;
}

const POLLER_WATERMARKS = [...Object.values(POLLERS).map((p) => p.watermarkKey), BEAMERY_POLL_WATERMARK];
const BUDGET_APIS: readonly ApiSystem[] = ['greenhouse', 'beamery', 'bedrock'];

export async function readStatus(config: BridgeConfig, clients: StatusClients): Promise<BridgeStatus> {
  const now = (clients.now ?? (() => new Date()))();
  const table = requireTableName(config, 'ledger');
  const documents = DynamoDBDocumentClient.from(clients.dynamodb);
  const item = async (key: { pk: string; sk: string }) =>
    (await documents.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item as Record<string, unknown> | undefined;

  const urls = QUEUES.map(({ id }) => ({ id, url: requireQueueUrl(config, id), deadLetterUrl: requireQueueUrl(config, id, true) }));
  const ages: Promise<OldestAges> =
    config.runtime === 'local'
      ? Promise.resolve({ ok: false, reason: 'n/a locally (the local stack has no CloudWatch)' })
      : readOldestAges(clients.cloudwatch ?? new CloudWatchClient({}), urls.flatMap((q) => [q.url, q.deadLetterUrl]), now);
  const queues = Promise.all(
    urls.map(async ({ id, url, deadLetterUrl }): Promise<QueueStatus> => {
      const [main, dead, failure, age] = await Promise.all([queueCounts(clients.sqs, url), queueCounts(clients.sqs, deadLetterUrl), item(lastFailureKey(id)), ages]);
      const ageOf = (queueUrl: string) => (age.ok ? age.ages.get(queueUrl) : undefined);
      const oldest = ageOf(url);
      const deadOldest = ageOf(deadLetterUrl);
      return {
        queue: id,
        visible: main.visible,
        inFlight: main.inFlight,
        ...(oldest !== undefined ? { oldestAgeSeconds: oldest } : {}),
        delayed: main.delayed,
        deadLetters: messagesOn(dead),
        ...(deadOldest !== undefined ? { deadLetterOldestAgeSeconds: deadOldest } : {}),
        ...(failure ? { lastFailure: { reason: String(failure['reason']), at: String(failure['at']), messageId: String(failure['messageId']) } } : {}),
      };
    }),
  );
  const pollerDeadLetters = config.pollerDeadLetterQueueUrl
    ? queueCounts(clients.sqs, config.pollerDeadLetterQueueUrl).then(messagesOn)
    : Promise.resolve(undefined);
  const pollers = Promise.all(
    POLLER_WATERMARKS.map(async (poller): Promise<PollerStatus> => {
      const watermark = (await item(ledgerKeys.watermark(poller)))?.['watermark'];
      if (typeof watermark !== 'string') return { poller };
      return { poller, watermark, lagSeconds: Math.max(0, Math.round((now.getTime() - Date.parse(watermark)) / 1000)) };
    }),
  );
  const rateBudgets = Promise.all(
    BUDGET_APIS.map(async (api): Promise<BudgetStatus> => {
      const budget = await item(rateBudgetKey(api, config.tenant));
      if (!budget) return { api };
      const blockedUntil = Number(budget['blockedUntil'] ?? 0);
      return {
        api,
        used: Number(budget['used']),
        limit: Number(budget['limitPerWindow']),
        windowEndsAt: new Date(Number(budget['windowEndsAt'])).toISOString(),
        ...(blockedUntil > now.getTime() ? { blockedUntil: new Date(blockedUntil).toISOString() } : {}),
      };
    }),
  );
  const checkpoint = new DynamoDbCheckpointStore(clients.dynamodb, table, BACKFILL_CHECKPOINT_NAME).load();

  const backfill = await checkpoint;
  const age = await ages;
  const pollerDeadLetterCount = await pollerDeadLetters;
  return {
    at: now.toISOString(),
    queues: await queues,
    ...(pollerDeadLetterCount !== undefined ? { pollerDeadLetters: pollerDeadLetterCount } : {}),
    ...(age.ok ? {} : { oldestAgeUnavailable: age.reason }),
    pollers: await pollers,
    rateBudgets: await rateBudgets,
    ...(backfill
      ? { backfill: { runId: backfill.runId, startedAt: backfill.startedAt, updatedAt: backfill.updatedAt, phase: backfill.phase, counts: backfill.counts } }
      : {}),
  };
}

/** Every message a queue holds, whatever its state. */
const messagesOn = (counts: { visible: number; inFlight: number; delayed: number }) => counts.visible + counts.inFlight + counts.delayed;

async function queueCounts(sqs: SQSClient, queueUrl: string): Promise<{ visible: number; inFlight: number; delayed: number }> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}

/** The text form: a block per concern, aligned for a terminal. */
export function formatStatus(status: BridgeStatus): string {
  const lines = [`status at ${status.at}`, '', 'queues                 waiting  in flight   oldest  delayed  dead letters  dlq oldest  last failure'];
  const age = (seconds: number | undefined) => (seconds === undefined ? '-' : formatSeconds(seconds));
  for (const q of status.queues) {
    const failure = q.lastFailure ? `${q.lastFailure.at} ${q.lastFailure.reason}` : '-';
    lines.push(
      `  ${q.queue.padEnd(20)} ${String(q.visible).padStart(7)}  ${String(q.inFlight).padStart(9)}  ${age(q.oldestAgeSeconds).padStart(7)}  ${String(q.delayed).padStart(7)}  ${String(q.deadLetters).padStart(12)}  ${age(q.deadLetterOldestAgeSeconds).padStart(10)}  ${failure}`,
    );
  }
  if (status.oldestAgeUnavailable) lines.push(`  oldest: ${status.oldestAgeUnavailable}`);
  if (status.pollerDeadLetters !== undefined) lines.push(`  ${'pollers DLQ'.padEnd(20)} ${status.pollerDeadLetters} dead letters (failed poll runs)`);
  lines.push('', 'pollers                watermark                  lag');
  for (const p of status.pollers) {
    lines.push(`  ${p.poller.padEnd(20)} ${(p.watermark ?? 'never ran').padEnd(26)} ${p.lagSeconds === undefined ? '-' : formatSeconds(p.lagSeconds)}`);
  }
  lines.push('', 'rate budgets');
  for (const b of status.rateBudgets) {
    if (b.used === undefined) {
      lines.push(`  ${b.api.padEnd(20)} unused`);
      continue;
    }
    lines.push(`  ${b.api.padEnd(20)} ${b.used}/${b.limit} in the window ending ${b.windowEndsAt}${b.blockedUntil ? `; blocked until ${b.blockedUntil}` : ''}`);
  }
  const backfill = status.backfill;
  lines.push(
    '',
    backfill
      ? `backfill ${backfill.runId} (started ${backfill.startedAt}, ${backfill.phase === 'done' ? 'finished' : `at ${backfill.phase}`}, updated ${backfill.updatedAt}): ${backfill.counts.jobs} jobs, ${backfill.counts.candidates} candidates, ${backfill.counts.pages} pages`
      : 'backfill: never run',
  );
  return lines.join('\n');
}

function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7_200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3_600).toFixed(1)} h`;
}
