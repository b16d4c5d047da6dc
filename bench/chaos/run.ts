import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '#local/stack';
import { localSqsClient } from '#local/sdk-clients';
import { queueDepth } from '#adapters/queue/queue-depth';
import { ChangeMaker, createJobs, DEFAULT_MIX, type ChangeCounts, type ChangeMix } from './changes.ts';
import { startConsumerFleet } from './consumer-fleet.ts';
import { startFaultSchedule } from './fault-schedule.ts';
import { startChaosSaas } from './saas.ts';
import { judge, type Verdict } from './verdict.ts';
import { Dispatcher, startWebhookRelay } from './webhook-relay.ts';

/**
 * One chaos run: `changes` changes made in the Greenhouse and Beamery simulators reach the bridge on
 * the local stack through everything that goes wrong in production at once (see webhook-relay.ts,
 * fault-schedule.ts, greenhouse-proxy.ts, consumer-fleet.ts), then the run waits until the bridge is
 * quiet (nothing queued, in flight or on its way) and judges the end state (verdict.ts). Webhooks and
 * pushes alone must converge: no poller runs.
 *
 * Topology: the simulators, the webhook relay, the Greenhouse proxy and the local stack's emulators
 * and webhook route run in this process; the consumers run in `consumerProcesses` child processes, so
 * they can be killed; DynamoDB Local is its own JVM as always.
 */
export interface ChaosOptions {
  readonly changes: number;
  /** Pace of the changes (people at work, not a bulk import). */
  readonly changesPerSecond: number;
  readonly mix: ChangeMix;
  readonly jobs: number;
  /** Share of requests both simulators answer 5xx. */
  readonly serverErrorRate: number;
  /** Share of the bridge's Greenhouse writes whose answer is lost. */
  readonly greenhouseLostAnswerRate: number;
  /** Greenhouse: requests per 30-second window; Beamery: per second. */
  readonly greenhouseLimit: number;
  readonly beameryLimit: number;
  readonly stormEveryMs: number;
  readonly stormMs: number;
  readonly lostAnswerEveryMs: number;
  readonly killEveryMs: number;
  readonly consumerProcesses: number;
  /** Batches in flight per queue in each consumer process. */
  readonly consumerConcurrency: number;
  /** Every queue's visibility timeout: how long a killed consumer's batch stays hidden. */
  readonly visibilityTimeoutSeconds: number;
  /** Copies of each event spread over this window, so deliveries arrive out of order. */
  readonly shuffleWindowMs: number;
  /**
   * The persistent mode: the stack keeps DynamoDB Local's and the SQS emulator's data on disk, and
   * halfway through the whole of it goes down (consumers and DynamoDB Local killed with SIGKILL, the
   * webhook route and the SQS emulator stopped) and comes back on the same data and ports.
   */
  readonly stackRestart: boolean;
  /** Gives up waiting for the bridge to go quiet after this long. */
  readonly quiesceTimeoutMs: number;
  readonly seed: number;
  readonly log: (line: string) => void;
}

/**
 * The limits are raised so 2,000 changes fit in minutes, not hours: Greenhouse 3,000 per 30 s (the
 * simulator's default is 75, at which this run's ~20,000 reads alone would take over two hours) and
 * Beamery 100/s (default 40); the storms still cut both to a sliver. The visibility timeout is cut
 * from the deployed 6 minutes to 20 s, so a killed consumer's batch comes back within the run.
 */
export const DEFAULT_CHAOS_OPTIONS: ChaosOptions = {
  changes: 2_000,
  changesPerSecond: 8,
  mix: DEFAULT_MIX,
  jobs: 12,
  serverErrorRate: 0.2,
  greenhouseLostAnswerRate: 0.2,
  greenhouseLimit: 3_000,
  beameryLimit: 100,
  stormEveryMs: 45_000,
  stormMs: 8_000,
  lostAnswerEveryMs: 1_000,
  killEveryMs: 30_000,
  consumerProcesses: 2,
  consumerConcurrency: 3,
  visibilityTimeoutSeconds: 20,
  shuffleWindowMs: 3_000,
  stackRestart: true,
  quiesceTimeoutMs: 10 * 60_000,
  seed: 11,
  log: (line) => process.stderr.write(`${line}\n`),
};

