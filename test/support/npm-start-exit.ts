import { spawn } from 'node:child_process';
import { REPO_ROOT } from './local-stack-process.ts';

/** `npm start` (local/start.ts) with this environment, for the settings that stop it before it serves: its exit code and stderr. */
export async function npmStartExit(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stderr };
}
