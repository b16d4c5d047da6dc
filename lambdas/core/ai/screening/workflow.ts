import { createHash } from 'node:crypto';
import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import { isoNow, type Clock } from '#core/clock';
import { collect } from '#core/async-iterables';
import { entityKey } from '#core/envelope';
import type { AuditStore } from '#core/sync/ports';
import { gatedApplication } from '../gated-application.ts';
import { inSample } from '../gating.ts';
import { candidateNames, minimiseResume } from '../minimise.ts';
import { GuardrailIntervened, ModelAnswerInvalid } from '../model.ts';
import type { AiMemory, ExtractResumeText } from '../ports.ts';
import { inferenceAuditFields } from '../provenance.ts';
import type { ScreeningSettings, OptOutSettings } from '../settings.ts';
import { SCREENING_PROMPT_VERSION, type ScreeningProvider, type ScreeningResult } from './contract.ts';
import { jobPostRequirements } from './job-requirements.ts';
import { newestResume } from '../newest-resume.ts';
import { screeningNote } from './note.ts';
import { recordOptedOut } from '../opt-out.ts';

/**
 * Resume screening of one application: gate → read the application, job, job post and resume → minimise
 * → screen (or reuse) → audit → write back (assist mode only). It writes a custom field, a private note
 * and tags, and nothing else: no code here moves, rejects or advances an application (a test reads the
 * whole AI tree for such calls).
 */
export const SCREENING_WORKFLOW = 'screening';

export interface ScreeningDependencies {
  readonly greenhouse: Pick<
    GreenhouseApi,
    'listApplications' | 'listJobs' | 'listJobPosts' | 'listAttachments' | 'downloadAttachment' | 'getCandidate' | 'updateApplicationCustomFields' | 'createNote' | 'addTag'
  >;
  readonly provider: ScreeningProvider;
  readonly extractText: ExtractResumeText;
  readonly memory: AiMemory;
  readonly audit: AuditStore;
  readonly clock: Clock;
  readonly settings: ScreeningSettings;
  /** Who opted out of AI review (`ai.optOut`). */
  readonly optOut: OptOutSettings;
  /** The Harvest user notes are written as (the token's `sub` when absent). */
  readonly noteAuthorId?: number;
}

export type ScreeningOutcome =
  | { readonly outcome: 'skipped'; readonly reason: string }
  | { readonly outcome: 'already-screened' }
  | { readonly outcome: 'not-screenable'; readonly reason: string }
  | { readonly outcome: 'failed'; readonly reason: string }
  | {
      readonly outcome: 'screened';
      readonly mode: 'shadow' | 'assist';
      readonly reused: boolean;
      readonly score: number;
      readonly needsReview: boolean;
      readonly reviewSample: boolean;
      readonly result: ScreeningResult;
    };

export const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** What makes two screenings the same: the resume's bytes, the job as screened, the prompt and the model. */
export function screeningReuseKey(parts: { resumeHash: string; jobVersion: string; promptVersion: string; provider: string; model: string }): string {
  return sha256([parts.resumeHash, parts.jobVersion, parts.promptVersion, parts.provider, parts.model].join('\n'));
}

export function jobVersion(jobTitle: string, requirements: readonly string[]): string {
  return sha256([jobTitle, ...requirements].join('\n'));
}

