import type { OutgoingMessage } from '#core/webhooks/delivery';
import { POLLERS, pollMessages, type PollerName } from './poll-window.ts';

/**
 * The pure core of `bridge backfill` (bin/bridge.ts): the historic sync of every Greenhouse job and
 * every non-private candidate. Like a poller it only *detects* (principle 1): one
 * `greenhouse.event` per entity on greenhouse-changes, origin `backfill`; the consumer writes.
 *
 * Resumability. v3 lists newest id first and has no totals and no id filter; its cursors embed the
 * filters, cannot be combined with other parameters, and may expire (reference §2). So the checkpoint
 * does not keep a cursor: after each page it keeps the lowest id enqueued so far (everything listed
 * is at or above it, everything still to list is below it) and that record's `created_at`. A resume
 * lists again with `created_at <= that + margin` and skips ids at or above the mark: ids are assigned
 * in creation order, the margin absorbs clock skew, and the id filter makes the overlap harmless.
 * Without a `created_at` (never in v3 reads, but defensively) the resume lists from the start and
 * skips: slower, never wrong.
 */

export const BACKFILL_PHASES = ['jobs', 'candidates'] as const satisfies readonly PollerName[];
export type BackfillPhase = (typeof BACKFILL_PHASES)[number];

/** The Ledger item name of the checkpoint (see lambdas/adapters/backfill-checkpoint-store.ts). */
export const BACKFILL_CHECKPOINT_NAME = 'greenhouse-backfill';
export const CHECKPOINT_VERSION = 1;
/** How far past the mark's `created_at` a resumed listing reaches (clock skew between records). */
export const DEFAULT_RESUME_MARGIN_MS = 5 * 60_000;

export interface BackfillCounts {
  readonly jobs: number;
  readonly candidates: number;
  /** Private candidates left out (when the API returned any despite `private=false`). */
  readonly skippedPrivate: number;
  /** Pages completed in the whole run. */
  readonly pages: number;
}

export interface PhaseMark {
  /** Lowest id listed so far in the phase: the rest of the phase lies strictly below it. */
  readonly belowId: number;
  /** That record's `created_at`, to bound a resumed listing. */
  readonly createdAt?: string;
}

export interface BackfillCheckpoint {
  readonly v: typeof CHECKPOINT_VERSION;
  readonly runId: string;
  readonly startedAt: string;
  readonly updatedAt: string;
  /** The phases of this run, in order. */
  readonly phases: readonly BackfillPhase[];
  /** The phase in progress; `done` once every phase is listed. */
  readonly phase: BackfillPhase | 'done';
  /** Where the phase in progress stands; absent at its start. */
  readonly mark?: PhaseMark;
  readonly counts: BackfillCounts;
  /** Totals of the last completed run, kept across `--restart` (for the record; no longer an ETA source). */
  readonly previousTotals?: Readonly<Record<BackfillPhase, number>>;
}

export const ZERO_COUNTS: BackfillCounts = { jobs: 0, candidates: 0, skippedPrivate: 0, pages: 0 };

/** The phases of a run from the CLI flags. */
export function phasesFor(options: { jobsOnly?: boolean; candidatesOnly?: boolean }): BackfillPhase[] {
  if (options.jobsOnly && options.candidatesOnly) throw new Error('--jobs-only and --candidates-only exclude each other');
  if (options.jobsOnly) return ['jobs'];
  if (options.candidatesOnly) return ['candidates'];
  return [...BACKFILL_PHASES];
}

export function startCheckpoint(runId: string, at: string, phases: readonly BackfillPhase[], previous?: BackfillCheckpoint): BackfillCheckpoint {
  if (phases.length === 0) throw new RangeError('a backfill needs at least one phase');
  const previousTotals = previous?.phase === 'done' ? { jobs: previous.counts.jobs, candidates: previous.counts.candidates } : previous?.previousTotals;
  return {
    v: CHECKPOINT_VERSION,
    runId,
    startedAt: at,
    updatedAt: at,
    phases: [...phases],
    phase: phases[0]!,
    counts: ZERO_COUNTS,
    ...(previousTotals ? { previousTotals } : {}),
  };
}

