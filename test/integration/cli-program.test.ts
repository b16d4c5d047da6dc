import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Clock } from '#core/clock';
import type { ProgressSnapshot } from '#core/sync/backfill-plan';
import { PUBLISH_BATCH } from '#core/sync/poll-window';
import { ENV } from '#lambdas/config';
import { InMemoryCheckpointStore } from '#adapters/backfill-checkpoint-store';
import { SqsQueuePublisher } from '#adapters/queue/sqs-publisher';
import { startSqsEmulator, type SqsEmulator } from '#local/emulators';
import { createQueues } from '#local/resources';
import { queueDefinition } from '#lib/resource-definitions';
import { UsageError } from '../../bin/cli-settings.ts';
import { INTERRUPTED_EXIT_CODE, backfillCommand, progressLine, type BackfillCommandIo, type BackfillSummary } from '../../bin/commands/backfill.ts';
import { program } from '../../bin/bridge.ts';
import { runBridgeCli } from '../support/local-stack-process.ts';
import { drain } from '../support/queues.ts';
import { startHarness, type Harness } from './greenhouse/support.ts';

/**
 * The CLI's shared parts (bin/bridge.ts program(), bin/cli-settings.ts, bin/commands/backfill.ts):
 * exit codes as a script sees them, every missing setting named at once before anything is called
 * or written, and a backfill that Ctrl-C stops cleanly and a second run resumes.
 */
const bare = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && !/^(GREENHOUSE|BEAMERY|BRIDGE|LEDGER|ID_MAP|AUDIT|IDEMPOTENCY|AI)_/.test(name)));

