import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { systemClock } from '#adapters/system-clock';
import { parseEnvelope } from '#core/envelope';
import { queueCap, type BackpressurePolicy } from '#core/sync/backfill-plan';
import type { OutgoingMessage } from '#core/webhooks/delivery';
import { collect } from '#adapters/greenhouse/client';
import { InMemoryCheckpointStore } from '#adapters/backfill-checkpoint-store';
import { runBackfill, type BackfillRunnerDependencies } from '#adapters/backfill-runner';
import { SqsQueuePublisher } from '#adapters/queue/sqs-publisher';
import { startSqsEmulator, type SqsEmulator } from '#local/emulators';
import { createQueues, type LocalResources } from '#local/resources';
import { drain, eventually, queueDepth } from '../../support/queues.ts';
import { startHarness, type Harness } from '../greenhouse/support.ts';

/**
 * `bridge backfill` interrupted (Ctrl-C aborts its signal, bin/bridge.ts) in the middle of a page and
 * resumed at once sends that page's first messages again; SQS drops them as duplicates (same
 * deduplication id within five minutes), and the resumed run must still keep the queue within the
 * documented bound, `queueCap` of the rate at which the queue really drains. Real time, fauxqs, the
 * Greenhouse simulator and a consumer that deletes a fixed number of messages per tick, kept running
 * through the resume or stopped once the queue is empty (then the bound is the floor).
 */

/** Half a second of work at the consumer's rate, so the test runs in seconds. */
const POLICY: BackpressurePolicy = { minQueued: 10, maxQueued: 1_000, horizonMs: 2_000 };
const PER_TICK = 5;
const TICK_MS = 100;
/**
 * The fastest the queue can drain, as the backpressure measures it (over at least a horizon): the
 * consumer's rate, plus the one tick more that a stretch of time can hold.
 */
const MOST_DRAINED_PER_SECOND = (PER_TICK * (POLICY.horizonMs / TICK_MS + 1) * 1000) / POLICY.horizonMs;
const CANDIDATES = 600;
const PER_PAGE = 300;
/** The first run is interrupted once it has sent this many messages of the first page. */
const INTERRUPT_AFTER = 200;

/** Receives and deletes up to `PER_TICK` messages every `TICK_MS`, keeping the entity keys it saw. */
function slowConsumer(sqs: SQSClient, queueUrl: string) {
  const keys: string[] = [];
  let stopped = false;
  const running = (async () => {
    while (!stopped) {
      const started = Date.now();
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: PER_TICK, WaitTimeSeconds: 0 }));
      if (Messages.length > 0) {
        keys.push(...Messages.map((m) => parseEnvelope(m.Body!).entityKey));
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
      }
      await sleep(Math.max(0, TICK_MS - (Date.now() - started)));
    }
  })();
  return { keys, stop: async () => void ((stopped = true), await running) };
}

/** The queue's depth (visible and in flight), looked at every 20 ms: the most it was. */
function depthWatch(sqs: SQSClient, queueUrl: string) {
  let most = 0;
  let stopped = false;
  const running = (async () => {
    while (!stopped) {
      const depth = await queueDepth(sqs, queueUrl);
      most = Math.max(most, depth.visible + depth.inFlight);
      await sleep(20);
    }
  })();
  return { most: () => most, stop: async () => void ((stopped = true), await running) };
}

let greenhouse: Harness;
let emulator: SqsEmulator;
let queue: LocalResources['queues']['greenhouse-changes'];
let expected: string[];
let prefixes = 0;

beforeAll(async () => {
  [greenhouse, emulator] = await Promise.all([startHarness(), startSqsEmulator()]);
  await greenhouse.admin('POST', '/generate/candidates', { count: CANDIDATES });
  expected = (await collect(greenhouse.client().listCandidates()))
    .filter((c) => c.private !== true)
    .map((c) => `greenhouse#candidate#${c.id}`)
    .sort();
}, 30_000);

afterAll(async () => {
  await Promise.all([greenhouse?.close(), emulator?.stop()]);
});

beforeEach(async () => {
  queue = (await createQueues(emulator, { prefix: `backfill-resume-${++prefixes}-` }))['greenhouse-changes'];
});

