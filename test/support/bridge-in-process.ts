import { vi } from 'vitest';
import { exitCodeOf, program } from '../../bin/bridge.ts';

/**
 * Runs `bridge <args…>` in this process as the CLI parses it, with its configuration from
 * process.env (what a test's local stack set), and answers what it wrote and its exit code.
 * Commander prints its own usage errors; any other error's message is kept as the CLI would print it.
 */
export async function bridgeInProcess(...args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  let exitCode = 0;
  try {
    await program().parseAsync(['node', 'bridge', ...args]);
    exitCode = Number(process.exitCode ?? 0);
  } catch (error) {
    exitCode = exitCodeOf(error);
    if (!(error instanceof Error && error.name === 'CommanderError')) err.push(error instanceof Error ? error.message : String(error));
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    process.exitCode = undefined;
  }
  return { stdout: out.join(''), stderr: err.join(''), exitCode };
}
