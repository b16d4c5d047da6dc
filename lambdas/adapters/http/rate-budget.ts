import type { Clock } from '#core/clock';
import {
  allowance,
  MAX_LEASE,
  bulkAllowance,
  initialState,
  leaseFrom,
  onlyRaisesCount,
  planAcquire,
  planSpend,
  reconcile,
  type BudgetPolicy,
  type BudgetState,
  type Lease,
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
  /** Bulk traffic only: what bulk may count in the window; the take is counted as bulk too. */
  readonly bulkAllowed?: number;
  /**
   * Granted while at least one request is left, counting all `count` (core/rate/budget.ts leaseFrom).
   * Not for bulk: its count past the bulk share would be taken from live traffic.
   */
  readonly partial?: boolean;
  readonly now: number;
}

export interface OpenWindowRequest {
  readonly windowEndsAt: number;
  readonly limit: number;
  readonly count: number;
  readonly bulk: boolean;
  readonly now: number;
}

/** Each method is one request to the store (bench/backfill.ts and bench/rate-limit.ts count them so). */
export interface BudgetStore {
  load(): Promise<BudgetState | undefined>;
  /** Counts `count` requests if the stored window is still `windowEndsAt`, has room for them (one, if partial) under `allowed` (and `bulkAllowed`) and is not blocked at `now`. */
  take(request: TakeRequest): Promise<StoreAnswer>;
  /** Starts a window ending at `windowEndsAt` with `count` requests counted, if the stored one has ended (or none exists). */
  openWindow(request: OpenWindowRequest): Promise<StoreAnswer>;
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

/**
 * Requests are leased (core/rate/budget.ts): a lease's requests go out with no store request, so the
 * store is written about once per lease rather than read and written per request. The state cached
 * here is what the last write returned; a refused write returns the stored state, so a stale cache
 * costs one refused write, never an extra read.
 */
export class SharedRateBudget implements RateBudget {
  private cached: BudgetState | undefined;
  private readonly leases = new Map<TrafficPriority, Lease>();
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
      const lease = this.leases.get(priority);
      if (lease) {
        const spend = planSpend(lease, now, policy);
        if (spend.kind === 'spend') {
          this.leases.set(priority, { ...lease, spent: spend.spent });
          return;
        }
        if (spend.kind === 'wait') {
          // Paced: the lease's next request has its slot later in the window.
          await this.wait(spend.untilMs - now, 0, operation);
          continue;
        }
        this.leases.delete(priority);
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
      // Capped: an unspent lease is lost for the window (core/rate/budget.ts MAX_LEASE).
      const count = Math.min(plan.count, MAX_LEASE);
      const take = (windowEndsAt: number) => store.take({ windowEndsAt, count, ...this.allowances(limit, priority), now });
      const answer =
        plan.kind === 'take'
          ? await take(state!.windowEndsAt)
          : await this.openOrJoin(plan.windowEndsAt, state !== undefined, take, () =>
              store.openWindow({ windowEndsAt: plan.windowEndsAt, limit, count, bulk: priority === 'bulk', now }),
            );
      this.cached = answer.state;
      if (answer.granted && answer.state) await this.granted(priority, plan.kind === 'take' ? state : undefined, answer.state, count);
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

  /**
   * Starts the next window, or joins it when another invocation has. Contended budgets wait for the
   * same window edge, where one opens it and the rest would each pay a refused open before their
   * take: they try the take first (one request), and open only when the window is still the old one.
   */
  private async openOrJoin(
    windowEndsAt: number,
    known: boolean,
    take: (windowEndsAt: number) => Promise<StoreAnswer>,
    open: () => Promise<StoreAnswer>,
  ): Promise<StoreAnswer> {
    if (this.contended && known) {
      const joined = await take(windowEndsAt);
      if (joined.granted || joined.state?.windowEndsAt === windowEndsAt) return joined;
    }
    return open();
  }

  private allowances(limit: number, priority: TrafficPriority): { allowed: number; bulkAllowed?: number; partial?: boolean } {
    const { policy } = this.options;
    const allowed = allowance(limit, policy.safetyMargin);
    return priority === 'bulk' ? { allowed, bulkAllowed: bulkAllowance(limit, policy) } : { allowed, partial: true };
  }

  private async granted(priority: TrafficPriority, before: BudgetState | undefined, after: BudgetState, count: number): Promise<void> {
    const { store, policy } = this.options;
    // Alone when the count moved by this lease only since this budget last saw it; a new window keeps the last verdict.
    if (before) this.contended = before.windowEndsAt !== after.windowEndsAt || after.used - count !== before.used;
    this.leases.set(priority, leaseFrom(after, count, policy));
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

  async take({ windowEndsAt, count, allowed, bulkAllowed, partial, now }: TakeRequest): Promise<StoreAnswer> {
    const s = this.state;
    const needed = partial ? 1 : count;
    const bulkFits = bulkAllowed === undefined || (s !== undefined && s.bulkUsed + needed <= bulkAllowed);
    if (!s || s.windowEndsAt !== windowEndsAt || s.used + needed > allowed || !bulkFits || s.blockedUntil > now) return { granted: false, state: s };
    this.state = { ...s, used: s.used + count, bulkUsed: s.bulkUsed + (bulkAllowed === undefined ? 0 : count) };
    return { granted: true, state: this.state };
  }

  async openWindow({ windowEndsAt, limit, count, bulk, now }: OpenWindowRequest): Promise<StoreAnswer> {
    const s = this.state;
    if (s && s.windowEndsAt > now) return { granted: false, state: s };
    this.state = { windowEndsAt, used: count, bulkUsed: bulk ? count : 0, limit, blockedUntil: s?.blockedUntil ?? 0 };
    return { granted: true, state: this.state };
  }

  async apply(next: BudgetState, expected: BudgetState): Promise<boolean> {
    const s = this.state;
    if (s && (s.windowEndsAt !== expected.windowEndsAt || s.used > next.used)) return false;
    this.state = next;
    return true;
  }
}
