import { describe, expect, it } from 'vitest';
import {
  afterPage,
  backfillMessages,
  decideStart,
  finishPhase,
  formatProgress,
  listQuery,
  phasesFor,
  planPage,
  progressOf,
  startCheckpoint,
} from '#core/sync/backfill-plan';

const T0 = '2026-03-01T10:00:00.000Z';

describe('backfill plan', () => {
  it('phases from the flags', () => {
    expect(phasesFor({})).toEqual(['jobs', 'candidates']);
    expect(phasesFor({ jobsOnly: true })).toEqual(['jobs']);
    expect(phasesFor({ candidatesOnly: true })).toEqual(['candidates']);
    expect(() => phasesFor({ jobsOnly: true, candidatesOnly: true })).toThrow();
  });

  it('start, resume, restart, finished', () => {
    const req = { phases: ['jobs', 'candidates'] as const, restart: false, runId: 'r2', now: T0 };
    expect(decideStart(undefined, req)).toMatchObject({ action: 'start', checkpoint: { runId: 'r2', phase: 'jobs' } });
    const running = startCheckpoint('r1', T0, ['jobs', 'candidates']);
    expect(decideStart(running, req)).toMatchObject({ action: 'resume', checkpoint: { runId: 'r1' } });
    expect(decideStart(running, { ...req, restart: true })).toMatchObject({ action: 'start', checkpoint: { runId: 'r2' } });
    expect(decideStart(running, { ...req, phases: ['jobs'] })).toMatchObject({ action: 'start' });
    const done = finishPhase(finishPhase(running, T0), T0);
    expect(done.phase).toBe('done');
    expect(decideStart(done, req).action).toBe('finished');
    // A new run after a finished one keeps its totals for the ETA.
    const counted = { ...done, counts: { jobs: 3, candidates: 900, skippedPrivate: 1, pages: 4 } };
    expect(decideStart(counted, { ...req, restart: true }).checkpoint.previousTotals).toEqual({ jobs: 3, candidates: 900 });
  });

  it('plans a page: skips private candidates and what lies at or above the mark, moves the mark down', () => {
    const records = [
      { id: 30, created_at: '2026-01-03T00:00:00Z', private: false },
      { id: 20, created_at: '2026-01-02T00:00:00Z', private: true },
      { id: 10, created_at: '2026-01-01T00:00:00Z' },
    ];
    expect(planPage('candidates', records, undefined)).toEqual({
      enqueue: [30, 10],
      skippedPrivate: 1,
      alreadyDone: 0,
      mark: { belowId: 10, createdAt: '2026-01-01T00:00:00Z' },
    });
    expect(planPage('candidates', records, { belowId: 20 })).toMatchObject({ enqueue: [10], alreadyDone: 2 });
    // Jobs have no private flag to honour.
    expect(planPage('jobs', [{ id: 5, private: true }], undefined).enqueue).toEqual([5]);
    // A page of already-done records keeps the mark.
    expect(planPage('jobs', [{ id: 50 }], { belowId: 40, createdAt: T0 }).mark).toEqual({ belowId: 40, createdAt: T0 });
  });

  it('checkpoint transitions count per phase and move to the next phase', () => {
    let cp = startCheckpoint('r1', T0, ['jobs', 'candidates']);
    cp = afterPage(cp, { enqueue: [3, 2], skippedPrivate: 0, alreadyDone: 0, mark: { belowId: 2 } }, T0);
    expect(cp).toMatchObject({ phase: 'jobs', mark: { belowId: 2 }, counts: { jobs: 2, candidates: 0, pages: 1 } });
    cp = finishPhase(cp, T0);
    expect(cp.phase).toBe('candidates');
    expect(cp.mark).toBeUndefined();
    cp = afterPage(cp, { enqueue: [9], skippedPrivate: 2, alreadyDone: 0, mark: { belowId: 7 } }, T0);
    expect(cp.counts).toEqual({ jobs: 2, candidates: 1, skippedPrivate: 2, pages: 2 });
    expect(finishPhase(cp, T0).phase).toBe('done');
    expect(() => afterPage(finishPhase(cp, T0), { enqueue: [], skippedPrivate: 0, alreadyDone: 0, mark: undefined }, T0)).toThrow();
  });

  it('list queries: private=false for candidates, a created_at bound with margin on resume', () => {
    expect(listQuery('jobs', undefined)).toEqual({});
    expect(listQuery('candidates', undefined)).toEqual({ private: false });
    expect(listQuery('candidates', { belowId: 5, createdAt: '2026-01-01T00:00:00.400Z' }, 60_000)).toEqual({
      private: false,
      created_at: 'lte|2026-01-01T00:01:01Z',
    });
    expect(listQuery('jobs', { belowId: 5 })).toEqual({});
  });

  it('messages: the poller envelope with origin backfill and run-scoped deduplication ids', () => {
    const [m, ...rest] = backfillMessages('candidates', [12, 12], 'run1', T0);
    expect(rest).toEqual([]);
    expect(m).toMatchObject({
      queue: 'greenhouse-changes',
      groupId: 'greenhouse#candidate#12',
      deduplicationId: 'backfill:greenhouse#candidate#12:run1',
      envelope: { kind: 'greenhouse.event', origin: 'backfill', deliveryId: 'backfill:run1', action: 'update_candidate', refs: { candidateId: '12' }, observedAt: T0 },
    });
    expect(backfillMessages('jobs', [7], 'run1', T0)[0]!.envelope).toMatchObject({ entityKey: 'greenhouse#job#7', action: 'job_updated', refs: { jobIds: ['7'] } });
  });

  it('progress: counts and the rate; an ETA only for what this run has listed and not yet enqueued, never from a previous run', () => {
    const base = { phase: 'candidates' as const, phaseDone: 500, totalDone: 510, pages: 2, skippedPrivate: 3, sessionDone: 500, sessionMs: 10_000, listedAhead: 0 };
    expect(formatProgress(base)).toBe('candidates 500 enqueued · 2 pages · 3 private skipped · 50.0/s');
    expect(formatProgress({ ...base, listedAhead: 1000 })).toBe('candidates 500 enqueued · 2 pages · 3 private skipped · 50.0/s · 1000 listed to go, ETA ≥20s (more pages may follow)');
    expect(formatProgress({ ...base, sessionDone: 0, listedAhead: 40 })).toBe('candidates 500 enqueued · 2 pages · 3 private skipped · 0.0/s · 40 listed to go');
    expect(formatProgress({ ...base, waitingSeconds: 12 })).toContain('rate limited, waiting 12s');
    expect(formatProgress({ ...base, queuedWhileWaiting: 75 })).toBe('candidates 500 enqueued · 2 pages · 3 private skipped · 50.0/s · waiting for the consumers: 75 queued on greenhouse-changes');
    expect(formatProgress({ ...base, phase: 'done', sessionMs: 65_000 })).toBe('done: 510 enqueued · 2 pages · 3 private skipped · 7.7/s over 1m05s');
  });

  it('progress within a page: the page in hand counts message by message; a previous run\'s totals set no expectation', () => {
    const checkpoint = { ...startCheckpoint('r', T0, ['jobs', 'candidates']), phase: 'candidates' as const, counts: { jobs: 3, candidates: 500, skippedPrivate: 0, pages: 2 }, previousTotals: { jobs: 3, candidates: 6 } };
    const p = progressOf(checkpoint, { done: 120, ms: 30_000, pageEnqueued: 20, pageRemaining: 480 });
    expect(p).toMatchObject({ phase: 'candidates', phaseDone: 520, totalDone: 523, sessionDone: 120, listedAhead: 480 });
    expect(formatProgress(p)).toBe('candidates 520 enqueued · 2 pages · 4.0/s · 480 listed to go, ETA ≥2m00s (more pages may follow)');
  });
});