export type StartDecision =
  | { readonly action: 'start'; readonly checkpoint: BackfillCheckpoint }
  | { readonly action: 'resume'; readonly checkpoint: BackfillCheckpoint }
  | { readonly action: 'finished'; readonly checkpoint: BackfillCheckpoint };

/**
 * What `bridge backfill` does with the stored checkpoint: resume an unfinished run of the same
 * phases; start over on `--restart`, without a checkpoint, or when asked for other phases than the
 * unfinished run's; report a finished run (an operator starts a new one with `--restart`).
 */
export function decideStart(
  stored: BackfillCheckpoint | undefined,
  request: { readonly phases: readonly BackfillPhase[]; readonly restart: boolean; readonly runId: string; readonly now: string },
): StartDecision {
  const fresh = () => startCheckpoint(request.runId, request.now, request.phases, stored);
  if (stored === undefined || request.restart || stored.v !== CHECKPOINT_VERSION) return { action: 'start', checkpoint: fresh() };
  const samePhases = stored.phases.length === request.phases.length && stored.phases.every((p, i) => p === request.phases[i]);
  if (!samePhases) return { action: 'start', checkpoint: fresh() };
  if (stored.phase === 'done') return { action: 'finished', checkpoint: stored };
  return { action: 'resume', checkpoint: stored };
}

export interface ListedRecord {
  readonly id: number;
  readonly created_at?: string | null;
  readonly private?: boolean | null;
}

export interface PagePlan {
  /** Ids to enqueue, in listing order. */
  readonly enqueue: number[];
  readonly skippedPrivate: number;
  /** Records a resumed listing returned again (at or above the mark). */
  readonly alreadyDone: number;
  /** The mark after this page (unchanged when the page held only records already done). */
  readonly mark: PhaseMark | undefined;
}

/**
 * Which records of a listed page to enqueue: not those at or above the mark (listed before a crash),
 * not private candidates (the filter asks Greenhouse to leave them out; this guards anyway, as
 * "Block Private Contacts" is a privacy promise).
 */
export function planPage(phase: BackfillPhase, records: readonly ListedRecord[], mark: PhaseMark | undefined): PagePlan {
  const enqueue: number[] = [];
  let skippedPrivate = 0;
  let alreadyDone = 0;
  let next = mark;
  for (const record of records) {
    if (next !== undefined && record.id >= next.belowId) {
      alreadyDone++;
      continue;
    }
    // Below the mark: the lowest so far (pages come newest id first, but do not rely on it).
    next = { belowId: record.id, ...(record.created_at ? { createdAt: record.created_at } : {}) };
    if (phase === 'candidates' && record.private === true) {
      skippedPrivate++;
      continue;
    }
    enqueue.push(record.id);
  }
  return { enqueue, skippedPrivate, alreadyDone, mark: next };
}

/** The checkpoint once a page's messages are all on the queue. */
export function afterPage(checkpoint: BackfillCheckpoint, plan: PagePlan, at: string): BackfillCheckpoint {
  if (checkpoint.phase === 'done') throw new Error('the backfill is already done');
  const { counts } = checkpoint;
  return {
    ...checkpoint,
    updatedAt: at,
    ...(plan.mark ? { mark: plan.mark } : {}),
    counts: {
      ...counts,
      [checkpoint.phase]: counts[checkpoint.phase] + plan.enqueue.length,
      skippedPrivate: counts.skippedPrivate + plan.skippedPrivate,
      pages: counts.pages + 1,
    },
  };
}

/** The checkpoint once the phase's listing has no next page. */
export function finishPhase(checkpoint: BackfillCheckpoint, at: string): BackfillCheckpoint {
  if (checkpoint.phase === 'done') return checkpoint;
  const index = checkpoint.phases.indexOf(checkpoint.phase);
  const phase = checkpoint.phases[index + 1] ?? 'done';
  const { mark: _dropped, ...rest } = checkpoint;
  return { ...rest, phase, updatedAt: at };
}

