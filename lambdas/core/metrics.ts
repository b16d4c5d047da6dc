/**
 * Metric names the handlers emit and the dashboard and alarms read. One list, so a renamed metric
 * cannot leave an alarm watching nothing.
 */
export const METRICS_NAMESPACE = 'GreenhouseBeameryBridge';

export const SERVICES = { ingest: 'ingest', beameryPush: 'beamery-push', pipelineReport: 'pipeline-analytics' } as const;

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
  /** The webhook secret read is too weak (lambdas/core/secret-strength.ts): deliveries answered 503. */
  secretWeak: 'WebhookSecretWeak',
} as const;

/** `POST /beamery/push` outcomes (lambdas/handlers/make-beamery-push-handler.ts). */
export const PUSH_METRICS = {
  unauthorized: 'PushUnauthorized',
  rejected: 'PushRejected',
  contactsQueued: 'PushContactsQueued',
  enqueueFailed: 'PushEnqueueFailed',
  /** The push key read is too weak or unreadable JSON (lambdas/core/push/push-key-secret.ts): requests answered 503. */
  keyWeak: 'PushKeyWeak',
} as const;

/** The AI consumer's service name and the per-workflow metrics the dashboard reads (lambdas/core/ai/run-task.ts). */
export const AI_SERVICE = 'ai-workflows';
export const AI_WORKFLOW_METRIC_PREFIX = {
  screening: 'Screening',
  feedback: 'FeedbackSynthesis',
  /** One run per job: `Items` counts the past candidates suggested. */
  rediscovery: 'Rediscovery',
  /** The index's upkeep: `Items` counts the profiles embedded (changed or new), `NotRun` the candidates removed. */
  rediscoveryIndex: 'RediscoveryIndex',
  /** One draft per new job: `Items` counts the checks' findings. */
  jobDescription: 'JobDescription',
  /** Rules only, no model: `Inferences` counts the offers checked, `Items` the checks they failed. */
  offers: 'OfferChecks',
} as const;

/** Workflows that call no model: no latency, tokens or cost to show. */
export const MODEL_FREE_WORKFLOWS: ReadonlySet<AiWorkflowName> = new Set(['offers']);
export type AiWorkflowName = keyof typeof AI_WORKFLOW_METRIC_PREFIX;

export function aiMetrics(workflow: AiWorkflowName) {
  const p = AI_WORKFLOW_METRIC_PREFIX[workflow];
  return {
    inferences: `${p}Inferences`,
    reused: `${p}Reused`,
    notRun: `${p}NotRun`,
    /** What a run produced: suggestions, embedded profiles or findings (see the prefixes above). */
    items: `${p}Items`,
    errors: `${p}Errors`,
    latencyMs: `${p}LatencyMs`,
    inputTokens: `${p}InputTokens`,
    outputTokens: `${p}OutputTokens`,
    estimatedCostUsd: `${p}EstimatedCostUsd`,
  } as const;
}

/** One datapoint per screened application: the dashboard shows its percentiles as the score distribution. */
export const SCREENING_SCORE_METRIC = 'ScreeningScore';

/** Reviewer overrides of screening (lambdas/core/ai/overrides/), one metric per kind: each counts the overrides first seen. */
export const SCREENING_OVERRIDE_METRICS = {
  'score-changed': 'ScreeningOverridesScoreChanged',
  'needs-review-removed': 'ScreeningOverridesNeedsReviewRemoved',
  'advanced-below-threshold': 'ScreeningOverridesAdvancedBelowThreshold',
} as const;

/** What every queue consumer counts (lambdas/handlers/fifo-consumer.ts). */
export const CONSUMER_METRICS = {
  processed: 'MessagesProcessed',
  failed: 'MessagesFailed',
  rateLimited: 'MessagesRateLimited',
  waiting: 'MessagesHandedBack',
  deadLettered: 'MessagesDeadLettered',
  malformed: 'MessagesMalformed',
} as const;

