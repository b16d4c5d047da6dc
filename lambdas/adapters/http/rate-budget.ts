import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock } from '#core/clock';
import {
  allowance,
  MAX_LEASE,
  bulkAllowance,
  initialState,
  leaseFrom,
  liveCeiling,
  onlyRaisesCount,
  planAcquire,
  planSpend,
  reconcile,
  returnable,
  type BudgetPolicy,
  type BudgetState,
  type Lease,
  type LiveSeen,
  type RateObservation,
  type TrafficPriority,
} from '#core/rate/budget';
import { RateLimited, type ApiSystem } from '#core/api-errors';
import { currentPriority } from './traffic-priority.ts';

/**
 * A tenant's request budget as the HTTP client uses it: `acquire` before each request, `observe`
 * after each response. `SharedRateBudget` runs the planner of lambdas/core/rate/budget.ts over a
 * store with atomic conditional updates: DynamoDB in Lambda (every concurrent invocation shares one
 * item), memory in a single process.
 */
export interface RateBudget {
  /** Resolves when a request may go out; throws RateLimited when that is further away than the caller may wait. */
  acquire(operation: string): Promise<void>;
  observe(observation: RateObservation): Promise<void>;
}

/** One conditional write's answer: the state after it when granted, the state it found when refused (undefined: none stored). */
export interface StoreAnswer {
  readonly granted: boolean;
  readonly state: BudgetState | undefined;
}

export interface TakeRequest {
  readonly windowEndsAt: number;
  readonly count: number;
  readonly allowed: number;
  /** Bulk traffic only: what bulk may count in the window; the take is counted as bulk too (else as live). */
  readonly bulkAllowed?: number;
  /**
   * Bulk traffic only: `bulkAllowed` holds while the stored live counts (this window's and the one
   * before) are no higher (core/rate/budget.ts liveCeiling); absent, whatever they are.
   */
  readonly liveCeiling?: number;
  /**
   * Granted while at least one request is left, counting all `count` (core/rate/budget.ts leaseFrom).
   * Not for bulk: its count past the bulk share would be taken from live traffic.
   */
  readonly partial?: boolean;
  readonly now: number;
}

export interface OpenWindowRequest {
  readonly windowEndsAt: number;
  /** The ended window the opener saw (undefined: none stored); the open applies only over it. */
  readonly replaces: number | undefined;
  /** Whether `replaces` is the window just before: its live count becomes the new window's `liveBefore`. */
  readonly follows: boolean;
  readonly limit: number;
  readonly count: number;
  readonly bulk: boolean;
  readonly now: number;
}

export interface GiveBackRequest {
  readonly windowEndsAt: number;
  readonly count: number;
  readonly bulk: boolean;
}

/** Each method is one request to the store (bench/backfill.ts and bench/rate-limit.ts count them so). */
export interface BudgetStore {
  load(): Promise<BudgetState | undefined>;
  /** Counts `count` requests if the stored window is still `windowEndsAt`, has room for them (one, if partial) under `allowed` (and `bulkAllowed`) and is not blocked at `now`. */
  take(request: TakeRequest): Promise<StoreAnswer>;
  /** Starts a window ending at `windowEndsAt` with `count` requests counted, if the stored one is still `replaces` and has ended (or none exists). */
  openWindow(request: OpenWindowRequest): Promise<StoreAnswer>;
  /** Uncounts `count` unspent requests if the stored window is still `windowEndsAt` (else there is nothing to give back). */
  giveBack(request: GiveBackRequest): Promise<StoreAnswer>;
  /** Writes `next` if the stored state is still in `expected`'s window and has not counted past `next.used`. */
  apply(next: BudgetState, expected: BudgetState): Promise<boolean>;
}

export interface SharedRateBudgetOptions {
  readonly system: ApiSystem;
  readonly store: BudgetStore;
  readonly policy: BudgetPolicy;
  readonly clock: Clock;
  /**
   * Longest wait `acquire` absorbs. A Lambda consumer keeps this short and lets the message go back
   * to its queue (RateLimited.retryAfterSeconds) rather than pay for a sleeping function.
   */
  readonly maxWaitMs: number;
}

