/**
 * The one definition of the bridge's queues and tables.
 *
 * Both the CDK stack (lib/constructs) and the local stack (local/) build their resources from these
 * plain objects, so keys, indexes, TTL attributes and redrive policies cannot drift apart. This module
 * imports nothing from aws-cdk-lib on purpose: the local stack must not need the CDK to start.
 */

import type { QueueId } from '#core/queues';

export interface QueueDefinition {
  readonly id: QueueId;
  /** What flows through it, for docs and the dashboard. */
  readonly purpose: string;
  /** Environment variable that carries the queue URL into a Lambda (and the local stack). */
  readonly urlEnv: string;
  readonly dlqUrlEnv: string;
  /**
   * At least six times the consumer's timeout (AWS's rule of thumb for SQS event sources), so a
   * message is not handed to a second worker while the first is still on it.
   */
  readonly visibilityTimeoutSeconds: number;
  /**
   * SQS's longest: a message waiting out a long outage or rate limit is never expired. A consumer moves
   * one still waiting a day before this to the DLQ (lambdas/core/queue/redelivery.ts), so none is lost.
   */
  readonly retentionDays: number;
}

/**
 * Receives before SQS itself moves a message to its dead-letter queue; the stack config can override
 * it. Only a backstop for a consumer that dies on a message before it can say so (a crash, a timeout):
 * every transient hand-back is a receive too, so the consumers count real failures themselves
 * (`maxFailures`) and keep transient receives far below this (lambdas/core/queue/redelivery.ts).
 */
export const DEFAULT_MAX_RECEIVE_COUNT = 500;
/** The longest SQS allows: a dead letter waits two weeks for an operator. */
export const DLQ_RETENTION_DAYS = 14;

export const QUEUES: readonly QueueDefinition[] = [
  {
    id: 'greenhouse-changes',
    purpose: 'Greenhouse entities that may have changed (webhooks, polls, backfills)',
    urlEnv: 'GREENHOUSE_CHANGES_QUEUE_URL',
    dlqUrlEnv: 'GREENHOUSE_CHANGES_DLQ_URL',
    visibilityTimeoutSeconds: 360,
    retentionDays: 14,
  },
  {
    id: 'beamery-changes',
    purpose: 'Beamery contacts found by the poller and push requests',
    urlEnv: 'BEAMERY_CHANGES_QUEUE_URL',
    dlqUrlEnv: 'BEAMERY_CHANGES_DLQ_URL',
    visibilityTimeoutSeconds: 360,
    retentionDays: 14,
  },
  {
    id: 'ai-tasks',
    purpose: 'AI workflows triggered by Greenhouse events (screening, feedback synthesis, drafts)',
    urlEnv: 'AI_TASKS_QUEUE_URL',
    dlqUrlEnv: 'AI_TASKS_DLQ_URL',
    // Model calls are slow; the AI consumer gets a longer timeout than the sync consumers.
    visibilityTimeoutSeconds: 900,
    retentionDays: 14,
  },
];

export function queueName(queue: QueueDefinition, prefix = ''): string {
  return `${prefix}${queue.id}.fifo`;
}

export function deadLetterQueueName(queue: QueueDefinition, prefix = ''): string {
  return `${prefix}${queue.id}-dlq.fifo`;
}

export function queueDefinition(id: QueueId): QueueDefinition {
  const found = QUEUES.find((q) => q.id === id);
  if (!found) throw new Error(`no queue definition for ${id}`);
  return found;
}

export type TableId = 'ledger' | 'id-map' | 'audit' | 'idempotency';

export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
}

export interface TableDefinition {
  readonly id: TableId;
  readonly purpose: string;
  /** Environment variable that carries the table name into a Lambda (and the local stack). */
  readonly nameEnv: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly timeToLiveAttribute?: string;
  readonly globalSecondaryIndexes: readonly IndexDefinition[];
}

export const TABLES: readonly TableDefinition[] = [
  {
    id: 'ledger',
    purpose: 'Sync state per entity (snapshot hashes, versions, reconciledAt), poller watermarks, hashed identifiers of anonymized people',
    nameEnv: 'LEDGER_TABLE',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    // Only items that opt in carry the attribute (coalescing markers); watermarks and snapshots never expire.
    timeToLiveAttribute: 'expiresAt',
    globalSecondaryIndexes: [],
  },
  {
    id: 'id-map',
    purpose: 'Greenhouse ⇄ Beamery id links (candidates ⇄ contacts, jobs ⇄ vacancies, users, sources, departments)',
    nameEnv: 'ID_MAP_TABLE',
    partitionKey: { name: 'greenhouseKey', type: 'S' },
    globalSecondaryIndexes: [
      { indexName: 'byBeameryKey', partitionKey: { name: 'beameryKey', type: 'S' } },
    ],
  },
  {
    id: 'audit',
    purpose: 'One item per AI inference and per sync conflict or operator task; expires after the retention the operator sets',
    nameEnv: 'AUDIT_TABLE',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    timeToLiveAttribute: 'expiresAt',
    globalSecondaryIndexes: [],
  },
  {
    id: 'idempotency',
    // The layout Powertools' DynamoDBPersistenceLayer expects by default.
    purpose: 'Powertools idempotency records',
    nameEnv: 'IDEMPOTENCY_TABLE',
    partitionKey: { name: 'id', type: 'S' },
    timeToLiveAttribute: 'expiration',
    globalSecondaryIndexes: [],
  },
];

export function tableDefinition(id: TableId): TableDefinition {
  const found = TABLES.find((t) => t.id === id);
  if (!found) throw new Error(`no table definition for ${id}`);
  return found;
}
