import { createHash } from 'node:crypto';
import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import { collect } from '#core/async-iterables';
import { isoNow, type Clock } from '#core/clock';
import { entityKey } from '#core/envelope';
import type { AuditStore } from '#core/sync/ports';
import { gatedApplication } from '../gated-application.ts';
import { candidateNames } from '../minimise.ts';
import { GuardrailIntervened, ModelAnswerInvalid, type TokenUsage } from '../model.ts';
import type { AiMemory } from '../ports.ts';
import { inferenceAuditFields } from '../provenance.ts';
import type { FeedbackSettings, OptOutSettings } from '../settings.ts';
import { FEEDBACK_PROMPT_VERSION, FEEDBACK_WORKFLOW, type FeedbackResult, type FeedbackSynthesisProvider } from './contract.ts';
import { feedbackInputFor } from './input.ts';
import { renderFeedbackNote } from './note.ts';
import { stagesReadyForSynthesis, type ScorecardRating, type StageFeedback } from './stages.ts';
import { recordOptedOut } from '../opt-out.ts';

/**
 * Interview-feedback synthesis for one application: read its scorecards and the chain that places each
 * in a stage (scorecard → interview kit → job interview → stage), and for every stage whose feedback is
 * all in, write one private note, unless this exact set of scorecards was already synthesised.
 * Triggered by `candidate_stage_change` and the hourly scorecard poll; never moves, rejects or advances
 * anything.
 */
export interface FeedbackDependencies {
  readonly greenhouse: Pick<
    GreenhouseApi,
    | 'listApplications'
    | 'listJobs'
    | 'listScorecards'
    | 'listInterviewKits'
    | 'listJobInterviews'
    | 'listJobInterviewStages'
    | 'listInterviews'
    | 'listUsers'
    | 'getCandidate'
    | 'createNote'
  >;
  readonly provider: FeedbackSynthesisProvider;
  readonly memory: AiMemory;
  readonly audit: AuditStore;
  readonly clock: Clock;
  readonly settings: FeedbackSettings;
  /** Who opted out of AI review (`ai.optOut`). */
  readonly optOut: OptOutSettings;
  readonly noteAuthorId?: number;
}

export interface FeedbackRunResult {
  readonly outcome: 'skipped' | 'nothing-ready' | 'synthesised';
  readonly reason?: string;
  /** One per synthesis made in this run. */
  readonly inferences: readonly { readonly stageId: number; readonly usage: TokenUsage; readonly latencyMs: number }[];
  /** Stages whose set was already synthesised. */
  readonly unchanged: number;
  readonly failures: number;
}

const RATINGS = new Set<ScorecardRating>(['strong_no', 'no', 'yes', 'strong_yes', 'no_decision']);
const ratingOf = (value: string | null | undefined): ScorecardRating => (RATINGS.has(value as ScorecardRating) ? (value as ScorecardRating) : 'no_decision');
const skipped = (reason: string): FeedbackRunResult => ({ outcome: 'skipped', reason, inferences: [], unchanged: 0, failures: 0 });

