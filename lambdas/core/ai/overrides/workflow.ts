import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import type { ApplicationStage, JobInterviewStage } from '#core/greenhouse/records';
import { collect } from '#core/async-iterables';
import { isoNow, type Clock } from '#core/clock';
import { entityKey } from '#core/envelope';
import type { AuditStore } from '#core/sync/ports';
import type { AiMemory } from '../ports.ts';
import { optedOut } from '../opt-out.ts';
import type { OptOutSettings, ScreeningSettings } from '../settings.ts';
import type { ScreeningResult } from '../screening/contract.ts';
import { detectOverrides, OVERRIDE_KINDS, type Override, type OverrideKind } from './detect.ts';

/**
 * Reviewer overrides of one screened application (detect.ts says what counts): run on
 * `application_updated`, `candidate_stage_change` and the hourly scorecard poll's `scorecards_changed`.
 * The AI's own output is read from AI memory (`screening#done#<id>` → `screening#result#<key>`), not
 * the Audit, so the consumer keeps its put-only Audit access; an application the bridge never screened
 * costs that one memory read and nothing from Greenhouse. Each new override is one `ai-override` Audit
 * entry (ids, kind, the AI's score, the new value; no reviewer: Greenhouse's webhooks do not say who
 * acted) and is remembered (`overrides#seen#<id>#<kind>`) so it is recorded once.
 *
 * Greenhouse has no webhook for a removed tag: a removed needs-review tag is seen at the application's
 * next update, stage change or scorecard poll. Only assist mode writes anything a person could
 * override, so shadow mode checks nothing. The threshold is the one configured now.
 */
export const OVERRIDES_WORKFLOW = 'overrides';

export interface OverrideDependencies {
  readonly greenhouse: Pick<GreenhouseApi, 'listApplications' | 'getCandidate' | 'listApplicationStages' | 'listJobInterviewStages'>;
  readonly memory: AiMemory;
  readonly audit: AuditStore;
  readonly clock: Clock;
  readonly settings: ScreeningSettings;
  readonly optOut: OptOutSettings;
}

export type OverrideOutcome =
  | { readonly outcome: 'skipped'; readonly reason: 'screening-off' | 'shadow' | 'not-screened' | 'no-ai-score' | 'application-not-found' | 'opted-out' }
  | { readonly outcome: 'checked'; readonly overrides: readonly Override[] };

export const seenKey = (applicationId: number, kind: OverrideKind) => `overrides#seen#${applicationId}#${kind}`;

export async function checkOverrides(applicationId: number, deps: OverrideDependencies): Promise<OverrideOutcome> {
  const { settings, memory, greenhouse } = deps;
  if (!settings.enabled) return { outcome: 'skipped', reason: 'screening-off' };
  const reuseKey = await memory.get<string>(`screening#done#${applicationId}`);
  if (reuseKey === undefined) return { outcome: 'skipped', reason: 'not-screened' };
  if (settings.mode !== 'assist') return { outcome: 'skipped', reason: 'shadow' };
  // A failed screening leaves the done marker but no result: nothing was written to override.
  const result = await memory.get<ScreeningResult>(`screening#result#${reuseKey}`);
  if (result === undefined) return { outcome: 'skipped', reason: 'no-ai-score' };

  const seen = new Set<OverrideKind>();
  for (const kind of OVERRIDE_KINDS) if ((await memory.get<boolean>(seenKey(applicationId, kind))) !== undefined) seen.add(kind);
  if (seen.size === OVERRIDE_KINDS.length) return { outcome: 'checked', overrides: [] };

  const [application] = await collect(greenhouse.listApplications({ ids: [applicationId] }));
  if (!application) return { outcome: 'skipped', reason: 'application-not-found' };
  const candidate = await greenhouse.getCandidate(application.candidate_id);
  if (optedOut(candidate, deps.optOut)) return { outcome: 'skipped', reason: 'opted-out' };

  const below = result.score < settings.threshold;
  const tag = settings.needsReviewTag.toLowerCase();
  const stages =
    below && !seen.has('advanced-below-threshold') && application.status === 'in_process' && application.job_id != null
      ? await stageOrders(greenhouse, applicationId, application.job_id, application.job_interview_stage_id ?? undefined)
      : { screened: undefined, current: undefined };
  const overrides = detectOverrides(
    { score: result.score, threshold: settings.threshold },
    {
      scoreField: application.custom_fields?.[settings.scoreField]?.value,
      needsReviewTagPresent: (candidate?.tags ?? []).some((t) => t.trim().toLowerCase() === tag),
      status: application.status,
      screenedStageOrder: stages.screened,
      currentStageOrder: stages.current,
    },
    seen,
  );

  for (const override of overrides) {
    await deps.audit.record({
      kind: 'ai-override',
      entityKey: entityKey('greenhouse', 'application', applicationId),
      summary: `Reviewer override (${override.kind}) of the AI screening score ${override.aiScore}: ${describe(override)}.`,
      detail: {
        workflow: OVERRIDES_WORKFLOW,
        applicationId,
        candidateId: application.candidate_id,
        jobId: application.job_id ?? null,
        override: override.kind,
        aiScore: override.aiScore,
        threshold: settings.threshold,
        newValue: override.newValue,
      },
      at: isoNow(deps.clock),
    });
    // After the entry: a crash between the two records it again on retry rather than never.
    await memory.put(seenKey(applicationId, override.kind), true);
  }
  return { outcome: 'checked', overrides };
}

function describe(override: Override): string {
  switch (override.kind) {
    case 'score-changed':
      return override.newValue === null ? 'the score field was cleared' : `the score field now holds ${override.newValue}`;
    case 'needs-review-removed':
      return 'the needs-review tag was removed';
    case 'advanced-below-threshold':
      return override.newValue === 'hired' ? 'the application was hired although scored below the threshold' : 'the application moved to a later stage although scored below the threshold';
  }
}

/**
 * The job-stage order the application entered at (where screening ran, on `new_candidate_application`)
 * and the one it is at now; a stage without `sort_order` takes its place in the job's list.
 */
async function stageOrders(
  greenhouse: OverrideDependencies['greenhouse'],
  applicationId: number,
  jobId: number,
  currentStageId: number | undefined,
): Promise<{ screened: number | undefined; current: number | undefined }> {
  const jobStages: JobInterviewStage[] = await collect(greenhouse.listJobInterviewStages([jobId]));
  const order = new Map(jobStages.map((stage, index) => [stage.id, stage.sort_order ?? index]));
  const visits: ApplicationStage[] = await collect(greenhouse.listApplicationStages({ application_ids: [applicationId] }));
  const time = (visit: ApplicationStage) => Date.parse(visit.entered_at ?? visit.created_at ?? '') || Number.POSITIVE_INFINITY;
  const first = [...visits].sort((a, b) => time(a) - time(b) || a.id - b.id)[0];
  const orderOf = (stageId: number | null | undefined) => (stageId == null ? undefined : order.get(stageId));
  return { screened: orderOf(first?.job_interview_stage_id), current: orderOf(currentStageId) };
}