export interface ChaosResult {
  readonly options: Omit<ChaosOptions, 'log'>;
  readonly changes: ChangeCounts;
  readonly deliveries: { readonly events: number; readonly sent: number; readonly retried: number; readonly statuses: Record<string, number> };
  readonly faults: {
    readonly storms: number;
    readonly beameryLostAnswers: number;
    readonly greenhouseLostAnswers: number;
    readonly kills: number;
    readonly killsMidBatch: number;
    /** Consumer processes that ended after a timed-out invocation, as Lambda resets one, and were replaced. */
    readonly timeouts: number;
    readonly consumerStarts: number;
    readonly stackRestarts: number;
    readonly greenhouse429: number;
    readonly beameryByStatus: Record<string, number>;
  };
  readonly writes: {
    /** Writes Beamery did (answered 2xx, or done with the answer lost), by route. */
    readonly beamery: Record<string, number>;
    readonly beameryTotal: number;
    /** Writes Greenhouse did, the lost answers included. */
    readonly greenhouseTotal: number;
    readonly beameryPerGreenhouseChange: number;
    readonly greenhousePerBeameryChange: number;
  };
  readonly verdict: Verdict;
  readonly seconds: { readonly changes: number; readonly quiet: number; readonly total: number };
  /** The bridge went quiet (nothing queued, running or on its way) before `quiesceTimeoutMs`. */
  readonly quiet: boolean;
  /** Quiet in time, and 0 missing, duplicated, stale, leaked and healthy messages dead-lettered. */
  readonly passed: boolean;
  /** Where the consumer processes' logs are. */
  readonly consumerLog: string;
}

/** Messages left on the queues when the fault schedule stops. */
const TAIL = 20;
const SECRET = 'chaos-webhook-secret';
const PUSH_API_KEY = 'chaos-push-api-key-0123456789';

