import { describe, expect, it } from 'vitest';
import { envelopeSchema } from '#core/envelope';
import { greenhouseTask } from '#core/sync/greenhouse-dispatch';
import { DEFAULT_SCHEDULE_MINUTES, DEFAULT_WINDOW_POLICY, isWindowPoller, nextWindow, pollMessages, type WindowPolicy } from '#core/sync/poll-window';
import { rediscoverJobMessage } from '#core/sync/rediscovery-run';

// Pure core, no I/O: a unit test, kept beside the poller's integration test.

const MIN = 60_000;
const HOUR = 60 * MIN;
const at = (iso: string) => Date.parse(iso);

describe('the next poll window', () => {
  const policy: WindowPolicy = { overlapMs: 10 * MIN, maxWindowMs: 24 * HOUR, firstRunLookbackMs: HOUR, alignMs: MIN };

  it.each([
    {
      case: 'first run: the lookback up to now, aligned down to the minute',
      watermark: undefined,
      now: '2026-11-23T10:07:42.123Z',
      expected: { from: '2026-11-23T09:07:00.000Z', to: '2026-11-23T10:07:00.000Z', caughtUp: true },
    },
    {
      case: 'hourly run: from the watermark minus the overlap to now',
      watermark: '2026-11-23T10:07:00.000Z',
      now: '2026-11-23T11:07:05.000Z',
      expected: { from: '2026-11-23T09:57:00.000Z', to: '2026-11-23T11:07:00.000Z', caughtUp: true },
    },
    {
      case: 'after an outage: one maximum window, not caught up',
      watermark: '2026-11-20T00:00:00.000Z',
      now: '2026-11-23T10:00:00.000Z',
      expected: { from: '2026-11-19T23:50:00.000Z', to: '2026-11-20T23:50:00.000Z', caughtUp: false },
    },
    {
      case: 'a watermark not on the alignment (set by hand) is honoured',
      watermark: '2026-11-23T10:00:30.500Z',
      now: '2026-11-23T10:30:00.000Z',
      expected: { from: '2026-11-23T09:50:30.500Z', to: '2026-11-23T10:30:00.000Z', caughtUp: true },
    },
    {
      case: 'ran again within the same minute: nothing is due',
      watermark: '2026-11-23T10:07:00.000Z',
      now: '2026-11-23T10:07:59.999Z',
      expected: undefined,
    },
    {
      case: 'a watermark ahead of the clock (skew): nothing is due',
      watermark: '2026-11-23T12:00:00.000Z',
      now: '2026-11-23T10:00:00.000Z',
      expected: undefined,
    },
  ])('$case', ({ watermark, now, expected }) => {
    expect(nextWindow(watermark, at(now), policy)).toEqual(expected);
  });

  it.each([
    { case: 'a first-run lookback longer than the maximum window is cut to it', change: { firstRunLookbackMs: 48 * HOUR }, watermark: undefined, expected: { from: '2026-11-21T10:00:00.000Z', to: '2026-11-22T10:00:00.000Z', caughtUp: false } },
    { case: 'no overlap', change: { overlapMs: 0 }, watermark: '2026-11-23T09:00:00.000Z', expected: { from: '2026-11-23T09:00:00.000Z', to: '2026-11-23T10:00:00.000Z', caughtUp: true } },
    { case: 'five-minute alignment', change: { alignMs: 5 * MIN }, watermark: '2026-11-23T09:00:00.000Z', now: '2026-11-23T10:04:59.000Z', expected: { from: '2026-11-23T08:50:00.000Z', to: '2026-11-23T10:00:00.000Z', caughtUp: true } },
  ])('$case', ({ change, watermark, now = '2026-11-23T10:00:00.000Z', expected }) => {
    expect(nextWindow(watermark, at(now), { ...policy, ...change })).toEqual(expected);
  });

  it('catches up window by window, each starting an overlap before the last end, until it reaches now', () => {
    const now = at('2026-11-23T10:00:00.000Z');
    let watermark: string | undefined = '2026-11-21T00:00:00.000Z';
    const windows = [];
    for (let window = nextWindow(watermark, now, policy); window; window = nextWindow(watermark, now, policy)) {
      windows.push(window);
      watermark = window.to;
    }
    expect(windows.map((w) => [w.from, w.to, w.caughtUp])).toEqual([
      ['2026-11-20T23:50:00.000Z', '2026-11-21T23:50:00.000Z', false],
      ['2026-11-21T23:40:00.000Z', '2026-11-22T23:40:00.000Z', false],
      ['2026-11-22T23:30:00.000Z', '2026-11-23T10:00:00.000Z', true],
    ]);
  });

  it('uses a ten-minute overlap, a 24-hour maximum window and a one-hour first lookback by default', () => {
    expect(DEFAULT_WINDOW_POLICY).toEqual({ overlapMs: 10 * MIN, maxWindowMs: 24 * HOUR, firstRunLookbackMs: HOUR, alignMs: MIN });
  });

  it.each([
    { case: 'a maximum window no longer than the overlap', change: { maxWindowMs: 10 * MIN } },
    { case: 'a negative overlap', change: { overlapMs: -1 } },
    { case: 'no lookback', change: { firstRunLookbackMs: 0 } },
    { case: 'sub-second alignment', change: { alignMs: 1500 } },
  ])('refuses $case', ({ change }) => {
    expect(() => nextWindow(undefined, Date.now(), { ...policy, ...change })).toThrow(RangeError);
  });

  it('refuses a watermark that is not an instant', () => {
    expect(() => nextWindow('yesterday', Date.now(), policy)).toThrow(RangeError);
  });
});

