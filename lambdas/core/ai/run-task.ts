import { aiMetrics, SCREENING_OVERRIDE_METRICS, SCREENING_SCORE_METRIC, type AiWorkflowName } from '#core/metrics';
import type { TokenUsage } from './model.ts';
import { estimatedCostUsd, type TokenPricing } from './pricing.ts';
import { routeAiTask, type AiTaskEvent, type RediscoveryTrigger } from './route-task.ts';
import type { IndexRemoval } from './rediscovery/index-removal.ts';
import type { IndexSyncResult } from './rediscovery/index-sync.ts';
import type { RediscoveryOutcome } from './rediscovery/workflow.ts';
import type { JobDescriptionOutcome } from './jd/workflow.ts';
import type { OfferChecksOutcome } from './offers/workflow.ts';
import type { AiSettings } from './settings.ts';
import { screenApplication, type ScreeningDependencies, type ScreeningOutcome } from './screening/workflow.ts';
import type { OverrideOutcome } from './overrides/workflow.ts';

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

/** Candidate rediscovery's three entry points (lambdas/core/ai/rediscovery/). */
export interface RediscoveryRuns {
  forJob(jobId: number, trigger: RediscoveryTrigger): Promise<RediscoveryOutcome>;
  syncCandidate(candidateId: number): Promise<IndexSyncResult>;
  remove(removal: IndexRemoval): Promise<{ readonly survivor?: IndexSyncResult }>;
}

export interface AiTaskDependencies {
  readonly screening: Omit<ScreeningDependencies, 'settings'>;
  /** Interview-feedback synthesis for one application (all of its stages that are ready). */
  readonly synthesizeFeedback: (applicationId: number) => Promise<FeedbackRun>;
  /** The candidate's application ids: `scorecard_deleted` names the candidate only. */
  readonly applicationsOf: (candidateId: number) => Promise<number[]>;
  /** Absent when rediscovery is off: its index and embedder are then not built. */
  readonly rediscovery?: RediscoveryRuns;
  readonly draftJobDescription: (jobId: number) => Promise<JobDescriptionOutcome>;
  readonly checkOffer: (offerId: number) => Promise<OfferChecksOutcome>;
  /** Reviewer overrides of one screened application (overrides/workflow.ts); run only while screening is on. */
  readonly checkOverrides: (applicationId: number) => Promise<OverrideOutcome>;
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
      await synthesize(route.applicationId, base, deps, report);
      return checkOverrides(route.applicationId, base, deps, report);
    case 'overrides':
      return checkOverrides(route.applicationId, base, deps, report);
    case 'feedback-for-candidate':
      for (const id of await deps.applicationsOf(route.candidateId)) await synthesize(id, { ...base, applicationId: String(id) }, deps, report);
      return;
    case 'job': {
      const jobBase = { action: event.action, deliveryId: event.deliveryId, jobId: route.jobId };
      const ran = [
        route.draftDescription && deps.settings.jobDescriptions.enabled ? await draftDescription(route.jobId, jobBase, deps, report) : false,
        deps.rediscovery && deps.settings.rediscovery.enabled ? await rediscover(route.jobId, route.trigger, jobBase, deps.rediscovery, report) : false,
      ];
      if (!ran.some(Boolean)) report.info('AI task with no workflow to run', { ...jobBase, reason: 'workflows-off' });
      return;
    }
    case 'index-sync':
    case 'index-remove':
      if (!deps.rediscovery || !deps.settings.rediscovery.enabled) return report.info('AI task with no workflow to run', { ...base, reason: 'rediscovery-off' });
      return route.workflow === 'index-sync' ? syncIndex(route.candidateId, base, deps.rediscovery, report) : removeFromIndex(route, base, deps.rediscovery, report);
    case 'offer':
      if (!deps.settings.offers.enabled) return report.info('AI task with no workflow to run', { ...base, offerId: route.offerId, reason: 'offers-off' });
      return checkOffer(route.offerId, base, deps, report);
    case 'none':
      report.info('AI task with no workflow to run', base);
  }
}

/** Reviewer overrides: one count per new override of its kind; an application never screened is a memory read, and no log line. */
async function checkOverrides(applicationId: number, base: Record<string, unknown>, deps: AiTaskDependencies, report: AiTaskReport): Promise<void> {
  if (!deps.settings.screening.enabled) return;
  await counted('screening', report, async () => {
    const outcome = await deps.checkOverrides(applicationId);
    if (outcome.outcome === 'skipped' && outcome.reason === 'not-screened') return;
    const overrides = outcome.outcome === 'checked' ? outcome.overrides : [];
    for (const override of overrides) report.metric(SCREENING_OVERRIDE_METRICS[override.kind], 'Count', 1);
    report.info('override check done', {
      ...base,
      applicationId,
      outcome: outcome.outcome,
      ...('reason' in outcome ? { reason: outcome.reason } : {}),
      overrides: overrides.map((o) => o.kind),
    });
  });
}

async function checkOffer(offerId: number, base: Record<string, unknown>, deps: AiTaskDependencies, report: AiTaskReport): Promise<void> {
  await counted('offers', report, async () => {
    const outcome = await deps.checkOffer(offerId);
    const m = aiMetrics('offers');
    if (outcome.outcome === 'checked') {
      report.metric(m.inferences, 'Count', 1);
      report.metric(m.items, 'Count', outcome.checks.filter((c) => !c.passed).length);
    } else if (outcome.outcome === 'already-checked') report.metric(m.reused, 'Count', 1);
    // A skip (out of scope, a superseded or resolved version) counts nothing, as screening's does.
    report.info('offer checks done', {
      ...base,
      offerId,
      outcome: outcome.outcome,
      ...('reason' in outcome ? { reason: outcome.reason } : {}),
      ...(outcome.outcome === 'checked' ? { mode: outcome.mode, failed: outcome.checks.filter((c) => !c.passed).map((c) => c.check), approvals: outcome.approvals.kind } : {}),
    });
  });
}

