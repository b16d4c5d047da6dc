/**
 * The arithmetic of a rate budget shared by every invocation that calls one tenant's API.
 *
 * Both APIs count requests in fixed windows and announce the count in headers: Greenhouse per 30 s
 * (`X-RateLimit-Limit/Remaining`, `-Reset` as epoch seconds), Beamery per second (`x-ratelimit-*`,
 * 40 per tenant). The budget keeps its own count per window, lets through `limit × (1 − margin)`
 * requests, and corrects itself from each response: the server's window end is the truth, and the
 * server's count wins when it is higher (other clients of the same tenant spend the same quota).
 * Storage (DynamoDB, or memory in a single process) lives in the adapters; this module decides.
 */

export interface BudgetState {
  /** Epoch ms at which the current window ends. */
  readonly windowEndsAt: number;
  /** Requests granted (or seen by the server) in the current window. */
  readonly used: number;
  /** The server's limit per window, as last announced. */
  readonly limit: number;
  /** Epoch ms before which nothing may be sent (after a 429). 0 when not blocked. */
  readonly blockedUntil: number;
}

export interface BudgetPolicy {
  readonly windowMs: number;
  /** Assumed until the first response announces the real limit. */
  readonly initialLimit: number;
  /** Share of the limit left unused, for clients outside the bridge and requests in flight (0–0.5). */
  readonly safetyMargin: number;
  /**
   * `even` spaces the allowance across the window instead of letting it out in a burst. For APIs whose
   * window edges cannot be known (Beamery's reset header has whole-second precision on a one-second
   * window): evenly spaced requests put about one allowance in any window-long stretch, wherever the
   * server's windows start. Greenhouse announces its window end, so it can burst.
   */
  readonly pacing?: 'burst' | 'even';
}

/** What the adapters read off one response. */
export interface RateObservation {
  readonly status: number;
  readonly limit?: number;
  readonly remaining?: number;
  /** Epoch ms at which the server's current window ends. */
  readonly windowEndsAt?: number;
  /** From `Retry-After` (Greenhouse); Beamery documents none. */
  readonly retryAfterMs?: number;
}

export type AcquirePlan =
  | { readonly kind: 'take' }
  | { readonly kind: 'open-window'; readonly windowEndsAt: number }
  | { readonly kind: 'wait'; readonly untilMs: number };

export function allowance(limit: number, safetyMargin: number): number {
  return Math.max(1, Math.floor(limit * (1 - safetyMargin)));
}

export function planAcquire(state: BudgetState | undefined, now: number, policy: BudgetPolicy): AcquirePlan {
  if (state && state.blockedUntil > now) return { kind: 'wait', untilMs: state.blockedUntil };
  if (!state || now >= state.windowEndsAt) return { kind: 'open-window', windowEndsAt: nextWindowEnd(state, now, policy.windowMs) };
  const allowed = allowance(state.limit, policy.safetyMargin);
  if (state.used >= allowed) return { kind: 'wait', untilMs: state.windowEndsAt };
  if (policy.pacing === 'even') {
    const slot = state.windowEndsAt - policy.windowMs + (state.used * policy.windowMs) / allowed;
    if (now < slot) return { kind: 'wait', untilMs: Math.ceil(slot) };
  }
  return { kind: 'take' };
}

/** Windows stay aligned to the server's once it has told us where one ends. */
export function nextWindowEnd(state: BudgetState | undefined, now: number, windowMs: number): number {
  if (!state) return now + windowMs;
  if (state.windowEndsAt > now) return state.windowEndsAt;
  const elapsedWindows = Math.floor((now - state.windowEndsAt) / windowMs) + 1;
  return state.windowEndsAt + elapsedWindows * windowMs;
}

/** Reset headers have whole-second precision: window ends within this distance are the same window. */
const SAME_WINDOW_TOLERANCE_MS = 1_000;

/**
 * The state after one response, or undefined when the response teaches nothing new (the common case,
 * which then costs no write to the shared store).
 */
export function reconcile(state: BudgetState, observation: RateObservation, now: number, policy: BudgetPolicy): BudgetState | undefined {
  let next: BudgetState = state;
  if (observation.limit !== undefined && observation.limit > 0 && observation.limit !== state.limit) {
    next = { ...next, limit: observation.limit };
  }
  if (observation.windowEndsAt !== undefined && observation.windowEndsAt > now) {
    const sameWindow = Math.abs(observation.windowEndsAt - state.windowEndsAt) <= SAME_WINDOW_TOLERANCE_MS;
    const serverUsed =
      observation.limit !== undefined && observation.remaining !== undefined ? Math.max(0, observation.limit - observation.remaining) : undefined;
    if (!sameWindow) {
      // The server is in another window than we thought (first contact, clock drift): adopt its window.
      next = { ...next, windowEndsAt: observation.windowEndsAt, used: serverUsed ?? 0 };
    } else if (serverUsed !== undefined && serverUsed > next.used) {
      next = { ...next, used: serverUsed };
    }
  }
  // Without a window end (Beamery) the server's count is for a window that overlaps two of ours, so
  // it cannot be compared with our count; the margin and 429s cover other clients of the tenant.
  if (observation.status === 429) {
    const until = now + (observation.retryAfterMs ?? Math.max(0, (observation.windowEndsAt ?? now + policy.windowMs) - now));
    // The server's window is spent until then: treat that moment as the end of the current window.
    const blockedUntil = Math.max(next.blockedUntil, until);
    next = { ...next, blockedUntil, windowEndsAt: blockedUntil, used: Math.max(next.used, allowance(next.limit, policy.safetyMargin)) };
  }
  return next === state ? undefined : next;
}

export function initialState(now: number, policy: BudgetPolicy): BudgetState {
  return { windowEndsAt: now + policy.windowMs, used: 0, limit: policy.initialLimit, blockedUntil: 0 };
}
