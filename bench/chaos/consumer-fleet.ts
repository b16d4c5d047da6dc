import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The bridge's consumers as a few child processes (local/consumer-process.ts), like Lambda instances:
 * each can be killed with SIGKILL while it holds a batch and another started in its place. The
 * children report each batch's start and end over IPC, which is how "mid-batch" is known.
 */
const ENTRY = fileURLToPath(new URL('../../local/consumer-process.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ConsumerFleetOptions {
  readonly processes: number;
  /** Batches in flight per queue in each process. */
  readonly concurrency: number;
  readonly functionTimeoutMs: number;
  /** The children's stdout and stderr go here (appended). */
  readonly logPath: string;
  /** The Lambdas' environment, read when a child starts (a restarted stack may have new endpoints). */
  readonly environment: () => NodeJS.ProcessEnv;
}

interface Slot {
  child: ChildProcess | undefined;
  /** Batches running now. */
  batches: number;
  exited: Promise<void>;
}

export interface ConsumerFleet {
  /** Batches running in all children now. */
  readonly batchesInFlight: () => number;
  /** `timeouts`: children that ended themselves after a timed-out invocation and were started again. */
  readonly stats: { kills: number; killsMidBatch: number; starts: number; batches: number; timeouts: number };
  /**
   * Kills one child (chosen by `pick`) with SIGKILL as soon as it holds a batch (or after `waitMs`
   * regardless), then starts a new one after `restartAfterMs`.
   */
  killOne(pick: number, waitMs: number, restartAfterMs: number): Promise<void>;
  /** Kills every child with SIGKILL (the crash of a whole-stack restart); `startAll` brings them back. */
  killAll(): Promise<void>;
  startAll(): Promise<void>;
  /** Graceful: SIGTERM, running batches finish. */
  stop(): Promise<void>;
}

export async function startConsumerFleet(options: ConsumerFleetOptions): Promise<ConsumerFleet> {
  const log: WriteStream = createWriteStream(options.logPath, { flags: 'a' });
  const stats = { kills: 0, killsMidBatch: 0, starts: 0, batches: 0, timeouts: 0 };
  let stopping = false;
  const slots: Slot[] = Array.from({ length: options.processes }, () => ({ child: undefined, batches: 0, exited: Promise.resolve() }));

  async function start(slot: Slot): Promise<void> {
    const child = fork(ENTRY, [], {
      cwd: REPO_ROOT,
      // tsx as a loader in the child's own Node, so a signal reaches the consumer itself.
      execArgv: ['--import', 'tsx'],
      env: {
        ...options.environment(),
        LOCAL_CONSUMER_CONCURRENCY: String(options.concurrency),
        LOCAL_CONSUMER_TIMEOUT_MS: String(options.functionTimeoutMs),
        // Short polls, so a graceful stop does not wait out a 20-second receive.
        LOCAL_CONSUMER_WAIT_SECONDS: '2',
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    stats.starts++;
    slot.child = child;
    slot.batches = 0;
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    slot.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    // A child that ends itself (a timed-out invocation: local/consumer-process.ts) is replaced, as
    // Lambda starts a new environment; one this fleet killed or stopped is not.
    child.once('exit', () => {
      if (slot.child !== child || stopping) return;
      slot.child = undefined;
      slot.batches = 0;
      stats.timeouts++;
      void exclusive(() => (slot.child || stopping ? Promise.resolve() : start(slot))).catch((error: unknown) => log.write(`restart failed: ${String(error)}\n`));
    });
    child.on('message', (message: { batch?: 'start' | 'end' }) => {
      if (slot.child !== child) return;
      if (message.batch === 'start') {
        slot.batches++;
        stats.batches++;
      } else if (message.batch === 'end') slot.batches = Math.max(0, slot.batches - 1);
    });
    await new Promise<void>((resolve, reject) => {
      let pending = '';
      const onData = (chunk: Buffer) => {
        pending += chunk.toString('utf8');
        if (pending.includes('consuming ')) {
          child.stdout!.off('data', onData);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.once('exit', (code, signal) => reject(new Error(`a consumer process exited with ${code ?? signal} before it consumed (log: ${options.logPath})`)));
    });
  }

  async function kill(slot: Slot): Promise<void> {
    const child = slot.child;
    if (!child) return;
    slot.child = undefined;
    slot.batches = 0;
    child.kill('SIGKILL');
    await slot.exited;
  }

  // One kill or restart at a time: a whole-stack restart must not meet a child being started.
  let running: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const next = running.then(work);
    running = next.catch(() => undefined);
    return next;
  };

  await Promise.all(slots.map(start));
  return {
    batchesInFlight: () => slots.reduce((n, s) => n + s.batches, 0),
    stats,
    killOne: (pick, waitMs, restartAfterMs) =>
      exclusive(async () => {
        const slot = slots[pick % slots.length]!;
        // Down with the whole stack: `startAll` brings it back.
        if (!slot.child) return;
        const deadline = Date.now() + waitMs;
        while (slot.batches === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
        stats.kills++;
        if (slot.batches > 0) stats.killsMidBatch++;
        await kill(slot);
        await new Promise((resolve) => setTimeout(resolve, restartAfterMs));
        await start(slot);
      }),
    killAll: () =>
      exclusive(async () => {
        stats.kills += slots.filter((s) => s.child).length;
        stats.killsMidBatch += slots.filter((s) => s.child && s.batches > 0).length;
        await Promise.all(slots.map(kill));
      }),
    startAll: () => exclusive(() => Promise.all(slots.filter((s) => !s.child).map(start)).then(() => undefined)),
    async stop() {
      stopping = true;
      await Promise.all(
        slots.map(async (slot) => {
          slot.child?.kill('SIGTERM');
          slot.child = undefined;
          await slot.exited;
        }),
      );
      await new Promise<void>((resolve) => log.end(() => resolve()));
    },
  };
}
