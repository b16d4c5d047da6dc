import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '#adapters/system-clock';
import { isoNow, type Clock } from '#core/clock';
import type { LedgerStore, SyncState } from '#core/sync/ports';

/**
 * Where each kind of ledger record lives in the Ledger table (pk/sk). The sort keys differ per kind,
 * so no record can overwrite another even if two partition keys happened to be equal; entity keys
 * start with `greenhouse#`/`beamery#`, the others with their own prefix (as `ratelimit#` does in
 * dynamodb-budget-store.ts).
 */
export const ledgerKeys = {
  syncState: (entityKey: string) => ({ pk: entityKey, sk: 'sync' }),
  copyMark: (entityKey: string, kind: CopyKind, itemId: string) => ({ pk: entityKey, sk: `copied#${kind}#${itemId}` }),
  ownWrite: (entityKey: string) => ({ pk: entityKey, sk: 'own-write' }),
  creationStarted: (entityKey: string) => ({ pk: entityKey, sk: 'creation-started' }),
  watermark: (poller: string) => ({ pk: `watermark#${poller}`, sk: 'watermark' }),
  anonymized: (identityHash: string) => ({ pk: `anonymized#${identityHash}`, sk: 'identity' }),
} as const;

export type CopyKind = 'note' | 'attachment';