export async function runChaos(overrides: Partial<ChaosOptions> = {}): Promise<ChaosResult> {
  const options: ChaosOptions = { ...DEFAULT_CHAOS_OPTIONS, ...overrides };
  const { log } = options;
  const started = performance.now();
  // The in-process Lambdas and the consumer processes (which inherit this environment) log errors only.
  process.env['POWERTOOLS_LOG_LEVEL'] = 'ERROR';
  process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';

  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    // Greenhouse and Beamery, with the limits of this run, before the bridge is pointed at them.
    const saas = await startChaosSaas(options);
    cleanups.push(() => saas.stop());
    const { greenhouseSim, beamerySim, proxy } = saas;

    // The bridge: fixed ports, so a restarted stack is where the relay and the consumers expect it.
    const [webhookPort, sqsPort, dynamodbPort] = await freePorts(3);
    const workDir = mkdtempSync(join(tmpdir(), 'bridge-chaos-'));
    const stackOptions: LocalStackOptions = {
      ...(options.stackRestart ? { dataDir: join(workDir, 'data') } : {}),
      webhookPort,
      sqsPort,
      dynamodbPort,
      webhookSecret: SECRET,
      pushApiKey: PUSH_API_KEY,
      consumers: {},
      pollIntervalMs: 0,
      saas: { greenhouse: { kind: 'real' }, beamery: { kind: 'real' } },
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
    };
    // Registered first, so it runs last: after the stack that writes there has stopped.
    cleanups.push(async () => rmSync(join(workDir, 'data'), { recursive: true, force: true }));
    let stack: LocalStack = await startLocalStack(stackOptions);
    cleanups.push(() => stack.stop());
    const sqs = localSqsClient(stack.sqsEndpoint);
    cleanups.push(async () => sqs.destroy());

    const consumerLog = join(workDir, 'consumers.log');
    const fleet = await startConsumerFleet({
      processes: options.consumerProcesses,
      concurrency: options.consumerConcurrency,
      functionTimeoutMs: Math.max(5_000, (options.visibilityTimeoutSeconds - 5) * 1000),
      logPath: consumerLog,
      environment: () => process.env,
    });
    cleanups.push(() => fleet.stop());

    const dispatcher = new Dispatcher({ concurrency: 8, shuffleWindowMs: options.shuffleWindowMs, seed: options.seed });
    cleanups.push(async () => dispatcher.stop());
    const relay = await startWebhookRelay(dispatcher, () => stack.webhookUrl);
    cleanups.push(() => relay.close());

    const greenhouse = greenhouseSim.url;
    const beameryOrigin = beamerySim.origin;
    const jobIds = await createJobs(greenhouse, options.jobs);
    greenhouseSim.webhooks.setTargets([{ url: relay.url, secret: SECRET }]);
    greenhouseSim.faults.update({ serverErrorRate: options.serverErrorRate, seed: options.seed });
    beamerySim.faults.update({ serverErrorRate: options.serverErrorRate, seed: options.seed + 1 });
    proxy.lossRate = options.greenhouseLostAnswerRate;
    const rejectedBefore = greenhouseSim.limits.api.rejected;
    beamerySim.requests.reset();

    const maker = new ChangeMaker(
      { greenhouse, beameryOrigin, pushUrl: () => stack.pushUrl, pushApiKey: PUSH_API_KEY, webhookUrl: () => stack.webhookUrl, webhookSecret: SECRET, dispatcher },
      jobIds,
      options.mix,
      options.seed,
    );
    const faults = startFaultSchedule(
      { greenhouse, beameryOrigin, proxy, fleet },
      {
        stormEveryMs: options.stormEveryMs,
        stormMs: options.stormMs,
        lostAnswerEveryMs: options.lostAnswerEveryMs,
        killEveryMs: options.killEveryMs,
        killGapMs: (options.visibilityTimeoutSeconds + 5) * 1000,
        greenhouseLimit: options.greenhouseLimit,
        beameryLimit: options.beameryLimit,
        seed: options.seed,
      },
    );

    const depths = async () => {
      const queues = Object.values(stack.resources.queues);
      const [main, dlqs] = await Promise.all([
        Promise.all(queues.map((q) => queueDepth(sqs, q.url))),
        Promise.all(queues.map((q) => queueDepth(sqs, q.deadLetter.url))),
      ]);
      const total = (depths: { visible: number; inFlight: number }[]) => depths.reduce((n, d) => n + d.visible + d.inFlight, 0);
      const detail = main.map((d, i) => `${queues[i]!.name.replace(/\.fifo$/, '')} ${d.visible}+${d.inFlight}`).join(', ');
      return { queued: total(main), dead: total(dlqs), detail };
    };
    let phase = 'changes';
    let made = 0;
    const progress = setInterval(() => {
      void depths().then(
        ({ dead, detail }) =>
          log(
            `  chaos ${Math.round((performance.now() - started) / 1000)}s ${phase}: ${made}/${options.changes} changes, ${dispatcher.pending} deliveries pending, ` +
              `queued (visible+in flight) ${detail}, ${fleet.batchesInFlight()} batches running, ${dead} on DLQs, ${fleet.stats.kills} kills, ${faults.stats.storms} storms`,
          ),
        () => undefined,
      );
    }, 15_000);
    cleanups.push(async () => clearInterval(progress));

    // The changes, at a person's pace; halfway, the whole stack may go down and come back.
    let stackRestarts = 0;
    const changesStart = performance.now();
    for (let i = 0; i < options.changes; i++) {
      const due = changesStart + (i * 1000) / options.changesPerSecond;
      if (due > performance.now()) await sleep(due - performance.now());
      await maker.make(i);
      made = i + 1;
      if (options.stackRestart && i === Math.floor(options.changes / 2)) {
        const down = performance.now();
        await fleet.killAll();
        process.kill(stack.dynamodbPid, 'SIGKILL');
        await stack.stop();
        stack = await startLocalStack(stackOptions);
        await fleet.startAll();
        stackRestarts++;
        log(`  chaos: whole stack down and up again in ${Math.round(performance.now() - down)} ms`);
      }
    }
    const changesSeconds = (performance.now() - changesStart) / 1000;
    // The faults go on until the backlog is all but worked off, so the drain meets them too; the last
    // few groups then finish under the steady 5xx alone (a storm or a kill per retry would only
    // stretch the tail, not test anything new).
    phase = 'draining';
    const drainStart = performance.now();
    while (performance.now() - drainStart < options.quiesceTimeoutMs && (!dispatcher.idle || (await depths()).queued > TAIL)) await sleep(500);
    phase = 'quiescing';
    await faults.stop();

    // Quiet: every delivery and push handed over, no webhook left to send, nothing queued or running, for a while.
    const quietStart = performance.now();
    const quiet = await untilQuiet(
      async () =>
        !dispatcher.idle ||
        greenhouseSim.webhooks.deliveries().some((d) => d.state === 'pending') ||
        fleet.batchesInFlight() > 0 ||
        (await depths()).queued > 0,
      options.quiesceTimeoutMs,
    );
    const quietSeconds = (performance.now() - quietStart) / 1000;
    phase = 'judging';
    if (!quiet) log(`  chaos: the bridge was not quiet after ${options.quiesceTimeoutMs / 1000} s; judging what is there`);

    const verdict = await judge({ greenhouse, beameryOrigin, sqs, resources: stack.resources }, new Set(maker.created.candidates.keys()));
    const writes = countWrites(beamerySim.requests.snapshot(), faults.stats.beameryLostAnswers, proxy.writes.byStatus);
    const passed =
      quiet &&
      verdict.missing.length === 0 &&
      verdict.duplicated.length === 0 &&
      verdict.privateLeaked.length === 0 &&
      verdict.stale.total === 0 &&
      verdict.healthyDeadLettered === 0;
    const { log: _log, ...recorded } = options;
    return {
      options: recorded,
      changes: maker.counts,
      deliveries: { events: relay.received(), ...dispatcher.stats },
      faults: {
        storms: faults.stats.storms,
        beameryLostAnswers: faults.stats.beameryLostAnswers,
        greenhouseLostAnswers: proxy.writes.lost,
        kills: fleet.stats.kills,
        killsMidBatch: fleet.stats.killsMidBatch,
        timeouts: fleet.stats.timeouts,
        consumerStarts: fleet.stats.starts,
        stackRestarts,
        greenhouse429: greenhouseSim.limits.api.rejected - rejectedBefore + proxy.rejected(),
        beameryByStatus: writes.beameryByStatus,
      },
      writes: {
        beamery: writes.beamery,
        beameryTotal: writes.beameryTotal,
        greenhouseTotal: writes.greenhouseTotal,
        beameryPerGreenhouseChange: round(writes.beameryTotal / Math.max(1, maker.counts.greenhouse)),
        greenhousePerBeameryChange: round(writes.greenhouseTotal / Math.max(1, maker.counts.beamery)),
      },
      verdict,
      seconds: { changes: round(changesSeconds, 1), quiet: round(quietSeconds, 1), total: round((performance.now() - started) / 1000, 1) },
      quiet,
      passed,
      consumerLog,
    };
  } finally {
    await cleanUp();
  }
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits));

