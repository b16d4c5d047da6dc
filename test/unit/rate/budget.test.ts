import { describe, expect, it } from 'vitest';
import { allowance, initialState, nextWindowEnd, planAcquire, reconcile, type BudgetPolicy, type BudgetState } from '#core/rate/budget';

const POLICY: BudgetPolicy = { windowMs: 30_000, initialLimit: 50, safetyMargin: 0.1 };
const NOW = 1_000_000;
const POLICY_BURST_1S: BudgetPolicy = { windowMs: 1_000, initialLimit: 40, safetyMargin: 0.1 };
const state = (over: Partial<BudgetState> = {}): BudgetState => ({ windowEndsAt: NOW + 10_000, used: 0, limit: 50, blockedUntil: 0, ...over });

describe('rate budget arithmetic', () => {
  it('lets through the limit less the safety margin, and at least one request', () => {
    expect(allowance(50, 0.1)).toBe(45);
    expect(allowance(40, 0.05)).toBe(38);
    expect(allowance(1, 0.5)).toBe(1);
  });

  it('takes from a window with room', () => {
    expect(planAcquire(state({ used: 44 }), NOW, POLICY)).toEqual({ kind: 'take' });
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
    expect(planAcquire(s(0), NOW, even)).toEqual({ kind: 'take' });
    // 36 allowed per second: the 19th request (used = 18) may go at the half second, not before.
    expect(planAcquire(s(18), NOW + 100, even)).toEqual({ kind: 'wait', untilMs: NOW + 500 });
    expect(planAcquire(s(18), NOW + 500, even)).toEqual({ kind: 'take' });
    expect(planAcquire(s(18), NOW + 100, POLICY_BURST_1S)).toEqual({ kind: 'take' });
  });

  it('opens a new window aligned to the last known one', () => {
    const ended = state({ windowEndsAt: NOW - 1_000, used: 45 });
    expect(planAcquire(ended, NOW, POLICY)).toEqual({ kind: 'open-window', windowEndsAt: NOW + 29_000 });
    expect(nextWindowEnd(ended, NOW + 65_000, 30_000)).toBe(NOW - 1_000 + 3 * 30_000);
    expect(planAcquire(undefined, NOW, POLICY)).toEqual({ kind: 'open-window', windowEndsAt: NOW + 30_000 });
  });

  it('adopts the server window when it differs from ours, with the server count', () => {
    const next = reconcile(state({ used: 3 }), { status: 200, limit: 75, remaining: 70, windowEndsAt: NOW + 20_000 }, NOW, POLICY);
    expect(next).toEqual({ windowEndsAt: NOW + 20_000, used: 5, limit: 75, blockedUntil: 0 });
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
    expect(planAcquire(next, NOW + 12_000, POLICY)).toEqual({ kind: 'open-window', windowEndsAt: NOW + 12_000 + 30_000 });
  });

  it('blocks until the server window ends on a 429 without Retry-After (Beamery)', () => {
    const next = reconcile(state(), { status: 429, limit: 50, remaining: 0, windowEndsAt: NOW + 800 }, NOW, POLICY);
    expect(next?.blockedUntil).toBe(NOW + 800);
  });

  it('starts an unknown tenant at the assumed limit', () => {
    expect(initialState(NOW, POLICY)).toEqual({ windowEndsAt: NOW + 30_000, used: 0, limit: 50, blockedUntil: 0 });
  });
});
