import { describe, expect, it } from 'vitest';
import * as budget from '#core/rate/budget';
import type { BudgetPolicy, BudgetState } from '#core/rate/budget';

const { allowance, bulkAllowance, initialState, leaseFrom, leaseSize, liveCeiling, liveReserve, nextWindowEnd, onlyRaisesCount, planAcquire, planSpend, reconcile, returnable } = budget;

const POLICY: BudgetPolicy = { windowMs: 30_000, initialLimit: 50, safetyMargin: 0.1 };
const NOW = 1_000_000;
const POLICY_BURST_1S: BudgetPolicy = { windowMs: 1_000, initialLimit: 40, safetyMargin: 0.1 };
const state = (over: Partial<BudgetState> = {}): BudgetState => ({ windowEndsAt: NOW + 10_000, used: 0, bulkUsed: 0, liveUsed: 0, liveBefore: 0, limit: 50, blockedUntil: 0, ...over });

describe('rate budget arithmetic', () => {
  it('lets through the limit less the safety margin, and at least one request', () => {
    expect(allowance(50, 0.1)).toBe(45);
    expect(allowance(40, 0.05)).toBe(38);
    expect(allowance(1, 0.5)).toBe(1);
  });

  it('takes from a window with room', () => {
    expect(planAcquire(state({ used: 44 }), NOW, POLICY)).toEqual({ kind: 'take', count: 1 });
  });

  it('waits for the window end once the allowance is spent', () => {
    expect(planAcquire(state({ used: 45 }), NOW, POLICY)).toEqual({ kind: 'wait', untilMs: NOW + 10_000 });
  });

  it('waits out a 429 block before anything else', () => {
    expect(planAcquire(state({ blockedUntil: NOW + 5_000 }), NOW, POLICY)).toEqual({ kind: 'wait', untilMs: NOW + 5_000 });
  });

  it('spaces requests evenly across the window when pacing is even', () => {
    const even: BudgetPolicy = { windowMs: 1_000, initialLimit: 40, safetyMargin: 0.1, pacing: 'even' };
    const windowStart = NOW;
    const s = (used: number) => state({ windowEndsAt: windowStart + 1_000, used, limit: 40 });
    expect(planAcquire(s(0), NOW, even)).toMatchObject({ kind: 'take' });
    // 36 allowed per second: the 19th request (used = 18) may go at the half second, not before.
    expect(planAcquire(s(18), NOW + 100, even)).toEqual({ kind: 'wait', untilMs: NOW + 500 });
    expect(planAcquire(s(18), NOW + 500, even)).toMatchObject({ kind: 'take' });
    expect(planAcquire(s(18), NOW + 100, POLICY_BURST_1S)).toMatchObject({ kind: 'take' });
  });

  it('opens a new window aligned to the last known one', () => {
    const ended = state({ windowEndsAt: NOW - 1_000, used: 45 });
    expect(planAcquire(ended, NOW, POLICY)).toMatchObject({ kind: 'open-window', windowEndsAt: NOW + 29_000 });
    expect(nextWindowEnd(ended, NOW + 65_000, 30_000)).toBe(NOW - 1_000 + 3 * 30_000);
    expect(planAcquire(undefined, NOW, POLICY)).toMatchObject({ kind: 'open-window', windowEndsAt: NOW + 30_000 });
  });

  it('adopts the server window when it differs from ours, with the server count', () => {
    const next = reconcile(state({ used: 3 }), { status: 200, limit: 75, remaining: 70, windowEndsAt: NOW + 20_000 }, NOW, POLICY);
    expect(next).toEqual(state({ windowEndsAt: NOW + 20_000, used: 5, limit: 75 }));
  });

  it('raises the count when the server has seen more requests than we granted (other clients of the tenant)', () => {
    const next = reconcile(state({ used: 3 }), { status: 200, limit: 50, remaining: 30, windowEndsAt: NOW + 10_400 }, NOW, POLICY);
    expect(next?.used).toBe(20);
    expect(next?.windowEndsAt).toBe(NOW + 10_000);
  });

  it('leaves the count alone when the response has no window end to compare it in (Beamery)', () => {
    expect(reconcile(state({ used: 3 }), { status: 200, limit: 50, remaining: 10 }, NOW, POLICY)).toBeUndefined();
  });

  it('changes nothing when the response agrees with the budget (no write needed)', () => {
    expect(reconcile(state({ used: 10 }), { status: 200, limit: 50, remaining: 42, windowEndsAt: NOW + 10_000 }, NOW, POLICY)).toBeUndefined();
    expect(reconcile(state(), { status: 200 }, NOW, POLICY)).toBeUndefined();
  });

  it('blocks for Retry-After on a 429, and spends the window', () => {
    const next = reconcile(state({ used: 2 }), { status: 429, retryAfterMs: 12_000 }, NOW, POLICY);
    expect(next).toMatchObject({ blockedUntil: NOW + 12_000, windowEndsAt: NOW + 12_000, used: 45 });
    expect(planAcquire(next, NOW + 12_000, POLICY)).toMatchObject({ kind: 'open-window', windowEndsAt: NOW + 12_000 + 30_000 });
  });

  it('blocks until the server window ends on a 429 without Retry-After (Beamery)', () => {
    const next = reconcile(state(), { status: 429, limit: 50, remaining: 0, windowEndsAt: NOW + 800 }, NOW, POLICY);
    expect(next?.blockedUntil).toBe(NOW + 800);
  });

  it('starts an unknown tenant at the assumed limit', () => {
    expect(initialState(NOW, POLICY)).toEqual(state({ windowEndsAt: NOW + 30_000 }));
  });
});

