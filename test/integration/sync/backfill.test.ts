import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '#core/clock';
import { parseEnvelope } from '#core/envelope';
import { DEFAULT_BACKPRESSURE, formatProgress, queueCap, type BackfillCheckpoint, type ProgressSnapshot } from '#core/sync/backfill-plan';
import { PUBLISH_BATCH } from '#core/sync/poll-window';
import { collect } from '#adapters/greenhouse/client';
import { InMemoryCheckpointStore } from '#adapters/backfill-checkpoint-store';
import { runBackfill, type BackfillGreenhouse, type BackfillRunnerDependencies } from '#adapters/backfill-runner';
import { RateLimited } from '#core/api-errors';
import { SqsQueuePublisher } from '#adapters/queue/sqs-publisher';
import { startSqsEmulator, type SqsEmulator } from '#local/emulators';
import { createQueues, type LocalResources } from '#local/resources';
import { drain } from '../../support/queues.ts';
import { startHarness, type Harness } from '../greenhouse/support.ts';

/**
 * `bridge backfill` (lambdas/adapters/backfill-runner.ts, as bin/bridge.ts runs it) against the
 * Greenhouse simulator with 1,200 generated candidates (several pages at per_page 500), fauxqs and an
 * in-memory checkpoint store: everything enqueued once, private candidates never, and a crash
 * between pages resumed without duplicates or gaps.
 */

/** Rate-limit waits cost nothing in the test. */
const instantClock: Clock = { now: () => Date.now(), sleep: async () => undefined };

let greenhouse: Harness;
let emulator: SqsEmulator;
let queues: LocalResources['queues'];
let prefixes = 0;
let expected: { jobs: string[]; candidates: string[]; privateIds: number[] };

beforeAll(async () => {
  [greenhouse, emulator] = await Promise.all([startHarness(), startSqsEmulator()]);
  await greenhouse.admin('PUT', '/rate-limit', { limit: 10_000 });
  await greenhouse.admin('POST', '/generate/candidates', { count: 1_200 });
  const all = await collect(greenhouse.client().listCandidates());
  // A few private candidates among the generated ones, on different pages.
  const privateIds = [all[3]!.id, all[600]!.id, all[1_100]!.id];
  for (const id of privateIds) await greenhouse.admin('PATCH', `/candidates/${id}`, { is_private: true });
  const candidates = (await collect(greenhouse.client().listCandidates()))
    .filter((c) => c.private !== true)
    .map((c) => `greenhouse#candidate#${c.id}`);
  const jobs = (await collect(greenhouse.client().listJobs())).map((j) => `greenhouse#job#${j.id}`);
  expected = { jobs: jobs.sort(), candidates: candidates.sort(), privateIds };
}, 30_000);

afterAll(async () => {
  await Promise.all([greenhouse?.close(), emulator?.stop()]);
});

beforeEach(async () => {
  queues = await createQueues(emulator, { prefix: `backfill-it-${++prefixes}-` });
});

function deps(store: InMemoryCheckpointStore, overrides: Partial<BackfillRunnerDependencies> = {}): BackfillRunnerDependencies {
  return {
    greenhouse: greenhouse.client(),
    publisher: new SqsQueuePublisher(emulator.sqs, (queue) => queues[queue].url),
    store,
    clock: instantClock,
    newRunId: () => 'run-1',
    ...overrides,
  };
}

async function queued() {
  const messages = await drain(emulator.sqs, queues['greenhouse-changes'].url);
  const envelopes = messages.map((m) => parseEnvelope(m.Body!));
  for (const e of envelopes) expect(e).toMatchObject({ origin: 'backfill', kind: 'greenhouse.event', deliveryId: 'backfill:run-1' });
  return {
    keys: envelopes.map((e) => e.entityKey).sort(),
    deduplicationIds: messages.map((m) => m.Attributes?.['MessageDeduplicationId'] ?? ''),
  };
}

const all = () => [...expected.jobs, ...expected.candidates].sort();

