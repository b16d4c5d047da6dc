import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, AuditStore, IdMapStore, LedgerStore, Link, SyncState } from '#core/sync/ports';
import { DynamoDbAudit } from '#adapters/store/audit';
import { DynamoDbIdMap } from '#adapters/store/id-map';
import { InMemoryAudit, InMemoryIdMap, InMemoryLedger } from '#adapters/store/in-memory';
import { DynamoDbLedger, ledgerKeys } from '#adapters/store/ledger';
import { startDynamoDbLocal, type DynamoDbLocal } from '#local/dynamodb-local';
import { createTables } from '#local/resources';
import { localDynamoDbClient } from '#local/sdk-clients';

/**
 * One contract, run against the DynamoDB adapters (on DynamoDB Local) and their in-memory twins, so
 * the reconciler's unit tests on the twins mean the same as a run on DynamoDB.
 */

const RETENTION_DAYS = 30;
const DAY_SECONDS = 86_400;

interface Stores {
  readonly idMap: IdMapStore;
  readonly ledger: LedgerStore;
  readonly audit: AuditStore;
  /** The stored audit items of an entity, newest first, as the backend keeps them (sort key and TTL). */
  storedAudit(entityKey: string): Promise<{ sk: string; expiresAt: number }[]>;
}

/** DynamoDB Local is started once for the whole file (a JVM takes seconds to boot); tests keep apart by key. */
let ddbLocal: DynamoDbLocal | undefined;
let dynamodb: DynamoDBClient | undefined;
let tables: Awaited<ReturnType<typeof createTables>>;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  ddbLocal = await startDynamoDbLocal();
  dynamodb = localDynamoDbClient(ddbLocal.endpoint);
  tables = await createTables(dynamodb, 'stores-it-');
  documents = DynamoDBDocumentClient.from(dynamodb);
});
afterAll(async () => {
  dynamodb?.destroy();
  await ddbLocal?.stop();
});

