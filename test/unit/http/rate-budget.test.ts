import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { Clock } from '#core/clock';
import { ENVELOPE_VERSION, type Origin } from '#core/envelope';
import { RateLimited } from '#core/api-errors';
import type { BudgetPolicy, TrafficPriority } from '#core/rate/budget';
import type { ConsumerQueue } from '#adapters/queue/consumer-queue';
import { InMemoryBudgetStore, SharedRateBudget, withLeases, type BudgetStore } from '#adapters/http/rate-budget';
import { currentPriority, withPriority } from '#adapters/http/traffic-priority';
import { makeFifoConsumer } from '#handlers/fifo-consumer';
import { makeScheduledRunsHandler } from '#handlers/make-scheduled-runs-handler';
import type { PollerGreenhouse } from '#core/sync/poll-greenhouse';

/** A clock whose sleeps move it: a single caller's waits are exact. */
class SteppingClock implements Clock {
  constructor(public t: number) {}
  now() {
    return this.t;
  }
  async sleep(ms: number) {
    this.t += ms;
  }
}

const NOW = 1_700_000_000_000;
const POLICY: BudgetPolicy = { windowMs: 30_000, initialLimit: 50, safetyMargin: 0.1, liveShare: 0.3 };

const budgetOn = (store: InMemoryBudgetStore, clock: Clock, policy = POLICY, maxWaitMs = 0) =>
  new SharedRateBudget({ system: 'greenhouse', store, policy, clock, maxWaitMs });

async function spend(budget: SharedRateBudget, times: number): Promise<number> {
  let granted = 0;
  for (let i = 0; i < times; i++) {
    try {
      await budget.acquire('GET /v3/candidates');
      granted++;
    } catch (error) {
      if (!(error instanceof RateLimited)) throw error;
    }
  }
  return granted;
}

describe('shared rate budget in memory: priorities', () => {
  it('lets a bulk caller alone use all but the live floor, and a live caller still gets through', async () => {
    const clock = new SteppingClock(NOW);
    const store = new InMemoryBudgetStore();
    const backfill = budgetOn(store, clock);
    const webhook = budgetOn(store, clock);
    // allowance(50, 0.1) = 45; with no live traffic seen the reserve is its floor, 5.
    expect(await withPriority('bulk', () => spend(backfill, 45))).toBe(40);
    expect(await spend(webhook, 45)).toBe(5);
    const error = (await withPriority('bulk', () => backfill.acquire('GET /v3/candidates')).catch((e: unknown) => e)) as RateLimited;
    expect(error).toBeInstanceOf(RateLimited);
    expect(error.retryAfterSeconds).toBe(30);
  });

  it('keeps more for live traffic in the window after live traffic was seen, up to the live share', async () => {
    const clock = new SteppingClock(NOW);
    const store = new InMemoryBudgetStore();
    const backfill = budgetOn(store, clock);
    const webhook = budgetOn(store, clock);
    expect(await spend(webhook, 4)).toBe(4);
    // Four live requests in this window: live may have 8 of it (4 more), so bulk stops at 45 − 8.
    expect(await withPriority('bulk', () => spend(backfill, 45))).toBe(37);
    clock.t += 30_000;
    // The next window remembers them: bulk still leaves 8 (not the floor of 5).
    expect(await withPriority('bulk', () => spend(backfill, 45))).toBe(37);
    clock.t += 30_000;
    // A window after one with no live traffic is back at the floor.
    expect(await withPriority('bulk', () => spend(backfill, 45))).toBe(40);
  });

  it('refuses a bulk take planned before live traffic raised the reserve', async () => {
    const clock = new SteppingClock(NOW);
    const store = new InMemoryBudgetStore();
    const backfill = budgetOn(store, clock);
    expect(await withPriority('bulk', () => spend(backfill, 30))).toBe(30);
    // Live traffic the backfill's cached view (reserve 5: bulk may reach 40) has not seen: 10 live
    // requests make the reserve 14, the live share, so bulk may reach 31 only.
    expect(await spend(budgetOn(store, clock), 10)).toBe(10);
    expect(await withPriority('bulk', () => spend(backfill, 45))).toBe(1);
    expect((await store.load())?.bulkUsed).toBe(31);
  });

  it('lets live traffic use the whole allowance when no backfill runs', async () => {
    const budget = budgetOn(new InMemoryBudgetStore(), new SteppingClock(NOW));
    expect(await spend(budget, 60)).toBe(45);
  });

  it('lets bulk traffic use the whole allowance when the live share is zero', async () => {
    const budget = budgetOn(new InMemoryBudgetStore(), new SteppingClock(NOW), { ...POLICY, liveShare: 0 });
    expect(await withPriority('bulk', () => spend(budget, 60))).toBe(45);
  });
});

