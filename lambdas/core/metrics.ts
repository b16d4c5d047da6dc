/**
 * Metric names the handlers emit and the dashboard and alarms read. One list, so a renamed metric
 * cannot leave an alarm watching nothing.
 */
export const METRICS_NAMESPACE = 'GreenhouseBeameryBridge';

export const SERVICES = { ingest: 'ingest', beameryPush: 'beamery-push' } as const;

export const INGEST_METRICS = {
  verified: 'WebhookVerified',
  signatureRejected: 'WebhookSignatureRejected',
  malformed: 'WebhookMalformed',
  tooLarge: 'WebhookTooLarge',
  quarantined: 'WebhookQuarantined',
  ping: 'WebhookPing',
  messagesQueued: 'WebhookMessagesQueued',
  enqueueFailed: 'WebhookEnqueueFailed',
  /** A repeat of a delivery queued or kept within two days, answered without queueing it again. */
  duplicate: 'WebhookDuplicate',
  /** A repeat that arrived while the first was still being queued: answered 409, to be retried. */
  duplicateInProgress: 'WebhookDuplicateInProgress',
  /** Queued without its delivery record (the idempotency table failed): a late repeat would be queued again. */
  dedupUnavailable: 'WebhookDedupUnavailable',
} as const;

/** `POST /beamery/push` outcomes (lambdas/handlers/make-beamery-push-handler.ts). */
export const PUSH_METRICS = {
  unauthorized: 'PushUnauthorized',
  rejected: 'PushRejected',
  contactsQueued: 'PushContactsQueued',
  enqueueFailed: 'PushEnqueueFailed',
} as const;

/** The AI consumer's service name and the per-workflow metrics the dashboard reads (lambdas/core/ai/run-task.ts). */
export const AI_SERVICE = 'ai-workflows';
export const AI_WORKFLOW_METRIC_PREFIX = { screening: 'Screening', feedback: 'FeedbackSynthesis' } as const;
export type AiWorkflowName = keyof typeof AI_WORKFLOW_METRIC_PREFIX;

export function aiMetrics(workflow: AiWorkflowName) {
  const p = AI_WORKFLOW_METRIC_PREFIX[workflow];
  return {
    inferences: `${p}Inferences`,
    reused: `${p}Reused`,
    notRun: `${p}NotRun`,
    errors: `${p}Errors`,
    latencyMs: `${p}LatencyMs`,
    inputTokens: `${p}InputTokens`,
    outputTokens: `${p}OutputTokens`,
    estimatedCostUsd: `${p}EstimatedCostUsd`,
  } as const;
}

/** An ai-tasks message with no workflow to run (a new job before drafts exist, a deleted interview). */
export const AI_TASKS_IGNORED_METRIC = 'AiTasksIgnored';

/** One datapoint per screened application: the dashboard shows its percentiles as the score distribution. */
export const SCREENING_SCORE_METRIC = 'ScreeningScore';

/** What every queue consumer counts (lambdas/handlers/fifo-consumer.ts). */
export const CONSUMER_METRICS = {
  processed: 'MessagesProcessed',
  failed: 'MessagesFailed',
  rateLimited: 'MessagesRateLimited',
  waiting: 'MessagesHandedBack',
  deadLettered: 'MessagesDeadLettered',
  malformed: 'MessagesMalformed',
} as const;

/** What the scheduled runs count (lambdas/handlers/scheduled-run-report.ts). */
export const POLLER_METRICS = {
  windows: 'PollWindowsCompleted',
  found: 'PollEntitiesFound',
  queued: 'PollMessagesQueued',
  rateLimited: 'PollRateLimited',
  failed: 'PollFailed',
  /** A run stopped waiting for room on greenhouse-changes; its window is listed again next run. */
  backpressure: 'PollBackpressure',
  /** How far behind now a poller's watermark is after its run: the sync lag of changes without a webhook. */
  lagSeconds: 'PollLagSeconds',
} as const;

/** Counts of a users reference sync run (lambdas/core/sync/reference-users.ts). */
export const USERS_METRICS = {
  linked: 'UsersLinked',
  unmatched: 'UsersUnmatched',
  unlinked: 'UsersUnlinked',
} as const;

/** Counts of a deletions sweep (lambdas/core/sync/deletion-sweep.ts). */
export const DELETIONS_METRICS = {
  checked: 'DeletionSweepLinksChecked',
  /** Links whose Greenhouse record was absent twice: enqueued as the missed webhook. */
  deleted: 'DeletionSweepAbsencesFound',
} as const;
