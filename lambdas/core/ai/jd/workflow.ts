import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import type { JobPost } from '#core/greenhouse/records';
import { ApiError, Unsupported } from '#core/api-errors';
import { collect } from '#core/async-iterables';
import { isoNow, type Clock } from '#core/clock';
import { entityKey } from '#core/envelope';
import type { AuditStore } from '#core/sync/ports';
import { decideGate, jobViewOf } from '../gating.ts';
import { GuardrailIntervened, ModelAnswerInvalid, type TokenUsage } from '../model.ts';
import type { AiMemory } from '../ports.ts';
import type { Embedder } from '../rediscovery/ports.ts';
import type { JobDescriptionSettings, PayTransparencySettings } from '../settings.ts';
import { sha256 } from '../screening/workflow.ts';
import { JOB_NOTES_CAPABILITY, completeBrief, jobFacts, type BriefReads } from './brief.ts';
import { checkDraft, checksSummary, type CheckResult } from './checks.ts';
import { draftHtml, draftWords, type JobDescriptionDraft } from './draft.ts';
import { jobDescriptionNote, type JobPostsWritten } from './note.ts';
import { requiredJurisdictions } from './pay-range.ts';
import type { CompanyCorpus, DrafterProvenance, InclusiveLanguage, JobBrief, JobDescriptionDrafter } from './ports.ts';
import { findSimilarPosts } from './similar-posts.ts';

/**
 * A job-description draft for one job: read the job → gate → brief (the job minimised, its most
 * similar past posts, the company corpus) → draft → checks, always, before anything is written →
 * audit → in assist mode, one private job note with the draft and its checks and, only with
 * `writeJobPost` and every check passed, the content of the job's posts that are not live. Never
 * publishes: a post read as live (or of unknown state) is never sent a write, and the client refuses
 * one that went live since (JobPostLive), which is recorded, not retried.
 */
export const JD_WORKFLOW = 'job-description';

export interface JobDescriptionDependencies {
  readonly greenhouse: BriefReads & Pick<GreenhouseApi, 'listJobs' | 'listJobPosts' | 'createJobNote' | 'updateJobPost'>;
  readonly drafter: JobDescriptionDrafter;
  /** Finds the similar past posts (the rediscovery embedder: offline or Bedrock). */
  readonly embedder: Embedder;
  readonly corpus: CompanyCorpus;
  /** alex, loaded when a draft is first checked (lambdas/adapters/ai/inclusive-language-loader.ts). */
  readonly inclusiveLanguage: () => Promise<InclusiveLanguage>;
  readonly memory: AiMemory;
  readonly audit: AuditStore;
  readonly clock: Clock;
  readonly settings: JobDescriptionSettings;
  /** Which offices' jobs must show a pay range, and the job field holding it (`ai.payTransparency`). */
  readonly payTransparency: PayTransparencySettings;
  /** The Harvest user the note is written as (the token's `sub` when absent). */
  readonly noteAuthorId?: number;
}

export type JobDescriptionOutcome =
  | { readonly outcome: 'skipped'; readonly reason: string }
  /** This exact draft (same brief, drafter and mode) was already written, or audited in shadow mode. */
  | { readonly outcome: 'already-drafted'; readonly jobId: number }
  | { readonly outcome: 'failed'; readonly jobId: number; readonly reason: string }
  | {
      readonly outcome: 'drafted';
      readonly mode: 'shadow' | 'assist';
      readonly jobId: number;
      readonly draft: JobDescriptionDraft;
      readonly checks: readonly CheckResult[];
      readonly noteWritten: boolean;
      /** `unsupported`: the tenant has no job notes; nothing was written. */
      readonly jobNotes: 'available' | 'unsupported';
      readonly posts: JobPostsWritten;
      /** Jurisdictions whose rules asked for a pay range (pay-range.ts). */
      readonly payRangeRequiredIn: readonly string[];
      readonly provenance: DrafterProvenance;
      /** The drafter's tokens and wall time, for the metrics (zero for the offline drafter). */
      readonly usage: TokenUsage;
      readonly latencyMs: number;
    };

