import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '#lambdas/config';
import { parseEnvelope } from '#core/envelope';
import { POLLERS, type ScheduledRun } from '#core/sync/poll-window';
import { DynamoDbLedger } from '#adapters/store/ledger';
import type { ScheduledRunSummary } from '#core/sync/scheduled-runs';
import type { PollerEvent } from '#core/sync/poll-window';
import { startEmulators, type Emulators } from '#local/emulators';
import { createResources, type LocalResources } from '#local/resources';
import { startLocalSchedules, type LocalPollOutcome, type PollerHandler } from '#local/schedules';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '#local/simulators/greenhouse/server';
import { lambdaEnvironment } from '#local/stack';
import { entityKey } from '#core/envelope';
import { DynamoDbIdMap } from '#adapters/store/id-map';
import type { BeamerySimulator } from '#local/simulators/beamery/server';
import { drain } from '../../support/queues.ts';
import { startHarness, type Harness } from '../greenhouse/support.ts';
import { CREDENTIALS as BEAMERY_CREDENTIALS, VARIANT_ENVIRONMENT as BEAMERY_VARIANT_ENVIRONMENT, startSimulator as startBeamery } from '../beamery/harness.ts';

const summary = (poller: ScheduledRun): ScheduledRunSummary =>
  poller === 'users'
    ? { poller, linked: 0, unchanged: 0, unmatched: 0, unlinked: 0 }
    : poller === 'beamery'
      ? { poller, window: { from: '', to: '' }, listed: 0, queued: 0, pushRequests: 0, watermark: '' }
      : poller === 'deletions'
        ? { poller, checked: 0, requests: 0, candidatesDeleted: 0, jobsDeleted: 0, complete: true }
        : poller === 'rediscovery'
          ? { poller, jobs: 0, queued: 0 }
          : { poller, windows: [], watermark: undefined, caughtUp: true };

describe('local schedules', () => {
  it('trigger() runs every poller (or the ones named) with the schedule input, now', async () => {
    const events: PollerEvent[] = [];
    const schedules = startLocalSchedules({
      intervalMs: 0,
      window: { overlapSeconds: 60 },
      handler: async (event) => {
        events.push(event);
        return summary(event.poller);
      },
    });
    const all = await schedules.trigger();
    // The rediscovery runs too, whatever the AI settings: the consumer's gate decides (local/schedules.ts).
    expect(all.map((o) => [o.poller, o.ok])).toEqual([
      ['jobs', true],
      ['candidates', true],
      ['scorecards', true],
      ['profiles', true],
      ['users', true],
      ['beamery', true],
      ['deletions', true],
      ['rediscovery', true],
    ]);
    await schedules.trigger('candidates');
    expect(events).toEqual([
      { poller: 'jobs', window: { overlapSeconds: 60 } },
      { poller: 'candidates', window: { overlapSeconds: 60 } },
      { poller: 'scorecards', window: { overlapSeconds: 60 } },
      { poller: 'profiles', window: { overlapSeconds: 60 } },
      // The users sync, the deletions sweep and the rediscovery run have no window; the Beamery poller keeps its own.
      { poller: 'users' },
      { poller: 'beamery' },
      { poller: 'deletions' },
      { poller: 'rediscovery' },
      { poller: 'candidates', window: { overlapSeconds: 60 } },
    ]);
    await schedules.stop();
    await expect(schedules.trigger()).rejects.toThrow(/stopped/);
  });

  it('ticks on its interval, never runs one poller twice at once, and reports failures without throwing', async () => {
    let inFlight = 0;
    let most = 0;
    let calls = 0;
    const outcomes: LocalPollOutcome[] = [];
    const handler: PollerHandler = async (event) => {
      calls += 1;
      inFlight += 1;
      most = Math.max(most, inFlight);
      await sleep(30);
      inFlight -= 1;
      if (calls === 1) throw Object.assign(new Error('429'), { name: 'RateLimited' });
      return summary(event.poller);
    };
    const schedules = startLocalSchedules({ intervalMs: 10, pollers: ['jobs'], handler, onRun: (o) => outcomes.push(o) });
    await sleep(120);
    await schedules.stop();
    expect(most).toBe(1);
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(outcomes[0]).toMatchObject({ poller: 'jobs', ok: false, error: { name: 'RateLimited' } });
    expect(outcomes.slice(1).every((o) => o.ok)).toBe(true);
    // stop() waited for the run in progress.
    expect(inFlight).toBe(0);
  });

  it('refuses a negative interval', () => {
    expect(() => startLocalSchedules({ intervalMs: -1, handler: async (e) => summary(e.poller) })).toThrow(/interval/);
  });

  it('runs each poller on its own interval when given per poller; the others keep their deployed rate', async () => {
    const runs: string[] = [];
    const schedules = startLocalSchedules({ intervalMs: { beamery: 10, users: 0 }, handler: async (e) => (runs.push(e.poller), summary(e.poller)) });
    await sleep(120);
    await schedules.stop();
    expect(runs.filter((p) => p === 'beamery').length).toBeGreaterThanOrEqual(2);
    // jobs and the rest are hourly or daily: no tick within the test.
    expect(runs.filter((p) => p !== 'beamery')).toEqual([]);
  });
});