export async function screenApplication(applicationId: number, deps: ScreeningDependencies): Promise<ScreeningOutcome> {
  const { greenhouse, settings } = deps;
  const auditKey = entityKey('greenhouse', 'application', applicationId);
  const now = () => isoNow(deps.clock);

  const gate = await gatedApplication(greenhouse, settings, SCREENING_WORKFLOW, applicationId, deps.optOut);
  if (!gate.run) {
    if (gate.reason === 'opted-out') await recordOptedOut(deps, SCREENING_WORKFLOW, applicationId);
    return { outcome: 'skipped', reason: gate.reason };
  }
  const { application, job, candidate } = gate;

  const ids = { applicationId, jobId: job.id, mode: gate.mode };
  const notScreenable = async (reason: string): Promise<ScreeningOutcome> => {
    await deps.audit.record({
      kind: 'ai-not-screenable',
      entityKey: auditKey,
      summary: `Screening not run: ${reason}. Nothing was guessed or written back.`,
      detail: { workflow: SCREENING_WORKFLOW, ...ids, reason },
      at: now(),
    });
    return { outcome: 'not-screenable', reason };
  };

  const posts = await collect(greenhouse.listJobPosts({ job_ids: [job.id] }));
  const { jobTitle, requirements } = jobPostRequirements(posts, job, application.job_post_id);
  if (requirements.length === 0) return notScreenable('no-job-post-requirements');

  // The newest resume on the application; its signed URL is fetched at once and never stored.
  const resume = newestResume(await collect(greenhouse.listAttachments({ application_ids: [applicationId], type: 'resume' })));
  if (!resume) return notScreenable('no-resume');
  const file = await greenhouse.downloadAttachment(resume);
  const resumeHash = sha256(file.bytes);

  const reuseKey = screeningReuseKey({
    resumeHash,
    jobVersion: jobVersion(jobTitle, requirements),
    promptVersion: SCREENING_PROMPT_VERSION,
    provider: deps.provider.provider,
    model: deps.provider.model,
  });
  const doneKey = `screening#done#${applicationId}`;
  // A redelivered webhook or a retried message: this exact screening is already written (or audited, in shadow mode).
  if ((await deps.memory.get<string>(doneKey)) === reuseKey) return { outcome: 'already-screened' };

  const resultKey = `screening#result#${reuseKey}`;
  let result = await deps.memory.get<ScreeningResult>(resultKey);
  const reused = result !== undefined;
  const inputHash = reuseKey;
  if (result) {
    await deps.audit.record({
      kind: 'ai-reused',
      entityKey: auditKey,
      summary: `Screening score ${result.score} reused from an earlier inference with the same resume, job version, prompt and model.`,
      detail: auditDetail(result, { ...ids, inputHash, reused: true }),
      at: now(),
    });
  } else {
    const extracted = await deps.extractText({ bytes: file.bytes, contentType: file.contentType, ...(resume.filename ? { filename: resume.filename } : {}) });
    if (extracted.kind === 'not-screenable') return notScreenable(`resume ${extracted.reason}`);
    const minimised = minimiseResume(extracted.text, { names: candidateNames(candidate) });
    try {
      result = await deps.provider.screen({ jobTitle, requirements, resumeText: minimised.text });
    } catch (error) {
      if (error instanceof ModelAnswerInvalid || error instanceof GuardrailIntervened) {
        await deps.audit.record({
          kind: 'ai-failed',
          entityKey: auditKey,
          summary: `Screening failed: ${error.message}. Nothing was written back.`,
          detail: { workflow: SCREENING_WORKFLOW, ...ids, provider: deps.provider.provider, model: deps.provider.model, promptVersion: SCREENING_PROMPT_VERSION, inputHash, error: error.name },
          at: now(),
        });
        await deps.memory.put(doneKey, reuseKey);
        return { outcome: 'failed', reason: error.name };
      }
      throw error;
    }
    await deps.memory.put(resultKey, result);
    await deps.audit.record({
      kind: 'ai-inference',
      entityKey: auditKey,
      summary: `Screening score ${result.score} by ${result.provider}/${result.model} (${result.promptVersion}).`,
      detail: auditDetail(result, {
        ...ids,
        inputHash,
        reused: false,
        resumeFormat: extracted.format,
        requirements: requirements.length,
        removed: JSON.stringify(minimised.removed),
      }),
      at: now(),
    });
  }

  const needsReview = result.score < settings.threshold;
  const reviewSample = inSample(String(applicationId), 'screening-review-sample', settings.reviewSamplePercent);
  if (gate.mode === 'assist') {
    // The field and the tags are safe to write twice; the note is not, so it goes last: a failure
    // before it retries everything (the result is reused, not inferred again), and nothing but the
    // done marker follows it.
    await greenhouse.updateApplicationCustomFields(applicationId, [{ name_key: settings.scoreField, value: result.score }]);
    if (needsReview) await greenhouse.addTag(application.candidate_id, settings.needsReviewTag);
    if (reviewSample) await greenhouse.addTag(application.candidate_id, settings.reviewSampleTag);
    await greenhouse.createNote({
      candidate_id: application.candidate_id,
      application_id: applicationId,
      visibility: 'private',
      body: screeningNote(result, { jobTitle, threshold: settings.threshold }),
      ...(deps.noteAuthorId !== undefined ? { user_id: deps.noteAuthorId } : {}),
    });
  }
  await deps.memory.put(doneKey, reuseKey);
  return { outcome: 'screened', mode: gate.mode, reused, score: result.score, needsReview, reviewSample, result };
}

/** The audit item's detail: ids, provenance, usage and the output as JSON (evidence quotes included; never the resume). */
function auditDetail(result: ScreeningResult, extra: Record<string, string | number | boolean> & { reused: boolean }): Record<string, string | number | boolean> {
  return { workflow: SCREENING_WORKFLOW, ...extra, ...inferenceAuditFields(result, { reused: extra.reused }), score: result.score };
}