describe('shared rate budget in memory: lease scopes', () => {
  it('leases blocks inside a scope and gives back what was not spent when the scope ends', async () => {
    const clock = new SteppingClock(NOW);
    const store = new InMemoryBudgetStore();
    const calls = countCalls(store);
    const budget = budgetOn(store, clock);
    await withLeases(async () => {
      expect(await spend(budget, 3)).toBe(3);
      // One block (a quarter of 45, at most MAX_LEASE) covered the three requests: a read, then one write.
      expect({ ...calls }).toEqual({ load: 1, openWindow: 1 });
      expect((await store.load())?.used).toBe(8);
    });
    expect(calls.giveBack).toBe(1);
    expect(await store.load()).toMatchObject({ used: 3, liveUsed: 3 });
  });

  it('gives a bulk block back to bulk, and nothing once its window has ended', async () => {
    const clock = new SteppingClock(NOW);
    const store = new InMemoryBudgetStore();
    const budget = budgetOn(store, clock);
    await withPriority('bulk', () => withLeases(async () => void (await spend(budget, 2))));
    expect(await store.load()).toMatchObject({ used: 2, bulkUsed: 2, liveUsed: 0 });
    const calls = countCalls(store);
    await withLeases(async () => {
      await spend(budget, 1);
      clock.t += 30_000;
    });
    expect(calls.giveBack).toBeUndefined();
  });

  it('keeps and gives back every lease concurrent callers of one budget took', async () => {
    const store = new InMemoryBudgetStore();
    const budget = budgetOn(store, new SteppingClock(NOW));
    await withLeases(async () => {
      expect(await spend(budget, 8)).toBe(8);
      // The first block is spent: four callers at once each take a block of their own.
      await Promise.all(Array.from({ length: 4 }, () => budget.acquire('GET /v3/candidates')));
      expect((await store.load())?.used).toBeGreaterThan(8 + 4 * 4);
    });
    // Every block's unspent rest came back, none was dropped by the one taken beside it.
    expect(await store.load()).toMatchObject({ used: 12, liveUsed: 12 });
  });

  it('leases one request at a time outside any scope, as nobody would give a block back', async () => {
    const store = new InMemoryBudgetStore();
    const budget = budgetOn(store, new SteppingClock(NOW));
    await spend(budget, 2);
    expect((await store.load())?.used).toBe(2);
  });

  it('gives back at the end of each queue batch the consumer shell runs', async () => {
    const clock = new SteppingClock(NOW);
    const store = new InMemoryBudgetStore();
    const budget = budgetOn(store, clock);
    let usedDuringBatch: number | undefined;
    const consumer = makeFifoConsumer({
      handle: async () => {
        await budget.acquire('GET /v3/candidates/1');
        usedDuringBatch = (await store.load())?.used;
      },
      queue: testQueue(),
      logger: new Logger({ logLevel: 'SILENT' }),
      metrics: { addMetric: () => undefined, publishStoredMetrics: () => undefined },
    });
    expect((await consumer({ Records: [record('m1', 'webhook')] })).batchItemFailures).toEqual([]);
    expect(usedDuringBatch).toBeGreaterThan(1);
    expect((await store.load())?.used).toBe(1);
  });
});

describe('shared rate budget in memory: leases under even pacing', () => {
  it('spaces a lease over the window instead of letting it out in a burst', async () => {
    const even: BudgetPolicy = { windowMs: 1_000, initialLimit: 40, safetyMargin: 0.1, pacing: 'even' };
    const clock = new SteppingClock(NOW);
    const budget = budgetOn(new InMemoryBudgetStore(), clock, even, 1_000);
    const sentAt: number[] = [];
    await withLeases(async () => {
      for (let i = 0; i < 36; i++) {
        await budget.acquire('GET /v1/contacts');
        sentAt.push(clock.now());
      }
    });
    // 36 a second from the window's start (the first request): the i-th no earlier than i × 1000/36
    // ms in, though each lease held several; the last about a window in. A waiter wakes up to one
    // slot (1000/36 ms) late, at random, so concurrent waiters do not wake together: the last one
    // may be that much past the window's end, never more.
    const slot = 1_000 / 36;
    expect(sentAt.filter((t, i) => t < NOW + i * slot - 1)).toEqual([]);
    expect(sentAt.at(-1)! - NOW).toBeLessThan(1_000 + slot);
  });
});