describe('bridge backfill', () => {
  it('enqueues every job and every non-private candidate once, page by page, checkpointing each page', async () => {
    expect(expected.candidates.length).toBeGreaterThan(1_000);
    const store = new InMemoryCheckpointStore();
    const progress: ProgressSnapshot[] = [];
    const result = await runBackfill(deps(store, { onProgress: (p) => progress.push(p) }), { phases: ['jobs', 'candidates'] });

    expect(result).toMatchObject({ action: 'start', enqueued: all().length });
    // Progress moves message by message (a publish batch at a time), not once per 500-record page:
    // within the first candidate page, enqueued + listed-to-go stays the page's 500.
    const firstPage = progress.filter((p) => p.phase === 'candidates' && p.pages === Math.ceil(expected.jobs.length / 500) && p.listedAhead > 0);
    expect(firstPage.length).toBeGreaterThanOrEqual(500 / PUBLISH_BATCH);
    for (const p of firstPage) expect(p.phaseDone + p.listedAhead).toBe(500);
    for (let i = 1; i < firstPage.length; i++) expect(firstPage[i]!.phaseDone - firstPage[i - 1]!.phaseDone).toBeLessThanOrEqual(PUBLISH_BATCH);
    expect(formatProgress(firstPage[1]!)).toMatch(/^candidates \d+ enqueued · \d+ pages? · [\d.]+\/s · \d+ listed to go, ETA ≥[\dhms]+ \(more pages may follow\)$/);
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ phase: 'done', totalDone: all().length, sessionDone: all().length, listedAhead: 0 });
    expect(last.sessionMs).toBeGreaterThan(0);
    expect(formatProgress(last)).not.toContain(' 0.0/s');
    expect(result.checkpoint).toMatchObject({ phase: 'done', counts: { jobs: expected.jobs.length, candidates: expected.candidates.length } });
    // 3 candidate pages at 500 (private ones left out by private=false, so none skipped client-side).
    expect(store.history.filter((c) => c.phase === 'candidates' && c.mark).length).toBe(3);

    const { keys, deduplicationIds } = await queued();
    expect(keys).toEqual(all());
    for (const id of expected.privateIds) expect(keys).not.toContain(`greenhouse#candidate#${id}`);
    expect(new Set(deduplicationIds).size).toBe(deduplicationIds.length);
    expect(deduplicationIds).toContain(`backfill:${expected.jobs[0]}:run-1`);

    // Run again: the run is finished, nothing is sent; --restart starts a new run.
    expect((await runBackfill(deps(store), { phases: ['jobs', 'candidates'] })).action).toBe('finished');
    expect((await queued()).keys).toEqual([]);
    const again = await runBackfill(deps(store, { newRunId: () => 'run-2' }), { phases: ['jobs'], restart: true });
    expect(again.checkpoint).toMatchObject({ runId: 'run-2', phase: 'done', counts: { jobs: expected.jobs.length, candidates: 0 } });
    await drain(emulator.sqs, queues['greenhouse-changes'].url);
  });

  it('a crash after a candidate page resumes from the checkpoint: no page sent twice, none skipped', async () => {
    const store = new InMemoryCheckpointStore();
    let candidatePages = 0;
    const crashing = new (class extends InMemoryCheckpointStore {
      override async save(checkpoint: BackfillCheckpoint) {
        await store.save(checkpoint);
        if (checkpoint.phase === 'candidates' && checkpoint.mark && ++candidatePages === 1) throw new Error('simulated crash');
      }
      override load() {
        return store.load();
      }
    })();
    await expect(runBackfill(deps(crashing), { phases: ['jobs', 'candidates'] })).rejects.toThrow('simulated crash');
    const first = await queued();
    expect(first.keys.length).toBe(expected.jobs.length + 500);

    const resumed = await runBackfill(deps(store, { newRunId: () => 'unused' }), { phases: ['jobs', 'candidates'] });
    expect(resumed).toMatchObject({ action: 'resume', enqueued: expected.candidates.length - 500 });
    expect(resumed.checkpoint).toMatchObject({ runId: 'run-1', phase: 'done', counts: { candidates: expected.candidates.length } });
    const second = await queued();

    const keys = [...first.keys, ...second.keys].sort();
    expect(keys).toEqual(all());
    const ids = [...first.deduplicationIds, ...second.deduplicationIds];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('a crash mid-page (before its checkpoint) sends that page again with the same deduplication ids', async () => {
    const store = new InMemoryCheckpointStore();
    const real = new SqsQueuePublisher(emulator.sqs, (queue) => queues[queue].url);
    let batches = 0;
    const publisher = {
      publish: async (messages: Parameters<SqsQueuePublisher['publish']>[0]) => {
        // The candidates' first page is batches 2..11 (jobs fit one batch): fail in its middle.
        if (++batches === 5) throw new Error('simulated crash');
        await real.publish(messages);
      },
    };
    await expect(runBackfill(deps(store, { publisher }), { phases: ['jobs', 'candidates'] })).rejects.toThrow('simulated crash');
    expect(store.saved).toMatchObject({ phase: 'candidates' });
    expect(store.saved?.mark).toBeUndefined();
    await runBackfill(deps(store, { publisher: real }), { phases: ['jobs', 'candidates'] });
    // SQS FIFO drops the repeats (same deduplication id within five minutes).
    const { keys, deduplicationIds } = await queued();
    expect(keys).toEqual(all());
    expect(new Set(deduplicationIds).size).toBe(deduplicationIds.length);
  });

  it('waits out a RateLimited and continues from the checkpoint', async () => {
    const store = new InMemoryCheckpointStore();
    const client = greenhouse.client();
    let thrown = 0;
    const slept: number[] = [];
    const limited: BackfillGreenhouse = {
      async *pages(resource, query) {
        let n = 0;
        for await (const page of client.pages(resource, query)) {
          if (resource === 'candidates' && ++n === 2 && thrown++ === 0) throw new RateLimited('greenhouse', 'GET /v3/candidates', 7, 'server');
          yield page;
        }
      },
    };
    const clock: Clock = { now: () => Date.now(), sleep: async (ms) => void slept.push(ms) };
    const progress: string[] = [];
    const result = await runBackfill(deps(store, { greenhouse: limited, clock, onProgress: (p) => progress.push(p.waitingSeconds ? 'wait' : p.phase) }), {
      phases: ['candidates'],
    });
    expect(result).toMatchObject({ rateLimitWaits: 1, enqueued: expected.candidates.length });
    expect(slept).toEqual([7_000]);
    expect(progress).toContain('wait');
    expect((await queued()).keys).toEqual(expected.candidates);
  });
});

