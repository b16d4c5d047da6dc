import { describe, expect, it } from 'vitest';
import type { Link, SyncState } from '#core/sync/ports';
import { auditExpiresAt, auditSortKey } from '#adapters/store/audit';
import { InMemoryAudit, InMemoryIdMap, InMemoryLedger } from '#adapters/store/in-memory';
import { isBlocked, ledgerKeys, normaliseInstant } from '#adapters/store/ledger';

/**
 * The rules the DynamoDB adapters and their in-memory twins share. The contract test
 * (test/integration/store/stores.test.ts) checks the stores end to end; these pin the helpers' edges
 * without a JVM.
 */

describe('normaliseInstant', () => {
  it('writes every instant as UTC with milliseconds, so strings sort like the instants', () => {
    expect(normaliseInstant('2024-05-01T10:00:00Z')).toBe('2024-05-01T10:00:00.000Z');
    expect(normaliseInstant('2024-05-01T12:00:00+02:00')).toBe('2024-05-01T10:00:00.000Z');
    expect(normaliseInstant('2024-05-01T10:00:00.5Z')).toBe('2024-05-01T10:00:00.500Z');
  });

  it('truncates finer precision, which only ever moves a watermark back', () => {
    expect(normaliseInstant('2024-05-01T10:00:00.123999Z')).toBe('2024-05-01T10:00:00.123Z');
  });

  it('throws on anything that is not an instant', () => {
    expect(() => normaliseInstant('')).toThrow(RangeError);
    expect(() => normaliseInstant('page-3')).toThrow(RangeError);
    // Local time would depend on the Lambda's TZ.
    expect(() => normaliseInstant('2024-05-01T10:00:00')).toThrow(RangeError);
    expect(() => normaliseInstant('2024-13-45T10:00:00Z')).toThrow(RangeError);
  });
});

describe('isBlocked', () => {
  const jan = '2024-01-01T00:00:00.000Z';
  const feb = '2024-02-01T00:00:00.000Z';
  it.each([
    [undefined, undefined, false],
    [undefined, jan, false],
    [jan, undefined, true],
    [feb, jan, true],
    [jan, jan, true],
    [jan, feb, false],
  ] as const)('anonymized %s, consent %s → %s', (anonymizedAt, consentAt, blocked) => {
    expect(isBlocked(anonymizedAt, consentAt)).toBe(blocked);
  });
});

describe('audit keys and TTL', () => {
  it('sorts sort keys by instant whatever form the time came in', () => {
    const keys = ['2024-05-01T10:00:00Z', '2024-05-01T10:00:00.500Z', '2024-05-01T11:30:00+01:00'].map((at) => auditSortKey(at));
    // As raw strings "…00.500Z" < "…00Z" < "11:30…": the normalised keys put them back in time order.
    expect([...keys].sort()).toEqual(keys);
  });

  it('gives entries of the same millisecond different keys', () => {
    const at = '2024-05-01T10:00:00.000Z';
    expect(new Set(Array.from({ length: 100 }, () => auditSortKey(at))).size).toBe(100);
  });

  it('expires retention days after the entry, in epoch seconds', () => {
    expect(auditExpiresAt('2024-05-01T10:00:00.999Z', 1)).toBe(Date.UTC(2024, 4, 2, 10) / 1000);
  });

  it('refuses a retention that would expire entries at once', () => {
    expect(() => new InMemoryAudit({ retentionDays: 0 })).toThrow(RangeError);
    expect(() => new InMemoryAudit({ retentionDays: -5 })).toThrow(RangeError);
  });
});

describe('ledger key layout', () => {
  it('is the layout the design fixes', () => {
    expect(ledgerKeys.syncState('greenhouse#candidate#1')).toEqual({ pk: 'greenhouse#candidate#1', sk: 'sync' });
    expect(ledgerKeys.copyMark('greenhouse#candidate#1', 'note', '9')).toEqual({ pk: 'greenhouse#candidate#1', sk: 'copied#note#9' });
    expect(ledgerKeys.watermark('beamery-contacts')).toEqual({ pk: 'watermark#beamery-contacts', sk: 'watermark' });
    expect(ledgerKeys.anonymized('abc')).toEqual({ pk: 'anonymized#abc', sk: 'identity' });
  });
});

describe('in-memory stores copy values in and out', () => {
  it('is not changed by a caller mutating what it put or read', async () => {
    const ledger = new InMemoryLedger();
    const hashes: Record<string, string> = { identity: 'h1' };
    const state: SyncState = { entityKey: 'greenhouse#candidate#1', fieldHashes: hashes, reconciledAt: '2024-05-01T10:00:00.000Z', revision: 0 };
    await ledger.putSyncState(state);
    hashes.identity = 'mutated';
    const read = await ledger.getSyncState('greenhouse#candidate#1');
    (read!.fieldHashes as Record<string, string>).identity = 'mutated too';
    expect((await ledger.getSyncState('greenhouse#candidate#1'))?.fieldHashes).toEqual({ identity: 'h1' });

    const idMap = new InMemoryIdMap();
    const link = { greenhouseKey: 'greenhouse#job#1', beameryKey: 'beamery#vacancy#1', status: 'active', updatedAt: '2024-05-01T10:00:00.000Z' } as { -readonly [K in keyof Link]: Link[K] };
    await idMap.put(link);
    link.status = 'deleted';
    expect((await idMap.byGreenhouse('greenhouse#job#1'))?.status).toBe('active');
  });
});