describe('the messages a window enqueues', () => {
  const window = { to: '2026-11-23T10:07:00.000Z' };

  it.each([
    { poller: 'jobs' as const, ids: [802, 801, 802], keys: ['greenhouse#job#801', 'greenhouse#job#802'], action: 'job_updated', task: 'job' },
    { poller: 'candidates' as const, ids: ['905', 901, 905, 1000], keys: ['greenhouse#candidate#901', 'greenhouse#candidate#905', 'greenhouse#candidate#1000'], action: 'update_candidate', task: 'candidate' },
    { poller: 'candidates' as const, ids: [], keys: [], action: 'update_candidate', task: 'candidate' },
  ])('$poller $ids → one message per distinct entity, in id order', ({ poller, ids, keys, action, task }) => {
    const messages = pollMessages(poller, ids, window);
    expect(messages.map((m) => m.envelope.entityKey)).toEqual(keys);
    for (const message of messages) {
      const key = message.envelope.entityKey;
      expect(message).toMatchObject({ queue: 'greenhouse-changes', deadLetter: false, groupId: key, deduplicationId: `poll:${poller}:${key}:${window.to}` });
      expect(message.deduplicationId.length).toBeLessThanOrEqual(128);
      // A valid envelope that the existing consumer routes to the right reconcile.
      const envelope = envelopeSchema.parse(JSON.parse(JSON.stringify(message.envelope)));
      expect(envelope).toMatchObject({ kind: 'greenhouse.event', origin: 'poll', action, observedAt: window.to, deliveryId: `poll:${poller}:${window.to}` });
      if (envelope.kind !== 'greenhouse.event') throw new Error('unreachable');
      expect(greenhouseTask(envelope).kind).toBe(task);
    }
  });

  it('names the entity in refs as the webhook path does', () => {
    expect(pollMessages('jobs', [7], window)[0]!.envelope).toMatchObject({ refs: { jobIds: ['7'] } });
    expect(pollMessages('candidates', [7], window)[0]!.envelope).toMatchObject({ refs: { candidateId: '7' } });
  });

  it('sends the profiles poller\'s candidates to ai-tasks as candidate_profile_changed, hourly by default', () => {
    const [message] = pollMessages('profiles', [7], window);
    expect(message).toMatchObject({ queue: 'ai-tasks', groupId: 'greenhouse#candidate#7', deduplicationId: `poll:profiles:greenhouse#candidate#7:${window.to}` });
    expect(envelopeSchema.parse(JSON.parse(JSON.stringify(message!.envelope)))).toMatchObject({
      kind: 'greenhouse.event',
      origin: 'poll',
      entityKey: 'greenhouse#candidate#7',
      action: 'candidate_profile_changed',
      refs: { candidateId: '7' },
      deliveryId: `poll:profiles:${window.to}`,
    });
    expect(DEFAULT_SCHEDULE_MINUTES.profiles).toBe(60);
    expect(isWindowPoller('profiles')).toBe(true);
  });

  it('gives the same window the same deduplication ids, and the next window new ones', () => {
    const again = pollMessages('jobs', [801], window)[0]!.deduplicationId;
    expect(pollMessages('jobs', [801], { to: window.to })[0]!.deduplicationId).toBe(again);
    expect(pollMessages('jobs', [801], { to: '2026-11-23T11:07:00.000Z' })[0]!.deduplicationId).not.toBe(again);
  });

  it('refuses anything but positive integer ids', () => {
    expect(() => pollMessages('jobs', ['12a'], window)).toThrow(RangeError);
    expect(() => pollMessages('jobs', [0], window)).toThrow(RangeError);
  });
});

describe('the rediscovery run\'s message for one open job', () => {
  it('asks ai-tasks to rediscover for the job, grouped by the job, observed when the run started', () => {
    const message = rediscoverJobMessage(801, '2026-12-04T09:00:00.000Z');
    expect(message).toMatchObject({ queue: 'ai-tasks', deadLetter: false, groupId: 'greenhouse#job#801', deduplicationId: 'rediscover:801:2026-12-04' });
    expect(envelopeSchema.parse(JSON.parse(JSON.stringify(message.envelope)))).toEqual({
      v: 1,
      kind: 'greenhouse.event',
      entityKey: 'greenhouse#job#801',
      origin: 'poll',
      observedAt: '2026-12-04T09:00:00.000Z',
      deliveryId: 'rediscover:2026-12-04',
      action: 'rediscover_job',
      refs: { jobIds: ['801'] },
    });
    expect(DEFAULT_SCHEDULE_MINUTES.rediscovery).toBe(24 * 60);
    expect(isWindowPoller('rediscovery')).toBe(false);
  });

  it('keeps one deduplication id per job through a UTC day, and a new one the next day', () => {
    const morning = rediscoverJobMessage(801, '2026-12-04T00:00:00.000Z').deduplicationId;
    expect(rediscoverJobMessage(801, '2026-12-04T23:59:59.999Z').deduplicationId).toBe(morning);
    expect(rediscoverJobMessage(802, '2026-12-04T00:00:00.000Z').deduplicationId).not.toBe(morning);
    expect(rediscoverJobMessage(801, '2026-12-05T00:00:00.000Z').deduplicationId).toBe('rediscover:801:2026-12-05');
  });
});
