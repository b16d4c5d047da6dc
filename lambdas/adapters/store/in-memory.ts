import type { AuditEntry, AuditStore, IdMapStore, LedgerStore, Link, SyncState } from '#core/sync/ports';
import { assertRetentionDays, auditExpiresAt, auditSortKey, DEFAULT_AUDIT_RETENTION_DAYS } from '#adapters/store/audit';
import { sortLinks, toStored } from '#adapters/store/id-map';
import { assertRevision, isBlocked, ledgerKeys, normaliseInstant, type CopyKind } from '#adapters/store/ledger';

/**
 * In-memory twins of the DynamoDB stores, for unit tests of the reconciler. They share the DynamoDB
 * adapters' key layout, normalisation and rules (the helpers are imported, not copied), and
 * test/integration/store/stores.test.ts runs one contract against both, so a test that passes here
 * means the same on DynamoDB. Each check-and-write runs without an `await` in between, which on
 * Node's single thread makes it as atomic as DynamoDB's conditional write.
 *
 * Two deliberate differences: reads are always consistent (DynamoDB's `byBeamery` GSI is only
 * eventually consistent), and audit entries never expire (their `expiresAt` is kept for inspection).
 * Values are copied in and out, so a caller mutating an object cannot change what is stored.
 */

export class InMemoryIdMap implements IdMapStore {
  private readonly links = new Map<string, Link>();

  async byGreenhouse(greenhouseKey: string): Promise<Link | undefined> {
    const link = this.links.get(greenhouseKey);
    return link ? toStored(link) : undefined;
  }

  async byBeamery(beameryKey: string): Promise<Link[]> {
    return sortLinks([...this.links.values()].filter((link) => link.beameryKey === beameryKey).map(toStored));
  }

  async put(link: Link): Promise<void> {
    this.links.set(link.greenhouseKey, toStored(link));
  }
}

interface AnonymizedRecord {
  anonymizedAt?: string;
  consentAt?: string;
}

export class InMemoryLedger implements LedgerStore {
  private readonly syncStates = new Map<string, SyncState>();
  private readonly copyMarks = new Set<string>();
  private readonly watermarks = new Map<string, string>();
  private readonly ownWrites = new Map<string, string>();
  private readonly creations = new Map<string, string>();
  private readonly anonymized = new Map<string, AnonymizedRecord>();

  async getSyncState(entityKey: string): Promise<SyncState | undefined> {
    const state = this.syncStates.get(entityKey);
    return state ? copySyncState(state) : undefined;
  }

  async putSyncState(state: SyncState): Promise<boolean> {
    assertRevision(state.revision);
    const stored = this.syncStates.get(state.entityKey)?.revision ?? 0;
    if (stored !== state.revision) return false;
    this.syncStates.set(state.entityKey, { ...copySyncState(state), revision: state.revision + 1 });
    return true;
  }

  async markCopied(entityKey: string, kind: CopyKind, itemId: string): Promise<boolean> {
    const key = copyMarkKey(entityKey, kind, itemId);
    if (this.copyMarks.has(key)) return false;
    this.copyMarks.add(key);
    return true;
  }

  async isCopied(entityKey: string, kind: CopyKind, itemId: string): Promise<boolean> {
    return this.copyMarks.has(copyMarkKey(entityKey, kind, itemId));
  }

  async unmarkCopied(entityKey: string, kind: CopyKind, itemId: string): Promise<void> {
    this.copyMarks.delete(copyMarkKey(entityKey, kind, itemId));
  }

  async recordOwnWrite(entityKey: string, version: string): Promise<void> {
    this.ownWrites.set(entityKey, version);
  }

  async ownWriteVersion(entityKey: string): Promise<string | undefined> {
    return this.ownWrites.get(entityKey);
  }

  async recordCreationStarted(entityKey: string, at: string): Promise<void> {
    this.creations.set(entityKey, normaliseInstant(at));
  }

