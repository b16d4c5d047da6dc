import { isoNow, type Clock } from '#core/clock';
import { entityKey } from '#core/envelope';
import type { QueuePublisher } from '#core/ports/queue-publisher';
import type { OutgoingMessage } from '#core/webhooks/delivery';
import type { PollProgress, PollerGreenhouse } from '#core/sync/poll-greenhouse';
import { PUBLISH_BATCH, scheduledEventMessage } from '#core/sync/poll-window';

/**
 * The daily `{ "poller": "rediscovery" }` run: one `rediscover_job` message on ai-tasks.fifo per open
 * Greenhouse job, asking the AI consumer to match the job against the rediscovery index (issue 17,
 * "Matching, on a schedule"). The run only lists: which jobs rediscovery runs for (scope, rollout,
 * shadow or assist) is the consumer's gate, as for a `job_created` webhook, so the settings live in one
 * place and a job taken out of scope is skipped the same day. A rate limit ends the run where it was
 * (scheduled-runs.ts); what it already sent stays sent, and the next day's run covers the rest.
 */

/** The action of the run's messages, routed by the AI consumer to rediscovery's matching. */
export const REDISCOVER_JOB = 'rediscover_job';

/** What a `{ "poller": "rediscovery" }` run returns. */
export interface RediscoveryRunSummary {
  readonly poller: 'rediscovery';
  /** Open jobs listed. */
  readonly jobs: number;
  /** Messages published (one per open job). */
  readonly queued: number;
}

export interface RediscoveryRunDependencies {
  readonly greenhouse: Pick<PollerGreenhouse, 'list'>;
  readonly publisher: QueuePublisher;
  readonly clock: Clock;
  readonly progress?: (event: PollProgress) => void;
}

/**
 * One job's message. Its deduplication id is the job and the run's UTC day, so a second invocation of
 * the same tick (Scheduler delivers at least once) is dropped by SQS, and tomorrow's run is not.
 */
export function rediscoverJobMessage(jobId: number, observedAt: string): OutgoingMessage {
  const day = observedAt.slice(0, 10);
  return scheduledEventMessage({
    queue: 'ai-tasks',
    entityKey: entityKey('greenhouse', 'job', jobId),
    action: REDISCOVER_JOB,
    refs: { jobIds: [String(jobId)] },
    observedAt,
    deliveryId: `rediscover:${day}`,
    deduplicationId: `rediscover:${jobId}:${day}`,
  });
}

export async function runRediscovery(deps: RediscoveryRunDependencies): Promise<RediscoveryRunSummary> {
  const observedAt = isoNow(deps.clock);
  const seen = new Set<number>();
  let pending: OutgoingMessage[] = [];
  let queued = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    await deps.publisher.publish(pending);
    queued += pending.length;
    deps.progress?.({ kind: 'queued', poller: 'rediscovery', messages: pending.length });
    pending = [];
  };
  // `status=open` is a v3 jobs filter [H] (docs/reference §4.4); the check below also skips a job a
  // tenant's listing returns in another status, rather than asking for matches on a closed job. A job
  // that moves between pages while the listing runs is sent once.
  for await (const job of deps.greenhouse.list('jobs', { status: 'open' })) {
    if (job.status !== 'open' || seen.has(job.id)) continue;
    seen.add(job.id);
    pending.push(rediscoverJobMessage(job.id, observedAt));
    if (pending.length >= PUBLISH_BATCH) await flush();
  }
  await flush();
  return { poller: 'rediscovery', jobs: seen.size, queued };
}