/** Concurrent waiters wake spread over this many ms instead of all at the window edge. */
const WAKE_SPREAD_MS = 50;

/** The budgets that leased inside the current lease scope. */
const leaseScope = new AsyncLocalStorage<Set<SharedRateBudget>>();

/**
 * Runs `fn` as one holder of leases (a queue batch, a scheduled run): inside it, a budget leases
 * blocks of requests (core/rate/budget.ts MAX_LEASE), and when it ends, every budget that leased
 * gives back what it did not spend, so the block does not sit unspent for the rest of the window
 * while other invocations wait. Outside any scope nobody would give a block back, so a budget leases
 * one request at a time there. Giving back is best effort: a failure only loses the block, as a
 * lease outliving its window does.
 */
export async function withLeases<T>(fn: () => Promise<T>): Promise<T> {
  const holders = new Set<SharedRateBudget>();
  try {
    return await leaseScope.run(holders, fn);
  } finally {
    await Promise.allSettled([...holders].map((budget) => budget.release()));
  }
}

/**
 * Requests are leased (core/rate/budget.ts): a lease's requests go out with no store request, so the
 * store is written about once per lease rather than read and written per request. The state cached
 * here is what the last write returned; a refused write returns the stored state, so a stale cache
 * costs one refused write, never an extra read.
 */
export class SharedRateBudget implements RateBudget {
  private cached: BudgetState | undefined;
  /** Several per priority when concurrent callers (a batch's message groups side by side) each took one. */
  private readonly leases = new Map<TrafficPriority, Lease[]>();
  /** Whether others took from the window between this budget's last two leases (unknown: yes). */
  private contended = true;
  /** A server count above the cache's, carried to the store with the next lease (onlyRaisesCount). */
  private serverFloor: { readonly windowEndsAt: number; readonly used: number } | undefined;

  constructor(private readonly options: SharedRateBudgetOptions) {}

  async acquire(operation: string): Promise<void> {
    const { store, policy, clock } = this.options;
    const priority = currentPriority();
    for (;;) {
      const now = clock.now();
      const spent = this.spendHeld(priority, now);
      if (spent === 'spent') return;
      if (spent !== undefined) {
        // Paced: the next request a lease holds has its slot later in the window.
        await this.wait(spent - now, 0, operation);
        continue;
      }
      const state = this.cached ?? (await store.load());
      const plan = planAcquire(state, now, policy, { priority, contended: this.contended });
      if (plan.kind === 'wait') {
        const limit = state?.limit ?? policy.initialLimit;
        // Spread no wider than one request's share of the window, or short windows would go unused.
        await this.wait(plan.untilMs - now, Math.min(WAKE_SPREAD_MS, policy.windowMs / allowance(limit, policy.safetyMargin)), operation);
        continue;
      }
      const limit = state?.limit ?? policy.initialLimit;
      // A block only where a scope gives back what is left of it (withLeases).
      const scope = leaseScope.getStore();
      const count = Math.min(plan.count, scope ? MAX_LEASE : 1);
      const take = (windowEndsAt: number, seen: LiveSeen) => store.take({ windowEndsAt, count, ...this.allowances(seen, priority), now });
      const answer =
        plan.kind === 'take'
          ? await take(state!.windowEndsAt, state!)
          : await this.openOrJoin(
              plan.windowEndsAt,
              state !== undefined,
              () => take(plan.windowEndsAt, { limit, liveUsed: 0, liveBefore: plan.follows ? state!.liveUsed : 0 }),
              () => store.openWindow({ windowEndsAt: plan.windowEndsAt, replaces: state?.windowEndsAt, follows: plan.follows, limit, count, bulk: priority === 'bulk', now }),
            );
      this.cached = answer.state;
      if (answer.granted && answer.state) {
        scope?.add(this);
        await this.granted(priority, plan.kind === 'take' ? state : undefined, answer.state, count);
      }
      // Granted: the loop spends the new lease (after its slot, when paced). Refused: plan again from the stored state.
    }
  }

