import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '#adapters/system-clock';
import type { Clock } from '#core/clock';
import type { AiMemory } from '#core/ai/ports';
import { assertRetentionDays, DEFAULT_AUDIT_RETENTION_DAYS } from '#adapters/store/audit';

/** Where AI memory lives on the Ledger table: its own partition prefix, so it cannot meet a sync record. */
export const aiMemoryKey = (key: string) => ({ pk: `ai#${key}`, sk: 'ai' });

const DAY_SECONDS = 86_400;

/**
 * AiMemory on the Ledger table. Entries expire (the Ledger's `expiresAt` TTL) after the Audit's
 * retention: a stored result is reused for as long as its audit trail explains it, and no longer.
 */
export class DynamoDbAiMemory implements AiMemory {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    dynamodb: DynamoDBClient,
    private readonly tableName: string,
    private readonly retentionDays = DEFAULT_AUDIT_RETENTION_DAYS,
    private readonly clock: Clock = systemClock,
  ) {
    assertRetentionDays(retentionDays);
    this.documents = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  }

  async get<T>(key: string): Promise<T | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: aiMemoryKey(key), ConsistentRead: true }));
    if (!Item || (typeof Item['expiresAt'] === 'number' && Item['expiresAt'] * 1000 <= this.clock.now())) return undefined;
    return JSON.parse(Item['value'] as string) as T;
  }

  async put(key: string, value: unknown): Promise<void> {
    const expiresAt = Math.floor(this.clock.now() / 1000) + this.retentionDays * DAY_SECONDS;
    // JSON text, not a map: the value comes back exactly as it went in (numbers, nested arrays, empty strings).
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: { ...aiMemoryKey(key), value: JSON.stringify(value), expiresAt } }));
  }
}

/** The in-memory twin, for unit tests; values are copied in and out through JSON like the DynamoDB one. */
export class InMemoryAiMemory implements AiMemory {
  private readonly values = new Map<string, string>();

  async get<T>(key: string): Promise<T | undefined> {
    const value = this.values.get(key);
    return value === undefined ? undefined : (JSON.parse(value) as T);
  }

  async put(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.stringify(value));
  }
}