/** What makes two drafts the same: everything the drafter and the checks read, the drafter, the write rules and the mode. */
export function draftHash(parts: {
  brief: JobBrief;
  draftInputs: Pick<JobDescriptionDraft, 'eeoStatement' | 'payRange'>;
  payRangeRequiredIn: readonly string[];
  posts: readonly Pick<JobPost, 'id' | 'live'>[];
  writeJobPost: boolean;
  provenance: DrafterProvenance;
  mode: string;
}): string {
  return sha256(JSON.stringify({ ...parts, posts: parts.posts.map((p) => [p.id, p.live ?? null]) }));
}

/** The client's refusal to write a live post (lambdas/adapters/greenhouse/client.ts), known by name: the core does not import adapters. */
const isJobPostLive = (error: unknown) => error instanceof ApiError && error.name === 'JobPostLive';
const isJobNotesUnsupported = (error: unknown) => error instanceof Unsupported && error.capability === JOB_NOTES_CAPABILITY;

export async function draftJobDescription(jobId: number, deps: JobDescriptionDependencies): Promise<JobDescriptionOutcome> {
  const { greenhouse, settings } = deps;
  const auditKey = entityKey('greenhouse', 'job', jobId);
  const now = () => isoNow(deps.clock);

  const [job] = await collect(greenhouse.listJobs({ ids: [jobId] }));
  if (!job) return { outcome: 'skipped', reason: 'job-not-found' };
  const gate = decideGate(settings, JD_WORKFLOW, jobViewOf(job), jobId);
  if (!gate.run) return { outcome: 'skipped', reason: gate.reason };
  const ids = { workflow: JD_WORKFLOW, jobId, mode: gate.mode };

  const facts = await jobFacts(job, greenhouse, { payRangeField: deps.payTransparency.jobPayRangeField });
  const ownPosts = await collect(greenhouse.listJobPosts({ job_ids: [jobId] }));
  const similar = await findSimilarPosts({ id: jobId, name: facts.brief.name, department: facts.brief.department }, settings.similarPosts, { greenhouse, embedder: deps.embedder });
  const draftInputs = { eeoStatement: settings.eeoStatement ?? null, payRange: facts.payRange };
  // The drafter's budget: what the title, EEO statement and pay range leave of maxWords.
  const fixedWords = draftWords({ title: facts.brief.name, summary: [], responsibilities: [], mustHave: [], niceToHave: [], benefits: [], ...draftInputs });
  const brief = completeBrief(facts, similar, await deps.corpus.documents(), Math.max(0, settings.maxWords - fixedWords));
  const payRangeRequiredIn = requiredJurisdictions(deps.payTransparency.rules, facts.offices);
  const provenance = deps.drafter.provenance;

  const hash = draftHash({ brief, draftInputs, payRangeRequiredIn, posts: ownPosts, writeJobPost: settings.writeJobPost, provenance, mode: gate.mode });
  const doneKey = `jd#done#${jobId}`;
  // A redelivered job_created or a retried message: this exact draft is already written (or audited, in shadow mode).
  if ((await deps.memory.get<string>(doneKey)) === hash) return { outcome: 'already-drafted', jobId };
  const provenanceFields = { provider: provenance.provider, model: provenance.model, isLanguageModel: provenance.isLanguageModel, promptVersion: provenance.promptVersion, inputHash: hash };

  let answer;
  try {
    answer = await deps.drafter.draft(brief);
  } catch (error) {
    if (!(error instanceof ModelAnswerInvalid || error instanceof GuardrailIntervened)) throw error;
    await deps.audit.record({
      kind: 'ai-failed',
      entityKey: auditKey,
      summary: `Job-description draft failed: ${error.message}. Nothing was written back.`,
      detail: { ...ids, ...provenanceFields, error: error.name },
      at: now(),
    });
    await deps.memory.put(doneKey, hash);
    return { outcome: 'failed', jobId, reason: error.name };
  }

  const draft: JobDescriptionDraft = { title: brief.name, ...answer.draft, ...draftInputs };
  const checks = checkDraft(draft, { brief, eeoStatement: settings.eeoStatement, payRangeRequiredIn, maxWords: settings.maxWords, inclusiveLanguage: await deps.inclusiveLanguage() });
  const summary = checksSummary(checks);

  const canWrite = gate.mode === 'assist' && facts.jobNotes === 'available';
  const notLive = ownPosts.filter((p) => p.live === false);
  const patchable = canWrite && settings.writeJobPost && summary.failed === 0 ? notLive : [];
  const posts = {
    patched: [] as number[],
    live: ownPosts.filter((p) => p.live !== false).map((p) => p.id),
    untouched: notLive.filter((p) => !patchable.includes(p)).map((p) => p.id),
    writeJobPost: settings.writeJobPost,
  };

  const unsupportedNote = facts.jobNotes === 'unsupported' ? '; the tenant has no job notes, so nothing was written' : '';
  await deps.audit.record({
    kind: 'ai-inference',
    entityKey: auditKey,
    summary: `Job-description draft for job ${jobId} by ${provenance.provider}/${provenance.model}: ${summary.passed} of ${checks.length} checks passed${unsupportedNote}.`,
    detail: {
      ...ids,
      ...provenanceFields,
      inputTokens: answer.usage.inputTokens,
      outputTokens: answer.usage.outputTokens,
      latencyMs: answer.latencyMs,
      similarPosts: JSON.stringify(similar.map((p) => p.id)),
      corpusDocuments: brief.corpus.length,
      jobNotesRead: brief.notes.length,
      removed: JSON.stringify(facts.removed),
      words: draftWords(draft),
      checksPassed: summary.passed,
      checksFailed: summary.failed,
      findings: JSON.stringify(summary.findings),
      payRangeRequiredIn: payRangeRequiredIn.join(', '),
      jobNotes: facts.jobNotes,
      noteToWrite: canWrite,
      postsToPatch: JSON.stringify(patchable.map((p) => p.id)),
      livePostsLeft: JSON.stringify(posts.live),
    },
    at: now(),
  });

  let noteWritten = false;
  if (canWrite) {
    // The post write is safe to repeat (the same content again); the note is not, so it goes last and only the done marker follows it.
    const content = draftHtml(draft);
    for (const post of patchable) {
      try {
        await greenhouse.updateJobPost(post.id, { content }, post);
        posts.patched.push(post.id);
      } catch (error) {
        if (!isJobPostLive(error)) throw error;
        // Went live after the read: the client refused before sending. Left alone, and said so.
        posts.live.push(post.id);
        await deps.audit.record({
          kind: 'ai-not-screenable',
          entityKey: auditKey,
          summary: `Job post ${post.id} went live before the draft was written into it: left unchanged.`,
          detail: { ...ids, reason: 'job-post-live', postId: post.id },
          at: now(),
        });
      }
    }
    try {
      await greenhouse.createJobNote({
        job_id: jobId,
        visibility: 'privately_visible',
        body: jobDescriptionNote(draft, { checks, provenance, payRangeRequiredIn, posts }),
        ...(deps.noteAuthorId !== undefined ? { user_id: deps.noteAuthorId } : {}),
      });
      noteWritten = true;
    } catch (error) {
      if (!isJobNotesUnsupported(error)) throw error;
      await deps.audit.record({
        kind: 'ai-not-screenable',
        entityKey: auditKey,
        summary: 'Job-description draft not written: the tenant has no job notes to hold it.',
        detail: { ...ids, reason: 'job-notes-unsupported', postsPatched: JSON.stringify(posts.patched) },
        at: now(),
      });
    }
  }
  await deps.memory.put(doneKey, hash);
  return {
    outcome: 'drafted',
    mode: gate.mode,
    jobId,
    draft,
    checks,
    noteWritten,
    jobNotes: facts.jobNotes,
    posts,
    payRangeRequiredIn,
    provenance,
    usage: answer.usage,
    latencyMs: answer.latencyMs,
  };
}
