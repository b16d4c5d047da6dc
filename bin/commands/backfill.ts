import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { formatProgress, phasesFor, type BackfillCounts, type ProgressSnapshot } from '#core/sync/backfill-plan';
import { readConfig, type BridgeConfig } from '#lambdas/config';
import { awsBackfillDependencies, runBackfill, type BackfillRunnerDependencies } from '#adapters/backfill-runner';
import { requireCliSettings } from '../cli-settings.ts';

/** Exit code of a backfill stopped by Ctrl-C: 128 + SIGINT, as a shell reports a process it interrupted. */
export const INTERRUPTED_EXIT_CODE = 130;
/** Without a terminal (a log, CI, `| tee`), the latest progress line at least this often, even while waiting. */
export const PLAIN_PROGRESS_INTERVAL_MS = 5_000;

interface Stream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * One progress line on stderr: redrawn in place on a terminal. Otherwise a line per interval at most,
 * and the latest line again every interval while nothing changes (a rate-limit or backpressure wait
 * must not look like a hang), its rate brought up to date.
 */
export function progressLine(stream: Stream = process.stderr, intervalMs = PLAIN_PROGRESS_INTERVAL_MS, now: () => number = Date.now) {
  let lastPlain = Number.NEGATIVE_INFINITY;
  let latest: { snapshot: ProgressSnapshot; at: number } | undefined;
  let midLine = false;
  // The latest snapshot with the time since it was taken counted in: the rate falls while nothing is sent.
  const current = () => (latest ? formatProgress({ ...latest.snapshot, sessionMs: latest.snapshot.sessionMs + (now() - latest.at) }) : undefined);
  // Checked five times an interval, so a quiet spell shows a line within an interval of the last one, not two.
  const heartbeat = stream.isTTY
    ? undefined
    : setInterval(() => {
        if (latest && now() - lastPlain >= intervalMs) {
          lastPlain = now();
          stream.write(`${current()}\n`);
        }
      }, intervalMs / 5);
  heartbeat?.unref();
  return {
    update(snapshot: ProgressSnapshot) {
      latest = { snapshot, at: now() };
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${formatProgress(snapshot)}`);
        midLine = true;
      } else if (now() - lastPlain >= intervalMs) {
        lastPlain = now();
        stream.write(`${formatProgress(snapshot)}\n`);
      }
    },
    /** The latest line once more, brought up to date and ended, whatever the interval; the heartbeat stops. */
    finish() {
      clearInterval(heartbeat);
      const line = current();
      if (line !== undefined) stream.write(`${stream.isTTY ? '\r\x1b[2K' : ''}${line}\n`);
      else if (midLine) stream.write('\n');
      midLine = false;
    },
  };
}

export interface BackfillSummary {
  readonly action: 'start' | 'resume' | 'finished';
  readonly runId: string;
  readonly startedAt: string;
  readonly counts: BackfillCounts;
  readonly enqueuedNow: number;
}

/** The text summary: what this invocation did, the run's totals, and what running it again would do. */
export function formatBackfillSummary({ action, runId, startedAt, counts, enqueuedNow }: BackfillSummary): string {
  const totals = `${counts.jobs} jobs, ${counts.candidates} candidates (${counts.skippedPrivate} private skipped), ${counts.pages} pages`;
  if (action === 'finished') return `backfill ${runId} (started ${startedAt}) had already finished, nothing enqueued: ${totals}; use --restart for a new run`;
  return `backfill ${runId} ${action === 'start' ? 'started and finished' : `resumed (started ${startedAt}) and finished`}: ${enqueuedNow} enqueued now; the run in all: ${totals}; use --restart for a new run`;
}

export interface BackfillCommandOptions {
  readonly jobsOnly?: boolean;
  readonly candidatesOnly?: boolean;
  readonly restart?: boolean;
  /** The summary on stdout as one JSON object instead of a line of text. */
  readonly json?: boolean;
}

export interface BackfillCommandIo {
  readonly stdout: Stream;
  readonly stderr: Stream;
  /** Ctrl-C: the CLI aborts it on SIGINT. */
  readonly signal: AbortSignal;
  /** The runner's dependencies; by default the configured AWS (or local) resources. */
  readonly dependencies?: (config: BridgeConfig, onProgress: NonNullable<BackfillRunnerDependencies['onProgress']>) => BackfillRunnerDependencies;
}

/**
 * `bridge backfill`: checks every setting it needs before it calls Greenhouse or writes the
 * checkpoint, runs the resumable backfill with a progress line, and prints a summary on stdout (a
 * line of text, or one JSON object with `json`).
 * Returns the exit code: 0 done, 130 stopped by Ctrl-C (the checkpoint keeps every whole page sent).
 */
export async function backfillCommand(options: BackfillCommandOptions, io: BackfillCommandIo): Promise<number> {
  const phases = phasesFor(options);
  const config = readConfig();
  const dependencies =
    io.dependencies ??
    ((c, onProgress) => {
      requireCliSettings(c, [{ queue: 'greenhouse-changes' }, { table: 'ledger' }, 'greenhouse']);
      return awsBackfillDependencies(c, { dynamodb: new DynamoDBClient({}), sqs: new SQSClient({}) }, onProgress);
    });
  const line = progressLine(io.stderr);
  let last: ProgressSnapshot | undefined;
  const deps = dependencies(config, (progress) => {
    last = progress;
    line.update(progress);
  });
  let finished = false;
  const finishLine = () => {
    if (!finished) line.finish();
    finished = true;
  };
  try {
    const { checkpoint, action, enqueued } = await runBackfill(deps, { phases, restart: options.restart ?? false, signal: io.signal });
    finishLine();
    const summary = { action, runId: checkpoint.runId, startedAt: checkpoint.startedAt, counts: checkpoint.counts, enqueuedNow: enqueued };
    io.stdout.write(`${options.json ? JSON.stringify(summary) : formatBackfillSummary(summary)}\n`);
    return 0;
  } catch (error) {
    // Whatever the abort surfaced as (the signal's reason, an AbortError from a wait or a request).
    if (!io.signal.aborted) throw error;
    finishLine();
    const sent = last ? `${last.sessionDone} enqueued by this run so far; ` : '';
    io.stderr.write(`stopped; ${sent}run it again to resume from the last whole page (its checkpoint is saved)\n`);
    return INTERRUPTED_EXIT_CODE;
  } finally {
    finishLine();
  }
}
