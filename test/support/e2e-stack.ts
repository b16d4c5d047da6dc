import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { vi } from 'vitest';
import { LOCAL_STACK_FILE_VARIABLE, writeLocalStackFile } from '#local/stack-file';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDbAudit } from '#adapters/store/audit';
import { DynamoDbIdMap } from '#adapters/store/id-map';
import type { ScheduledRun } from '#core/sync/poll-window';
import { isRateLimitedRun } from '#core/sync/scheduled-runs';
import type { LocalPollOutcome, LocalSchedules } from '#local/schedules';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '#local/stack';
import { localDynamoDbClient, localSqsClient } from '#local/sdk-clients';
import { callJson } from './http.ts';

/**
 * The local stack in this process as the sync scenarios use it: the Lambdas' logs and metrics kept out
 * of the test output, clients on its emulators and stores, and the Greenhouse simulator's limit raised
 * (Harvest's window would make scenarios wait; the limits have tests of their own).
 */
export interface E2eStack {
  readonly stack: LocalStack;
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly idMap: DynamoDbIdMap;
  readonly audit: DynamoDbAudit;
  /** The Beamery simulator without its `/v1`: where its admin routes live. */
  readonly beameryOrigin: string;
  stop(): Promise<void>;
}

export async function startE2eStack(options: LocalStackOptions & { readonly greenhouseRateLimit: number }): Promise<E2eStack> {
  process.env['POWERTOOLS_LOG_LEVEL'] = 'ERROR';
  process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
  const { greenhouseRateLimit, ...stackOptions } = options;
  const stack = await startLocalStack(stackOptions);
  const dynamodb = localDynamoDbClient(stack.dynamodbEndpoint);
  const sqs = localSqsClient(stack.sqsEndpoint);
  await callJson(stack.greenhouse, 'PUT', '/_admin/rate-limit', { limit: greenhouseRateLimit });
  return {
    stack,
    dynamodb,
    sqs,
    idMap: new DynamoDbIdMap(dynamodb, stack.resources.tables['id-map']),
    audit: new DynamoDbAudit(dynamodb, stack.resources.tables.audit),
    beameryOrigin: stack.beamery.replace(/\/v1$/, ''),
    stop: async () => {
      sqs.destroy();
      dynamodb.destroy();
      await stack.stop();
    },
  };
}

/**
 * One scheduled run as the schedule would see it through: a run that met a rate limit ends early with
 * its watermark kept, and the next tick runs it again. Here the next tick comes when the limit's
 * window has passed, so a scenario waits for the run's work instead of failing on a busy simulator.
 */
export async function runScheduled(schedules: LocalSchedules, poller: ScheduledRun, deadlineMs = 60_000): Promise<LocalPollOutcome> {
  const giveUpAt = Date.now() + deadlineMs;
  for (;;) {
    const [outcome] = await schedules.trigger(poller);
    if (!outcome) throw new Error(`no outcome for the ${poller} run`);
    const summary = outcome.ok ? outcome.summary : undefined;
    if (!summary || !isRateLimitedRun(summary) || Date.now() > giveUpAt) return outcome;
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, summary.retryAfterSeconds) * 1000));
  }
}

export interface LocalCli {
  /** A temporary folder of the test's own, for the files a command writes. */
  readonly dir: string;
  readonly stackFile: string;
  /** Unstubs the environment and removes the folder. */
  close(): Promise<void>;
}

/**
 * Points the CLI's `--local` at the stack this test started (whose environment is in process.env), as
 * `npm start` does for a developer: its stack file in a temporary folder, never a developer's running
 * stack's.
 */
export async function localCliFor(prefix: string): Promise<LocalCli> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const stackFile = join(dir, 'running-stack.json');
  writeLocalStackFile(process.env, stackFile);
  vi.stubEnv(LOCAL_STACK_FILE_VARIABLE, stackFile);
  return {
    dir,
    stackFile,
    async close() {
      vi.unstubAllEnvs();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