/**
 * The list query of the phase in progress: all jobs; candidates without private ones
 * (`private=false`; the default `true` includes them [H]); and, on a resume, bounded by the mark.
 */
export function listQuery(phase: BackfillPhase, mark: PhaseMark | undefined, marginMs = DEFAULT_RESUME_MARGIN_MS): Record<string, string | boolean> {
  const query: Record<string, string | boolean> = phase === 'candidates' ? { private: false } : {};
  const createdAt = mark?.createdAt ? Date.parse(mark.createdAt) : Number.NaN;
  if (!Number.isNaN(createdAt)) {
    // Whole seconds, rounded up, as query.ts pipeWindow sends upper bounds.
    const bound = Math.ceil((createdAt + marginMs) / 1000) * 1000;
    query['created_at'] = `lte|${new Date(bound).toISOString().replace('.000Z', 'Z')}`;
  }
  return query;
}

/** `backfill:<entityKey>:<run id>`: a page sent again after a crash (within SQS's five minutes) is dropped. */
export function backfillDeduplicationId(key: string, runId: string): string {
  return `backfill:${key}:${runId}`;
}

/**
 * The messages of one page: the poller's `greenhouse.event` (same action, refs and grouping, built
 * by poll-window.ts `pollMessages`), with origin `backfill`, the run's delivery id and deduplication ids.
 */
export function backfillMessages(phase: BackfillPhase, ids: Iterable<number>, runId: string, observedAt: string): OutgoingMessage[] {
  return pollMessages(phase, ids, { to: observedAt }).map((message) => {
    if (message.envelope.kind !== 'greenhouse.event') throw new Error('unexpected envelope kind');
    return {
      ...message,
      deduplicationId: backfillDeduplicationId(message.envelope.entityKey, runId),
      envelope: { ...message.envelope, origin: 'backfill', deliveryId: `backfill:${runId}` },
    };
  });
}

export const entityOf = (phase: BackfillPhase) => POLLERS[phase].entity;

// --- Progress ---------------------------------------------------------------------------------------

