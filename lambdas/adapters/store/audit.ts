import { randomBytes } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, AuditKind, AuditStore } from '#core/sync/ports';
import { normaliseInstant } from '#adapters/store/ledger';

export const DEFAULT_AUDIT_RETENTION_DAYS = 365;
const DAY_SECONDS = 86_400;

/**
 * Sort key of an audit item: the normalised time first, so a query in descending key order lists
 * newest first, then a random suffix, so two entries of one entity in the same millisecond (a conflict
 * and the operator task it raised) do not overwrite each other.
 */
export function auditSortKey(at: string, suffix = randomBytes(6).toString('hex')): string {
  return `${normaliseInstant(at)}#${suffix}`;
}

/** DynamoDB TTL wants epoch seconds; retention counts from the event, not from when it was written. */
export function auditExpiresAt(at: string, retentionDays: number): number {
  return Math.floor(Date.parse(normaliseInstant(at)) / 1000) + retentionDays * DAY_SECONDS;
}

export function assertRetentionDays(retentionDays: number): void {
  if (!Number.isFinite(retentionDays) || retentionDays <= 0) throw new RangeError(`invalid audit retention: ${retentionDays} days`);
}

export interface DynamoDbAuditOptions {
  /** How long DynamoDB keeps an entry (TTL `expiresAt`), the operator's retention; 365 days by default. */
  readonly retentionDays?: number;
}

interface StoredAuditEntry {
  pk: string;
  sk: string;
  kind: AuditKind;
  summary: string;
  detail?: Record<string, string | number | boolean | null>;
  at: string;
  expiresAt: number;
}

/**
 * Sync conflicts, skipped syncs and operator tasks on the Audit table, one item per entry under its
 * entity key. Entries expire through TTL after the operator's retention (DynamoDB deletes expired
 * items within days, not at the second: `list` may still return one shortly past its expiry).
 * The port promises ids only; this adapter stores what it is given and cannot check that.
 */
export class DynamoDbAudit implements AuditStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly retentionDays: number;

  constructor(
    dynamodb: DynamoDBClient,
    private readonly tableName: string,
    options: DynamoDbAuditOptions = {},
  ) {
    this.documents = DynamoDBDocumentClient.from(dynamodb);
    this.retentionDays = options.retentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS;
    assertRetentionDays(this.retentionDays);
  }

  async record(entry: AuditEntry): Promise<void> {
    const item: StoredAuditEntry = {
      pk: entry.entityKey,
      sk: auditSortKey(entry.at),
      kind: entry.kind,
      summary: entry.summary,
      ...(entry.detail === undefined ? {} : { detail: { ...entry.detail } }),
      at: entry.at,
      expiresAt: auditExpiresAt(entry.at, this.retentionDays),
    };
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  async list(entityKey: string): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    const pages = paginateQuery(
      { client: this.documents },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': entityKey },
        ScanIndexForward: false,
        // An operator looking at an entity's history has just seen something go wrong: read your writes.
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of (page.Items ?? []) as StoredAuditEntry[]) {
        entries.push({
          kind: item.kind,
          entityKey: item.pk,
          summary: item.summary,
          ...(item.detail === undefined ? {} : { detail: item.detail }),
          at: item.at,
        });
      }
    }
    return entries;
  }
}
