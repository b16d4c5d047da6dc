import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, paginateQuery, paginateScan } from '@aws-sdk/lib-dynamodb';
import type { LinkPage } from '#core/sync/deletion-sweep';
import type { IdMapStore, Link, LinkStatus } from '#core/sync/ports';

/** The reverse-lookup index of the IdMap table (lib/resource-definitions.ts). */
export const BY_BEAMERY_KEY_INDEX = 'byBeameryKey';

/** The item is the link itself: `greenhouseKey` is the table's partition key, `beameryKey` the GSI's. */
interface StoredLink {
  greenhouseKey: string;
  beameryKey: string;
  status: LinkStatus;
  mergedInto?: string;
  updatedAt: string;
}

/**
 * Greenhouse ⇄ Beamery links on the IdMap table, one item per Greenhouse key.
 *
 * Consistency: `byGreenhouse` is a strongly consistent read of the base table. `byBeamery` queries the
 * `byBeameryKey` GSI, and DynamoDB only keeps a GSI eventually consistent (a link put a moment ago
 * may be missing, or still listed under its old Beamery key). The reconciler therefore looks a link up
 * by its Greenhouse key first and uses the reverse lookup only for changes that start in Beamery,
 * where a stale answer means one more (idempotent) reconcile, not a wrong write.
 */
export class DynamoDbIdMap implements IdMapStore {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    dynamodb: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.documents = DynamoDBDocumentClient.from(dynamodb);
  }

  async byGreenhouse(greenhouseKey: string): Promise<Link | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { greenhouseKey }, ConsistentRead: true }),
    );
    return Item ? toLink(Item as StoredLink) : undefined;
  }

  async byBeamery(beameryKey: string): Promise<Link[]> {
    const links: Link[] = [];
    const pages = paginateQuery(
      { client: this.documents },
      {
        TableName: this.tableName,
        IndexName: BY_BEAMERY_KEY_INDEX,
        KeyConditionExpression: 'beameryKey = :beameryKey',
        ExpressionAttributeValues: { ':beameryKey': beameryKey },
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) links.push(toLink(item as StoredLink));
    }
    // A GSI without a sort key returns items in no defined order; sorting keeps callers (and the
    // in-memory twin) deterministic.
    return sortLinks(links);
  }

  /**
   * Active links whose Greenhouse key starts with one of `prefixes`, a Scan page at a time, from the
   * key after `startAfter`. For the daily deletions sweep only (deletion-sweep.ts): a Scan reads the
   * whole table, which a daily run can afford and an hourly one should not; it is paged, and the
   * poller's role may Scan this table and nothing else. `pageSize` caps the items read a page (the
   * default is DynamoDB's 1 MB).
   */
  async *activeLinks(prefixes: readonly string[], startAfter?: string, pageSize?: number): AsyncGenerator<LinkPage> {
    const names = prefixes.map((_, i) => `:p${i}`);
    const pages = paginateScan(
      { client: this.documents },
      {
        TableName: this.tableName,
        FilterExpression: `(${names.map((n) => `begins_with(greenhouseKey, ${n})`).join(' OR ')}) AND #status = :active`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':active': 'active', ...Object.fromEntries(prefixes.map((p, i) => [names[i], p])) },
        ...(startAfter ? { ExclusiveStartKey: { greenhouseKey: startAfter } } : {}),
        ...(pageSize ? { Limit: pageSize } : {}),
      },
    );
    for await (const page of pages) {
      const next = page.LastEvaluatedKey?.['greenhouseKey'];
      yield { links: (page.Items ?? []).map((item) => toLink(item as StoredLink)), ...(typeof next === 'string' ? { next } : {}) };
    }
  }

  async put(link: Link): Promise<void> {
    // Unconditional: the port defines put as "create or replace", and the reconciler serialises the
    // writes of one entity through its sync-state revision.
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: toStored(link) }));
  }
}

export function sortLinks(links: Link[]): Link[] {
  return links.sort((a, b) => (a.greenhouseKey < b.greenhouseKey ? -1 : a.greenhouseKey > b.greenhouseKey ? 1 : 0));
}

/** Copies exactly the fields of the port, so nothing a caller tacked on to the object is persisted. */
export function toStored(link: Link): StoredLink {
  return {
    greenhouseKey: link.greenhouseKey,
    beameryKey: link.beameryKey,
    status: link.status,
    ...(link.mergedInto === undefined ? {} : { mergedInto: link.mergedInto }),
    updatedAt: link.updatedAt,
  };
}

function toLink(item: StoredLink): Link {
  return toStored(item);
}
