import { aiMetrics, SCREENING_SCORE_METRIC, type AiWorkflowName } from '#core/metrics';
import type { TokenUsage } from './model.ts';
import { estimatedCostUsd, type TokenPricing } from './pricing.ts';
import { routeAiTask, type AiTaskEvent } from './route-task.ts';
import type { AiSettings } from './settings.ts';
import { screenApplication, type ScreeningDependencies, type ScreeningOutcome } from './screening/workflow.ts';

/**
 * One ai-tasks message, run: the route it takes (route-task.ts), the workflow runs it makes, and what
 * each outcome reports: per-workflow inferences, reuses, runs that could not happen, errors, latency,
 * tokens and the estimated cost the dashboard shows. The caller turns the report into metrics and log
 * lines; the report carries ids, outcomes and scores, never a summary, evidence or a name.
 */
export interface FeedbackRun {
  readonly outcome: string;
  /** One entry per synthesis the run made (a model call or the offline provider). */
  readonly inferences: readonly { readonly usage: TokenUsage; readonly latencyMs: number }[];
  readonly failures: number;
}

export interface AiTaskDependencies {
  readonly screening: Omit<ScreeningDependencies, 'settings'>;
  /** Interview-feedback synthesis for one application (all of its stages that are ready). */
  readonly synthesizeFeedback: (applicationId: number) => Promise<FeedbackRun>;
  /** The candidate's application ids: `scorecard_deleted` names the candidate only. */
  readonly applicationsOf: (candidateId: number) => Promise<number[]>;
  readonly settings: AiSettings;
}

export interface AiTaskReport {
  /** Units by their CloudWatch names (`NoUnit` is CloudWatch's `None`). */
  metric(name: string, unit: 'Count' | 'Milliseconds' | 'NoUnit', value: number): void;
  /** A workflow run ended (`screening done`, `feedback synthesis done`) or nothing ran; ids and outcomes only. */
  info(message: string, fields: Record<string, unknown>): void;
}

export async function runAiTask(event: AiTaskEvent & { readonly deliveryId: string }, deps: AiTaskDependencies, report: AiTaskReport): Promise<void> {
  const route = routeAiTask(event);
  const base = { action: event.action, deliveryId: event.deliveryId, applicationId: event.refs.applicationId };
  const pricing = deps.settings.pricing;
  switch (route.workflow) {
    case 'screening':
      return counted('screening', report, async () => {
        const outcome = await screenApplication(route.applicationId, { ...deps.screening, settings: deps.settings.screening });
        reportScreening(outcome, pricing, report);
        report.info('screening done', {
          ...base,
          outcome: outcome.outcome,
          ...('reason' in outcome ? { reason: outcome.reason } : {}),
          ...('score' in outcome ? { score: outcome.score, mode: outcome.mode, reused: outcome.reused } : {}),
        });
      });
    case 'feedback':
      return synthesize(route.applicationId, base, deps, report);
    case 'feedback-for-candidate':
      for (const id of await deps.applicationsOf(route.candidateId)) await synthesize(id, { ...base, applicationId: String(id) }, deps, report);
      return;
    case 'none':
      report.info('AI task with no workflow to run', base);
  }
}

/** A run that throws counts one error of its workflow, and the message fails (retried, then kept on the DLQ). */
async function counted(workflow: AiWorkflowName, report: AiTaskReport, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    report.metric(aiMetrics(workflow).errors, 'Count', 1);
    throw error;
  }
}

async function synthesize(applicationId: number, base: Record<string, unknown>, deps: AiTaskDependencies, report: AiTaskReport): Promise<void> {
  await counted('feedback', report, async () => {
    const run = await deps.synthesizeFeedback(applicationId);
    for (const inference of run.inferences) reportInference('feedback', inference.usage, inference.latencyMs, deps.settings.pricing, report);
    if (run.failures) report.metric(aiMetrics('feedback').errors, 'Count', run.failures);
    report.info('feedback synthesis done', { ...base, outcome: run.outcome, syntheses: run.inferences.length });
  });
}

function reportInference(workflow: AiWorkflowName, usage: TokenUsage, latencyMs: number, pricing: TokenPricing, report: AiTaskReport): void {
  const m = aiMetrics(workflow);
  report.metric(m.inferences, 'Count', 1);
  report.metric(m.latencyMs, 'Milliseconds', latencyMs);
  report.metric(m.inputTokens, 'Count', usage.inputTokens);
  report.metric(m.outputTokens, 'Count', usage.outputTokens);
  report.metric(m.estimatedCostUsd, 'NoUnit', estimatedCostUsd(usage, pricing));
}

function reportScreening(outcome: ScreeningOutcome, pricing: TokenPricing, report: AiTaskReport): void {
  const m = aiMetrics('screening');
  if (outcome.outcome === 'screened') {
    if (outcome.reused) report.metric(m.reused, 'Count', 1);
    else reportInference('screening', outcome.result.usage, outcome.result.latencyMs, pricing, report);
    report.metric(SCREENING_SCORE_METRIC, 'NoUnit', outcome.score);
  } else if (outcome.outcome === 'not-screenable') report.metric(m.notRun, 'Count', 1);
  else if (outcome.outcome === 'failed') report.metric(m.errors, 'Count', 1);
}
