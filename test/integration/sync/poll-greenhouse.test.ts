import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '#core/clock';
import { parseEnvelope, type Refs } from '#core/envelope';
import type { QueueId } from '#core/queues';
import { POLLERS, type PollerEvent, type PollerName } from '#core/sync/poll-window';
import { InMemoryLedger } from '#adapters/store/in-memory';
import { SqsQueuePublisher } from '#adapters/queue/sqs-publisher';
import { makeScheduledRunsHandler, type ScheduledRunsHandlerDependencies } from '#handlers/make-scheduled-runs-handler';
import { queueRoom } from '#adapters/queue/backpressure';
import { currentPriority } from '#adapters/http/traffic-priority';
import { pinnedEndKey } from '#core/sync/poll-greenhouse';
import { POLLER_METRICS } from '#core/metrics';
import { startSqsEmulator, type SqsEmulator } from '#local/emulators';
import { createQueues, type LocalResources } from '#local/resources';
import { drain } from '../../support/queues.ts';
import { startHarness, type Harness } from '../greenhouse/support.ts';

/**
 * The scheduled poller against the Greenhouse simulator (in this process), fauxqs and an in-memory
 * Ledger: windows, what they find, deduplication, and the watermark on failure.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * The poller's own clock, moved by the test: the simulator's clock keeps running underneath. With
 * `passes`, a wait moves it too (backpressure), and `slept` records each.
 */
class ManualClock implements Clock {
  readonly slept: number[] = [];
  passes = false;
  constructor(public at: number) {}
  now(): number {
    return this.at;
  }
  sleep(ms: number): Promise<void> {
    this.slept.push(ms);
    if (this.passes) this.at += ms;
    return Promise.resolve();
  }
}

let greenhouse: Harness;
let emulator: SqsEmulator;
let queues: LocalResources['queues'];
let ledger: InMemoryLedger;
let clock: ManualClock;
let counted: Record<string, number>;
let fresh: { jobs: number[]; candidates: number[] };
let prefixes = 0;

beforeAll(async () => {
  [greenhouse, emulator] = await Promise.all([startHarness(), startSqsEmulator()]);
});

afterAll(async () => {
  await Promise.all([greenhouse?.close(), emulator?.stop()]);
});

beforeEach(async () => {
  await greenhouse.admin('POST', '/reset');
  await greenhouse.admin('PUT', '/rate-limit', { limit: 10_000 });
  await greenhouse.admin('DELETE', '/requests');
  // The scenario's records date from months ago; these are created now, inside the first lookback.
  fresh = { jobs: [], candidates: [] };
  for (const name of ['Data Engineer', 'Product Designer']) fresh.jobs.push((await greenhouse.admin<{ id: number }>('POST', '/jobs', { name })).id);
  for (const [first_name, last_name] of [['Ada', 'Quill'], ['Bo', 'Rennet'], ['Cy', 'Stroud']]) {
    fresh.candidates.push((await greenhouse.admin<{ candidate: { id: number } }>('POST', '/candidates', { first_name, last_name, application: { job_id: 801 } })).candidate.id);
  }
  queues = await createQueues(emulator, { prefix: `poll-it-${++prefixes}-` });
  ledger = new InMemoryLedger();
  counted = {};
  // The first run comes a quarter of an hour after those records, so the next window's overlap
  // (10 min) no longer reaches back to them.
  clock = new ManualClock(greenhouse.clock.now() + 15 * MIN);
});

afterEach(async () => {
  await drain(emulator.sqs, queues['greenhouse-changes'].url);
});

function poller(overrides: Partial<ScheduledRunsHandlerDependencies> = {}) {
  return makeScheduledRunsHandler({
    greenhouse: greenhouse.client(),
    ledger,
    publisher: new SqsQueuePublisher(emulator.sqs, (queue) => queues[queue].url),
    clock,
    logger: new Logger({ logLevel: process.env['DEBUG_TEST'] ? 'DEBUG' : 'SILENT' }),
    metrics: { addMetric: (name, _unit, value) => void (counted[name] = (counted[name] ?? 0) + value), publishStoredMetrics: () => undefined },
    ...overrides,
  });
}

