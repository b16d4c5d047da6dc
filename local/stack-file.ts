import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ENV } from '#lambdas/config';
import { QUEUES, TABLES } from '#lib/resource-definitions';

/**
 * Where a running `npm start` leaves the environment its Lambdas read (queue URLs, table names,
 * emulator endpoints, the simulators' URLs and credentials, the bridge's own settings), so the
 * operator CLI can run against it with `--local` and nothing else: `npm run bridge -- doctor --local`.
 * Removed when the stack stops. Mode 0600: with real APIs configured it holds their credentials.
 * LOCAL_STACK_FILE moves it (tests that start a stack of their own use it to leave a developer's alone).
 */
export const LOCAL_STACK_FILE_VARIABLE = 'LOCAL_STACK_FILE';

export function localStackFile(env: NodeJS.ProcessEnv = process.env): string {
  return env[LOCAL_STACK_FILE_VARIABLE] || join(process.cwd(), '.local-data', 'running-stack.json');
}

interface StackFile {
  readonly pid: number;
  readonly startedAt: string;
  readonly environment: Record<string, string>;
}

/** The variables lambdas/config.ts reads, and the SDK's endpoint, region and credential variables. */
function isBridgeVariable(name: string): boolean {
  const names = new Set<string>([...Object.values(ENV), ...QUEUES.flatMap((q) => [q.urlEnv, q.dlqUrlEnv]), ...TABLES.map((t) => t.nameEnv)]);
  return names.has(name) || /^AWS_(ENDPOINT_URL_\w+|REGION|DEFAULT_REGION|ACCESS_KEY_ID|SECRET_ACCESS_KEY)$/.test(name);
}

export function writeLocalStackFile(env: NodeJS.ProcessEnv = process.env, path = localStackFile(env)): string {
  const environment = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && isBridgeVariable(entry[0])));
  const file: StackFile = { pid: process.pid, startedAt: new Date().toISOString(), environment };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  return path;
}

/** Removes the file if it is still this process's (a stack started since keeps its own). */
export function removeLocalStackFile(path = localStackFile()): void {
  try {
    const file = JSON.parse(readFileSync(path, 'utf8')) as Partial<StackFile>;
    if (file.pid === process.pid) rmSync(path, { force: true });
  } catch {
    // Already gone, or never written.
  }
}

/** The running stack's environment, or an error that says how to get one. */
export function readLocalStackEnvironment(path = localStackFile()): Record<string, string> {
  let file: StackFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as StackFile;
  } catch {
    throw new Error(`no local stack is running (no ${path}): start it with npm start, in this directory`);
  }
  try {
    process.kill(file.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') throw new Error(`the local stack that wrote ${path} (pid ${file.pid}) is no longer running: start it with npm start`);
  }
  return file.environment;
}