function dynamoDbStores(): Stores {
  return {
    idMap: new DynamoDbIdMap(dynamodb!, tables['id-map']),
    ledger: new DynamoDbLedger(dynamodb!, tables.ledger),
    audit: new DynamoDbAudit(dynamodb!, tables.audit, { retentionDays: RETENTION_DAYS }),
    async storedAudit(entityKey) {
      const { Items = [] } = await documents.send(
        new QueryCommand({ TableName: tables.audit, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': entityKey }, ScanIndexForward: false }),
      );
      return Items as { sk: string; expiresAt: number }[];
    },
  };
}

/** A fresh set per describe: nothing is shared with the DynamoDB run. */
function memoryStores(): Stores {
  const audit = new InMemoryAudit({ retentionDays: RETENTION_DAYS });
  return { idMap: new InMemoryIdMap(), ledger: new InMemoryLedger(), audit, storedAudit: async (entityKey) => audit.stored(entityKey) };
}

/** Every test uses its own keys, so tests share one set of tables without seeing each other's items. */
let sequence = 0;
const unique = (label: string) => `${label}-${Date.now().toString(36)}-${++sequence}`;

/**
 * The GSI behind `byBeamery` is eventually consistent on DynamoDB (DynamoDB Local happens to update it
 * at once), so reverse-lookup assertions retry briefly rather than depend on timing.
 */
async function eventually(assertion: () => Promise<void>, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describe.each([
  ['dynamodb', dynamoDbStores],
  ['memory', memoryStores],
] as const)('stores contract: %s', (_name, makeStores) => {
  let stores: Stores;

  beforeAll(() => {
    stores = makeStores();
  });

  describe('IdMapStore', () => {
    const link = (overrides: Partial<Link> = {}): Link => ({
      greenhouseKey: `greenhouse#candidate#${unique('c')}`,
      beameryKey: `beamery#contact#${unique('b')}`,
      status: 'active',
      updatedAt: '2024-05-01T10:00:00.000Z',
      ...overrides,
    });

    it('returns undefined and no links for keys it has never seen', async () => {
      expect(await stores.idMap.byGreenhouse(`greenhouse#candidate#${unique('none')}`)).toBeUndefined();
      expect(await stores.idMap.byBeamery(`beamery#contact#${unique('none')}`)).toEqual([]);
    });

    it('reads back exactly the link it was given, with and without mergedInto', async () => {
      const plain = link();
      const merged = link({ status: 'merged-into', mergedInto: 'greenhouse#candidate#1' });
      await stores.idMap.put(plain);
      await stores.idMap.put(merged);
      const readPlain = await stores.idMap.byGreenhouse(plain.greenhouseKey);
      expect(readPlain).toEqual(plain);
      expect(readPlain).not.toHaveProperty('mergedInto');
      expect(await stores.idMap.byGreenhouse(merged.greenhouseKey)).toEqual(merged);
    });

    it('replaces the link of a Greenhouse key, and the reverse lookup follows it', async () => {
      const first = link();
      await stores.idMap.put(first);
      const moved: Link = { ...first, beameryKey: `beamery#contact#${unique('b2')}`, status: 'anonymized', updatedAt: '2024-05-02T10:00:00.000Z' };
      await stores.idMap.put(moved);
      expect(await stores.idMap.byGreenhouse(first.greenhouseKey)).toEqual(moved);
      await eventually(async () => {
        expect(await stores.idMap.byBeamery(first.beameryKey)).toEqual([]);
        expect(await stores.idMap.byBeamery(moved.beameryKey)).toEqual([moved]);
      });
    });

    it('finds every Greenhouse key linked to one Beamery key through the reverse lookup (merge)', async () => {
      const beameryKey = `beamery#contact#${unique('merged')}`;
      const winner = link({ greenhouseKey: `greenhouse#candidate#${unique('w')}`, beameryKey });
      const losers = [1, 2].map((n) =>
        link({ greenhouseKey: `greenhouse#candidate#${unique(`l${n}`)}`, beameryKey, status: 'merged-into', mergedInto: winner.greenhouseKey }),
      );
      const unrelated = link();
      await Promise.all([winner, ...losers, unrelated].map((l) => stores.idMap.put(l)));
      const expected = [winner, ...losers].sort((a, b) => a.greenhouseKey.localeCompare(b.greenhouseKey));
      await eventually(async () => expect(await stores.idMap.byBeamery(beameryKey)).toEqual(expected));
    });
  });

  describe('LedgerStore: sync state', () => {
    const state = (entityKey: string, revision: number, hashes: Record<string, string> = { identity: 'h1' }): SyncState => ({
      entityKey,
      fieldHashes: hashes,
      reconciledAt: '2024-05-01T10:00:00.000Z',
      sourceVersion: '2024-05-01T09:59:00.000Z',
      revision,
    });

    it('creates at revision 0, stores revision + 1, and refuses stale revisions', async () => {
      const key = `greenhouse#candidate#${unique('s')}`;
      expect(await stores.ledger.getSyncState(key)).toBeUndefined();
      expect(await stores.ledger.putSyncState(state(key, 0))).toBe(true);
      expect(await stores.ledger.getSyncState(key)).toEqual(state(key, 1));
      // A second "first" write finds the item there.
      expect(await stores.ledger.putSyncState(state(key, 0, { identity: 'other' }))).toBe(false);
      expect(await stores.ledger.putSyncState(state(key, 1, { identity: 'h2', emails: 'e2' }))).toBe(true);
      expect(await stores.ledger.getSyncState(key)).toEqual(state(key, 2, { identity: 'h2', emails: 'e2' }));
      expect(await stores.ledger.putSyncState(state(key, 1, { identity: 'stale' }))).toBe(false);
      expect((await stores.ledger.getSyncState(key))?.fieldHashes).toEqual({ identity: 'h2', emails: 'e2' });
    });

    it('refuses a revision above 0 when nothing is stored', async () => {
      const key = `greenhouse#candidate#${unique('s')}`;
      expect(await stores.ledger.putSyncState(state(key, 3))).toBe(false);
      expect(await stores.ledger.getSyncState(key)).toBeUndefined();
    });

    it('lets exactly one of two writers of the same revision win', async () => {
      const key = `greenhouse#candidate#${unique('s')}`;
      await stores.ledger.putSyncState(state(key, 0));
      const read = (await stores.ledger.getSyncState(key))!;
      const results = await Promise.all([
        stores.ledger.putSyncState({ ...read, fieldHashes: { identity: 'writer-a' } }),
        stores.ledger.putSyncState({ ...read, fieldHashes: { identity: 'writer-b' } }),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results[0] ? 'writer-a' : 'writer-b';
      expect(await stores.ledger.getSyncState(key)).toMatchObject({ revision: 2, fieldHashes: { identity: winner } });
    });

    it('keeps an absent sourceVersion absent and an empty hash map empty', async () => {
      const key = `beamery#contact#${unique('s')}`;
      const { sourceVersion: _omitted, ...withoutVersion } = state(key, 0, {});
      expect(await stores.ledger.putSyncState(withoutVersion)).toBe(true);
      const read = await stores.ledger.getSyncState(key);
      expect(read).toEqual({ ...withoutVersion, revision: 1 });
      expect(read).not.toHaveProperty('sourceVersion');
    });

    it('rejects a revision that no read could have produced', async () => {
      const key = `greenhouse#candidate#${unique('s')}`;
      await expect(stores.ledger.putSyncState(state(key, -1))).rejects.toThrow(RangeError);
      await expect(stores.ledger.putSyncState(state(key, 1.5))).rejects.toThrow(RangeError);
    });
  });

  describe('LedgerStore: copy marks', () => {
    it('marks a child item once under 10 concurrent calls', async () => {
      const key = `greenhouse#candidate#${unique('m')}`;
      const results = await Promise.all(Array.from({ length: 10 }, () => stores.ledger.markCopied(key, 'note', '42')));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await stores.ledger.markCopied(key, 'note', '42')).toBe(false);
    });

    it('keeps notes, attachments and entities apart', async () => {
      const key = `greenhouse#candidate#${unique('m')}`;
      const other = `greenhouse#candidate#${unique('m')}`;
      expect(await stores.ledger.markCopied(key, 'note', '7')).toBe(true);
      expect(await stores.ledger.markCopied(key, 'attachment', '7')).toBe(true);
      expect(await stores.ledger.markCopied(other, 'note', '7')).toBe(true);
      expect(await stores.ledger.markCopied(key, 'note', '8')).toBe(true);
    });

    it('forgets a mark on unmark, so a failed copy can be retried', async () => {
      const key = `greenhouse#candidate#${unique('m')}`;
      expect(await stores.ledger.markCopied(key, 'attachment', 'a1')).toBe(true);
      await stores.ledger.unmarkCopied(key, 'attachment', 'a1');
      expect(await stores.ledger.markCopied(key, 'attachment', 'a1')).toBe(true);
      // Unmarking what was never marked is harmless.
      await expect(stores.ledger.unmarkCopied(key, 'note', 'never')).resolves.toBeUndefined();
    });
  });

  describe('LedgerStore: own writes', () => {
    it('keeps the latest version the bridge wrote per entity, apart from its sync state', async () => {
      const key = `greenhouse#candidate#${unique('w')}`;
      expect(await stores.ledger.ownWriteVersion(key)).toBeUndefined();
      await stores.ledger.recordOwnWrite(key, '2026-12-04T10:00:00.000Z');
      await stores.ledger.recordOwnWrite(key, '2026-12-04T10:05:00.000Z');
      expect(await stores.ledger.ownWriteVersion(key)).toBe('2026-12-04T10:05:00.000Z');
      expect(await stores.ledger.getSyncState(key)).toBeUndefined();
      expect(await stores.ledger.ownWriteVersion(`greenhouse#candidate#${unique('w')}`)).toBeUndefined();
    });
  });

  describe('LedgerStore: creation records', () => {
    it('keeps when a creation began per entity until it is cleared, apart from its other records', async () => {
      const key = `greenhouse#candidate#${unique('c')}`;
      expect(await stores.ledger.creationStartedAt(key)).toBeUndefined();
      await stores.ledger.recordCreationStarted(key, '2026-12-04T10:00:00Z');
      expect(await stores.ledger.creationStartedAt(key)).toBe('2026-12-04T10:00:00.000Z');
      expect(await stores.ledger.getSyncState(key)).toBeUndefined();
      expect(await stores.ledger.ownWriteVersion(key)).toBeUndefined();
      await stores.ledger.clearCreationStarted(key);
      expect(await stores.ledger.creationStartedAt(key)).toBeUndefined();
      await expect(stores.ledger.clearCreationStarted(key)).resolves.toBeUndefined();
      await expect(stores.ledger.recordCreationStarted(key, 'yesterday')).rejects.toThrow(RangeError);
    });
  });

  describe('LedgerStore: watermarks', () => {
    it('moves forward only, comparing instants, not the strings it was given', async () => {
      const poller = unique('beamery-contacts');
      const watermark = () => stores.ledger.getWatermark(poller);
      expect(await watermark()).toBeUndefined();
      await stores.ledger.advanceWatermark(poller, '2024-05-01T10:00:00.500Z');
      expect(await watermark()).toBe('2024-05-01T10:00:00.500Z');
      // Earlier, although "…00Z" sorts after "…00.500Z" as a raw string.
      await stores.ledger.advanceWatermark(poller, '2024-05-01T10:00:00Z');
      expect(await watermark()).toBe('2024-05-01T10:00:00.500Z');
      // Earlier, although "11:…+02:00" sorts after "10:…Z" as a raw string.
      await stores.ledger.advanceWatermark(poller, '2024-05-01T11:00:00+02:00');
      expect(await watermark()).toBe('2024-05-01T10:00:00.500Z');
      // Later, in another zone: stored normalised.
      await stores.ledger.advanceWatermark(poller, '2024-05-01T12:30:00+02:00');
      expect(await watermark()).toBe('2024-05-01T10:30:00.000Z');
      await stores.ledger.advanceWatermark(poller, '2024-05-01T10:00:00.500Z');
      expect(await watermark()).toBe('2024-05-01T10:30:00.000Z');
    });

    it('ends at the latest of concurrent advances, whatever their order', async () => {
      const poller = unique('greenhouse-candidates');
      const values = Array.from({ length: 10 }, (_, i) => `2024-05-01T10:00:0${i}.000Z`).reverse();
      await Promise.all(values.map((value) => stores.ledger.advanceWatermark(poller, value)));
      expect(await stores.ledger.getWatermark(poller)).toBe('2024-05-01T10:00:09.000Z');
    });

    it('keeps pollers apart and rejects values that are not instants', async () => {
      const [a, b] = [unique('poller-a'), unique('poller-b')];
      await stores.ledger.advanceWatermark(a, '2024-05-01T10:00:00.000Z');
      expect(await stores.ledger.getWatermark(b)).toBeUndefined();
      await expect(stores.ledger.advanceWatermark(a, 'cursor-17')).rejects.toThrow(RangeError);
      expect(await stores.ledger.getWatermark(a)).toBe('2024-05-01T10:00:00.000Z');
    });
  });

  describe('LedgerStore: anonymized identities', () => {
    it('blocks after an anonymization, lifts on a later consent, blocks again on a later anonymization', async () => {
      const hash = unique('hmac');
      expect(await stores.ledger.isBlockedAsAnonymized(hash)).toBe(false);
      await stores.ledger.recordAnonymized(hash, '2024-01-01T00:00:00.000Z');
      expect(await stores.ledger.isBlockedAsAnonymized(hash)).toBe(true);
      await stores.ledger.recordConsent(hash, '2024-02-01T00:00:00.000Z');
      expect(await stores.ledger.isBlockedAsAnonymized(hash)).toBe(false);
      await stores.ledger.recordAnonymized(hash, '2024-03-01T00:00:00.000Z');
      expect(await stores.ledger.isBlockedAsAnonymized(hash)).toBe(true);
      await stores.ledger.recordConsent(hash, '2024-04-01T00:00:00.000Z');
      expect(await stores.ledger.isBlockedAsAnonymized(hash)).toBe(false);
    });

    it('does not lift the block for a consent given before or at the anonymization', async () => {
      const before = unique('hmac');
      await stores.ledger.recordConsent(before, '2024-01-01T00:00:00.000Z');
      await stores.ledger.recordAnonymized(before, '2024-02-01T00:00:00.000Z');
      expect(await stores.ledger.isBlockedAsAnonymized(before)).toBe(true);
      const same = unique('hmac');
      await stores.ledger.recordAnonymized(same, '2024-02-01T00:00:00.000Z');
      await stores.ledger.recordConsent(same, '2024-02-01T01:00:00+01:00');
      expect(await stores.ledger.isBlockedAsAnonymized(same)).toBe(true);
    });

    it('ignores replayed events that are older than what it holds', async () => {
      const hash = unique('hmac');
      await stores.ledger.recordAnonymized(hash, '2024-03-01T00:00:00.000Z');
      await stores.ledger.recordConsent(hash, '2024-04-01T00:00:00.000Z');
      await stores.ledger.recordAnonymized(hash, '2024-05-01T00:00:00.000Z');
      expect(await stores.ledger.isBlockedAsAnonymized(hash)).toBe(true);
      // The first anonymization delivered again must not hide the newer one (and so lift its block)...
      await stores.ledger.recordAnonymized(hash, '2024-03-01T00:00:00.000Z');
      expect(await stores.ledger.isBlockedAsAnonymized(hash)).toBe(true);
      await stores.ledger.recordConsent(hash, '2024-06-01T00:00:00.000Z');
      expect(await stores.ledger.isBlockedAsAnonymized(hash)).toBe(false);
      // ...and the first consent delivered again must not hide the newer one (and so re-impose it).
      await stores.ledger.recordConsent(hash, '2024-04-01T00:00:00.000Z');
      expect(await stores.ledger.isBlockedAsAnonymized(hash)).toBe(false);
    });

    it('does not block for a consent alone', async () => {
      const hash = unique('hmac');
      await stores.ledger.recordConsent(hash, '2024-01-01T00:00:00.000Z');
      expect(await stores.ledger.isBlockedAsAnonymized(hash)).toBe(false);
    });
  });

  describe('AuditStore', () => {
    const entry = (entityKey: string, at: string, overrides: Partial<AuditEntry> = {}): AuditEntry => ({
      kind: 'sync-conflict',
      entityKey,
      summary: `conflict at ${at}`,
      at,
      ...overrides,
    });

    it('lists an entity’s entries newest first, and only that entity’s', async () => {
      const key = `greenhouse#candidate#${unique('a')}`;
      const times = ['2024-05-01T10:00:00.000Z', '2024-05-03T10:00:00.000Z', '2024-05-02T10:00:00.000Z'];
      for (const at of times) await stores.audit.record(entry(key, at));
      await stores.audit.record(entry(`greenhouse#candidate#${unique('a')}`, '2024-05-04T10:00:00.000Z'));
      expect((await stores.audit.list(key)).map((e) => e.at)).toEqual([times[1], times[2], times[0]]);
      expect(await stores.audit.list(`greenhouse#candidate#${unique('none')}`)).toEqual([]);
    });

    it('keeps two entries of the same millisecond, with their detail as given', async () => {
      const key = `beamery#contact#${unique('a')}`;
      const at = '2024-05-01T10:00:00.000Z';
      const conflict = entry(key, at, { detail: { field: 'emails', greenhouseVersion: 3, resolved: false, beameryVersion: null } });
      const task = entry(key, at, { kind: 'operator-task', summary: 'review emails of contact' });
      await Promise.all([stores.audit.record(conflict), stores.audit.record(task)]);
      const listed = await stores.audit.list(key);
      expect(listed).toHaveLength(2);
      expect(listed).toEqual(expect.arrayContaining([conflict, task]));
      expect(listed.find((e) => e.kind === 'operator-task')).not.toHaveProperty('detail');
    });

    it('sets the TTL attribute to the entry’s time plus the retention', async () => {
      const key = `greenhouse#job#${unique('a')}`;
      await stores.audit.record(entry(key, '2024-05-01T10:00:00.900Z', { kind: 'sync-skipped' }));
      const [stored] = await stores.storedAudit(key);
      expect(stored?.expiresAt).toBe(Date.UTC(2024, 4, 1, 10) / 1000 + RETENTION_DAYS * DAY_SECONDS);
      expect(stored?.sk).toMatch(/^2024-05-01T10:00:00\.900Z#[0-9a-f]+$/);
    });
  });
});

/**
 * The item layout on DynamoDB, which operators query by hand and which must hold no PII: the keys the
 * design fixes, exactly the attributes the port passes, and no TTL on ledger records.
 */
describe('DynamoDB item layout', () => {
  let stores: Stores;
  const raw = async (table: 'ledger' | 'id-map', key: Record<string, string>) =>
    (await documents.send(new GetCommand({ TableName: tables[table], Key: key }))).Item;

  beforeAll(() => {
    stores = dynamoDbStores();
  });

  it('stores ledger records under the documented keys, with only ids, hashes and times', async () => {
    const key = 'greenhouse#candidate#layout-1';
    await stores.ledger.putSyncState({ entityKey: key, fieldHashes: { identity: 'h' }, reconciledAt: '2024-05-01T10:00:00.000Z', revision: 0 });
    await stores.ledger.markCopied(key, 'attachment', '99');
    await stores.ledger.advanceWatermark('greenhouse-candidates', '2024-05-01T10:00:00Z');
    await stores.ledger.recordAnonymized('hmac-abc', '2024-05-01T10:00:00Z');

    expect(await raw('ledger', { pk: key, sk: 'sync' })).toEqual({
      pk: key,
      sk: 'sync',
      fieldHashes: { identity: 'h' },
      reconciledAt: '2024-05-01T10:00:00.000Z',
      revision: 1,
    });
    expect(Object.keys((await raw('ledger', ledgerKeys.copyMark(key, 'attachment', '99')))!).sort()).toEqual(['markedAt', 'pk', 'sk']);
    expect(ledgerKeys.copyMark(key, 'attachment', '99').sk).toBe('copied#attachment#99');
    expect(await raw('ledger', { pk: 'watermark#greenhouse-candidates', sk: 'watermark' })).toEqual({
      pk: 'watermark#greenhouse-candidates',
      sk: 'watermark',
      watermark: '2024-05-01T10:00:00.000Z',
    });
    expect(await raw('ledger', { pk: 'anonymized#hmac-abc', sk: 'identity' })).toEqual({
      pk: 'anonymized#hmac-abc',
      sk: 'identity',
      anonymizedAt: '2024-05-01T10:00:00.000Z',
    });
  });

  it('stores a creation record with its start and a TTL past any message\'s life (30 days), and nothing else', async () => {
    const key = 'greenhouse#candidate#layout-2';
    await stores.ledger.recordCreationStarted(key, '2024-05-01T10:00:00Z');
    expect(await raw('ledger', ledgerKeys.creationStarted(key))).toEqual({
      pk: key,
      sk: 'creation-started',
      startedAt: '2024-05-01T10:00:00.000Z',
      expiresAt: Date.parse('2024-05-31T10:00:00Z') / 1000,
    });
  });

  it('stores a link as one item keyed by its Greenhouse key, without fields the caller tacked on', async () => {
    const link = { greenhouseKey: 'greenhouse#job#7', beameryKey: 'beamery#vacancy#v7', status: 'active', updatedAt: '2024-05-01T10:00:00.000Z', email: 'x@example.com' } as Link;
    await stores.idMap.put(link);
    expect(await raw('id-map', { greenhouseKey: 'greenhouse#job#7' })).toEqual({
      greenhouseKey: 'greenhouse#job#7',
      beameryKey: 'beamery#vacancy#v7',
      status: 'active',
      updatedAt: '2024-05-01T10:00:00.000Z',
    });
  });
});