async function queued(queue: QueueId = 'greenhouse-changes'): Promise<{ keys: string[]; deduplicationIds: string[]; actions: Record<string, string>; refs: Record<string, Refs> }> {
  const messages = await drain(emulator.sqs, queues[queue].url);
  const envelopes = messages.map((m) => parseEnvelope(m.Body!));
  for (const [i, m] of messages.entries()) {
    expect(envelopes[i]).toMatchObject({ origin: 'poll', kind: 'greenhouse.event' });
    expect(m.Attributes?.['MessageGroupId']).toBe(envelopes[i]!.entityKey);
  }
  return {
    keys: envelopes.map((e) => e.entityKey).sort(),
    deduplicationIds: messages.map((m) => m.Attributes?.['MessageDeduplicationId'] ?? '').sort(),
    actions: Object.fromEntries(envelopes.map((e) => [e.entityKey, 'action' in e ? (e.action ?? '') : ''])),
    refs: Object.fromEntries(envelopes.map((e) => [e.entityKey, 'refs' in e ? e.refs : {}])),
  };
}

const keysOf = (type: string, ids: number[]) => ids.map((id) => `greenhouse#${type}#${id}`).sort();
const run = (name: PollerName, handler = poller()) => handler({ poller: name });

describe('scheduled Greenhouse polling', () => {
  it('first run: enqueues the jobs and candidates updated in the lookback (not older ones), then sets the watermarks', async () => {
    const jobs = await run('jobs');
    const candidates = await run('candidates');

    const to = new Date(Math.floor(clock.now() / MIN) * MIN).toISOString();
    expect(jobs).toMatchObject({ poller: 'jobs', caughtUp: true, watermark: to, windows: [{ to, found: 2 }] });
    expect(candidates).toMatchObject({ poller: 'candidates', caughtUp: true, watermark: to, windows: [{ to, found: 3 }] });
    expect(jobs.windows[0]!.from).toBe(new Date(Date.parse(to) - HOUR).toISOString());
    expect(await ledger.getWatermark(POLLERS.jobs.watermarkKey)).toBe(to);
    expect(await ledger.getWatermark(POLLERS.candidates.watermarkKey)).toBe(to);

    const { keys, deduplicationIds } = await queued();
    expect(keys).toEqual([...keysOf('job', fresh.jobs), ...keysOf('candidate', fresh.candidates)].sort());
    expect(deduplicationIds).toContain(`poll:jobs:greenhouse#job#${fresh.jobs[0]}:${to}`);
    expect(counted[POLLER_METRICS.queued]).toBe(5);
    // Each run reports how far its watermark is behind now (the dashboard's sync lag).
    expect(counted[POLLER_METRICS.lagSeconds]).toBe(2 * Math.round((clock.now() - Date.parse(to)) / 1000));
  });

  it('next run: finds only what changed after the watermark, a note included', async () => {
    await run('jobs');
    await run('candidates');
    await queued();

    greenhouse.clock.advance(HOUR);
    await greenhouse.admin('PATCH', '/jobs/802', { name: 'Senior Platform Engineer' });
    await greenhouse.admin('PATCH', '/candidates/903', { title: 'Staff Engineer' });
    // No webhook exists for notes [H], and a note leaves the candidate's updated_at alone.
    await greenhouse.client().createNote({ candidate_id: 904, body: 'Spoke on the phone.', visibility: 'public' });
    // Nor for a (bulk) tag: seed "Bulk tags ... will then synchronise" once the candidate is read again.
    await greenhouse.client().addTag(902, 'Bulk Campaign');
    clock.at = greenhouse.clock.now() + 15 * MIN;

    const jobs = await run('jobs');
    const candidates = await run('candidates');
    expect(jobs.windows).toHaveLength(1);
    expect(jobs.windows[0]).toMatchObject({ found: 1, caughtUp: true });
    expect(candidates.windows[0]).toMatchObject({ found: 3 });
    const found = await queued();
    expect(found.keys).toEqual(['greenhouse#candidate#902', 'greenhouse#candidate#903', 'greenhouse#candidate#904', 'greenhouse#job#802']);
    // Only the candidate found by its own updated_at may be the echo of the bridge's write; a note or
    // a tag asks for everything to be read.
    expect(found.actions).toEqual({
      'greenhouse#candidate#902': 'candidate_records_changed',
      'greenhouse#candidate#903': 'update_candidate',
      'greenhouse#candidate#904': 'candidate_records_changed',
      'greenhouse#job#802': 'job_updated',
    });

    // Nothing new past this window's overlap: the following run finds nothing and enqueues nothing.
    clock.at += HOUR;
    expect((await run('candidates')).windows[0]).toMatchObject({ found: 0 });
    expect((await queued()).keys).toEqual([]);
  });

  it('a re-run of the same window (the checkpoint write failed) enqueues no duplicates', async () => {
    let failures = 1;
    const flaky: ScheduledRunsHandlerDependencies['ledger'] = {
      getSyncState: (key) => ledger.getSyncState(key),
      putSyncState: (state) => ledger.putSyncState(state),
      getWatermark: (key) => ledger.getWatermark(key),
      advanceWatermark: async (key, value) => {
        if (failures-- > 0) throw new Error('the Lambda ran out of time before the checkpoint');
        await ledger.advanceWatermark(key, value);
      },
    };
    const handler = poller({ ledger: flaky });
    await expect(run('candidates', handler)).rejects.toThrow(/checkpoint/);
    expect(await ledger.getWatermark(POLLERS.candidates.watermarkKey)).toBeUndefined();

    const retried = await run('candidates', handler);
    expect(retried.windows[0]!.found).toBe(3);
    const { keys, deduplicationIds } = await queued();
    expect(keys).toEqual(keysOf('candidate', fresh.candidates));
    expect(new Set(deduplicationIds).size).toBe(3);
    // Both runs sent all three; SQS kept one of each.
    expect(counted[POLLER_METRICS.queued]).toBe(6);
  });

  it('RateLimited in the middle of a window: the run ends as rate limited (not thrown, so never dead-lettered), watermark unchanged; the next run lists the window again', async () => {
    await run('candidates');
    await queued();
    const before = await ledger.getWatermark(POLLERS.candidates.watermarkKey);

    greenhouse.clock.advance(HOUR);
    await greenhouse.admin('PATCH', '/candidates/901', { title: 'Principal Engineer' });
    await greenhouse.admin('PATCH', '/candidates/902', { title: 'Engineering Manager' });
    clock.at = greenhouse.clock.now() + 2 * MIN;

    // One record per page, two pages allowed in this rate window: the third page is a 429.
    greenhouse.clock.advance(30_000);
    await greenhouse.admin('PUT', '/rate-limit', { limit: 2 });
    const pageByPage = poller({ greenhouse: greenhouse.client({ perPage: 1 }) });
    expect(await pageByPage({ poller: 'candidates' })).toMatchObject({ poller: 'candidates', rateLimited: true, retryAfterSeconds: expect.any(Number) });
    expect(await ledger.getWatermark(POLLERS.candidates.watermarkKey)).toBe(before);
    expect(counted[POLLER_METRICS.rateLimited]).toBe(1);

    await greenhouse.admin('PUT', '/rate-limit', { limit: 10_000 });
    const retried = await run('candidates', pageByPage);
    expect(retried.windows[0]).toMatchObject({ from: new Date(Date.parse(before!) - 10 * MIN).toISOString(), found: 2 });
    expect(retried.watermark).not.toBe(before);
    expect((await queued()).keys).toEqual(['greenhouse#candidate#901', 'greenhouse#candidate#902']);
  });

  it('catches up after an outage in bounded windows, each checkpointed', async () => {
    await ledger.advanceWatermark(POLLERS.jobs.watermarkKey, new Date(clock.now() - 50 * HOUR).toISOString());
    const summary = await poller()({ poller: 'jobs', window: { maxWindowSeconds: 24 * 3600 } });
    expect(summary.windows.map((w) => w.caughtUp)).toEqual([false, false, true]);
    expect(summary.windows.map((w) => w.found)).toEqual([0, 0, 2]);
    expect(summary.caughtUp).toBe(true);

    await ledger.advanceWatermark(POLLERS.candidates.watermarkKey, new Date(clock.now() - 50 * HOUR).toISOString());
    const limited = await poller()({ poller: 'candidates', maxWindowsPerRun: 1 });
    expect(limited).toMatchObject({ caughtUp: false, windows: [{ caughtUp: false }] });
    expect(await ledger.getWatermark(POLLERS.candidates.watermarkKey)).toBe(limited.windows[0]!.to);
  });

  it('refuses an input without a known poller, touching nothing', async () => {
    await expect(poller()({ poller: 'departments' })).rejects.toThrow(/poller input/);
    await expect(poller()({})).rejects.toThrow(/poller input/);
    // Known, but this poller was built without the Beamery side of the users sync.
    await expect(poller()({ poller: 'users' })).rejects.toThrow(/without the users reference sync/);
    expect(greenhouse.requests('GET /v3/jobs')).toBe(0);
  });
});

