/**
 * The arithmetic of a rate budget shared by every invocation that calls one tenant's API.
 *
 * Both APIs count requests in fixed windows and announce the count in headers: Greenhouse per 30 s
 * (`X-RateLimit-Limit/Remaining`, `-Reset` as epoch seconds), Beamery per second (`x-ratelimit-*`,
 * 40 per tenant). The budget keeps its own count per window, lets through `limit × (1 − margin)`
 * requests, and corrects itself from each response: the server's window end is the truth, and the
 * server's count wins when it is higher (other clients of the same tenant spend the same quota).
 *
 * Invocations take requests in leases: one conditional write counts a small block of the current
 * window at once, and the invocation spends it without asking the store again. When its holder is
 * done (an invocation's batch ends), what a lease did not spend is given back with one more
 * conditional write that applies only while the window is still the lease's (`returnable`); a lease
 * that outlives its window simply ends. Given back, an unspent block no longer starves the other
 * holders of a window, so leases may again be blocks (MAX_LEASE) rather than single requests.
 *
 * Two priorities share a window: `live` traffic (webhooks, pushes, polls) may use all of the
 * allowance; `bulk` traffic (a backfill, the deletions sweep) stops short of it by the live reserve,
 * which is work-conserving (`liveReserve`): it grows with the live traffic seen, up to `liveShare` of
 * the allowance, and shrinks to a small floor while none is seen, so a backfill alone uses most of
 * each window and a recruiter's edit still finds room while one runs.
 * Storage (DynamoDB, or memory in a single process) lives in the adapters; this module decides.
 */

export type TrafficPriority = 'live' | 'bulk';

/**
 * Default of the most of each window kept for live traffic while live traffic is seen (liveReserve).
 * A recruiter's edit costs a handful of Greenhouse requests (the candidate, its applications, the
 * reference data), so 0.3 of Greenhouse's 47 per 30 s keeps up to 15 requests a window, two or three
 * edits, free of any backfill; the backfill then still has 0.7 of the limit, and more while no
 * live traffic comes.
 */
export const DEFAULT_LIVE_SHARE = 0.3;
/** Bulk traffic always keeps a tenth of each window, so a backfill never stalls outright. */
export const MAX_LIVE_SHARE = 0.9;
/**
 * The live reserve while no live traffic is seen, as a share of the allowance (never above the live
 * share): about one recruiter's edit (5 of Greenhouse's 47 per 30 s, 4 of Beamery's 37 per second),
 * so the first edit after a quiet spell finds room in the very window it arrives in.
 */
export const LIVE_RESERVE_FLOOR_SHARE = 0.1;
/** The live reserve holds this many times the live requests of the current or the previous window. */
export const LIVE_RESERVE_FACTOR = 2;

