import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { BudgetState } from '#core/rate/budget';
import type { ApiSystem } from '#core/api-errors';
import type { BudgetStore } from '#adapters/http/rate-budget';

/**
 * One item per (system, tenant) in the Ledger table, shared by every concurrent invocation. Each
 * operation is a single conditional write, so two Lambdas can never both spend the last request of a
 * window: the loser's condition fails and it re-reads.
 */
export function rateBudgetKey(system: ApiSystem, tenant: string) {
  return { pk: `ratelimit#${system}#${tenant}`, sk: 'budget' } as const;
}

interface StoredBudget {
  windowEndsAt: number;
  used: number;
  limitPerWindow: number;
  blockedUntil: number;
}

export class DynamoDbBudgetStore implements BudgetStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly key: ReturnType<typeof rateBudgetKey>;

  constructor(
    dynamodb: DynamoDBClient,
    private readonly tableName: string,
    system: ApiSystem,
    tenant: string,
  ) {
    this.documents = DynamoDBDocumentClient.from(dynamodb);
    this.key = rateBudgetKey(system, tenant);
  }

  async load(): Promise<BudgetState | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: this.key, ConsistentRead: true }));
    if (!Item) return undefined;
    const item = Item as StoredBudget;
    return { windowEndsAt: item.windowEndsAt, used: item.used, limit: item.limitPerWindow, blockedUntil: item.blockedUntil };
  }

  take(windowEndsAt: number, allowed: number, now: number): Promise<boolean> {
    return this.conditionally(
      new UpdateCommand({
        TableName: this.tableName,
        Key: this.key,
        UpdateExpression: 'SET used = used + :one',
        ConditionExpression: 'windowEndsAt = :window AND used < :allowed AND blockedUntil <= :now',
        ExpressionAttributeValues: { ':one': 1, ':window': windowEndsAt, ':allowed': allowed, ':now': now },
      }),
    );
  }

  openWindow(windowEndsAt: number, limit: number, now: number): Promise<boolean> {
    return this.conditionally(
      new UpdateCommand({
        TableName: this.tableName,
        Key: this.key,
        UpdateExpression: 'SET windowEndsAt = :window, used = :one, limitPerWindow = :limit, blockedUntil = if_not_exists(blockedUntil, :zero)',
        ConditionExpression: 'attribute_not_exists(pk) OR windowEndsAt <= :now',
        ExpressionAttributeValues: { ':window': windowEndsAt, ':one': 1, ':limit': limit, ':zero': 0, ':now': now },
      }),
    );
  }

  apply(next: BudgetState, expected: BudgetState): Promise<boolean> {
    const item: StoredBudget = {
      windowEndsAt: next.windowEndsAt,
      used: next.used,
      limitPerWindow: next.limit,
      blockedUntil: next.blockedUntil,
    };
    return this.conditionally(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...this.key, ...item },
        ConditionExpression: 'attribute_not_exists(pk) OR (windowEndsAt = :expectedWindow AND used <= :used)',
        ExpressionAttributeValues: { ':expectedWindow': expected.windowEndsAt, ':used': next.used },
      }),
    );
  }

  private async conditionally(command: UpdateCommand | PutCommand): Promise<boolean> {
    try {
      await this.documents.send(command as UpdateCommand);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