/**
 * Watermarks and anonymization times are compared as strings (in DynamoDB conditions and in memory).
 * ISO-8601 strings only sort like the instants they name when they share one zone and one precision,
 * so every instant is stored as `Date#toISOString()`: UTC, `Z`, milliseconds. Finer input precision is
 * truncated, which moves a watermark back by under a millisecond: a poller re-reads a little, never
 * skips. Anything else is a caller's bug and throws: the shape is checked first because `Date.parse`
 * also accepts legacy forms (V8 reads `page-3` as a date) and reads a time without a zone as local.
 */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function normaliseInstant(value: string): string {
  const ms = ISO_INSTANT.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO-8601 instant with a zone: ${JSON.stringify(value)}`);
  return new Date(ms).toISOString();
}

/** Revisions come from getSyncState (or are 0 for a first write); anything else is a caller's bug. */
export function assertRevision(revision: number): void {
  if (!Number.isSafeInteger(revision) || revision < 0) throw new RangeError(`invalid sync-state revision: ${revision}`);
}

/**
 * Blocked while an anonymization is recorded and no consent came strictly after it: a consent given in
 * the same millisecond as the anonymization is not evidence that the person agreed to be re-added.
 */
export function isBlocked(anonymizedAt: string | undefined, consentAt: string | undefined): boolean {
  if (anonymizedAt === undefined) return false;
  return consentAt === undefined || consentAt <= anonymizedAt;
}

interface StoredSyncState {
  pk: string;
  sk: string;
  fieldHashes: Record<string, string>;
  reconciledAt: string;
  sourceVersion?: string;
  revision: number;
}

interface StoredAnonymized {
  anonymizedAt?: string;
  consentAt?: string;
}

export interface DynamoDbLedgerOptions {
  /** Stamps copy marks with `markedAt`, for an operator tracing a copy; the system clock by default. */
  readonly clock?: Clock;
}

/**
 * How long a creation record is kept if nothing clears it (a crash after the link was stored, before
 * the clear): longer than a message can live, on its queue (14 days) and then its dead-letter queue
 * (14 days), so every retry of the creation still finds it.
 */
const CREATION_RECORD_TTL_SECONDS = 30 * 24 * 3600;

/**
 * The ledger on the Ledger table. Every write that guards an invariant (one writer per revision, one
 * copy per child item, forward-only watermarks and anonymization times) is a single conditional write,
 * so concurrent Lambdas cannot both win; reads are strongly consistent because each of them decides a
 * write. Only what the port passes is stored: keys, ids, hashes, versions and times, never PII. None of
 * these items carries `expiresAt` but the creation records: they must outlive any retention window.
 */
export class DynamoDbLedger implements LedgerStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly clock: Clock;

  constructor(
    dynamodb: DynamoDBClient,
    private readonly tableName: string,
    options: DynamoDbLedgerOptions = {},
  ) {
    this.documents = DynamoDBDocumentClient.from(dynamodb);
    this.clock = options.clock ?? systemClock;
  }

  async getSyncState(entityKey: string): Promise<SyncState | undefined> {
    const item = await this.get<StoredSyncState>(ledgerKeys.syncState(entityKey));
    if (!item) return undefined;
    return {
      entityKey,
      fieldHashes: { ...item.fieldHashes },
      reconciledAt: item.reconciledAt,
      ...(item.sourceVersion === undefined ? {} : { sourceVersion: item.sourceVersion }),
      revision: item.revision,
    };
  }

  async putSyncState(state: SyncState): Promise<boolean> {
    assertRevision(state.revision);
    const item: StoredSyncState = {
      ...ledgerKeys.syncState(state.entityKey),
      fieldHashes: { ...state.fieldHashes },
      reconciledAt: state.reconciledAt,
      ...(state.sourceVersion === undefined ? {} : { sourceVersion: state.sourceVersion }),
      revision: state.revision + 1,
    };
    // Revision 0 means "nothing stored yet": a missing item, not an item whose revision is 0.
    const condition =
      state.revision === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: '#revision = :expected', ExpressionAttributeNames: { '#revision': 'revision' }, ExpressionAttributeValues: { ':expected': state.revision } };
    return this.conditionally(new PutCommand({ TableName: this.tableName, Item: item, ...condition }));
  }

  markCopied(entityKey: string, kind: CopyKind, itemId: string): Promise<boolean> {
    return this.conditionally(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...ledgerKeys.copyMark(entityKey, kind, itemId), markedAt: isoNow(this.clock) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async isCopied(entityKey: string, kind: CopyKind, itemId: string): Promise<boolean> {
    return (await this.get(ledgerKeys.copyMark(entityKey, kind, itemId))) !== undefined;
  }

  async unmarkCopied(entityKey: string, kind: CopyKind, itemId: string): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: ledgerKeys.copyMark(entityKey, kind, itemId) }));
  }

  async recordOwnWrite(entityKey: string, version: string): Promise<void> {
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: { ...ledgerKeys.ownWrite(entityKey), version, writtenAt: isoNow(this.clock) } }));
  }

  async ownWriteVersion(entityKey: string): Promise<string | undefined> {
    return (await this.get<{ version?: string }>(ledgerKeys.ownWrite(entityKey)))?.version;
  }

  async recordCreationStarted(entityKey: string, at: string): Promise<void> {
    const startedAt = normaliseInstant(at);
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...ledgerKeys.creationStarted(entityKey), startedAt, expiresAt: Math.floor(Date.parse(startedAt) / 1000) + CREATION_RECORD_TTL_SECONDS },
      }),
    );
  }

  async creationStartedAt(entityKey: string): Promise<string | undefined> {
    return (await this.get<{ startedAt?: string }>(ledgerKeys.creationStarted(entityKey)))?.startedAt;
  }

  async clearCreationStarted(entityKey: string): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: ledgerKeys.creationStarted(entityKey) }));
  }

  async getWatermark(poller: string): Promise<string | undefined> {
    return (await this.get<{ watermark?: string }>(ledgerKeys.watermark(poller)))?.watermark;
  }

  async advanceWatermark(poller: string, value: string): Promise<void> {
    // A smaller (or equal) value fails the condition, which the port defines as "ignored".
    await this.forwardOnly(ledgerKeys.watermark(poller), 'watermark', normaliseInstant(value));
  }

  async recordAnonymized(identityHash: string, at: string): Promise<void> {
    // Forward-only, so a replayed older anonymization cannot hide a consent given after a newer one.
    await this.forwardOnly(ledgerKeys.anonymized(identityHash), 'anonymizedAt', normaliseInstant(at));
  }

  async isBlockedAsAnonymized(identityHash: string): Promise<boolean> {
    const item = await this.get<StoredAnonymized>(ledgerKeys.anonymized(identityHash));
    return isBlocked(item?.anonymizedAt, item?.consentAt);
  }

  async recordConsent(identityHash: string, at: string): Promise<void> {
    // Kept even without a recorded anonymization: an anonymization delivered late but dated before
    // the consent must not block the person.
    await this.forwardOnly(ledgerKeys.anonymized(identityHash), 'consentAt', normaliseInstant(at));
  }

  /** Sets `attribute` to `value` unless the item already holds a value at least as large. */
  private async forwardOnly(key: { pk: string; sk: string }, attribute: string, value: string): Promise<void> {
    await this.conditionally(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'SET #attribute = :value',
        ConditionExpression: 'attribute_not_exists(#attribute) OR #attribute < :value',
        ExpressionAttributeNames: { '#attribute': attribute },
        ExpressionAttributeValues: { ':value': value },
      }),
    );
  }

  private async get<T>(key: { pk: string; sk: string }): Promise<T | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return Item as T | undefined;
  }

  private async conditionally(command: PutCommand | UpdateCommand): Promise<boolean> {
    try {
      await this.documents.send(command as PutCommand);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