describe('leases', () => {
  it('take a quarter of what is left, half when no one else takes from the window, and one at the end', () => {
    expect(leaseSize(45, true)).toBe(11);
    expect(leaseSize(45, false)).toBe(22);
    expect(leaseSize(3, true)).toBe(1);
    expect(leaseSize(1, false)).toBe(1);
    expect(planAcquire(state({ used: 5 }), NOW, POLICY, { priority: 'live', contended: true })).toEqual({ kind: 'take', count: 10 });
    expect(planAcquire(undefined, NOW, POLICY, { priority: 'live', contended: false })).toEqual({ kind: 'open-window', windowEndsAt: NOW + 30_000, count: 22, follows: false });
  });

  it('are spent until their count or their window ends', () => {
    const lease = leaseFrom(state({ used: 13 }), 3, POLICY);
    expect(lease).toEqual({ windowEndsAt: NOW + 10_000, first: 10, count: 3, spent: 0, allowed: 45 });
    expect(planSpend(lease, NOW, POLICY)).toEqual({ kind: 'spend', spent: 1 });
    expect(planSpend({ ...lease, spent: 3 }, NOW, POLICY)).toEqual({ kind: 'ended' });
    expect(planSpend(lease, NOW + 10_000, POLICY)).toEqual({ kind: 'ended' });
  });

  it('keep each request on its paced slot, so a lease is no burst', () => {
    const even: BudgetPolicy = { ...POLICY_BURST_1S, pacing: 'even' };
    // Requests 18 to 26 of a one-second window allowing 36: the first may go at the half second.
    const lease = leaseFrom(state({ windowEndsAt: NOW + 1_000, used: 27, limit: 40 }), 9, even);
    expect(planSpend(lease, NOW + 100, even)).toEqual({ kind: 'wait', untilMs: NOW + 500 });
    expect(planSpend(lease, NOW + 500, even)).toEqual({ kind: 'spend', spent: 1 });
    expect(planSpend({ ...lease, spent: 1 }, NOW + 500, even)).toEqual({ kind: 'wait', untilMs: Math.ceil(NOW + 500 + 1_000 / 36) });
  });

  it('skip the paced slots their holder missed rather than send them late, in a bunch', () => {
    const even: BudgetPolicy = { ...POLICY_BURST_1S, pacing: 'even' };
    const lease = leaseFrom(state({ windowEndsAt: NOW + 1_000, used: 27, limit: 40 }), 9, even);
    // Request 18's slot is at 500 ms, 19's at 527.8, 20's at 555.6: at 560 ms request 20 goes, 18 and 19 are lost.
    expect(planSpend(lease, NOW + 520, even)).toEqual({ kind: 'spend', spent: 1 });
    expect(planSpend(lease, NOW + 560, even)).toEqual({ kind: 'spend', spent: 3 });
    expect(planSpend(lease, NOW + 900, even)).toEqual({ kind: 'ended' });
  });

  it('give back what their holder did not spend while their window lasts, never under even pacing', () => {
    const lease = { ...leaseFrom(state({ used: 13 }), 8, POLICY), spent: 3 };
    expect(returnable(lease, NOW, POLICY)).toBe(5);
    expect(returnable({ ...lease, spent: 8 }, NOW, POLICY)).toBe(0);
    expect(returnable(lease, NOW + 10_000, POLICY)).toBe(0);
    expect(returnable(lease, NOW, { ...POLICY, pacing: 'even' })).toBe(0);
  });

  it('defer a higher server count in the same window, but nothing else', () => {
    expect(onlyRaisesCount(state({ used: 3 }), state({ used: 20 }))).toBe(true);
    expect(onlyRaisesCount(state({ used: 3 }), state({ used: 20, blockedUntil: NOW + 1 }))).toBe(false);
    expect(onlyRaisesCount(state({ used: 3 }), state({ used: 3, limit: 60 }))).toBe(false);
  });
});

