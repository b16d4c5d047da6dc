import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '#lambdas/config';
import { parseEnvelope } from '#core/envelope';
import { POLLERS, type PollerName } from '#core/sync/poll-window';
import { DynamoDbLedger } from '#adapters/store/ledger';
import type { PollerEvent, PollRunSummary } from '#handlers/make-greenhouse-poller';
import { startEmulators, type Emulators } from '#local/emulators';
import { createResources, type LocalResources } from '#local/resources';
import { startLocalSchedules, type LocalPollOutcome, type PollerHandler } from '#local/schedules';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '#local/simulators/greenhouse/server';
import { lambdaEnvironment } from '#local/stack';
import { drain } from '../../support/queues.ts';
import { startHarness, type Harness } from '../greenhouse/support.ts';

const summary = (poller: PollerName): PollRunSummary => ({ poller, windows: [], watermark: undefined, caughtUp: true });

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
    expect(all.map((o) => [o.poller, o.ok])).toEqual([['jobs', true], ['candidates', true]]);
    await schedules.trigger('candidates');
    expect(events).toEqual([
      { poller: 'jobs', window: { overlapSeconds: 60 } },
      { poller: 'candidates', window: { overlapSeconds: 60 } },
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
});

/**
 * The deployed entry module (lambdas/handlers/greenhouse-poller.ts) as the local stack runs it:
 * configuration from the environment, DynamoDB Local for the watermarks and the shared rate budget,
 * fauxqs for the queue, the Greenhouse simulator for Harvest.
 */
describe('the poller Lambda on the local emulators', () => {
  let emulators: Emulators;
  let resources: LocalResources;
  let greenhouse: Harness;

  beforeAll(async () => {
    [emulators, greenhouse] = await Promise.all([startEmulators(), startHarness()]);
    resources = await createResources(emulators, { prefix: 'poll-local-' });
    Object.assign(process.env, lambdaEnvironment(emulators, resources, 'unused-webhook-secret'), {
      [ENV.greenhouseApiBaseUrl]: greenhouse.sim.url,
      [ENV.greenhouseTokenUrl]: `${greenhouse.sim.url}/token`,
      [ENV.greenhouseClientId]: DEFAULT_CLIENT_ID,
      [ENV.greenhouseClientSecret]: DEFAULT_CLIENT_SECRET,
      POWERTOOLS_SERVICE_NAME: 'greenhouse-poller',
      POWERTOOLS_LOG_LEVEL: process.env['DEBUG_TEST'] ? 'DEBUG' : 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
  });

  afterAll(async () => {
    await Promise.all([emulators?.stop(), greenhouse?.close()]);
  });

  it('enqueues a job created in Greenhouse and keeps the watermark in the Ledger table', async () => {
    // Two minutes ago: window ends are aligned down to the minute, so a change of this very minute
    // belongs to the next run.
    greenhouse.clock.advance(-2 * 60_000);
    const job = await greenhouse.admin<{ id: number }>('POST', '/jobs', { name: 'Site Reliability Engineer' });
    greenhouse.clock.advance(2 * 60_000);
    // The Lambda reads its configuration when its module is evaluated: import it only now.
    const { handler } = await import('#handlers/greenhouse-poller');
    const schedules = startLocalSchedules({ intervalMs: 0, handler });
    try {
      const [outcome] = await schedules.trigger('jobs');
      expect(outcome).toMatchObject({ poller: 'jobs', ok: true, summary: { caughtUp: true, windows: [{ found: 1 }] } });
      const messages = await drain(emulators.sqs, resources.queues['greenhouse-changes'].url);
      expect(messages.map((m) => parseEnvelope(m.Body!).entityKey)).toEqual([`greenhouse#job#${job.id}`]);
      const ledger = new DynamoDbLedger(emulators.dynamodb, resources.tables.ledger);
      expect(await ledger.getWatermark(POLLERS.jobs.watermarkKey)).toBe(outcome!.ok ? outcome!.summary.watermark : 'failed');
    } finally {
      await schedules.stop();
    }
  });
});