export interface BudgetState {
  /** Epoch ms at which the current window ends. */
  readonly windowEndsAt: number;
  /** Requests granted (or seen by the server) in the current window. */
  readonly used: number;
  /** Of `used`, those granted to bulk traffic. */
  readonly bulkUsed: number;
  /** Of `used`, those granted to live traffic. */
  readonly liveUsed: number;
  /** Live requests of the window just before this one (0 when none, or when that window was never opened). */
  readonly liveBefore: number;
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
  /** The most of each window's allowance kept for live traffic (liveReserve; 0–0.9; default 0). */
  readonly liveShare?: number;
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
  | { readonly kind: 'take'; readonly count: number }
  | {
      readonly kind: 'open-window';
      readonly windowEndsAt: number;
      readonly count: number;
      /** Whether the window being replaced is the one just before: its live requests become the new window's `liveBefore`. */
      readonly follows: boolean;
    }
  | { readonly kind: 'wait'; readonly untilMs: number };

export function allowance(limit: number, safetyMargin: number): number {
  return Math.max(1, Math.floor(limit * (1 - safetyMargin)));
}

/** The most a window keeps for live traffic: `liveShare` of the allowance, leaving bulk traffic at least one request. */
export function fullLiveReserve(limit: number, policy: BudgetPolicy): number {
  const allowed = allowance(limit, policy.safetyMargin);
  return allowed - Math.max(1, Math.floor(allowed * (1 - (policy.liveShare ?? 0))));
}

/** What a window keeps for live traffic while none is seen. */
function liveReserveFloor(limit: number, policy: BudgetPolicy): number {
  return Math.min(fullLiveReserve(limit, policy), Math.ceil(allowance(limit, policy.safetyMargin) * LIVE_RESERVE_FLOOR_SHARE));
}

/** What the live reserve is computed from. */
export type LiveSeen = Pick<BudgetState, 'limit' | 'liveUsed' | 'liveBefore'>;

/**
 * Requests of a window bulk traffic leaves to live traffic:
 * `clamp(LIVE_RESERVE_FACTOR × max(live this window, live the window before), floor, liveShare × allowance)`.
 *
 * Work-conserving, unlike a fixed share: a fixed 0.3 held 15 of Greenhouse's 47 requests every window
 * of a 50,000-candidate backfill (6.9 h projected) though recruiters' edits come a few an hour. Live
 * traffic of the previous window is the best forecast of this one (edits and polls come in bursts,
 * the two-window memory lets a burst keep its room while it lasts), twice it leaves room for a burst
 * to grow, and the current window's own live requests raise the reserve at once (a bulk take is
 * conditional on the live count it was planned with, so it cannot take what a live burst just made
 * reserved). The floor keeps one edit's worth in every window, so the first edit after a quiet spell
 * is not handed back behind a backfill that bursts at each window's start; at most, a backfill is
 * held to `1 − liveShare`, as with the fixed share.
 */
export function liveReserve(seen: LiveSeen, policy: BudgetPolicy): number {
  const full = fullLiveReserve(seen.limit, policy);
  const wanted = Math.ceil(Math.max(seen.liveUsed, seen.liveBefore) * LIVE_RESERVE_FACTOR);
  return Math.min(full, Math.max(liveReserveFloor(seen.limit, policy), wanted));
}

/**
 * The largest live count (this window's or the previous one's) at which `liveReserve` stays what it is
 * for `seen`: a bulk take planned on `seen` holds while the stored counts are no higher. Infinity when
 * the reserve is already full.
 */
export function liveCeiling(seen: LiveSeen, policy: BudgetPolicy): number {
  const reserve = liveReserve(seen, policy);
  return reserve >= fullLiveReserve(seen.limit, policy) ? Number.POSITIVE_INFINITY : Math.floor(reserve / LIVE_RESERVE_FACTOR);
}

/** What bulk traffic may use of a window: the allowance less the live reserve (at least one request, so a backfill always progresses). */
export function bulkAllowance(seen: LiveSeen, policy: BudgetPolicy): number {
  return allowance(seen.limit, policy.safetyMargin) - liveReserve(seen, policy);
}

/** Requests of the state's window still open to traffic of this priority. */
export function room(state: BudgetState, priority: TrafficPriority, policy: BudgetPolicy): number {
  const left = allowance(state.limit, policy.safetyMargin) - state.used;
  return Math.max(0, priority === 'bulk' ? Math.min(left, bulkAllowance(state, policy) - state.bulkUsed) : left);
}

export interface AcquireContext {
  readonly priority: TrafficPriority;
  /**
   * Whether other invocations took from this window since this one last did (its previous lease
   * found the count moved by more than its own requests). Unknown counts as contended.
   */
  readonly contended: boolean;
}

/**
 * How many requests one lease takes of the `open` ones left to its priority: a quarter of them, or
 * half when no other invocation has taken from the window since this one last did. Proportional to
 * what is left, leases shrink as the window fills (the last requests go one by one, as they did
 * before leases), and competing invocations each get a smaller block of a window they share.
 */
export function leaseSize(open: number, contended: boolean): number {
  return Math.max(1, Math.min(open, Math.floor(open / (contended ? 4 : 2))));
}

/**
 * The most one lease takes (the adapter caps `leaseSize` with it). Blocks held unspent starve the
 * other holders of a window until given back (with several handlers on a tenant, unreturned blocks
 * of ten had live calls handed back for 12-20 s), so a block is small: a Greenhouse window of 47 is
 * six of them, one batch of ten candidates spends about one, and the give-back at the batch's end
 * costs one request more. Holders that give nothing back (no lease scope: a CLI, a test's client)
 * lease single requests (adapters/http/rate-budget.ts).
 */
export const MAX_LEASE = 8;

export function planAcquire(
  state: BudgetState | undefined,
  now: number,
  policy: BudgetPolicy,
  context: AcquireContext = { priority: 'live', contended: true },
): AcquirePlan {
  if (state && state.blockedUntil > now) return { kind: 'wait', untilMs: state.blockedUntil };
  if (!state || now >= state.windowEndsAt) {
    const limit = state?.limit ?? policy.initialLimit;
    const windowEndsAt = nextWindowEnd(state, now, policy.windowMs);
    const follows = state !== undefined && windowEndsAt - policy.windowMs <= state.windowEndsAt;
    const seen: LiveSeen = { limit, liveUsed: 0, liveBefore: follows ? state.liveUsed : 0 };
    const open = context.priority === 'bulk' ? bulkAllowance(seen, policy) : allowance(limit, policy.safetyMargin);
    return { kind: 'open-window', windowEndsAt, count: leaseSize(open, context.contended), follows };
  }
  const open = room(state, context.priority, policy);
  if (open <= 0) return { kind: 'wait', untilMs: state.windowEndsAt };
  if (policy.pacing === 'even') {
    const slot = pacedSlot(state.windowEndsAt, state.used, allowance(state.limit, policy.safetyMargin), policy);
    if (now < slot) return { kind: 'wait', untilMs: Math.ceil(slot) };
  }
  return { kind: 'take', count: leaseSize(open, context.contended) };
}

/** When the `index`-th request of a window may go out under `even` pacing. */
function pacedSlot(windowEndsAt: number, index: number, allowed: number, policy: BudgetPolicy): number {
  return windowEndsAt - policy.windowMs + (index * policy.windowMs) / allowed;
}

/**
 * Requests an invocation took from the shared count and spends locally. It holds the window's
 * requests `first` to `first + count − 1`, which under `even` pacing keeps each one's slot: leases
 * held by many invocations still let requests out spaced across the window, never in a burst.
 */
export interface Lease {
  readonly windowEndsAt: number;
  /** The window's count before the lease was taken. */
  readonly first: number;
  readonly count: number;
  readonly spent: number;
  /** The window's allowance when the lease was taken (spaces paced requests). */
  readonly allowed: number;
}

/**
 * The lease a granted write of `requested` leaves, from the state it returned (the count after the
 * write). A partial take (live traffic) is granted while one request is left and counts all it
 * asked for: the lease holds only what was left, and the count past the allowance just marks the
 * window spent.
 */
export function leaseFrom(after: BudgetState, requested: number, policy: BudgetPolicy): Lease {
  const allowed = allowance(after.limit, policy.safetyMargin);
  const first = after.used - requested;
  return { windowEndsAt: after.windowEndsAt, first, count: Math.max(0, Math.min(requested, allowed - first)), spent: 0, allowed };
}

/**
 * What a holder done with `lease` gives back: its unspent requests while their window lasts. Nothing
 * under even pacing: a given-back block's slots would go to a later lease whose requests would then
 * bunch with those of the leases taken in between; the holder keeps the lease instead, for whatever
 * comes next within its one-second window (a warm container's next invocation).
 */
export function returnable(lease: Lease, now: number, policy: BudgetPolicy): number {
  if (policy.pacing === 'even' || now >= lease.windowEndsAt) return 0;
  return Math.max(0, lease.count - lease.spent);
}

/** `spent`: what the lease has spent once this request goes out. */
export type SpendPlan = { readonly kind: 'spend'; readonly spent: number } | { readonly kind: 'wait'; readonly untilMs: number } | { readonly kind: 'ended' };

/**
 * Under even pacing a request goes out no earlier than its slot, and no later than the next one: a
 * lease whose holder fell behind skips the slots it missed (they are lost, like a lease's unspent
 * requests) instead of sending them late, where they would bunch with the requests of the next slots.
 */
export function planSpend(lease: Lease, now: number, policy: BudgetPolicy): SpendPlan {
  if (now >= lease.windowEndsAt || lease.spent >= lease.count) return { kind: 'ended' };
  if (policy.pacing !== 'even') return { kind: 'spend', spent: lease.spent + 1 };
  const spacing = policy.windowMs / lease.allowed;
  const slot = pacedSlot(lease.windowEndsAt, lease.first + lease.spent, lease.allowed, policy);
  if (now < slot) return { kind: 'wait', untilMs: Math.ceil(slot) };
  const missed = Math.floor((now - slot) / spacing);
  return lease.spent + missed >= lease.count ? { kind: 'ended' } : { kind: 'spend', spent: lease.spent + missed + 1 };
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
      // Requests leased in ours that is still running may yet go out in it, so they stay counted.
      const carried = state.windowEndsAt > now ? state : { used: 0, bulkUsed: 0, liveUsed: 0, liveBefore: state.windowEndsAt > now - policy.windowMs ? state.liveUsed : 0 };
      next = {
        ...next,
        windowEndsAt: observation.windowEndsAt,
        used: Math.max(serverUsed ?? 0, carried.used),
        bulkUsed: carried.bulkUsed,
        liveUsed: carried.liveUsed,
        liveBefore: carried.liveBefore,
      };
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

/**
 * Whether `next` only raises the count of `state`'s window. The shared count already holds every
 * request the bridge leased, so such a correction matters only when the server has seen more than
 * that (other clients of the tenant): the adapters defer it to their next write instead of paying
 * one for each response.
 */
export function onlyRaisesCount(state: BudgetState, next: BudgetState): boolean {
  return next.used > state.used && next.windowEndsAt === state.windowEndsAt && next.limit === state.limit && next.blockedUntil === state.blockedUntil;
}

export function initialState(now: number, policy: BudgetPolicy): BudgetState {
  return { windowEndsAt: now + policy.windowMs, used: 0, bulkUsed: 0, liveUsed: 0, liveBefore: 0, limit: policy.initialLimit, blockedUntil: 0 };
}