async function draftDescription(jobId: number, base: Record<string, unknown>, deps: AiTaskDependencies, report: AiTaskReport): Promise<true> {
  await counted('jobDescription', report, async () => {
    const outcome = await deps.draftJobDescription(jobId);
    const m = aiMetrics('jobDescription');
    let findings: number | undefined;
    if (outcome.outcome === 'drafted') {
      reportInference('jobDescription', outcome.usage, outcome.latencyMs, deps.settings.pricing, report);
      findings = outcome.checks.reduce((n, check) => n + check.findings.length, 0);
      report.metric(m.items, 'Count', findings);
    } else if (outcome.outcome === 'already-drafted') report.metric(m.reused, 'Count', 1);
    // The drafter's answer could not be used: audited, nothing written, the message done.
    else if (outcome.outcome === 'failed') report.metric(m.errors, 'Count', 1);
    report.info('job description done', {
      ...base,
      outcome: outcome.outcome,
      ...('reason' in outcome ? { reason: outcome.reason } : {}),
      ...(outcome.outcome === 'drafted' ? { mode: outcome.mode, findings, noteWritten: outcome.noteWritten, postsPatched: outcome.posts.patched.length } : {}),
    });
  });
  return true;
}

async function rediscover(jobId: number, trigger: RediscoveryTrigger, base: Record<string, unknown>, runs: RediscoveryRuns, report: AiTaskReport): Promise<true> {
  await counted('rediscovery', report, async () => {
    const outcome = await runs.forJob(jobId, trigger);
    const m = aiMetrics('rediscovery');
    if (outcome.outcome === 'suggested') {
      reportEmbedding('rediscovery', outcome, outcome.latencyMs, report);
      report.metric(m.items, 'Count', outcome.suggestions.length);
      if (outcome.alreadySuggested) report.metric(m.reused, 'Count', 1);
    } else if (outcome.outcome === 'not-runnable') report.metric(m.notRun, 'Count', 1);
    report.info('rediscovery done', {
      ...base,
      trigger,
      outcome: outcome.outcome,
      ...('reason' in outcome ? { reason: outcome.reason } : {}),
      ...(outcome.outcome === 'suggested' ? { mode: outcome.mode, suggested: outcome.suggestions.length, noteWritten: outcome.noteWritten, alreadySuggested: outcome.alreadySuggested } : {}),
    });
  });
  return true;
}

async function syncIndex(candidateId: number, base: Record<string, unknown>, runs: RediscoveryRuns, report: AiTaskReport): Promise<void> {
  await counted('rediscoveryIndex', report, async () => {
    const started = performance.now();
    const result = await runs.syncCandidate(candidateId);
    reportIndexSync(result, performance.now() - started, report);
    report.info('rediscovery index synced', { ...base, candidateId, embedded: result.embedded.length, refreshed: result.refreshed.length, unchanged: result.unchanged, removed: result.removed.map((r) => r.reason) });
  });
}

async function removeFromIndex(removal: IndexRemoval, base: Record<string, unknown>, runs: RediscoveryRuns, report: AiTaskReport): Promise<void> {
  await counted('rediscoveryIndex', report, async () => {
    const started = performance.now();
    const { survivor } = await runs.remove(removal);
    report.metric(aiMetrics('rediscoveryIndex').notRun, 'Count', 1);
    if (survivor) reportIndexSync(survivor, performance.now() - started, report);
    report.info('removed from the rediscovery index', { ...base, candidateId: removal.candidateId, reason: removal.reason, ...(removal.survivorId !== undefined ? { survivorId: removal.survivorId } : {}) });
  });
}

/** Index upkeep: `Items` the profiles embedded, `Reused` the unchanged ones, `NotRun` the candidates removed; latency is the whole sync's. */
function reportIndexSync(result: IndexSyncResult, latencyMs: number, report: AiTaskReport): void {
  const m = aiMetrics('rediscoveryIndex');
  if (result.embedded.length) {
    reportEmbedding('rediscoveryIndex', result, latencyMs, report);
    report.metric(m.items, 'Count', result.embedded.length);
  }
  if (result.unchanged) report.metric(m.reused, 'Count', result.unchanged);
  if (result.removed.length) report.metric(m.notRun, 'Count', result.removed.length);
}

/** An embedding call: input tokens only, and the embedding model's own price (pricing.ts), not the language model's. */
function reportEmbedding(
  workflow: 'rediscovery' | 'rediscoveryIndex',
  embedding: { readonly usage?: { readonly inputTokens: number }; readonly estimatedCostUsd?: number },
  latencyMs: number,
  report: AiTaskReport,
): void {
  const m = aiMetrics(workflow);
  report.metric(m.inferences, 'Count', 1);
  report.metric(m.latencyMs, 'Milliseconds', latencyMs);
  report.metric(m.inputTokens, 'Count', embedding.usage?.inputTokens ?? 0);
  report.metric(m.outputTokens, 'Count', 0);
  report.metric(m.estimatedCostUsd, 'NoUnit', embedding.estimatedCostUsd ?? 0);
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
