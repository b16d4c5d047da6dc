import { MAX_LEASE } from '#core/rate/budget';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Clock } from '#core/clock';
import type { BudgetPolicy } from '#core/rate/budget';
import { RateLimited } from '#core/api-errors';
import { SharedRateBudget, type BudgetStore } from '#adapters/http/rate-budget';
import { withPriority } from '#adapters/http/traffic-priority';
import { DynamoDbBudgetStore } from '#adapters/store/dynamodb-budget-store';
import { startDynamoDbLocal, type DynamoDbLocal } from '#local/dynamodb-local';
import { localDynamoDbClient } from '#local/sdk-clients';
import { createTables } from '#local/resources';

/** A clock the test moves by hand; `sleep` is never reached because maxWaitMs is 0. */
class ManualClock implements Clock {
  constructor(public t: number) {}
  now() {
    return this.t;
  }
  async sleep() {
    throw new Error('a budget with maxWaitMs 0 must not sleep');
  }
}

const POLICY: BudgetPolicy = { windowMs: 30_000, initialLimit: 50, safetyMargin: 0.1 };

describe('rate budget shared through DynamoDB (DynamoDB Local)', () => {
  let ddbLocal: DynamoDbLocal;
  let dynamodb: DynamoDBClient;
  let ledger: string;

  beforeAll(async () => {
    ddbLocal = await startDynamoDbLocal();
    dynamodb = localDynamoDbClient(ddbLocal.endpoint);
    ledger = (await createTables(dynamodb, 'budget-it-')).ledger;
  });
  afterAll(async () => {
    dynamodb?.destroy();
    await ddbLocal?.stop();
  });

  /** Eight invocations, each with its own budget object (and cache), all on one tenant's item. */
  const invocations = (tenant: string, clock: Clock, policy = POLICY, count = 8) =>
    Array.from(
      { length: count },
      () => new SharedRateBudget({ system: 'greenhouse', store: new DynamoDbBudgetStore(dynamodb, ledger, 'greenhouse', tenant), policy, clock, maxWaitMs: 0 }),
    );

  async function race(budgets: SharedRateBudget[], perBudget: number) {
    let granted = 0;
    let refused = 0;
    await Promise.all(
      budgets.map(async (budget) => {
        for (let i = 0; i < perBudget; i++) {
          try {
            await budget.acquire('GET /v3/candidates');
            granted++;
          } catch (error) {
            if (!(error instanceof RateLimited)) throw error;
            refused++;
          }
        }
      }),
    );
    return { granted, refused };
  }

  it('grants exactly the allowance per window across eight concurrent invocations', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const budgets = invocations('tenant-a', clock);
    // Each asks for the whole allowance, so every leased request is spent: none may go past it.
    expect(await race(budgets, 45)).toEqual({ granted: 45, refused: 8 * 45 - 45 });
    clock.t += 30_000;
    expect((await race(budgets, 45)).granted).toBe(45);
  });

  it('tells the caller how long to wait when the window is spent', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const [budget] = invocations('tenant-b', clock);
    for (let i = 0; i < 45; i++) await budget!.acquire('GET /v3/jobs');
    clock.t += 12_000;
    const error = (await budget!.acquire('GET /v3/jobs').catch((e: unknown) => e)) as RateLimited;
    expect(error).toBeInstanceOf(RateLimited);
    expect(error.source).toBe('budget');
    expect(error.retryAfterSeconds).toBe(18);
  });

  it('keeps budgets of different tenants apart', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    expect((await race(invocations('tenant-c', clock), 45)).granted).toBe(45);
    expect((await race(invocations('tenant-d', clock), 45)).granted).toBe(45);
  });

  it('blocks every invocation after one sees a 429, for Retry-After', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const budgets = invocations('tenant-e', clock);
    await budgets[0]!.acquire('GET /v3/users');
    await budgets[0]!.observe({ status: 429, retryAfterMs: 20_000 });
    const error = (await budgets[5]!.acquire('GET /v3/users').catch((e: unknown) => e)) as RateLimited;
    expect(error).toBeInstanceOf(RateLimited);
    expect(error.retryAfterSeconds).toBe(20);
    clock.t += 20_001;
    await expect(budgets[5]!.acquire('GET /v3/users')).resolves.toBeUndefined();
  });

  it('follows the server: its window, its limit, and its higher count', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const budgets = invocations('tenant-f', clock);
    await budgets[0]!.acquire('GET /v3/users');
    // Another client of the tenant already spent most of a 100-request window ending in 10 s.
    await budgets[0]!.observe({ status: 200, limit: 100, remaining: 20, windowEndsAt: clock.t + 10_000 });
    // allowance(100, 0.1) = 90; the server has counted 80, so ten are left for all invocations together.
    expect(await race(budgets, 10)).toEqual({ granted: 10, refused: 70 });
  });

  it('leases requests: one invocation alone spends a window for one store request each at most (leases capped at MAX_LEASE)', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const counter = { requests: 0 };
    const store = countingStore(new DynamoDbBudgetStore(dynamodb, ledger, 'greenhouse', 'tenant-g'), counter);
    const budget = new SharedRateBudget({ system: 'greenhouse', store, policy: POLICY, clock, maxWaitMs: 0 });
    for (let i = 0; i < 45; i++) await budget.acquire('GET /v3/candidates');
    // One read, then one conditional write per request while leases are capped at one (MAX_LEASE).
    expect(counter.requests).toBe(1 + 45 / MAX_LEASE);
    await expect(budget.acquire('GET /v3/candidates')).rejects.toBeInstanceOf(RateLimited);
  });

  it('carries a higher server count to the store with the next lease, not with each response', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const counter = { requests: 0 };
    const store = countingStore(new DynamoDbBudgetStore(dynamodb, ledger, 'greenhouse', 'tenant-h'), counter);
    const budget = new SharedRateBudget({ system: 'greenhouse', store, policy: POLICY, clock, maxWaitMs: 0 });
    await budget.acquire('GET /v3/jobs');
    const windowEndsAt = (await store.load())!.windowEndsAt;
    counter.requests = 0;
    // Another client of the tenant has spent 30 of this window.
    await budget.observe({ status: 200, limit: 50, remaining: 20, windowEndsAt });
    expect(counter.requests).toBe(0);
    for (let i = 0; i < 15; i++) await budget.acquire('GET /v3/jobs');
    expect((await store.load())!.used).toBeGreaterThanOrEqual(30);
    await expect(race(invocations('tenant-h', clock), 45)).resolves.toMatchObject({ granted: expect.any(Number) });
    expect((await store.load())!.used).toBeLessThanOrEqual(45);
  });

  it('stops bulk traffic at its share of the window while live traffic still gets through', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const shared: BudgetPolicy = { ...POLICY, liveShare: 0.3 };
    const backfill = invocations('tenant-i', clock, shared);
    // allowance(50, 0.1) = 45; bulk may use 45 × 0.7 = 31 of it.
    expect(await withPriority('bulk', () => race(backfill, 45))).toMatchObject({ granted: 31 });
    const webhooks = invocations('tenant-i', clock, shared, 2);
    expect(await race(webhooks, 14)).toEqual({ granted: 14, refused: 14 });
    clock.t += 10_000;
    const error = (await withPriority('bulk', () => backfill[0]!.acquire('GET /v3/candidates')).catch((e: unknown) => e)) as RateLimited;
    expect(error).toBeInstanceOf(RateLimited);
    expect(error.source).toBe('budget');
    expect(error.retryAfterSeconds).toBe(20);
    // The next window gives bulk its share again.
    clock.t += 20_000;
    expect((await withPriority('bulk', () => race(backfill, 45))).granted).toBe(31);
  });
});

/** Counts the calls made to a store: each method of DynamoDbBudgetStore is one DynamoDB request. */
function countingStore(store: BudgetStore, counter: { requests: number }): BudgetStore {
  const counted =
    <A extends unknown[], R>(method: (...args: A) => Promise<R>) =>
    (...args: A) => {
      counter.requests++;
      return method.apply(store, args);
    };
  return { load: counted(store.load), take: counted(store.take), openWindow: counted(store.openWindow), apply: counted(store.apply) };
}