/**
 * Backpressure on greenhouse-changes (adapters/queue/backpressure.ts): a fake queue depth drained by a
 * simulated consumer on the poller's clock, which moves only while the poller waits for room.
 */
describe('scheduled Greenhouse polling with backpressure', () => {
  /** At most one message on the queue, whatever the drain rate. */
  const policy = { minQueued: 1, maxQueued: 1, horizonMs: 15_000 };
  let publishes: number[];
  let published: number;
  let drained: number;
  let most: number;

  beforeEach(() => {
    clock.passes = true;
    publishes = [];
    published = 0;
    drained = 0;
    most = 0;
  });

  /** The real queue behind a publisher that counts what is outstanding at the fake consumer. */
  function counting(): ScheduledRunsHandlerDependencies['publisher'] {
    const sqs = new SqsQueuePublisher(emulator.sqs, (queue) => queues[queue].url);
    return {
      publish: async (messages) => {
        publishes.push(messages.length);
        published += messages.length;
        most = Math.max(most, published - drained);
        await sqs.publish(messages);
      },
    };
  }

  /** A consumer that takes one message off the queue every `everyMs` of the poller's clock from now. */
  function consumer(everyMs: number): () => Promise<number> {
    const start = clock.now();
    return async () => {
      drained = Math.min(published, Math.floor((clock.now() - start) / everyMs));
      return published - drained;
    };
  }

  const backpressured = (queueDepth: () => Promise<number>, budgetMs = 60_000): Partial<ScheduledRunsHandlerDependencies> => ({
    publisher: counting(),
    backpressure: { budgetMs, room: () => queueRoom({ queueDepth, clock, policy, depthPollMs: 1_000 }) },
  });

  it('publishes only as the queue drains: at most the room each time, never more than the cap outstanding', async () => {
    const startedAt = clock.now();
    const summary = await poller(backpressured(consumer(5_000)))({ poller: 'candidates' });

    expect(summary).toMatchObject({ caughtUp: true, windows: [{ found: 3 }] });
    expect(summary.backpressured).toBeUndefined();
    // One at a time, each after the previous one was taken: 5 s of waiting apiece.
    expect(publishes).toEqual([1, 1, 1]);
    expect(most).toBe(1);
    expect(clock.now() - startedAt).toBe(10_000);
    expect(clock.slept.every((ms) => ms === 1_000)).toBe(true);
    expect(await ledger.getWatermark(POLLERS.candidates.watermarkKey)).toBe(summary.watermark);
    expect((await queued()).keys).toEqual(keysOf('candidate', fresh.candidates));
    expect(counted[POLLER_METRICS.backpressure]).toBeUndefined();
  });

  it('a queue that does not drain: the run stops within its budget, keeps the watermark and counts PollBackpressure; the next run completes the window', async () => {
    // A first run (the queue drains) sets the watermark; then three candidates change.
    await poller(backpressured(consumer(1)))({ poller: 'candidates' });
    await queued();
    const before = await ledger.getWatermark(POLLERS.candidates.watermarkKey);
    greenhouse.clock.advance(HOUR);
    for (const id of fresh.candidates) await greenhouse.admin('PATCH', `/candidates/${id}`, { title: 'Staff Engineer' });
    clock.at = greenhouse.clock.now() + 15 * MIN;
    publishes = [];
    published = 0;

    // The first message goes out; the consumer never takes it.
    const startedAt = clock.now();
    const stuck = await poller(backpressured(async () => published, 30_000))({ poller: 'candidates' });
    expect(stuck).toMatchObject({ poller: 'candidates', caughtUp: false, backpressured: true, windows: [], watermark: before });
    expect(clock.now() - startedAt).toBeLessThanOrEqual(30_000);
    expect(clock.now() - startedAt).toBeGreaterThanOrEqual(29_000);
    expect(publishes).toEqual([1]);
    expect(await ledger.getWatermark(POLLERS.candidates.watermarkKey)).toBe(before);
    expect(counted[POLLER_METRICS.backpressure]).toBe(1);

    // The unfinished window's end is kept, so the next run lists exactly that window again: what it
    // sends again carries the same observedAt, which the consumer has already covered.
    const unfinishedEnd = await ledger.getWatermark(pinnedEndKey(POLLERS.candidates.watermarkKey));
    expect(unfinishedEnd).toBeDefined();
    expect(Date.parse(unfinishedEnd!)).toBeGreaterThan(Date.parse(before!));

    // The next run, an hour later, the queue now empty: that same window, completed, then the hour
    // after it, and the watermark moves to the present.
    clock.at += HOUR;
    const next = await poller(backpressured(async () => 0, 30_000))({ poller: 'candidates' });
    expect(next.windows[0]).toMatchObject({ from: new Date(Date.parse(before!) - 10 * MIN).toISOString(), to: unfinishedEnd, found: 3 });
    expect(next.windows.length).toBeGreaterThanOrEqual(2);
    expect(next).toMatchObject({ caughtUp: true });
    expect(next.backpressured).toBeUndefined();
    expect(await ledger.getWatermark(POLLERS.candidates.watermarkKey)).toBe(next.watermark);
    expect(Date.parse(next.watermark!)).toBeGreaterThan(Date.parse(unfinishedEnd!));
    expect(new Set((await queued()).keys)).toEqual(new Set(keysOf('candidate', fresh.candidates)));

    // A later run no longer uses the old end: it starts from the watermark.
    clock.at += HOUR;
    const later = await poller(backpressured(async () => 0, 30_000))({ poller: 'candidates' });
    expect(later.windows[0]!.from).toBe(new Date(Date.parse(next.watermark!) - 10 * MIN).toISOString());
    expect(counted[POLLER_METRICS.backpressure]).toBe(1);
  });

  it('without the dependency, or for the scorecards poller (ai-tasks), publishes at once and never looks at the depth', async () => {
    let looks = 0;
    const look = async () => {
      looks++;
      return 1_000;
    };
    const plain = await poller({ publisher: counting() })({ poller: 'candidates' });
    expect(plain).toMatchObject({ caughtUp: true, windows: [{ found: 3 }] });
    expect(publishes).toEqual([3]);
    expect(clock.slept).toEqual([]);

    // A scorecard submitted now, on a new job's interview plan.
    const { candidate } = await greenhouse.admin<{ candidate: { id: number } }>('POST', '/candidates', { first_name: 'Di', last_name: 'Tarn', application: { job_id: fresh.jobs[0] } });
    const applications = await greenhouse.admin<{ id: number; candidate_id: number }[]>('GET', '/state?table=applications');
    const applicationId = applications.find((a) => a.candidate_id === candidate.id)!.id;
    const slots = await greenhouse.admin<{ id: number; job_id: number }[]>('GET', '/state?table=job_interviews');
    const interview = await greenhouse.admin<{ id: number }>('POST', '/interviews', {
      application_id: applicationId,
      job_interview_id: slots.find((slot) => slot.job_id === fresh.jobs[0])!.id,
      interviewer_ids: [301],
    });
    await greenhouse.admin('POST', `/interviews/${interview.id}/conclude`);
    await greenhouse.admin('POST', '/scorecards', { interview_id: interview.id, interviewer_id: 301, candidate_rating: 'yes', notes: 'Clear.', status: 'complete' });

    const scorecards = await poller(backpressured(look, 1_000))({ poller: 'scorecards' });
    expect(scorecards).toMatchObject({ poller: 'scorecards', caughtUp: true, windows: [{ found: 1 }] });
    expect(publishes).toEqual([3, 1]);
    expect(looks).toBe(0);
    expect(clock.slept).toEqual([]);
    expect(counted[POLLER_METRICS.backpressure]).toBeUndefined();
  });
});

