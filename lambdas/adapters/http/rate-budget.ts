import type { Clock } from '#core/clock';
import {
  allowance,
  initialState,
  planAcquire,
  reconcile,
  type BudgetPolicy,
  type BudgetState,
  type RateObservation,
} from '#core/rate/budget';
import { RateLimited, type ApiSystem } from '#core/api-errors';

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

export interface BudgetStore {
  load(): Promise<BudgetState | undefined>;
  /** Counts one request if the stored window is still `windowEndsAt`, has room under `allowed` and is not blocked at `now`. */
  take(windowEndsAt: number, allowed: number, now: number): Promise<boolean>;
  /** Starts a window ending at `windowEndsAt` with one request counted, if the stored one has ended (or none exists). */
  openWindow(windowEndsAt: number, limit: number, now: number): Promise<boolean>;
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

export class SharedRateBudget implements RateBudget {
  private cached: BudgetState | undefined;

  constructor(private readonly options: SharedRateBudgetOptions) {}

  async acquire(operation: string): Promise<void> {
    const { store, policy, clock, maxWaitMs, system } = this.options;
    for (;;) {
      const state = this.cached ?? (await store.load());
      const now = clock.now();
      const plan = planAcquire(state, now, policy);
      if (plan.kind === 'take' && state) {
        if (await store.take(state.windowEndsAt, allowance(state.limit, policy.safetyMargin), now)) {
          this.cached = { ...state, used: state.used + 1 };
          return;
        }
      } else if (plan.kind === 'open-window') {
        const limit = state?.limit ?? policy.initialLimit;
        if (await store.openWindow(plan.windowEndsAt, limit, now)) {
          this.cached = { windowEndsAt: plan.windowEndsAt, used: 1, limit, blockedUntil: state?.blockedUntil ?? 0 };
          return;
        }
      } else if (plan.kind === 'wait') {
        const waitMs = plan.untilMs - now;
        if (waitMs > maxWaitMs) throw new RateLimited(system, operation, Math.ceil(waitMs / 1000), 'budget');
        // Spread no wider than one request's share of the window, or short windows would go unused.
        const spread = Math.min(WAKE_SPREAD_MS, policy.windowMs / allowance(state?.limit ?? policy.initialLimit, policy.safetyMargin));
        await clock.sleep(waitMs + Math.random() * spread);
      }
      // Another invocation moved the stored state: read it again.
      this.cached = undefined;
    }
  }

  async observe(observation: RateObservation): Promise<void> {
    const { store, policy, clock } = this.options;
    for (let attempt = 0; attempt < 2; attempt++) {
      const now = clock.now();
      const state = this.cached ?? (await store.load()) ?? initialState(now, policy);
      const next = reconcile(state, observation, now, policy);
      if (!next) return;
      if (await store.apply(next, state)) {
        this.cached = next;
        return;
      }
      this.cached = undefined;
    }
    // Observations are advice: losing one to a concurrent update only costs a little accuracy.
  }
}

/** For one process (tests, the local stack's single worker). */
export class InMemoryBudgetStore implements BudgetStore {
  private state: BudgetState | undefined;

  async load(): Promise<BudgetState | undefined> {
    return this.state;
  }

  async take(windowEndsAt: number, allowed: number, now: number): Promise<boolean> {
    const s = this.state;
    if (!s || s.windowEndsAt !== windowEndsAt || s.used >= allowed || s.blockedUntil > now) return false;
    this.state = { ...s, used: s.used + 1 };
    return true;
  }

  async openWindow(windowEndsAt: number, limit: number, now: number): Promise<boolean> {
    const s = this.state;
    if (s && s.windowEndsAt > now) return false;
    this.state = { windowEndsAt, used: 1, limit, blockedUntil: s?.blockedUntil ?? 0 };
    return true;
  }

  async apply(next: BudgetState, expected: BudgetState): Promise<boolean> {
    const s = this.state;
    if (s && (s.windowEndsAt !== expected.windowEndsAt || s.used > next.used)) return false;
    this.state = next;
    return true;
  }
}