describe('exit codes and help', () => {
  it('no command and an unknown command are usage errors (2); --help lists every command with one line and exits 0', async () => {
    const [none, unknown, help, typo] = await Promise.all([
      runBridgeCli([], bare, 20_000),
      runBridgeCli(['frobnicate'], bare, 20_000),
      runBridgeCli(['--help'], bare, 20_000),
      runBridgeCli(['backfill', '--jobs-only', '--candidates-only'], bare, 20_000),
    ]);
    expect(none.code, none.stderr).toBe(2);
    expect(none.stderr).toContain('Usage: bridge');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(unknown.stderr).toContain('bridge --help');
    expect(typo.code).toBe(2);
    expect(help.code).toBe(0);
    const names = program().commands.map((c) => c.name());
    expect(names).toEqual(expect.arrayContaining(['backfill', 'push', 'audit', 'doctor']));
    // One line per command: its name and a summary, no wrapped continuation lines.
    const listed = help.stdout.split('Commands:\n')[1]!.trimEnd().split('\n');
    expect(listed.map((line) => /^  (\S+) {2,}\S.*$/.exec(line)?.[1])).toEqual([...names, 'help']);
    for (const line of listed) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('every command takes --local and --stack <name>, one or the other', async () => {
    const leaves = (command: Command): Command[] => (command.commands.length > 0 ? command.commands.flatMap(leaves) : [command]);
    for (const command of program().commands.flatMap(leaves)) {
      const flags = command.options.map((o) => o.long);
      expect(flags, command.name()).toEqual(expect.arrayContaining(['--local', '--stack']));
    }
    const both = await runBridgeCli(['push', 'c0ffee0000000000000a', '--local', '--stack', 'Prod'], bare, 20_000);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/cannot be used with/);
  });
});

describe('missing settings', () => {
  it('bridge backfill names every missing setting at once and exits 2, as a script sees it', async () => {
    const result = await runBridgeCli(['backfill'], { ...bare, [ENV.runtime]: 'local' }, 20_000);
    expect(result.code, result.stderr).toBe(2);
    const names = ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_SQS', 'AWS_REGION', 'GREENHOUSE_API_BASE_URL', 'GREENHOUSE_CLIENT_ID', 'GREENHOUSE_CLIENT_SECRET', 'GREENHOUSE_TOKEN_URL'];
    for (const name of [...names, 'GREENHOUSE_CHANGES_QUEUE_URL (stack output GreenhouseChangesQueueUrl)', 'LEDGER_TABLE (stack output LedgerTableName)']) {
      expect(result.stderr).toContain(name);
    }
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('bridge backfill without its Greenhouse credentials calls nothing and writes no checkpoint', async () => {
    vi.stubEnv(ENV.runtime, 'aws');
    vi.stubEnv(queueDefinition('greenhouse-changes').urlEnv, 'https://sqs.eu-west-1.amazonaws.com/123456789012/greenhouse-changes.fifo');
    vi.stubEnv('LEDGER_TABLE', 'Ledger');
    vi.stubEnv(ENV.greenhouseCredentialsArn, '');
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    // Endpoints nothing listens on: were anything sent, it would fail here, never reach AWS.
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', 'http://127.0.0.1:9');
    vi.stubEnv('AWS_ENDPOINT_URL_SQS', 'http://127.0.0.1:9');
    const dynamodb = vi.spyOn(DynamoDBClient.prototype, 'send');
    const sqs = vi.spyOn(SQSClient.prototype, 'send');
    const fetch = vi.spyOn(globalThis, 'fetch');
    await expect(program().parseAsync(['node', 'bridge', 'backfill'])).rejects.toThrow(
      new UsageError(
        'missing configuration (nothing was called or written): GREENHOUSE_CREDENTIALS_SECRET_ARN (stack output GreenhouseHarvestCredentialsArn). Set them, or run with --local (the running npm start stack) or --stack <name> (a deployed stack\'s outputs)',
      ),
    );
    expect(dynamodb).not.toHaveBeenCalled();
    expect(sqs).not.toHaveBeenCalled();
    expect(fetch).not.toHaveBeenCalled();
  });
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('backfill progress and Ctrl-C', () => {
  let greenhouse: Harness;
  let emulator: SqsEmulator;
  beforeAll(async () => {
    [greenhouse, emulator] = await Promise.all([startHarness(), startSqsEmulator()]);
    await greenhouse.admin('PUT', '/rate-limit', { limit: 10_000 });
    await greenhouse.admin('POST', '/generate/candidates', { count: 300 });
  }, 30_000);
  afterAll(async () => {
    await Promise.all([greenhouse?.close(), emulator?.stop()]);
  });

  const output = () => {
    const text: string[] = [];
    return { text, stream: { isTTY: false, write: (chunk: string) => void text.push(chunk) } };
  };

  it('Ctrl-C stops after the batch in hand with "stopped; run it again to resume" and exit code 130; the next run resumes', async () => {
    const queues = await createQueues(emulator, { prefix: 'cli-backfill-' });
    const store = new InMemoryCheckpointStore();
    const abort = new AbortController();
    const real = new SqsQueuePublisher(emulator.sqs, (queue) => queues[queue].url);
    let batches = 0;
    const clock: Clock = { now: () => Date.now(), sleep: async () => undefined };
    const dependencies = (interruptAfter: number): NonNullable<BackfillCommandIo['dependencies']> => (_config, onProgress) => ({
      greenhouse: greenhouse.client(),
      store,
      clock,
      onProgress,
      newRunId: () => 'run-1',
      publisher: {
        publish: async (messages: Parameters<SqsQueuePublisher['publish']>[0]) => {
          await real.publish(messages);
          // The operator presses Ctrl-C while the first candidate page is being sent.
          if (++batches === interruptAfter) abort.abort(new Error('interrupted'));
        },
      },
    });
    const [stdout, stderr] = [output(), output()];
    const code = await backfillCommand({ candidatesOnly: true }, { stdout: stdout.stream, stderr: stderr.stream, signal: abort.signal, dependencies: dependencies(3) });
    expect(code).toBe(INTERRUPTED_EXIT_CODE);
    expect(stderr.text.at(-1)).toBe(`stopped; ${3 * PUBLISH_BATCH} enqueued by this run so far; run it again to resume from the last whole page (its checkpoint is saved)\n`);
    expect(stderr.text.join('')).not.toMatch(/aborted/i);
    expect(stdout.text).toEqual([]);
    expect(store.saved).toMatchObject({ runId: 'run-1', phase: 'candidates' });

    const [again, againErr] = [output(), output()];
    const resumed = await backfillCommand({ candidatesOnly: true, json: true }, { stdout: again.stream, stderr: againErr.stream, signal: new AbortController().signal, dependencies: dependencies(-1) });
    expect(resumed).toBe(0);
    const summary = JSON.parse(again.text.join('')) as BackfillSummary;
    expect(summary).toMatchObject({ action: 'resume', runId: 'run-1' });
    // Every candidate once on the queue (the interrupted page's repeats are dropped by their deduplication ids).
    const keys = (await drain(emulator.sqs, queues['greenhouse-changes'].url)).map((m) => m.Attributes?.['MessageGroupId']);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(summary.counts.candidates);
    expect(againErr.text.at(-1)).toMatch(/^done: \d+ enqueued · \d+ pages? · [\d.]+\/s over \d+s\n$/);
    expect(againErr.text.at(-1)).not.toContain(' 0.0/s');

    // Without --json the summary is a line of text: here, that there was nothing left to do.
    const [done, doneErr] = [output(), output()];
    expect(await backfillCommand({ candidatesOnly: true }, { stdout: done.stream, stderr: doneErr.stream, signal: new AbortController().signal, dependencies: dependencies(-1) })).toBe(0);
    expect(done.text.join('')).toBe(
      `backfill run-1 (started ${summary.startedAt}) had already finished, nothing enqueued: 0 jobs, ${summary.counts.candidates} candidates (0 private skipped), ${summary.counts.pages} pages; use --restart for a new run\n`,
    );
  });

  it('without a terminal: a line at most every few seconds, and the latest one again while nothing moves', () => {
    vi.useFakeTimers();
    const { text, stream } = output();
    const line = progressLine(stream, 5_000);
    const snapshot: ProgressSnapshot = { phase: 'candidates', phaseDone: 10, totalDone: 10, pages: 0, skippedPrivate: 0, sessionDone: 10, sessionMs: 1_000, listedAhead: 490 };
    for (let i = 0; i < 50; i++) line.update({ ...snapshot, phaseDone: 10 + i });
    expect(text).toEqual(['candidates 10 enqueued · 0 pages · 10.0/s · 490 listed to go, ETA ≥49s (more pages may follow)\n']);
    // A wait (backpressure, a rate limit): no updates, yet a line every interval, its rate falling.
    vi.advanceTimersByTime(10_000);
    expect(text).toHaveLength(3);
    expect(text[1]).toMatch(/^candidates 59 enqueued · 0 pages · [\d.]+\/s/);
    expect(text[2]).toContain('0.9/s');
    // The last line, at the end or on Ctrl-C, is brought up to date too (not the rate of the last batch sent).
    vi.advanceTimersByTime(1_000);
    line.finish();
    expect(text).toHaveLength(4);
    expect(text[3]).toContain('0.8/s');
    vi.advanceTimersByTime(10_000);
    expect(text).toHaveLength(4);
  });
});