/**
 * The candidate rediscovery runs (issue 17): the `profiles` poller keeps the index in step on
 * ai-tasks.fifo, the daily `rediscovery` run asks for matches for every open job.
 */
describe('candidate rediscovery runs', () => {
  interface StateRecord {
    id: number;
    candidate_id: number;
    status: string;
    updated_at: string;
  }

  it('profiles: finds a candidate through their own record, a new resume, an application and a tag, and publishes candidate_profile_changed to ai-tasks', async () => {
    // The first run sets the watermark: the three fresh candidates, each once though found twice
    // (their record and their application).
    const first = await run('profiles');
    expect(first).toMatchObject({ poller: 'profiles', caughtUp: true, windows: [{ found: 3 }] });
    expect((await queued('ai-tasks')).keys).toEqual(keysOf('candidate', fresh.candidates));

    greenhouse.clock.advance(HOUR);
    const applications = await greenhouse.admin<StateRecord[]>('GET', '/state?table=applications');
    const active = applications.filter((a) => a.status === 'in_process' && !fresh.candidates.includes(a.candidate_id));
    const [withResume, rejected] = [...new Map(active.map((a) => [a.candidate_id, a])).values()];
    const byOwnRecord = 903;
    const tagged = [901, 902, 904, 905].find((id) => id !== withResume!.candidate_id && id !== rejected!.candidate_id)!;
    expect(new Set([withResume!.candidate_id, rejected!.candidate_id, byOwnRecord, tagged]).size).toBe(4);

    await greenhouse.admin('PATCH', `/candidates/${byOwnRecord}`, { title: 'Staff Engineer' });
    await greenhouse.client().uploadAttachment({ application_id: withResume!.id, filename: 'resume.pdf', type: 'resume', content: new TextEncoder().encode('%PDF-1.4 new resume') });
    await greenhouse.admin('POST', `/applications/${rejected!.id}/reject`, {});
    await greenhouse.client().addTag(tagged, 'Rediscovery Pool');
    clock.at = greenhouse.clock.now() + 15 * MIN;

    const summary = await run('profiles');
    const window = summary.windows[0]!;
    // Only the first of the four moved their own updated_at: the others are found through the child record.
    const candidates = await greenhouse.admin<StateRecord[]>('GET', '/state?table=candidates');
    for (const id of [withResume!.candidate_id, rejected!.candidate_id, tagged]) {
      expect(Date.parse(candidates.find((c) => c.id === id)!.updated_at)).toBeLessThan(Date.parse(window.from));
    }
    expect(window.found).toBe(4);
    const found = await queued('ai-tasks');
    const ids = [byOwnRecord, withResume!.candidate_id, rejected!.candidate_id, tagged];
    expect(found.keys).toEqual(keysOf('candidate', ids));
    for (const id of ids) {
      expect(found.actions[`greenhouse#candidate#${id}`]).toBe('candidate_profile_changed');
      expect(found.refs[`greenhouse#candidate#${id}`]).toEqual({ candidateId: String(id) });
    }
    expect(found.deduplicationIds).toContain(`poll:profiles:greenhouse#candidate#${byOwnRecord}:${window.to}`);
    // Nothing of it on greenhouse-changes: the sync's own poller is `candidates`.
    expect((await queued()).keys).toEqual([]);
    expect(await ledger.getWatermark(POLLERS.profiles.watermarkKey)).toBe(window.to);
  });

  it('profiles: the watermark moves only once the window is published', async () => {
    const seenAtPublish: (string | undefined)[] = [];
    let failures = 1;
    const sqs = new SqsQueuePublisher(emulator.sqs, (queue) => queues[queue].url);
    const handler = poller({
      publisher: {
        publish: async (messages) => {
          seenAtPublish.push(await ledger.getWatermark(POLLERS.profiles.watermarkKey));
          if (failures-- > 0) throw new Error('SQS unavailable');
          await sqs.publish(messages);
        },
      },
    });
    await expect(run('profiles', handler)).rejects.toThrow(/SQS unavailable/);
    expect(await ledger.getWatermark(POLLERS.profiles.watermarkKey)).toBeUndefined();
    expect((await queued('ai-tasks')).keys).toEqual([]);

    const retried = await run('profiles', handler);
    expect(seenAtPublish).toEqual([undefined, undefined]);
    expect(await ledger.getWatermark(POLLERS.profiles.watermarkKey)).toBe(retried.watermark);
    expect((await queued('ai-tasks')).keys).toEqual(keysOf('candidate', fresh.candidates));
  });

  it('profiles: the index build (docs/operations.md) takes a long first lookback in 30-day windows, each checkpointed', async () => {
    const DAY_S = 86_400;
    const build: PollerEvent & { poller: 'profiles' } = { poller: 'profiles', window: { firstRunLookbackSeconds: 3 * 365 * DAY_S, maxWindowSeconds: 30 * DAY_S }, maxWindowsPerRun: 6 };
    const runs = [];
    for (let summary = await poller()(build); ; summary = await poller()(build)) {
      runs.push(summary);
      expect(await ledger.getWatermark(POLLERS.profiles.watermarkKey)).toBe(summary.watermark);
      if (summary.caughtUp) break;
    }
    // Three years in 30-day windows, six a run: seven runs.
    expect(runs.map((r) => r.windows.length)).toEqual([6, 6, 6, 6, 6, 6, 1]);
    expect(runs[0]!.windows[0]!.from).toBe(new Date(Math.floor(clock.now() / MIN) * MIN - 3 * 365 * DAY_S * 1000).toISOString());
    // The scenario's candidates of months ago, not only those of the last hour.
    const { keys } = await queued('ai-tasks');
    expect(keys).toEqual(expect.arrayContaining(keysOf('candidate', [901, 902, 903, 904, ...fresh.candidates])));
    expect(keys.length).toBeGreaterThan(fresh.candidates.length);
  });

  /** Mid-morning UTC: a few hours later is still the same day. */
  const MORNING = Date.parse('2026-12-04T09:00:00.000Z');

  async function openJobs(): Promise<number[]> {
    const jobs = await greenhouse.admin<{ id: number; status: string }[]>('GET', '/state?table=jobs');
    return jobs.filter((j) => j.status === 'open').map((j) => j.id);
  }

  it('rediscovery: one rediscover_job message per open job on ai-tasks (no closed or draft job), deduplicated for the day', async () => {
    await greenhouse.admin('PATCH', `/jobs/${fresh.jobs[1]}`, { status: 'closed' });
    const draft = (await greenhouse.admin<{ id: number }>('POST', '/jobs', { name: 'Future Role', status: 'draft' })).id;
    const open = await openJobs();
    expect(open).toContain(fresh.jobs[0]);
    expect(open).not.toContain(fresh.jobs[1]);
    expect(open).not.toContain(draft);

    clock.at = MORNING;
    // Live traffic on the rate budget, like the pollers: only the deletions sweep is bulk.
    const client = greenhouse.client();
    const priorities: string[] = [];
    const recording: ScheduledRunsHandlerDependencies['greenhouse'] = {
      list: (resource, query) => {
        priorities.push(currentPriority());
        return client.list(resource, query);
      },
      listUsers: (query) => client.listUsers(query),
    };
    const summary = await poller({ greenhouse: recording })({ poller: 'rediscovery' });
    expect(summary).toEqual({ poller: 'rediscovery', jobs: open.length, queued: open.length });
    expect(priorities).toEqual(['live']);
    expect(counted[POLLER_METRICS.queued]).toBe(open.length);
    const found = await queued('ai-tasks');
    expect(found.keys).toEqual(keysOf('job', open));
    for (const id of open) {
      expect(found.actions[`greenhouse#job#${id}`]).toBe('rediscover_job');
      expect(found.refs[`greenhouse#job#${id}`]).toEqual({ jobIds: [String(id)] });
    }
    expect(found.deduplicationIds).toEqual(open.map((id) => `rediscover:${id}:2026-12-04`).sort());
    expect(greenhouse.requests('GET /v3/jobs')).toBeGreaterThan(0);

    // Scheduler delivering the tick twice: SQS drops the repeat (its messages carry the same ids).
    clock.at = MORNING + 2 * MIN;
    expect(await poller()({ poller: 'rediscovery' })).toMatchObject({ queued: open.length });
    expect((await queued('ai-tasks')).keys).toEqual([]);

    // The next day's run asks again.
    clock.at = MORNING + 24 * HOUR;
    await poller()({ poller: 'rediscovery' });
    const nextDay = await queued('ai-tasks');
    expect(nextDay.keys).toEqual(keysOf('job', open));
    expect(nextDay.deduplicationIds).toEqual(open.map((id) => `rediscover:${id}:2026-12-05`).sort());
  });

  it('rediscovery: a 429 ends the run as rate limited (returned, not thrown)', async () => {
    // One job per page, two pages allowed in this rate window: the third page is a 429.
    greenhouse.clock.advance(30_000);
    await greenhouse.admin('PUT', '/rate-limit', { limit: 2 });
    clock.at = MORNING;
    const summary = await poller({ greenhouse: greenhouse.client({ perPage: 1 }) })({ poller: 'rediscovery' });
    expect(summary).toMatchObject({ poller: 'rediscovery', rateLimited: true, retryAfterSeconds: expect.any(Number), operation: expect.stringContaining('/v3/jobs') });
    expect(counted[POLLER_METRICS.rateLimited]).toBe(1);
    // What it listed before the limit may be sent; never more than the open jobs.
    expect((await queued('ai-tasks')).keys.length).toBeLessThan((await openJobs()).length);
  });
});