  async creationStartedAt(entityKey: string): Promise<string | undefined> {
    return this.creations.get(entityKey);
  }

  async clearCreationStarted(entityKey: string): Promise<void> {
    this.creations.delete(entityKey);
  }

  async getWatermark(poller: string): Promise<string | undefined> {
    return this.watermarks.get(poller);
  }

  async advanceWatermark(poller: string, value: string): Promise<void> {
    const next = normaliseInstant(value);
    const current = this.watermarks.get(poller);
    if (current === undefined || current < next) this.watermarks.set(poller, next);
  }

  async recordAnonymized(identityHash: string, at: string): Promise<void> {
    this.forwardOnly(identityHash, 'anonymizedAt', normaliseInstant(at));
  }

  async isBlockedAsAnonymized(identityHash: string): Promise<boolean> {
    const record = this.anonymized.get(identityHash);
    return isBlocked(record?.anonymizedAt, record?.consentAt);
  }

  async recordConsent(identityHash: string, at: string): Promise<void> {
    this.forwardOnly(identityHash, 'consentAt', normaliseInstant(at));
  }

  private forwardOnly(identityHash: string, field: keyof AnonymizedRecord, value: string): void {
    const record = this.anonymized.get(identityHash) ?? {};
    const current = record[field];
    if (current === undefined || current < value) this.anonymized.set(identityHash, { ...record, [field]: value });
  }
}

export interface InMemoryAuditOptions {
  readonly retentionDays?: number;
}

/** An audit entry as the store keeps it: with the sort key and TTL the DynamoDB item would carry. */
export interface StoredAuditEntry extends AuditEntry {
  readonly sk: string;
  readonly expiresAt: number;
}

export class InMemoryAudit implements AuditStore {
  private readonly entries = new Map<string, StoredAuditEntry[]>();
  private readonly retentionDays: number;

  constructor(options: InMemoryAuditOptions = {}) {
    this.retentionDays = options.retentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS;
    assertRetentionDays(this.retentionDays);
  }

  async record(entry: AuditEntry): Promise<void> {
    const stored: StoredAuditEntry = {
      ...copyAuditEntry(entry),
      sk: auditSortKey(entry.at),
      expiresAt: auditExpiresAt(entry.at, this.retentionDays),
    };
    const list = this.entries.get(entry.entityKey) ?? [];
    list.push(stored);
    this.entries.set(entry.entityKey, list);
  }

  async list(entityKey: string): Promise<AuditEntry[]> {
    return this.stored(entityKey).map(copyAuditEntry);
  }

  /** Newest first, with sort key and `expiresAt`: for tests that check retention. */
  stored(entityKey: string): StoredAuditEntry[] {
    return (this.entries.get(entityKey) ?? [])
      .map((entry) => ({ ...copyAuditEntry(entry), sk: entry.sk, expiresAt: entry.expiresAt }))
      .sort((a, b) => (a.sk < b.sk ? 1 : a.sk > b.sk ? -1 : 0));
  }
}

function copyMarkKey(entityKey: string, kind: CopyKind, itemId: string): string {
  const { pk, sk } = ledgerKeys.copyMark(entityKey, kind, itemId);
  // pk and sk joined by a character neither can make ambiguous: JSON quotes them.
  return JSON.stringify([pk, sk]);
}

function copySyncState(state: SyncState): SyncState {
  return {
    entityKey: state.entityKey,
    fieldHashes: { ...state.fieldHashes },
    reconciledAt: state.reconciledAt,
    ...(state.sourceVersion === undefined ? {} : { sourceVersion: state.sourceVersion }),
    revision: state.revision,
  };
}

function copyAuditEntry(entry: AuditEntry): AuditEntry {
  return {
    kind: entry.kind,
    entityKey: entry.entityKey,
    summary: entry.summary,
    ...(entry.detail === undefined ? {} : { detail: { ...entry.detail } }),
    at: entry.at,
  };
}
