import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beameryChangeMessage } from '#core/sync/beamery-messages';
import { BEAMERY_POLL_WATERMARK } from '#core/sync/beamery-poll';
import { SqsQueuePublisher } from '#adapters/queue/sqs-publisher';
import { DynamoDbLedger } from '#adapters/store/ledger';
import { ENV } from '#lambdas/config';
import { LOCAL_STACK_FILE_VARIABLE, writeLocalStackFile } from '#local/stack-file';
import { startE2eStack, type E2eStack } from '../support/e2e-stack.ts';
import { runBridgeCli } from '../support/local-stack-process.ts';
import { eventually, queueDepth } from '../support/queues.ts';

/**
 * `bridge pause|resume <flow> --local` against the local stack in this process: a paused consumer
 * holds its messages on the queue (handed back, never dead-lettered), a resume drains them; paused
 * pollers skip their runs and keep their watermarks. The switch cache is 1 s here (60 s deployed).
 */
let e2e: E2eStack;
let dir: string;
let cliEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  process.env[ENV.localSwitchCacheSeconds] = '1';
  e2e = await startE2eStack({ webhookSecret: 'pause-cli-secret-0123456789', pollIntervalMs: 0, greenhouseRateLimit: 50_000 });
  dir = await mkdtemp(join(tmpdir(), 'pause-cli-'));
  // What `npm start` writes; this process is the stack, so the file names a running one.
  const stackFile = writeLocalStackFile(process.env, join(dir, 'running-stack.json'));
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  cliEnv = { ...inherited, [LOCAL_STACK_FILE_VARIABLE]: stackFile };
}, 120_000);
afterAll(async () => {
  await e2e?.stop();
  delete process.env[ENV.localSwitchCacheSeconds];
  if (dir) await rm(dir, { recursive: true, force: true });
});

const bridge = (...args: string[]) => runBridgeCli([...args, '--local'], cliEnv, 30_000);
const depthOf = async (url: string) => {
  const depth = await queueDepth(e2e.sqs, url);
  return depth.visible + depth.inFlight;
};

describe('bridge pause|resume', () => {
  it('holds a paused flow’s messages on their queue without dead-lettering them, and a resume drains them', async () => {
    const queue = e2e.stack.resources.queues['beamery-changes'];
    const paused = await bridge('pause', 'beamery-to-greenhouse', '--json');
    expect(paused, paused.stderr).toMatchObject({ code: 0 });
    expect(JSON.parse(paused.stdout)).toMatchObject({ action: 'pause', target: 'beamery-to-greenhouse', paused: { 'beamery-to-greenhouse': expect.any(String) }, effectiveWithinSeconds: 1 });
    await sleep(1_200); // the consumer's cached switch expires

    const publisher = new SqsQueuePublisher(e2e.sqs, () => queue.url);
    await publisher.publish([beameryChangeMessage('c0ffee0000000000000a', { origin: 'push', observedAt: new Date().toISOString(), deliveryId: 'pause-cli', pushRequested: true })]);
    // The consumer receives it every second or so and hands it back: still there, and nothing on the DLQ.
    await sleep(4_000);
    expect(await depthOf(queue.url)).toBe(1);
    expect(await depthOf(queue.deadLetter.url)).toBe(0);

    const resumed = await bridge('resume', 'beamery-to-greenhouse');
    expect(resumed, resumed.stderr).toMatchObject({ code: 0 });
    expect(resumed.stdout).toMatch(/^resumed beamery-to-greenhouse; effective within 1 s\n {2}greenhouse-to-beamery +running\n {2}beamery-to-greenhouse +running/);
    await eventually(async () => ((await depthOf(queue.url)) === 0 ? true : undefined), 20_000, 'the held message to drain');
    expect(await depthOf(queue.deadLetter.url)).toBe(0);
  }, 60_000);

  it('skips paused pollers’ runs and keeps their watermarks; they run again once resumed', async () => {
    const ledger = new DynamoDbLedger(e2e.dynamodb, e2e.stack.resources.tables.ledger);
    expect((await bridge('pause', 'all')).code).toBe(0);
    await sleep(1_200);
    const [skipped] = await e2e.stack.schedules.trigger('beamery');
    expect(skipped).toMatchObject({ ok: true, summary: { poller: 'beamery', paused: true } });
    expect(await ledger.getWatermark(BEAMERY_POLL_WATERMARK)).toBeUndefined();

    expect((await bridge('resume', 'all')).code).toBe(0);
    await sleep(1_200);
    const [ran] = await e2e.stack.schedules.trigger('beamery');
    expect(ran).toMatchObject({ ok: true, summary: { poller: 'beamery', watermark: expect.any(String) } });
    expect(await ledger.getWatermark(BEAMERY_POLL_WATERMARK)).toBe((ran as { summary: { watermark: string } }).summary.watermark);
  }, 60_000);

  it('refuses an unknown flow with a usage error, before touching anything', async () => {
    const wrong = await bridge('pause', 'everything');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/Allowed choices are greenhouse-to-beamery, beamery-to-greenhouse, ai, pollers, all/);
  });
});