export async function synthesizeFeedback(applicationId: number, deps: FeedbackDependencies): Promise<FeedbackRunResult> {
  const { greenhouse } = deps;
  const gate = await gatedApplication(greenhouse, deps.settings, FEEDBACK_WORKFLOW, applicationId, deps.optOut);
  if (!gate.run) {
    if (gate.reason === 'opted-out') await recordOptedOut(deps, FEEDBACK_WORKFLOW, applicationId);
    return skipped(gate.reason);
  }
  const { application, job, candidate } = gate;

  const scorecards = (await collect(greenhouse.listScorecards({ application_ids: [applicationId] }))).map((s) => ({
    id: s.id,
    applicationId: s.application_id ?? applicationId,
    interviewKitId: s.interview_kit_id ?? null,
    interviewerId: s.interviewer_id ?? s.submitter_id ?? null,
    rating: ratingOf(s.candidate_rating),
    status: s.status === 'complete' ? ('complete' as const) : ('draft' as const),
    submittedAt: s.submitted_at ?? null,
    updatedAt: s.updated_at ?? '',
    notes: s.notes ?? null,
    privateNotes: s.private_notes ?? null,
    publicNotes: s.public_notes ?? null,
  }));
  if (scorecards.length === 0) return { outcome: 'nothing-ready', inferences: [], unchanged: 0, failures: 0 };

  const kitIds = [...new Set(scorecards.flatMap((s) => (s.interviewKitId === null ? [] : [s.interviewKitId])))];
  const kits = (await collect(greenhouse.listInterviewKits({ ids: kitIds }))).flatMap((k) => (k.job_interview_id == null ? [] : [{ id: k.id, jobInterviewId: k.job_interview_id }]));
  const scheduled = await collect(greenhouse.listInterviews({ application_ids: [applicationId] }));
  const jobInterviewIds = [...new Set([...kits.map((k) => k.jobInterviewId), ...scheduled.flatMap((i) => (i.job_interview_id == null ? [] : [i.job_interview_id]))])];
  const jobInterviews = (await collect(greenhouse.listJobInterviews({ ids: jobInterviewIds }))).flatMap((j) =>
    j.job_interview_stage_id == null ? [] : [{ id: j.id, stageId: j.job_interview_stage_id, name: j.name ?? 'Interview' }],
  );
  const stages = (await collect(greenhouse.listJobInterviewStages([job.id]))).map((s) => ({ id: s.id, name: s.name ?? `Stage ${s.id}` }));

  const readiness = stagesReadyForSynthesis({
    applicationId,
    scorecards,
    interviewKits: kits,
    jobInterviews,
    stages,
    scheduledInterviews: scheduled.map((i) => ({ id: i.id, jobInterviewId: i.job_interview_id ?? null, status: i.status ?? 'unknown' })),
  });
  if (readiness.ready.length === 0) return { outcome: 'nothing-ready', inferences: [], unchanged: 0, failures: 0 };

  const interviewerIds = [...new Set(scorecards.flatMap((s) => (s.interviewerId === null ? [] : [s.interviewerId])))];
  const interviewerNames = new Map((await collect(greenhouse.listUsers({ ids: interviewerIds }))).map((u) => [u.id, u.name ?? ([u.first_name, u.last_name].filter(Boolean).join(' ') || `User ${u.id}`)] as const));
  const names = candidateNames(candidate);
  const jobTitle = job.name ?? 'Untitled job';

  const inferences: FeedbackRunResult['inferences'][number][] = [];
  let unchanged = 0;
  let failures = 0;
  for (const stage of readiness.ready) {
    const doneKey = `feedback#done#${applicationId}#${stage.stageId}`;
    if ((await deps.memory.get<string>(doneKey)) === stage.setKey) {
      unchanged++;
      continue;
    }
    const outcome = await synthesizeStage(stage, { applicationId, jobId: job.id, candidateId: application.candidate_id, jobTitle, candidateNames: names, interviewerNames, mode: gate.mode }, deps);
    if (outcome === 'failed') failures++;
    else inferences.push({ stageId: stage.stageId, usage: outcome.usage, latencyMs: outcome.latencyMs });
    await deps.memory.put(doneKey, stage.setKey);
  }
  return { outcome: inferences.length || failures ? 'synthesised' : 'nothing-ready', inferences, unchanged, failures };
}

interface StageContext {
  readonly applicationId: number;
  readonly jobId: number;
  readonly candidateId: number;
  readonly jobTitle: string;
  readonly candidateNames: readonly string[];
  readonly interviewerNames: ReadonlyMap<number, string>;
  readonly mode: 'shadow' | 'assist';
}

async function synthesizeStage(stage: StageFeedback, context: StageContext, deps: FeedbackDependencies): Promise<FeedbackResult | 'failed'> {
  const prepared = feedbackInputFor(stage, { jobTitle: context.jobTitle, candidateNames: context.candidateNames, interviewerNames: context.interviewerNames });
  const at = isoNow(deps.clock);
  const auditKey = entityKey('greenhouse', 'application', context.applicationId);
  // The hash of exactly what the provider was given (pseudonymised, minimised), never the text itself.
  const inputHash = createHash('sha256').update(JSON.stringify(prepared.input)).digest('hex');
  const ids = { workflow: FEEDBACK_WORKFLOW, applicationId: context.applicationId, jobId: context.jobId, stageId: stage.stageId, mode: context.mode, scorecards: stage.scorecards.length, scorecardSet: stage.setKey, inputHash };
  let result: FeedbackResult;
  try {
    result = await deps.provider.synthesize(prepared.input);
  } catch (error) {
    if (!(error instanceof ModelAnswerInvalid || error instanceof GuardrailIntervened)) throw error;
    await deps.audit.record({
      kind: 'ai-failed',
      entityKey: auditKey,
      summary: `Feedback synthesis for stage ${stage.stageId} failed: ${error.message}. No note was written.`,
      detail: { ...ids, provider: deps.provider.provider, model: deps.provider.model, promptVersion: FEEDBACK_PROMPT_VERSION, error: error.name },
      at,
    });
    return 'failed';
  }
  await deps.audit.record({
    kind: 'ai-inference',
    entityKey: auditKey,
    summary: `Feedback synthesis for stage ${stage.stageId} (${stage.scorecards.length} scorecards) by ${result.provider}/${result.model} (${result.promptVersion}).`,
    detail: { ...ids, ...inferenceAuditFields(result), removed: JSON.stringify(prepared.removed) },
    at,
  });
  if (context.mode === 'assist') {
    await deps.greenhouse.createNote({
      candidate_id: context.candidateId,
      application_id: context.applicationId,
      visibility: 'private',
      body: renderFeedbackNote(result, { stageName: stage.stageName, labels: prepared.labels, scorecardCount: stage.scorecards.length }),
      ...(deps.noteAuthorId !== undefined ? { user_id: deps.noteAuthorId } : {}),
    });
  }
  return result;
}
