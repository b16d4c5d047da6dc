import { ConditionalCheckFailedException, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { BudgetState } from '#core/rate/budget';
import type { ApiSystem } from '#core/api-errors';
import type { BudgetStore, GiveBackRequest, OpenWindowRequest, StoreAnswer, TakeRequest } from '#adapters/http/rate-budget';

/**
 * One item per (system, tenant) in the Ledger table, shared by every concurrent invocation. Each
 * operation is a single conditional write, so two Lambdas can never both spend the last request of a
 * window: the loser's condition fails. A write returns the item either way (after it when it
 * succeeds, as found when its condition fails), so the loser plans again without a read.
 */
export function rateBudgetKey(system: ApiSystem, tenant: string) {
  return { pk: `ratelimit#${system}#${tenant}`, sk: 'budget' } as const;
}

interface StoredBudget {
  windowEndsAt: number;
  used: number;
  /** Absent on items written before bulk traffic was counted apart: none. */
  bulkUsed?: number;
  /** Absent on items written before live traffic was counted apart: none. */
  liveUsed?: number;
  liveBefore?: number;
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
    return budgetOf(Item);
  }

  take({ windowEndsAt, count, allowed, bulkAllowed, liveCeiling, partial, now }: TakeRequest): Promise<StoreAnswer> {
    const bulk = bulkAllowed !== undefined;
    const ceiling = bulk && liveCeiling !== undefined;
    const needed = partial ? 1 : count;
    return this.write(
      new UpdateCommand({
        TableName: this.tableName,
        Key: this.key,
        UpdateExpression: `SET used = used + :n, ${bulk ? 'bulkUsed' : 'liveUsed'} = if_not_exists(${bulk ? 'bulkUsed' : 'liveUsed'}, :zero) + :n`,
        ConditionExpression:
          'windowEndsAt = :window AND used <= :usedBefore AND blockedUntil <= :now' +
          (bulk ? ' AND (attribute_not_exists(bulkUsed) OR bulkUsed <= :bulkBefore)' : '') +
          // The live reserve the take was planned with still stands (core/rate/budget.ts liveCeiling).
          (ceiling ? ' AND (attribute_not_exists(liveUsed) OR liveUsed <= :liveCeiling) AND (attribute_not_exists(liveBefore) OR liveBefore <= :liveCeiling)' : ''),
        ExpressionAttributeValues: {
          ':n': count,
          ':zero': 0,
          ':window': windowEndsAt,
          ':usedBefore': allowed - needed,
          ':now': now,
          ...(bulk ? { ':bulkBefore': bulkAllowed - needed } : {}),
          ...(ceiling ? { ':liveCeiling': liveCeiling } : {}),
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  }

  openWindow({ windowEndsAt, replaces, follows, limit, count, bulk, now }: OpenWindowRequest): Promise<StoreAnswer> {
    return this.write(
      new UpdateCommand({
        TableName: this.tableName,
        Key: this.key,
        // Operands read the item as it was before the update: liveBefore takes the ended window's live count.
        UpdateExpression:
          'SET windowEndsAt = :window, used = :n, bulkUsed = :bulk, liveUsed = :live, ' +
          `liveBefore = ${follows ? 'if_not_exists(liveUsed, :zero)' : ':zero'}, limitPerWindow = :limit, blockedUntil = if_not_exists(blockedUntil, :zero)`,
        // Only over the window the opener saw, so `follows` (and its live count) is about the window replaced.
        ConditionExpression: replaces === undefined ? 'attribute_not_exists(pk)' : 'windowEndsAt = :replaces AND windowEndsAt <= :now',
        ExpressionAttributeValues: {
          ':window': windowEndsAt,
          ':n': count,
          ':bulk': bulk ? count : 0,
          ':live': bulk ? 0 : count,
          ':limit': limit,
          ':zero': 0,
          ...(replaces === undefined ? {} : { ':replaces': replaces, ':now': now }),
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  }

  giveBack({ windowEndsAt, count, bulk }: GiveBackRequest): Promise<StoreAnswer> {
    const counted = bulk ? 'bulkUsed' : 'liveUsed';
    return this.write(
      new UpdateCommand({
        TableName: this.tableName,
        Key: this.key,
        UpdateExpression: `SET used = used - :n, ${counted} = ${counted} - :n`,
        // Another window (or a 429's block) has begun: the requests were never the new window's to give.
        ConditionExpression: `windowEndsAt = :window AND used >= :n AND ${counted} >= :n`,
        ExpressionAttributeValues: { ':window': windowEndsAt, ':n': count },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  }

  async apply(next: BudgetState, expected: BudgetState): Promise<boolean> {
    const item: StoredBudget = {
      windowEndsAt: next.windowEndsAt,
      used: next.used,
      bulkUsed: next.bulkUsed,
      liveUsed: next.liveUsed,
      liveBefore: next.liveBefore,
      limitPerWindow: next.limit,
      blockedUntil: next.blockedUntil,
    };
    const answer = await this.write(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...this.key, ...item },
        ConditionExpression: 'attribute_not_exists(pk) OR (windowEndsAt = :expectedWindow AND used <= :used)',
        ExpressionAttributeValues: { ':expectedWindow': expected.windowEndsAt, ':used': next.used },
      }),
    );
    return answer.granted;
  }

  private async write(command: UpdateCommand | PutCommand): Promise<StoreAnswer> {
    try {
      const output = await this.documents.send(command as UpdateCommand);
      return { granted: true, state: budgetOf(output.Attributes) };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { granted: false, state: budgetOf(error.Item && numbersOf(error.Item)) };
      throw error;
    }
  }
}

function budgetOf(item: Record<string, unknown> | undefined): BudgetState | undefined {
  if (!item) return undefined;
  const stored = item as unknown as StoredBudget;
  return {
    windowEndsAt: stored.windowEndsAt,
    used: stored.used,
    bulkUsed: stored.bulkUsed ?? 0,
    liveUsed: stored.liveUsed ?? 0,
    liveBefore: stored.liveBefore ?? 0,
    limit: stored.limitPerWindow,
    blockedUntil: stored.blockedUntil,
  };
}

/**
 * The document client converts responses, not errors: the item a failed condition returns comes in
 * DynamoDB's own format. The budget's attributes are all numbers.
 */
function numbersOf(item: Record<string, AttributeValue>): Record<string, number> {
  return Object.fromEntries(Object.entries(item).flatMap(([name, value]) => (value.N === undefined ? [] : [[name, Number(value.N)]])));
}
