import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Envelope } from '#core/envelope';
import { AI_TASKS_IGNORED_METRIC, aiMetrics, SCREENING_SCORE_METRIC, type AiWorkflowName } from '#core/metrics';
import type { TokenUsage } from '#core/ai/model';
import { screenApplication, type ScreeningDependencies, type ScreeningOutcome } from '#core/ai/screen-application';
import type { AiSettings } from '#core/ai/settings';
import type { ConsumerQueue } from '#adapters/queue/consumer-queue';
import type { PauseSwitch } from '#adapters/store/switches';
import { makeFifoConsumer } from './fifo-consumer.ts';
import type { MetricsSink } from './make-ingest-handler.ts';

/**
 * The ai-tasks consumer: the AI workflows on Greenhouse events (DESIGN principle 1: AI writes happen
 * here and nowhere else). A new candidate application is screened; a stage change, the hourly
 * scorecard poll or a deleted scorecard (for each of the candidate's applications) asks for
 * interview-feedback synthesis. Every other action
 * routed here (a new job, for job-description drafts, is not built yet) is logged and counted, not
 * dropped silently. The workflows' outcomes become metrics per workflow: inferences, reuses, runs
 * that could not happen, errors, latency, tokens and the estimated cost the dashboard shows.
 */
export interface FeedbackRun {
  readonly outcome: string;
  /** One entry per synthesis the run made (a model call or the offline provider). */
  readonly inferences: readonly { readonly usage: TokenUsage; readonly latencyMs: number }[];
  readonly failures: number;
}

export interface AiTasksDependencies {
  readonly screening: Omit<ScreeningDependencies, 'settings'>;
  /** Interview-feedback synthesis for one application (all of its stages that are ready). */
  readonly synthesizeFeedback: (applicationId: number) => Promise<FeedbackRun>;
  /** The candidate's application ids: `scorecard_deleted` names the candidate only. */
  readonly applicationsOf: (candidateId: number) => Promise<number[]>;
  readonly settings: AiSettings;
  readonly queue: ConsumerQueue;
  /** The operator's pause switch of this flow (`bridge pause`). */
  readonly pause?: PauseSwitch;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
}

/** Actions that ask for feedback synthesis; `scorecards_changed` is the hourly poll's own (Greenhouse has no scorecard webhook). */
export const FEEDBACK_ACTIONS = new Set(['candidate_stage_change', 'scorecards_changed']);
export const SCREENING_ACTIONS = new Set(['new_candidate_application']);

export function makeAiTasksHandler(deps: AiTasksDependencies) {
  const { settings, metrics } = deps;
  const add = (name: string, unit: (typeof MetricUnit)[keyof typeof MetricUnit], value: number) => metrics.addMetric(name, unit, value);

  function recordInference(workflow: AiWorkflowName, usage: TokenUsage, latencyMs: number): void {
    const m = aiMetrics(workflow);
    add(m.inferences, MetricUnit.Count, 1);
    add(m.latencyMs, MetricUnit.Milliseconds, latencyMs);
    add(m.inputTokens, MetricUnit.Count, usage.inputTokens);
    add(m.outputTokens, MetricUnit.Count, usage.outputTokens);
    const { inputPer1kTokensUsd, outputPer1kTokensUsd } = settings.pricing;
    add(m.estimatedCostUsd, MetricUnit.NoUnit, (usage.inputTokens / 1000) * inputPer1kTokensUsd + (usage.outputTokens / 1000) * outputPer1kTokensUsd);
  }

  function recordScreening(outcome: ScreeningOutcome): void {
    const m = aiMetrics('screening');
    if (outcome.outcome === 'screened') {
      if (outcome.reused) add(m.reused, MetricUnit.Count, 1);
      else recordInference('screening', outcome.result.usage, outcome.result.latencyMs);
      add(SCREENING_SCORE_METRIC, MetricUnit.NoUnit, outcome.score);
    } else if (outcome.outcome === 'not-screenable') add(m.notRun, MetricUnit.Count, 1);
    else if (outcome.outcome === 'failed') add(m.errors, MetricUnit.Count, 1);
  }

  async function synthesize(applicationId: number, base: Record<string, unknown>): Promise<void> {
    try {
      const run = await deps.synthesizeFeedback(applicationId);
      for (const inference of run.inferences) recordInference('feedback', inference.usage, inference.latencyMs);
      if (run.failures) add(aiMetrics('feedback').errors, MetricUnit.Count, run.failures);
      deps.logger.info('feedback synthesis done', { ...base, outcome: run.outcome, syntheses: run.inferences.length });
    } catch (error) {
      add(aiMetrics('feedback').errors, MetricUnit.Count, 1);
      throw error;
    }
  }

  async function handle(envelope: Envelope): Promise<void> {
    if (envelope.kind !== 'greenhouse.event') {
      deps.logger.warn('not an AI task; left for the DLQ', { kind: envelope.kind, deliveryId: envelope.deliveryId });
      throw new Error(`ai-tasks cannot handle ${envelope.kind}`);
    }
    const applicationId = Number(envelope.refs.applicationId);
    const base = { action: envelope.action, deliveryId: envelope.deliveryId, applicationId: envelope.refs.applicationId };
    const runsWorkflow = SCREENING_ACTIONS.has(envelope.action) || FEEDBACK_ACTIONS.has(envelope.action);
    if (runsWorkflow && !(Number.isSafeInteger(applicationId) && applicationId > 0)) {
      // Ingest and the poller always set it; without it the message is kept for an operator (DLQ), not dropped.
      throw new Error(`${envelope.action} without an application id`);
    }
    if (SCREENING_ACTIONS.has(envelope.action)) {
      try {
        const outcome = await screenApplication(applicationId, { ...deps.screening, settings: settings.screening });
        recordScreening(outcome);
        // Ids, outcome and score only: never the summary or evidence.
        deps.logger.info('screening done', { ...base, outcome: outcome.outcome, ...('reason' in outcome ? { reason: outcome.reason } : {}), ...('score' in outcome ? { score: outcome.score, mode: outcome.mode, reused: outcome.reused } : {}) });
      } catch (error) {
        add(aiMetrics('screening').errors, MetricUnit.Count, 1);
        throw error;
      }
      return;
    }
    if (FEEDBACK_ACTIONS.has(envelope.action)) {
      await synthesize(applicationId, base);
      return;
    }
    const candidateId = Number(envelope.refs.candidateId);
    if (envelope.action === 'scorecard_deleted' && Number.isSafeInteger(candidateId) && candidateId > 0) {
      // A deletion changes a stage's set of scorecards, and no poll can see it.
      for (const id of await deps.applicationsOf(candidateId)) await synthesize(id, { ...base, applicationId: String(id) });
      return;
    }
    // interview_deleted (the stage's remaining feedback is read at the next poll or stage change),
    // job_created (job-description drafts: not built yet).
    metrics.addMetric(AI_TASKS_IGNORED_METRIC, MetricUnit.Count, 1);
    deps.logger.info('AI task with no workflow to run', base);
  }

  return makeFifoConsumer({ handle, queue: deps.queue, logger: deps.logger, metrics, ...(deps.pause ? { pause: deps.pause } : {}) });
}