describe('priorities', () => {
  const shared: BudgetPolicy = { ...POLICY, liveShare: 0.3 };

  const seen = (liveUsed: number, liveBefore = 0, limit = 50) => ({ limit, liveUsed, liveBefore });

  it('keep a small floor from bulk traffic while no live traffic is seen', () => {
    // allowance(50, 0.1) = 45: the floor is a tenth of it, rounded up.
    expect(liveReserve(seen(0), shared)).toBe(5);
    expect(bulkAllowance(seen(0), shared)).toBe(40);
  });

  it('grow the reserve to twice the live traffic of this window or the previous one, up to liveShare of the allowance', () => {
    expect(liveReserve(seen(4), shared)).toBe(8);
    expect(liveReserve(seen(0, 6), shared)).toBe(12);
    expect(liveReserve(seen(3, 6), shared)).toBe(12);
    // liveShare 0.3 of 45 leaves bulk floor(31.5) = 31: the reserve is at most 14.
    expect(liveReserve(seen(30), shared)).toBe(14);
    expect(bulkAllowance(seen(30), shared)).toBe(31);
  });

  it('keep nothing with no live share, and always leave bulk one request', () => {
    expect(liveReserve(seen(10), POLICY)).toBe(0);
    expect(bulkAllowance(seen(10), POLICY)).toBe(45);
    expect(bulkAllowance(seen(10, 0, 1), { ...shared, liveShare: 0.9 })).toBe(1);
  });

  it('say up to which live count a bulk take planned on a reserve stays valid', () => {
    // Reserve 5 (the floor): it holds while live counts stay at 2 (2 × 2 = 4 ≤ 5); a third live request raises it.
    expect(liveCeiling(seen(0), shared)).toBe(2);
    expect(liveReserve(seen(2), shared)).toBe(5);
    expect(liveReserve(seen(3), shared)).toBe(6);
    expect(liveCeiling(seen(4, 1), shared)).toBe(4);
    expect(liveCeiling(seen(30), shared)).toBe(Number.POSITIVE_INFINITY);
  });

  it('let bulk use all but the floor while no live traffic is seen', () => {
    expect(planAcquire(state({ used: 39, bulkUsed: 39 }), NOW, shared, { priority: 'bulk', contended: true })).toEqual({ kind: 'take', count: 1 });
    expect(planAcquire(state({ used: 40, bulkUsed: 40 }), NOW, shared, { priority: 'bulk', contended: true })).toMatchObject({ kind: 'wait' });
  });

  it('make bulk wait for the next window once live traffic raised the reserve, while live still takes', () => {
    const s = state({ used: 38, bulkUsed: 31, liveUsed: 7 });
    expect(planAcquire(s, NOW, shared, { priority: 'bulk', contended: true })).toEqual({ kind: 'wait', untilMs: NOW + 10_000 });
    expect(planAcquire(s, NOW, shared, { priority: 'live', contended: true })).toEqual({ kind: 'take', count: 1 });
  });

  it('carry the live count of the window just ended into the next one, and nothing across a gap', () => {
    const ended = state({ windowEndsAt: NOW - 1_000, used: 45, bulkUsed: 38, liveUsed: 7 });
    expect(planAcquire(ended, NOW, shared, { priority: 'bulk', contended: false })).toEqual({ kind: 'open-window', windowEndsAt: NOW + 29_000, count: 15, follows: true });
    expect(planAcquire(ended, NOW + 30_000, shared, { priority: 'bulk', contended: false })).toEqual({ kind: 'open-window', windowEndsAt: NOW + 59_000, count: 20, follows: false });
  });

  it('keep the live counts when adopting the server window, and remember the ended window\'s', () => {
    const running = state({ used: 9, bulkUsed: 4, liveUsed: 5 });
    expect(reconcile(running, { status: 200, limit: 50, remaining: 45, windowEndsAt: NOW + 20_000 }, NOW, shared)).toMatchObject({ liveUsed: 5, bulkUsed: 4 });
    const ended = state({ windowEndsAt: NOW - 1_000, used: 9, bulkUsed: 4, liveUsed: 5 });
    expect(reconcile(ended, { status: 200, limit: 50, remaining: 49, windowEndsAt: NOW + 20_000 }, NOW, shared)).toMatchObject({ used: 1, liveUsed: 0, liveBefore: 5 });
  });

  it('count live traffic against bulk too: bulk never takes past the whole allowance', () => {
    const s = state({ used: 44, bulkUsed: 0, liveUsed: 0 });
    expect(planAcquire(s, NOW, shared, { priority: 'bulk', contended: true })).toEqual({ kind: 'take', count: 1 });
    expect(planAcquire(state({ used: 45 }), NOW, shared, { priority: 'bulk', contended: true })).toMatchObject({ kind: 'wait' });
  });

  it('open a window with a bulk lease sized from what bulk may use of it', () => {
    expect(planAcquire(undefined, NOW, shared, { priority: 'bulk', contended: true })).toEqual({ kind: 'open-window', windowEndsAt: NOW + 30_000, count: 10, follows: false });
  });
});
