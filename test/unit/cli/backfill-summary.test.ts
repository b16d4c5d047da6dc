import { describe, expect, it } from 'vitest';
import { formatBackfillSummary } from '../../../bin/commands/backfill.ts';

/** `bridge backfill`'s text summary (the default; `--json` prints the same fields as one object). */
describe('formatBackfillSummary', () => {
  const counts = { jobs: 12, candidates: 340, skippedPrivate: 3, pages: 9 };

  it('says what this invocation enqueued apart from the run\'s totals, and whether it resumed', () => {
    expect(formatBackfillSummary({ action: 'start', runId: 'run-2', startedAt: '2026-11-02T09:00:00.000Z', counts, enqueuedNow: 352 })).toBe(
      'backfill run-2 started and finished: 352 enqueued now; the run in all: 12 jobs, 340 candidates (3 private skipped), 9 pages; use --restart for a new run',
    );
    expect(formatBackfillSummary({ action: 'resume', runId: 'run-2', startedAt: '2026-11-02T09:00:00.000Z', counts, enqueuedNow: 40 })).toBe(
      'backfill run-2 resumed (started 2026-11-02T09:00:00.000Z) and finished: 40 enqueued now; the run in all: 12 jobs, 340 candidates (3 private skipped), 9 pages; use --restart for a new run',
    );
  });
});
