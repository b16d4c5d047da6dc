import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * `npm start` as a child process on free ports, for end-to-end tests: the real entry point, the real
 * handler modules, the real signal handling. Resolves once the stack prints its `ready` line.
 */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface LocalStackProcess {
  readonly webhookUrl: string;
  readonly sqsEndpoint: string;
  readonly dynamodbEndpoint: string;
  /** Every `name=url` pair of the `ready` line (webhook, push, sqs, dynamodb, greenhouse, beamery). */
  readonly endpoints: Readonly<Record<string, string>>;
  readonly child: ChildProcess;
  /** Where it left its environment for the CLI's --local (a file of its own: a developer's stack keeps theirs). */
  readonly stackFile: string;
  /** Everything the stack printed so far, for failure messages. */
  output(): string;
  /** The JSON log lines printed so far (the Lambdas' Powertools lines among them). */
  jsonLines(): Record<string, unknown>[];
  /** Sends the signal and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startLocalStackProcess(env: Record<string, string> = {}, timeoutMs = 60_000): Promise<LocalStackProcess> {
  // The test runner's own Node (24, from node_modules/.bin) runs the stack; tsx only as a loader, so
  // signals reach start.ts directly rather than through tsx's CLI wrapper.
  const stackFile = join(mkdtempSync(join(tmpdir(), 'bridge-stack-')), 'running-stack.json');
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', LOCAL_SQS_PORT: '0', LOCAL_DYNAMODB_PORT: '0', GREENHOUSE_SIM_PORT: '0', BEAMERY_SIM_PORT: '0', LOCAL_STACK_FILE: stackFile, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<Record<string, string>>((resolve, reject) => {
    let pending = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop()!;
      const line = lines.find((l) => l.startsWith('ready '));
      if (line) resolve(Object.fromEntries(line.split(' ').slice(1).map((pair) => pair.split('=', 2) as [string, string])));
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    void exited.then((code) => reject(new Error(`the local stack exited with ${code} before it was ready:\n${output}`)));
    setTimeout(() => reject(new Error(`the local stack was not ready within ${timeoutMs} ms:\n${output}`)), timeoutMs).unref();
  });

  const stop = async (signal: NodeJS.Signals = 'SIGINT') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  try {
    const endpoints = await ready;
    return {
      webhookUrl: endpoints['webhook']!,
      sqsEndpoint: endpoints['sqs']!,
      dynamodbEndpoint: endpoints['dynamodb']!,
      endpoints,
      stackFile,
      child,
      output: () => output,
      jsonLines: () => output.split('\n').flatMap((line) => (line.startsWith('{') ? [JSON.parse(line) as Record<string, unknown>] : [])),
      stop,
    };
  } catch (error) {
    await stop('SIGKILL');
    throw error;
  }
}

/** True when something accepts TCP connections on the endpoint's port. */
export function isListening(endpoint: string): Promise<boolean> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * The local addresses listening on a TCP port, from /proc/net/tcp and tcp6 (Linux, where the tests
 * run): `127.0.0.1`, `::1`, `::ffff:127.0.0.1`, or `0.0.0.0` / `::` for every interface.
 */
export function listeningAddresses(port: number): string[] {
  const LISTEN = '0A';
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .flatMap((line) => {
        const [, local, , state] = line.trim().split(/\s+/);
        if (!local || state !== LISTEN) return [];
        const [hex, portHex] = local.split(':') as [string, string];
        return parseInt(portHex, 16) === port ? [procAddress(hex)] : [];
      }),
  );
}

/** /proc prints each 32-bit word of an address in host (little-endian) byte order. */
function procAddress(hex: string): string {
  const bytes = (hex.match(/.{8}/g) ?? []).flatMap((word) => (word.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)));
  if (bytes.length === 4) return bytes.join('.');
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16));
  // The URL parser writes an IPv6 address in its canonical short form.
  return new URL(`http://[${groups.join(':')}]`).hostname.slice(1, -1);
}

/**
 * Process ids of DynamoDB Local JVMs started with `-port <port>`, read from /proc (Linux, where the
 * tests run); elsewhere the port check above has to do.
 */
export function dynamoDbLocalPids(port: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  return entries.flatMap((pid) => {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const portIndex = args.indexOf('-port');
      // `-jar …/DynamoDBLocal.jar`, or the jar on the class path of local/DynamoDbLocalServer.java.
      return args.some((a) => a.includes('DynamoDBLocal.jar')) && args[portIndex + 1] === String(port) ? [Number(pid)] : [];
    } catch {
      return [];
    }
  });
}

/** `npm run bridge -- <args>` (bin/bridge.ts on the test runner's Node), with its exit code and output. */
export function runBridgeCli(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'bin/bridge.ts', ...args], { cwd: REPO_ROOT, env, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}