  async observe(observation: RateObservation): Promise<void> {
    const { store, policy, clock } = this.options;
    for (let attempt = 0; attempt < 2; attempt++) {
      const now = clock.now();
      const state = this.cached ?? (await store.load()) ?? initialState(now, policy);
      const next = reconcile(state, observation, now, policy);
      if (!next) return;
      if (onlyRaisesCount(state, next)) {
        this.cached = next;
        this.serverFloor = { windowEndsAt: next.windowEndsAt, used: next.used };
        return;
      }
      // A new window or a block: what this budget leased in the old one may no longer go out.
      if (next.windowEndsAt !== state.windowEndsAt || next.blockedUntil > now) this.leases.clear();
      if (await store.apply(next, state)) {
        this.cached = next;
        return;
      }
      this.cached = undefined;
    }
    // Observations are advice: losing one to a concurrent update only costs a little accuracy.
  }

  /** Gives back what this budget's leases did not spend (withLeases calls it when its holder is done). */
  async release(): Promise<void> {
    const { store, policy, clock } = this.options;
    const now = clock.now();
    const given: { priority: TrafficPriority; lease: Lease; count: number }[] = [];
    for (const [priority, held] of this.leases) {
      const kept: Lease[] = [];
      for (const lease of held) {
        const count = returnable(lease, now, policy);
        // Nothing to give (spent, ended, or paced): a paced lease stays for the container's next invocation within its second.
        if (count === 0) kept.push(lease);
        else given.push({ priority, lease, count });
      }
      this.leases.set(priority, kept);
    }
    for (const { priority, lease, count } of given) {
      const answer = await store.giveBack({ windowEndsAt: lease.windowEndsAt, count, bulk: priority === 'bulk' });
      this.cached = answer.state;
    }
  }

  /**
   * Spends one request of a lease held for `priority`, synchronously (so concurrent callers never
   * spend the same one): 'spent', or the earliest paced slot to wait for, or undefined when no lease
   * is left to spend. Ended leases are dropped.
   */
  private spendHeld(priority: TrafficPriority, now: number): 'spent' | number | undefined {
    const { policy } = this.options;
    const held = this.leases.get(priority) ?? [];
    let slot: number | undefined;
    const live: Lease[] = [];
    for (const [i, lease] of held.entries()) {
      const spend = planSpend(lease, now, policy);
      if (spend.kind === 'spend') {
        held[i] = { ...lease, spent: spend.spent };
        return 'spent';
      }
      if (spend.kind === 'wait') slot = Math.min(slot ?? spend.untilMs, spend.untilMs);
      if (spend.kind !== 'ended') live.push(lease);
    }
    this.leases.set(priority, live);
    return slot;
  }

  /**
   * Starts the next window, or joins it when another invocation has. Contended budgets wait for the
   * same window edge, where one opens it and the rest would each pay a refused open before their
   * take: they try the take first (one request), and open only when the window is still the old one.
   */
  private async openOrJoin(
    windowEndsAt: number,
    known: boolean,
    take: () => Promise<StoreAnswer>,
    open: () => Promise<StoreAnswer>,
  ): Promise<StoreAnswer> {
    if (this.contended && known) {
      const joined = await take();
      if (joined.granted || joined.state?.windowEndsAt === windowEndsAt) return joined;
    }
    return open();
  }

  private allowances(seen: LiveSeen, priority: TrafficPriority): Pick<TakeRequest, 'allowed' | 'bulkAllowed' | 'liveCeiling' | 'partial'> {
    const { policy } = this.options;
    const allowed = allowance(seen.limit, policy.safetyMargin);
    if (priority === 'live') return { allowed, partial: true };
    const ceiling = liveCeiling(seen, policy);
    return { allowed, bulkAllowed: bulkAllowance(seen, policy), ...(Number.isFinite(ceiling) ? { liveCeiling: ceiling } : {}) };
  }

