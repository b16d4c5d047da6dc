import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Clock } from '#core/clock';
import { SWEPT_PREFIXES, sweepDeletions, type SweptType } from '#core/sync/deletion-sweep';
import type { OutgoingMessage } from '#core/webhooks/delivery';
import { DynamoDbIdMap } from '#adapters/store/id-map';
import { DynamoDbLedger } from '#adapters/store/ledger';
import { startDynamoDbLocal, type DynamoDbLocal } from '#local/dynamodb-local';
import { createTables } from '#local/resources';
import { localDynamoDbClient } from '#local/sdk-clients';

/**
 * The deletions sweep on DynamoDB Local: the IdMap's paged Scan lists only active candidate and job
 * links, and the cursor kept in the Ledger carries a capped run's place over real Scan pages.
 */

let ddbLocal: DynamoDbLocal | undefined;
let dynamodb: DynamoDBClient | undefined;
let idMap: DynamoDbIdMap;
let ledger: DynamoDbLedger;

const clock: Clock = { now: () => Date.parse('2026-12-01T03:00:00Z'), sleep: async () => undefined };

beforeAll(async () => {
  ddbLocal = await startDynamoDbLocal();
  dynamodb = localDynamoDbClient(ddbLocal.endpoint);
  const tables = await createTables(dynamodb, 'sweep-it-');
  idMap = new DynamoDbIdMap(dynamodb, tables['id-map']);
  ledger = new DynamoDbLedger(dynamodb, tables.ledger, { clock });
});
afterAll(async () => {
  dynamodb?.destroy();
  await ddbLocal?.stop();
});

describe('the deletions sweep on the IdMap table', () => {
  it('lists active candidate and job links only, and a capped run continues on the next from its cursor', async () => {
    const at = '2026-11-01T00:00:00.000Z';
    for (let id = 1; id <= 6; id++) await idMap.put({ greenhouseKey: `greenhouse#candidate#${id}`, beameryKey: `beamery#contact#c${id}`, status: 'active', updatedAt: at });
    await idMap.put({ greenhouseKey: 'greenhouse#candidate#7', beameryKey: 'beamery#contact#c7', status: 'deleted', updatedAt: at });
    await idMap.put({ greenhouseKey: 'greenhouse#job#9', beameryKey: 'beamery#vacancy#v9', status: 'active', updatedAt: at });
    await idMap.put({ greenhouseKey: 'greenhouse#user#5', beameryKey: 'beamery#user#u5', status: 'active', updatedAt: at });

    const listed: string[] = [];
    for await (const page of idMap.activeLinks(Object.values(SWEPT_PREFIXES))) listed.push(...page.links.map((l) => l.greenhouseKey));
    expect(listed.sort()).toEqual([...[1, 2, 3, 4, 5, 6].map((id) => `greenhouse#candidate#${id}`), 'greenhouse#job#9'].sort());

    const asked: number[] = [];
    const published: OutgoingMessage[] = [];
    const deps = {
      links: (prefixes: readonly string[], startAfter?: string) => idMap.activeLinks(prefixes, startAfter, 2),
      existing: async (_type: SweptType, ids: readonly number[]) => {
        asked.push(...ids);
        return new Set(ids.filter((id) => id !== 4));
      },
      publish: async (messages: OutgoingMessage[]) => {
        published.push(...messages);
      },
      ledger,
      clock,
    };
    // Two Scan pages of two links each fit in three requests; the third page waits for the next run.
    const first = await sweepDeletions(deps, { maxRequests: 3, paceMs: 0 });
    expect(first.complete).toBe(false);
    const second = await sweepDeletions(deps, { paceMs: 0 });
    expect(second.complete).toBe(true);
    expect(first.checked + second.checked).toBe(7);
    expect(new Set(asked)).toEqual(new Set([1, 2, 3, 4, 5, 6, 9]));
    expect(published.map((m) => m.envelope.entityKey)).toEqual(['greenhouse#candidate#4']);
  });
});