const depthNow = async () => {
  const depth = await queueDepth(emulator.sqs, queue.url);
  return depth.visible + depth.inFlight;
};

/** The runner as bin/bridge.ts wires it, on real time, with the test's policy and the messages it sent counted. */
function backfill(store: InMemoryCheckpointStore) {
  const real = new SqsQueuePublisher(emulator.sqs, () => queue.url);
  const counted = {
    sent: 0,
    publish: async (messages: readonly OutgoingMessage[]) => {
      await real.publish(messages);
      counted.sent += messages.length;
    },
  };
  const deps: BackfillRunnerDependencies = {
    greenhouse: greenhouse.client({ perPage: PER_PAGE }),
    publisher: counted,
    store,
    clock: systemClock,
    newRunId: () => 'run-1',
    queueDepth: depthNow,
    backpressure: POLICY,
    depthPollMs: 50,
  };
  return { run: (signal?: AbortSignal) => runBackfill(deps, { phases: ['candidates'], ...(signal ? { signal } : {}) }), sent: () => counted.sent };
}

/** A first run with the consumer draining, interrupted (Ctrl-C) once part of the first page is on the queue. */
async function interruptedRun(store: InMemoryCheckpointStore): Promise<void> {
  const interrupt = new AbortController();
  const first = backfill(store);
  const running = first.run(interrupt.signal);
  await eventually(() => (first.sent() >= INTERRUPT_AFTER ? true : undefined), 30_000, 'the first page partly sent');
  interrupt.abort(new Error('interrupted'));
  await expect(running).rejects.toThrow();
  // The page's checkpoint was not written: the resume lists it again and sends its first part again.
  expect(store.saved?.mark).toBeUndefined();
}

describe('a backfill interrupted mid-page and resumed at once', () => {
  it('keeps the queue within queueCap of the rate the consumer drains it, and delivers every candidate once', async () => {
    const store = new InMemoryCheckpointStore();
    const consumer = slowConsumer(emulator.sqs, queue.url);
    await interruptedRun(store);

    const atResume = await depthNow();
    const watch = depthWatch(emulator.sqs, queue.url);
    const resumed = await backfill(store).run();
    await watch.stop();
    await consumer.stop();

    expect(resumed).toMatchObject({ action: 'resume', enqueued: expected.length });
    const bound = Math.max(atResume, queueCap(MOST_DRAINED_PER_SECOND, POLICY));
    console.info(`backfill resume, consumer running: most on the queue ${watch.most()}, bound ${bound}`);
    expect(watch.most()).toBeLessThanOrEqual(bound);

    // Nothing lost, nothing twice: the repeats of the interrupted page were dropped as duplicates.
    const rest = (await drain(emulator.sqs, queue.url)).map((m) => parseEnvelope(m.Body!).entityKey);
    expect([...consumer.keys, ...rest].sort()).toEqual(expected);
  }, 60_000);

  it('with the consumer stopped, puts no more than the floor on the queue however many repeats SQS drops', async () => {
    const store = new InMemoryCheckpointStore();
    const consumer = slowConsumer(emulator.sqs, queue.url);
    await interruptedRun(store);
    await eventually(async () => ((await depthNow()) === 0 ? true : undefined), 30_000, 'the consumer to empty the queue');
    await consumer.stop();

    const watch = depthWatch(emulator.sqs, queue.url);
    const interrupt = new AbortController();
    const resume = backfill(store);
    const running = resume.run(interrupt.signal);
    // The repeats of the first run's messages, then a floor's worth of new ones; then give the runner a
    // horizon in which it could (wrongly) find room for more.
    await eventually(() => (resume.sent() >= INTERRUPT_AFTER + POLICY.minQueued ? true : undefined), 30_000, 'the repeats sent');
    await sleep(POLICY.horizonMs);
    interrupt.abort(new Error('interrupted'));
    await expect(running).rejects.toThrow();
    await watch.stop();

    console.info(`backfill resume, consumer stopped: most on the queue ${watch.most()}, bound ${queueCap(0, POLICY)}`);
    expect(watch.most()).toBeLessThanOrEqual(queueCap(0, POLICY));
    expect(await depthNow()).toBe(POLICY.minQueued);
  }, 60_000);
});