describe('traffic priority', () => {
  it('is live unless a caller says otherwise, and follows its calls through awaits', async () => {
    expect(currentPriority()).toBe('live');
    const seen = await withPriority('bulk', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return currentPriority();
    });
    expect(seen).toBe('bulk');
    expect(currentPriority()).toBe('live');
  });

  it('is bulk inside the handler of a backfill message and live for every other origin', async () => {
    const seen: Record<string, TrafficPriority> = {};
    const queue = testQueue();
    const consumer = makeFifoConsumer({
      handle: async (envelope) => {
        await Promise.resolve();
        seen[envelope.origin] = currentPriority();
      },
      queue,
      logger: new Logger({ logLevel: 'SILENT' }),
      metrics: { addMetric: () => undefined, publishStoredMetrics: () => undefined },
    });
    const origins: Origin[] = ['webhook', 'backfill', 'poll', 'push'];
    const event: SQSEvent = { Records: origins.map((origin, i) => record(`m${i}`, origin)) };
    expect((await consumer(event)).batchItemFailures).toEqual([]);
    expect(seen).toEqual({ webhook: 'live', backfill: 'bulk', poll: 'live', push: 'live' });
  });
});

describe('traffic priority of the scheduled runs', () => {
  it('is bulk for the deletions sweep and live for a poller', async () => {
    const seen: TrafficPriority[] = [];
    const greenhouse = {
      list: async function* () {
        seen.push(currentPriority());
      },
      listUsers: async function* () {},
    } as unknown as PollerGreenhouse;
    const handler = makeScheduledRunsHandler({
      greenhouse,
      ledger: { getWatermark: async () => undefined, advanceWatermark: async () => true, getSyncState: async () => undefined, putSyncState: async () => undefined },
      publisher: { publish: async () => undefined },
      clock: new SteppingClock(NOW),
      deletions: {
        links: async function* () {
          yield { links: [{ greenhouseKey: 'greenhouse#candidate#7', beameryKey: 'beamery#contact#c7', status: 'active', updatedAt: new Date(NOW).toISOString() }] };
        },
      },
      logger: new Logger({ logLevel: 'SILENT' }),
      metrics: { addMetric: () => undefined, publishStoredMetrics: () => undefined },
    } as unknown as Parameters<typeof makeScheduledRunsHandler>[0]);
    await handler({ poller: 'deletions' });
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set(['bulk']));
    seen.length = 0;
    await handler({ poller: 'jobs' });
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set(['live']));
  });
});

function testQueue(): ConsumerQueue {
  return {
    id: 'greenhouse-changes',
    maxFailures: 5,
    retentionSeconds: 14 * 86_400,
    visibilityTimeoutSeconds: 360,
    handBack: async () => 0,
    countFailure: async () => 1,
    deadLetter: async () => undefined,
  };
}

/** Counts the calls made to a store's methods, by name, from now on. */
function countCalls(store: BudgetStore): Record<string, number> {
  const calls: Record<string, number> = {};
  for (const name of ['load', 'take', 'openWindow', 'giveBack', 'apply'] as const) {
    const method = store[name].bind(store) as (...args: unknown[]) => Promise<unknown>;
    (store as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      calls[name] = (calls[name] ?? 0) + 1;
      return method(...args);
    };
  }
  return calls;
}

function record(id: string, origin: Origin): SQSRecord {
  const body = JSON.stringify({ v: ENVELOPE_VERSION, kind: 'greenhouse.event', action: 'update_candidate', entityKey: `greenhouse#candidate#${id}`, origin, observedAt: new Date(NOW).toISOString(), deliveryId: id, refs: {} });
  return {
    messageId: id,
    receiptHandle: `rh-${id}`,
    body,
    attributes: { SentTimestamp: String(NOW), ApproximateReceiveCount: '1', MessageGroupId: `g-${id}` } as SQSRecord['attributes'],
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:1:greenhouse-changes.fifo',
    awsRegion: 'us-east-1',
  };
}