export interface ProgressSnapshot {
  readonly phase: BackfillPhase | 'done';
  /** Entities enqueued in the phase in progress, and in the run (message by message, within a page too). */
  readonly phaseDone: number;
  readonly totalDone: number;
  readonly pages: number;
  readonly skippedPrivate: number;
  /** Entities enqueued by this process, and the time it has spent, for the rate. */
  readonly sessionDone: number;
  readonly sessionMs: number;
  /**
   * Entities this run has listed and not yet enqueued (the rest of the page in hand). Greenhouse gives
   * no totals, so this is all the ETA can be computed from: it covers the listing so far, and more
   * pages may follow until the phase ends.
   */
  readonly listedAhead: number;
  /** Waiting for the rate limit, in seconds, when it is. */
  readonly waitingSeconds?: number;
  /** Waiting for room on greenhouse-changes (backpressure): the messages queued there at the last look. */
  readonly queuedWhileWaiting?: number;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/**
 * One line for stderr: counts, this process's rate, and an ETA for what the current run has listed
 * but not yet enqueued (`≥`: later pages, unknown until listed, come on top). Never an estimate from a
 * previous run: a run of other phases or another tenant size made it wrong by orders of magnitude.
 */
export function formatProgress(p: ProgressSnapshot): string {
  const rate = p.sessionMs > 0 ? (p.sessionDone * 1000) / p.sessionMs : 0;
  const parts: string[] = [];
  if (p.phase === 'done') {
    parts.push(`done: ${p.totalDone} enqueued`);
  } else {
    parts.push(`${p.phase} ${p.phaseDone} enqueued`);
  }
  parts.push(`${p.pages} page${p.pages === 1 ? '' : 's'}`);
  if (p.skippedPrivate > 0) parts.push(`${p.skippedPrivate} private skipped`);
  if (p.phase === 'done') {
    parts.push(`${rate.toFixed(1)}/s over ${formatDuration(p.sessionMs)}`);
  } else {
    parts.push(`${rate.toFixed(1)}/s`);
    if (p.listedAhead > 0) {
      parts.push(rate > 0 ? `${p.listedAhead} listed to go, ETA ≥${formatDuration((p.listedAhead / rate) * 1000)} (more pages may follow)` : `${p.listedAhead} listed to go`);
    }
  }
  if (p.waitingSeconds !== undefined) parts.push(`rate limited, waiting ${p.waitingSeconds}s`);
  if (p.queuedWhileWaiting !== undefined) parts.push(`waiting for the consumers: ${p.queuedWhileWaiting} queued on greenhouse-changes`);
  return parts.join(' · ');
}

/** Where this process stands: its enqueued count and time, and the page in hand (enqueued so far, still to enqueue). */
export interface SessionProgress {
  readonly done: number;
  readonly ms: number;
  readonly pageEnqueued?: number;
  readonly pageRemaining?: number;
  readonly queuedWhileWaiting?: number;
}

export function progressOf(checkpoint: BackfillCheckpoint, session: SessionProgress, waitingSeconds?: number): ProgressSnapshot {
  const { phase, counts } = checkpoint;
  const inPage = session.pageEnqueued ?? 0;
  const totalDone = counts.jobs + counts.candidates + inPage;
  return {
    phase,
    phaseDone: phase === 'done' ? totalDone : counts[phase] + inPage,
    totalDone,
    pages: counts.pages,
    skippedPrivate: counts.skippedPrivate,
    sessionDone: session.done,
    sessionMs: session.ms,
    listedAhead: session.pageRemaining ?? 0,
    ...(waitingSeconds !== undefined ? { waitingSeconds } : {}),
    ...(session.queuedWhileWaiting !== undefined ? { queuedWhileWaiting: session.queuedWhileWaiting } : {}),
  };
}

/**
 * Backpressure. The consumers take messages off greenhouse-changes as fast as SQS hands them over, but
 * reconcile them only as fast as the rate limits allow; a message received during a rate limit is
 * handed back to wait. Such waits never count toward the DLQ (lambdas/core/queue/redelivery.ts), but a
 * queue filled far beyond what the limits allow costs a consumer invocation per receive and puts every
 * live webhook behind the whole backlog: at Greenhouse's 50 calls / 30 s the bridge reconciles about 8
 * candidates a window. So the backfill keeps about `horizonMs` of work on the queue, measured by how
 * fast the queue drains (queue-drain.ts, from the queue's depth alone), and no less than `minQueued`
 * (nor more than `maxQueued`). The jobs and candidates
 * pollers keep the same bound (a bulk change lands in one poll window); both wait for room through
 * lambdas/adapters/queue/backpressure.ts.
 */
export interface BackpressurePolicy {
  readonly minQueued: number;
  readonly maxQueued: number;
  /**
   * How much work, in time at the measured drain rate, to keep queued: half a Greenhouse rate window.
   * Each window in which a queued message is not reconciled costs it about one receive; with a whole
   * window queued the backfill benchmark saw one message reach 5 receives, the default threshold.
   */
  readonly horizonMs: number;
}

export const DEFAULT_BACKPRESSURE: BackpressurePolicy = { minQueued: 10, maxQueued: 1_000, horizonMs: 15_000 };

/** How many messages may be on the queue (visible or in flight) at a drain rate of `drainedPerSecond`. */
export function queueCap(drainedPerSecond: number, policy: BackpressurePolicy = DEFAULT_BACKPRESSURE): number {
  const wanted = Number.isFinite(drainedPerSecond) && drainedPerSecond > 0 ? Math.ceil((drainedPerSecond * policy.horizonMs) / 1000) : 0;
  return Math.min(policy.maxQueued, Math.max(policy.minQueued, wanted));
}