/**
 * The deployed entry module (lambdas/handlers/scheduled-runs.ts) as the local stack runs it:
 * configuration from the environment, DynamoDB Local for the watermarks and the shared rate budget,
 * fauxqs for the queue, the Greenhouse simulator for Harvest, the Beamery simulator for its users.
 */
describe('the poller Lambda on the local emulators', () => {
  let emulators: Emulators;
  let resources: LocalResources;
  let greenhouse: Harness;
  let beamery: BeamerySimulator;

  beforeAll(async () => {
    [emulators, greenhouse, beamery] = await Promise.all([startEmulators(), startHarness(), startBeamery()]);
    resources = await createResources(emulators, { prefix: 'poll-local-' });
    Object.assign(process.env, lambdaEnvironment(emulators, resources, 'unused-webhook-secret'), {
      [ENV.greenhouseApiBaseUrl]: greenhouse.sim.url,
      [ENV.greenhouseTokenUrl]: `${greenhouse.sim.url}/token`,
      [ENV.greenhouseClientId]: DEFAULT_CLIENT_ID,
      [ENV.greenhouseClientSecret]: DEFAULT_CLIENT_SECRET,
      [ENV.beameryBaseUrl]: beamery.url,
      [ENV.beameryClientId]: BEAMERY_CREDENTIALS.clientId,
      [ENV.beameryClientSecret]: BEAMERY_CREDENTIALS.clientSecret,
      ...BEAMERY_VARIANT_ENVIRONMENT,
      POWERTOOLS_SERVICE_NAME: 'greenhouse-poller',
      POWERTOOLS_LOG_LEVEL: process.env['DEBUG_TEST'] ? 'DEBUG' : 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
  });

  afterAll(async () => {
    await Promise.all([emulators?.stop(), greenhouse?.close(), beamery?.close()]);
  });

  it('enqueues a job created in Greenhouse and keeps the watermark in the Ledger table', async () => {
    // Two minutes ago: window ends are aligned down to the minute, so a change of this very minute
    // belongs to the next run.
    greenhouse.clock.advance(-2 * 60_000);
    const job = await greenhouse.admin<{ id: number }>('POST', '/jobs', { name: 'Site Reliability Engineer' });
    greenhouse.clock.advance(2 * 60_000);
    // The Lambda reads its configuration when its module is evaluated: import it only now.
    const { handler } = await import('#handlers/scheduled-runs');
    const schedules = startLocalSchedules({ intervalMs: 0, handler });
    try {
      const [outcome] = await schedules.trigger('jobs');
      expect(outcome).toMatchObject({ poller: 'jobs', ok: true, summary: { caughtUp: true, windows: [{ found: 1 }] } });
      const messages = await drain(emulators.sqs, resources.queues['greenhouse-changes'].url);
      expect(messages.map((m) => parseEnvelope(m.Body!).entityKey)).toEqual([`greenhouse#job#${job.id}`]);
      const ledger = new DynamoDbLedger(emulators.dynamodb, resources.tables.ledger);
      expect(await ledger.getWatermark(POLLERS.jobs.watermarkKey)).toBe(outcome!.ok && 'watermark' in outcome!.summary ? outcome!.summary.watermark : 'failed');
    } finally {
      await schedules.stop();
    }
  });

  it('runs the users reference sync: links a Greenhouse user to the Beamery user with the same email in the IdMap table', async () => {
    const users = await greenhouse.admin<{ id: number; primary_email: string; deactivated?: boolean }[]>('GET', '/state?table=users');
    const user = users.find((u) => u.deactivated !== true && u.primary_email)!;
    const seeded = await beamery.app.inject({
      method: 'POST',
      url: '/_admin/seed',
      payload: { users: [{ id: 'e00000000000000000aa', email: user.primary_email.toUpperCase() }] },
    });
    expect(seeded.statusCode).toBe(200);
    const { handler } = await import('#handlers/scheduled-runs');
    const schedules = startLocalSchedules({ intervalMs: 0, handler });
    try {
      const [first] = await schedules.trigger('users');
      expect(first).toMatchObject({ poller: 'users', ok: true, summary: { linked: 1, unchanged: 0 } });
      const idMap = new DynamoDbIdMap(emulators.dynamodb, resources.tables['id-map']);
      expect(await idMap.byGreenhouse(entityKey('greenhouse', 'user', user.id))).toMatchObject({
        beameryKey: entityKey('beamery', 'user', 'e00000000000000000aa'),
        status: 'active',
      });
      // The next hourly run finds the link right and writes nothing.
      const [second] = await schedules.trigger('users');
      expect(second).toMatchObject({ ok: true, summary: { linked: 0, unchanged: 1 } });
    } finally {
      await schedules.stop();
    }
  });
});