describe('backpressure', () => {
  it('keeps about a rate window of work on the queue: never more than the cap for the measured drain rate', async () => {
    // A simulated consumer drains 5 messages per simulated second; the clock moves only when the runner waits.
    let now = Date.parse('2026-11-23T12:00:00Z');
    const clock: Clock = { now: () => now, sleep: async (ms) => void (now += ms) };
    let published = 0;
    let drained = 0;
    let most = 0;
    const publisher = {
      publish: async (messages: readonly unknown[]) => {
        published += messages.length;
        most = Math.max(most, published - drained);
      },
    };
    const queueDepth = async () => {
      // Drains since the last look, at 5 per second of simulated time.
      drained = Math.min(published, Math.floor((now - Date.parse('2026-11-23T12:00:00Z')) / 200));
      return published - drained;
    };
    const progress: ProgressSnapshot[] = [];
    const result = await runBackfill(deps(new InMemoryCheckpointStore(), { clock, publisher, queueDepth, depthPollMs: 1_000, onProgress: (p) => progress.push(p) }), {
      phases: ['candidates'],
    });
    expect(result.enqueued).toBe(expected.candidates.length);
    // While it waits for room the progress line says why, with what is queued; once sent, it no longer does.
    const waiting = progress.filter((p) => p.queuedWhileWaiting !== undefined);
    expect(waiting.length).toBeGreaterThan(0);
    expect(formatProgress(waiting[0]!)).toMatch(/ · waiting for the consumers: \d+ queued on greenhouse-changes$/);
    expect(progress.at(-1)!.queuedWhileWaiting).toBeUndefined();
    // 5 per second over a 15 s horizon: about 75 queued at the most, never the whole page of 500.
    expect(most).toBeLessThanOrEqual(queueCap(5) + 50);
    expect(most).toBeGreaterThan(DEFAULT_BACKPRESSURE.minQueued);
  });

  it('caps by the drain rate, within its floor and ceiling', () => {
    expect(queueCap(0)).toBe(DEFAULT_BACKPRESSURE.minQueued);
    expect(queueCap(0.26)).toBe(DEFAULT_BACKPRESSURE.minQueued);
    expect(queueCap(5)).toBe(75);
    expect(queueCap(1_000)).toBe(DEFAULT_BACKPRESSURE.maxQueued);
    expect(queueCap(Number.NaN)).toBe(DEFAULT_BACKPRESSURE.minQueued);
  });
});
