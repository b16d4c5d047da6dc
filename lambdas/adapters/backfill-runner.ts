import type { Clock } from '#core/clock';
import {
  afterPage,
  backfillMessages,
  decideStart,
  finishPhase,
  listQuery,
  planPage,
  progressOf,
  DEFAULT_RESUME_MARGIN_MS,
  type BackpressurePolicy,
  type BackfillCheckpoint,
  type BackfillPhase,
  type ListedRecord,
  type ProgressSnapshot,
} from '#core/sync/backfill-plan';
import { PUBLISH_BATCH } from '#core/sync/poll-window';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { systemClock } from '#adapters/system-clock';
import { BACKFILL_CHECKPOINT_NAME } from '#core/sync/backfill-plan';
import { requireQueueUrl, requireTableName, type BridgeConfig } from '#lambdas/config';
import type { QueuePublisher } from '#core/ports/queue-publisher';
import { publisherFor } from '#wiring/publisher-for';
import { queueDepth } from '#adapters/queue/queue-depth';
import { queueRoom } from '#adapters/queue/backpressure';
import { greenhouseClientFrom } from '#wiring/api-clients';
import { DynamoDbCheckpointStore, type BackfillCheckpointStore } from './backfill-checkpoint-store.ts';
import { RateLimited } from '#core/api-errors';

/**
 * `bridge backfill` as a long-running process: lists every job, then every non-private candidate,
 * page by page; enqueues each page (greenhouse-changes, origin `backfill`) and only then checkpoints
 * it. A crash between pages loses nothing: the next run resumes below the checkpoint's mark. The
 * Greenhouse client's shared budget paces the calls; a RateLimited (the server's 429 or a budget
 * spent for longer than the client waits) is waited out and the listing continues from the
 * checkpoint, which is also why a listing interrupted mid-way needs no other recovery.
 */
export interface BackfillGreenhouse {
  pages(resource: BackfillPhase, query: Record<string, string | boolean>): AsyncIterable<readonly ListedRecord[]>;
}

export interface BackfillRunnerDependencies {
  readonly greenhouse: BackfillGreenhouse;
  readonly publisher: QueuePublisher;
  readonly store: BackfillCheckpointStore;
  readonly clock: Clock;
  /** Called after each page and while waiting on a rate limit (the CLI draws the progress line). */
  readonly onProgress?: (progress: ProgressSnapshot, checkpoint: BackfillCheckpoint) => void;
  readonly newRunId?: () => string;
  readonly resumeMarginMs?: number;
  /** Gives up after this many rate-limit waits in a row without a page completing. */
  readonly maxConsecutiveWaits?: number;
  /**
   * Messages on greenhouse-changes now (visible and in flight). With it, the backfill keeps only about
   * a rate window of work queued (lambdas/core/sync/backfill-plan.ts `queueCap`, applied by
   * adapters/queue/backpressure.ts); without it, every page is enqueued at once.
   */
  readonly queueDepth?: () => Promise<number>;
  readonly backpressure?: BackpressurePolicy;
  /** Between looks at the queue depth while waiting for room. */
  readonly depthPollMs?: number;
}

export interface BackfillOptions {
  readonly phases: readonly BackfillPhase[];
  readonly restart?: boolean;
  readonly signal?: AbortSignal;
}

