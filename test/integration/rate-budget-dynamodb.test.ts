import { MAX_LEASE } from '#core/rate/budget';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Clock } from '#core/clock';
import type { BudgetPolicy } from '#core/rate/budget';
import { RateLimited } from '#core/api-errors';
import { SharedRateBudget, withLeases, type BudgetStore } from '#adapters/http/rate-budget';
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

  it('leases requests in a scope: one invocation alone spends a window for a few store requests (blocks of MAX_LEASE)', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const counter = { requests: 0 };
    const store = countingStore(new DynamoDbBudgetStore(dynamodb, ledger, 'greenhouse', 'tenant-g'), counter);
    const budget = new SharedRateBudget({ system: 'greenhouse', store, policy: POLICY, clock, maxWaitMs: 0 });
    await withLeases(async () => {
      for (let i = 0; i < 45; i++) await budget.acquire('GET /v3/candidates');
      await expect(budget.acquire('GET /v3/candidates')).rejects.toBeInstanceOf(RateLimited);
    });
    // One read, blocks of MAX_LEASE, smaller ones as the window runs out; nothing left to give back.
    expect(MAX_LEASE).toBeGreaterThan(4);
    expect(counter.requests).toBeLessThanOrEqual(45 / 4);
    expect((await store.load())?.used).toBe(45);
  });

  it('gives back what a scope leased and did not spend, while the window lasts', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const [budget, other] = invocations('tenant-j', clock);
    await withLeases(() => budget!.acquire('GET /v3/candidates'));
    expect(await new DynamoDbBudgetStore(dynamodb, ledger, 'greenhouse', 'tenant-j').load()).toMatchObject({ used: 1, liveUsed: 1 });
    // Given back, the rest of the window is the other invocations' again.
    expect(await race([other!], 45)).toEqual({ granted: 44, refused: 1 });
    // A block whose window has ended is not given back into the next one.
    clock.t += 30_000;
    await withLeases(async () => {
      await other!.acquire('GET /v3/candidates');
      clock.t += 30_000;
    });
    await withLeases(() => budget!.acquire('GET /v3/candidates'));
    expect(await new DynamoDbBudgetStore(dynamodb, ledger, 'greenhouse', 'tenant-j').load()).toMatchObject({ used: 1 });
  });

  it('opens a window with the live count of the one just ended, and refuses a bulk take the live traffic since outgrew', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const shared: BudgetPolicy = { ...POLICY, liveShare: 0.3 };
    const [webhook, backfill] = invocations('tenant-k', clock, shared, 2);
    const store = new DynamoDbBudgetStore(dynamodb, ledger, 'greenhouse', 'tenant-k');
    expect(await race([webhook!], 6)).toEqual({ granted: 6, refused: 0 });
    clock.t += 30_000;
    // Bulk opens the next window: it carries the 6 live requests, so the reserve is 12 and bulk stops at 33.
    expect(await withPriority('bulk', () => race([backfill!], 20))).toEqual({ granted: 20, refused: 0 });
    expect(await store.load()).toMatchObject({ used: 20, bulkUsed: 20, liveUsed: 0, liveBefore: 6 });
    // Eight live requests the backfill has not seen raise the reserve to the live share (14): bulk gets 11 more, not 13.
    expect(await race([webhook!], 8)).toEqual({ granted: 8, refused: 0 });
    expect(await withPriority('bulk', () => race([backfill!], 20))).toEqual({ granted: 31 - 20, refused: 9 });
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

  it('stops bulk traffic short of the live reserve while live traffic still gets through', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const shared: BudgetPolicy = { ...POLICY, liveShare: 0.3 };
    const backfill = invocations('tenant-i', clock, shared);
    // allowance(50, 0.1) = 45; with no live traffic seen bulk leaves only the floor, 5.
    expect(await withPriority('bulk', () => race(backfill, 45))).toMatchObject({ granted: 40 });
    const webhooks = invocations('tenant-i', clock, shared, 2);
    expect(await race(webhooks, 5)).toEqual({ granted: 5, refused: 5 });
    clock.t += 10_000;
    const error = (await withPriority('bulk', () => backfill[0]!.acquire('GET /v3/candidates')).catch((e: unknown) => e)) as RateLimited;
    expect(error).toBeInstanceOf(RateLimited);
    expect(error.source).toBe('budget');
    expect(error.retryAfterSeconds).toBe(20);
    // The next window keeps twice the 5 live requests of this one.
    clock.t += 20_000;
    expect((await withPriority('bulk', () => race(backfill, 45))).granted).toBe(35);
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
  return { load: counted(store.load), take: counted(store.take), openWindow: counted(store.openWindow), giveBack: counted(store.giveBack), apply: counted(store.apply) };
}