  private async granted(priority: TrafficPriority, before: BudgetState | undefined, after: BudgetState, count: number): Promise<void> {
    const { store, policy } = this.options;
    // Alone when the count moved by this lease only since this budget last saw it; a new window keeps the last verdict.
    if (before) this.contended = before.windowEndsAt !== after.windowEndsAt || after.used - count !== before.used;
    this.leases.set(priority, [...(this.leases.get(priority) ?? []), leaseFrom(after, count, policy)]);
    const floor = this.serverFloor;
    this.serverFloor = undefined;
    if (floor && floor.windowEndsAt === after.windowEndsAt && floor.used > after.used) {
      // The server counted more than the bridge ever leased: other clients spend this window too.
      const raised = { ...after, used: floor.used };
      this.cached = (await store.apply(raised, after)) ? raised : undefined;
    }
  }

  private async wait(waitMs: number, spreadMs: number, operation: string): Promise<void> {
    const { clock, maxWaitMs, system } = this.options;
    if (waitMs > maxWaitMs) throw new RateLimited(system, operation, Math.ceil(waitMs / 1000), 'budget');
    await clock.sleep(waitMs + Math.random() * spreadMs);
  }
}

/** For one process (tests, the local stack's single worker). */
export class InMemoryBudgetStore implements BudgetStore {
  private state: BudgetState | undefined;

  async load(): Promise<BudgetState | undefined> {
    return this.state;
  }

  async take({ windowEndsAt, count, allowed, bulkAllowed, liveCeiling, partial, now }: TakeRequest): Promise<StoreAnswer> {
    const s = this.state;
    const needed = partial ? 1 : count;
    const bulk = bulkAllowed !== undefined;
    const bulkFits =
      !bulk || (s !== undefined && s.bulkUsed + needed <= bulkAllowed && (liveCeiling === undefined || Math.max(s.liveUsed, s.liveBefore) <= liveCeiling));
    if (!s || s.windowEndsAt !== windowEndsAt || s.used + needed > allowed || !bulkFits || s.blockedUntil > now) return { granted: false, state: s };
    this.state = { ...s, used: s.used + count, ...(bulk ? { bulkUsed: s.bulkUsed + count } : { liveUsed: s.liveUsed + count }) };
    return { granted: true, state: this.state };
  }

  async openWindow({ windowEndsAt, replaces, follows, limit, count, bulk, now }: OpenWindowRequest): Promise<StoreAnswer> {
    const s = this.state;
    if (s ? s.windowEndsAt > now || s.windowEndsAt !== replaces : replaces !== undefined) return { granted: false, state: s };
    const liveBefore = follows && s ? s.liveUsed : 0;
    this.state = { windowEndsAt, used: count, bulkUsed: bulk ? count : 0, liveUsed: bulk ? 0 : count, liveBefore, limit, blockedUntil: s?.blockedUntil ?? 0 };
    return { granted: true, state: this.state };
  }

  async giveBack({ windowEndsAt, count, bulk }: GiveBackRequest): Promise<StoreAnswer> {
    const s = this.state;
    if (!s || s.windowEndsAt !== windowEndsAt || s.used < count || (bulk ? s.bulkUsed : s.liveUsed) < count) return { granted: false, state: s };
    this.state = { ...s, used: s.used - count, ...(bulk ? { bulkUsed: s.bulkUsed - count } : { liveUsed: s.liveUsed - count }) };
    return { granted: true, state: this.state };
  }

  async apply(next: BudgetState, expected: BudgetState): Promise<boolean> {
    const s = this.state;
    if (s && (s.windowEndsAt !== expected.windowEndsAt || s.used > next.used)) return false;
    this.state = next;
    return true;
  }
}
