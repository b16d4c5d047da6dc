import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { BackfillCheckpoint } from '#core/sync/backfill-plan';

/**
 * Where `bridge backfill` keeps its checkpoint. Not a LedgerStore watermark: those are forward-only
 * ISO instants (ledger.ts normaliseInstant), and a checkpoint is a small JSON document that a
 * `--restart` replaces. The smallest addition to the port would be
 * `getCheckpoint(name): Promise<string | undefined>` and `putCheckpoint(name, json): Promise<void>`
 * on LedgerStore; until then this adapter writes its own item in the Ledger table, keyed like the
 * others (`ledgerKeys`): pk `checkpoint#<name>`, sk `checkpoint`. Ids, counts and times only, no PII.
 */
export interface BackfillCheckpointStore {
  load(): Promise<BackfillCheckpoint | undefined>;
  save(checkpoint: BackfillCheckpoint): Promise<void>;
}

export const checkpointKey = (name: string) => ({ pk: `checkpoint#${name}`, sk: 'checkpoint' });

export class DynamoDbCheckpointStore implements BackfillCheckpointStore {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    dynamodb: DynamoDBClient,
    private readonly tableName: string,
    private readonly name: string,
  ) {
    this.documents = DynamoDBDocumentClient.from(dynamodb);
  }

  async load(): Promise<BackfillCheckpoint | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: checkpointKey(this.name), ConsistentRead: true }));
    return typeof Item?.['checkpoint'] === 'string' ? (JSON.parse(Item['checkpoint']) as BackfillCheckpoint) : undefined;
  }

  async save(checkpoint: BackfillCheckpoint): Promise<void> {
    await this.documents.send(
      new PutCommand({ TableName: this.tableName, Item: { ...checkpointKey(this.name), checkpoint: JSON.stringify(checkpoint), updatedAt: checkpoint.updatedAt } }),
    );
  }
}

export class InMemoryCheckpointStore implements BackfillCheckpointStore {
  saved: BackfillCheckpoint | undefined;
  /** Every checkpoint saved, oldest first (for tests). */
  readonly history: BackfillCheckpoint[] = [];

  async load(): Promise<BackfillCheckpoint | undefined> {
    return this.saved === undefined ? undefined : structuredClone(this.saved);
  }

  async save(checkpoint: BackfillCheckpoint): Promise<void> {
    this.saved = structuredClone(checkpoint);
    this.history.push(this.saved);
  }
}