export interface BackfillResult {
  readonly action: 'start' | 'resume' | 'finished';
  readonly checkpoint: BackfillCheckpoint;
  /** Messages this process enqueued. */
  readonly enqueued: number;
  readonly rateLimitWaits: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A page that took longer than this to enqueue (waiting for room) ends the listing; the next starts from the checkpoint. */
const RELIST_AFTER_MS = 60_000;

export async function runBackfill(deps: BackfillRunnerDependencies, options: BackfillOptions): Promise<BackfillResult> {
  const { clock, store, publisher } = deps;
  const startedMs = clock.now();
  const runId = (deps.newRunId ?? (() => iso(startedMs).replace(/[-:.]/g, '')))();
  const decision = decideStart(await store.load(), { phases: options.phases, restart: options.restart ?? false, runId, now: iso(startedMs) });
  let checkpoint = decision.checkpoint;
  let enqueued = 0;
  let waits = 0;
  let consecutiveWaits = 0;
  // Backpressure (queue/backpressure.ts): without a queue depth, every page is enqueued at once.
  // A second look at the depth within one wait means the queue is full: the progress line says so
  // (otherwise it only shows a falling rate while the consumers catch up).
  let looks = 0;
  let queuedWhileWaiting: number | undefined;
  const depth = deps.queueDepth;
  const queue = depth
    ? queueRoom({
        queueDepth: async () => {
          const queued = await depth();
          if (++looks > 1) {
            queuedWhileWaiting = queued;
            report();
          }
          return queued;
        },
        clock,
        policy: deps.backpressure,
        depthPollMs: deps.depthPollMs,
      })
    : undefined;
  const waitForRoom = async (): Promise<number> => {
    if (!queue) return PUBLISH_BATCH;
    looks = 0;
    try {
      return await queue.waitForRoom({ signal: options.signal });
    } finally {
      queuedWhileWaiting = undefined;
    }
  };
  // The page in hand, so progress moves message by message rather than once per (up to 500-record) page.
  let page = { enqueued: 0, remaining: 0 };
  const report = (waitingSeconds?: number) =>
    deps.onProgress?.(
      progressOf(
        checkpoint,
        { done: enqueued + page.enqueued, ms: clock.now() - startedMs, pageEnqueued: page.enqueued, pageRemaining: page.remaining, queuedWhileWaiting },
        waitingSeconds,
      ),
      checkpoint,
    );

  if (decision.action === 'finished') {
    report();
    return { action: 'finished', checkpoint, enqueued, rateLimitWaits: 0 };
  }
  if (decision.action === 'start') await store.save(checkpoint);
  report();

  phases: while (checkpoint.phase !== 'done') {
    options.signal?.throwIfAborted();
    const phase: BackfillPhase = checkpoint.phase;
    let pageStartedMs = clock.now();
    try {
      for await (const records of deps.greenhouse.pages(phase, listQuery(phase, checkpoint.mark, deps.resumeMarginMs ?? DEFAULT_RESUME_MARGIN_MS))) {
        options.signal?.throwIfAborted();
        const plan = planPage(phase, records, checkpoint.mark);
        const messages = backfillMessages(phase, plan.enqueue, checkpoint.runId, iso(clock.now()));
        page = { enqueued: 0, remaining: messages.length };
        report();
        for (let i = 0; i < messages.length; ) {
          // Ctrl-C stops between batches; the page's checkpoint is not advanced, so a resume sends it again (same deduplication ids).
          options.signal?.throwIfAborted();
          const room = await waitForRoom();
          const chunk = messages.slice(i, i + Math.min(PUBLISH_BATCH, room));
          await publisher.publish(chunk);
          i += chunk.length;
          page = { enqueued: i, remaining: messages.length - i };
          if (i < messages.length) report();
        }
        // Only now: the whole page is on the queue.
        checkpoint = afterPage(checkpoint, plan, iso(clock.now()));
        await store.save(checkpoint);
        enqueued += messages.length;
        page = { enqueued: 0, remaining: 0 };
        consecutiveWaits = 0;
        report();
        // After a long wait for room the listing's next cursor may have expired (reference §2): list
        // again from the checkpoint instead, one request more.
        if (clock.now() - pageStartedMs > RELIST_AFTER_MS) continue phases;
        pageStartedMs = clock.now();
      }
      checkpoint = finishPhase(checkpoint, iso(clock.now()));
      await store.save(checkpoint);
      report();
    } catch (error) {
      // A page cut short is listed again from the checkpoint: its messages already sent are deduplicated (or reconciled twice, harmlessly).
      page = { enqueued: 0, remaining: 0 };
      if (!(error instanceof RateLimited)) throw error;
      waits++;
      if (++consecutiveWaits > (deps.maxConsecutiveWaits ?? 100)) throw error;
      const seconds = Math.max(1, error.retryAfterSeconds);
      report(seconds);
      await clock.sleep(seconds * 1000, options.signal);
      // The listing starts again from the checkpoint (bounded by its mark).
    }
  }
  return { action: decision.action, checkpoint, enqueued, rateLimitWaits: waits };
}

/**
 * The runner's dependencies on AWS (or the local emulators) as `bridge backfill` wires them: the
 * Greenhouse client from the configuration, greenhouse-changes.fifo for messages and backpressure,
 * the checkpoint in the Ledger.
 */
export function awsBackfillDependencies(
  config: BridgeConfig,
  clients: { readonly dynamodb: DynamoDBClient; readonly sqs: SQSClient },
  onProgress?: BackfillRunnerDependencies['onProgress'],
): BackfillRunnerDependencies {
  const queueUrl = requireQueueUrl(config, 'greenhouse-changes');
  return {
    greenhouse: greenhouseClientFrom(config, { dynamodb: clients.dynamodb }),
    publisher: publisherFor(config, clients.sqs, { sender: 'the backfill', queues: ['greenhouse-changes'] }),
    store: new DynamoDbCheckpointStore(clients.dynamodb, requireTableName(config, 'ledger'), BACKFILL_CHECKPOINT_NAME),
    clock: systemClock,
    queueDepth: async () => {
      const depth = await queueDepth(clients.sqs, queueUrl);
      return depth.visible + depth.inFlight;
    },
    ...(onProgress ? { onProgress } : {}),
  };
}