/**
 * What the scheduled runs count (lambdas/handlers/scheduled-run-report.ts). Windows completed and
 * records found are in the runs' log lines only, and a failed run is the poller's Errors alarm.
 */
export const POLLER_METRICS = {
  /** Messages the pollers queued: what reached the queues without a webhook (Greenhouse) or from Beamery. */
  queued: 'PollMessagesQueued',
  rateLimited: 'PollRateLimited',
  /** A run stopped waiting for room on greenhouse-changes; its window is listed again next run. */
  backpressure: 'PollBackpressure',
  /** How far behind now a poller's watermark is after its run: the sync lag of changes without a webhook. */
  lagSeconds: 'PollLagSeconds',
} as const;

/**
 * Greenhouse users the users reference sync could not link to a Beamery user by email: the notes
 * they write reach Beamery without an author (lambdas/core/sync/reference-users.ts). Users linked or
 * unlinked, and the deletions sweep's counts, are in the runs' log lines only.
 */
export const USERS_UNMATCHED_METRIC = 'UsersUnmatched';

/** A consumer's failure on a Beamery route that is wrong for the tenant (CapabilityBroken): one name, so one alarm covers both consumers. */
export const CAPABILITY_BROKEN_METRIC = 'BeameryCapabilityBroken';

/**
 * What the nightly pipeline report counts (lambdas/handlers/make-pipeline-report-handler.ts), one
 * datapoint each per run: the report's headline numbers, so the dashboard shows them over months
 * without opening a report. A rate-limited run emits RateLimited only; a failed run, nothing (its
 * Errors alarm).
 */
export const ANALYTICS_METRICS = {
  reportRuns: 'ReportRuns',
  rateLimited: 'ReportRateLimited',
  applicationsRead: 'ReportApplicationsRead',
  bottlenecksFound: 'ReportBottlenecksFound',
  /** The forecast backtest's mean absolute error (days); none when the history had no job to test on. */
  forecastBacktestMaeDays: 'ForecastBacktestMaeDays',
  /** The company's medians over the report's window (days); none without a fill or a hire in it. */
  timeToFillMedianDays: 'TimeToFillMedianDays',
  timeToHireMedianDays: 'TimeToHireMedianDays',
} as const;

/**
 * Every metric a function can emit, by the function (its entry name, lambdas/runtime.ts) whose
 * `service` dimension it carries. Each name × service is one CloudWatch custom metric, billed for
 * every hour it receives a datapoint; test/cdk/metric-use.test.ts fails when one of them is read by
 * no dashboard widget, alarm or runbook line, and bench/cost.ts prices them.
 */
export const EMITTED_METRICS = {
  'ingest-webhook': Object.values(INGEST_METRICS),
  'beamery-push': Object.values(PUSH_METRICS),
  'greenhouse-changes': [...Object.values(CONSUMER_METRICS), CAPABILITY_BROKEN_METRIC],
  'beamery-changes': [...Object.values(CONSUMER_METRICS), CAPABILITY_BROKEN_METRIC],
  'ai-tasks': [
    ...Object.values(CONSUMER_METRICS),
    ...Object.values(aiMetrics('screening')).filter((name) => name !== aiMetrics('screening').items),
    SCREENING_SCORE_METRIC,
    ...Object.values(SCREENING_OVERRIDE_METRICS),
    ...(['inferences', 'errors', 'latencyMs', 'inputTokens', 'outputTokens', 'estimatedCostUsd'] as const).map((name) => aiMetrics('feedback')[name]),
    ...(['rediscovery', 'rediscoveryIndex', 'jobDescription'] as const).flatMap((workflow) => Object.values(aiMetrics(workflow))),
    ...(['inferences', 'reused', 'items', 'errors'] as const).map((name) => aiMetrics('offers')[name]),
  ],
  'scheduled-runs': [...Object.values(POLLER_METRICS), USERS_UNMATCHED_METRIC],
  'pipeline-report': Object.values(ANALYTICS_METRICS),
} as const satisfies Readonly<Record<string, readonly string[]>>;