/** True once `busy` has said no for three seconds running; false if that never happened within `timeoutMs`. */
async function untilQuiet(busy: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const start = performance.now();
  let quietSince = 0;
  while (performance.now() - start < timeoutMs) {
    if (await busy()) quietSince = 0;
    else quietSince ||= performance.now();
    if (quietSince && performance.now() - quietSince > 3_000) return true;
    await sleep(250);
  }
  return false;
}

/**
 * The writes each system really did: Beamery's answered 2xx (from its request log) plus those done
 * with the answer lost; Greenhouse's, as its proxy saw them answered (lost ones included).
 */
function countWrites(
  beameryRoutes: Record<string, { byStatus: Record<string, number> }>,
  beameryLostAnswers: number,
  greenhouseByStatus: Record<string, number>,
): { beamery: Record<string, number>; beameryTotal: number; greenhouseTotal: number; beameryByStatus: Record<string, number> } {
  const done = (byStatus: Record<string, number>) => Object.entries(byStatus).reduce((n, [status, count]) => (status.startsWith('2') ? n + count : n), 0);
  const beamery: Record<string, number> = {};
  const beameryByStatus: Record<string, number> = {};
  for (const [route, { byStatus }] of Object.entries(beameryRoutes)) {
    for (const [status, n] of Object.entries(byStatus)) beameryByStatus[status] = (beameryByStatus[status] ?? 0) + n;
    if (route.startsWith('GET ') || route.includes('/oauth/token') || done(byStatus) === 0) continue;
    beamery[route] = done(byStatus);
  }
  beamery['lost answers (done)'] = beameryLostAnswers;
  return {
    beamery,
    beameryTotal: Object.values(beamery).reduce((a, b) => a + b, 0),
    greenhouseTotal: done(greenhouseByStatus),
    beameryByStatus,
  };
}

/** Ports free now, so a stack restarted later binds the same ones. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}
