import { Unsupported } from '#core/api-errors';
import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import type { Application, Candidate, Job } from '#core/greenhouse/records';
import { collect } from '#core/async-iterables';
import { isoNow, type Clock } from '#core/clock';
import { entityKey } from '#core/envelope';
import type { AuditStore } from '#core/sync/ports';
import { decideGate, jobViewOf } from '../gating.ts';
import type { AiMemory } from '../ports.ts';
import type { RediscoveryTrigger } from '../route-task.ts';
import type { RediscoverySettings } from '../settings.ts';
import { jobPostRequirements } from '../screening/job-requirements.ts';
import { jobVersion, sha256 } from '../screening/workflow.ts';
import { pastCandidate, profileOf, withheldReasons, type PastCandidateDependencies, type Withheld } from './index-sync.ts';
import { DAY_MS, eligibility, evidenceFor, jobQueryText, selectSuggestions, type IneligibleReason, type Suggestion } from './match.ts';
import { rediscoveryNote } from './note.ts';
import { MAX_TOP_K, vectorKey, type Embedder, type EmbedderProvenance, type VectorIndex } from './ports.ts';
import { PROFILE_VERSION } from './profile.ts';

/**
 * Candidate rediscovery for one job: gate → read the job and its post's requirements → embed the
 * query → ask the index for the nearest past candidates → read each fresh from Greenhouse and check
 * eligibility there (the index's metadata may be a day old) → rank with evidence → audit → in assist
 * mode, one private job note and a tag on each suggested candidate. Advice only: nothing here moves,
 * rejects, contacts or adds anyone. A matched candidate the fresh read shows private, anonymized,
 * without consent or gone is also deleted from the index, so the index forgets them without waiting
 * for the next sync.
 */
export const REDISCOVERY_WORKFLOW = 'rediscovery';

export interface RediscoveryDependencies extends PastCandidateDependencies {
  readonly greenhouse: PastCandidateDependencies['greenhouse'] & Pick<GreenhouseApi, 'listJobs' | 'listJobPosts' | 'listCandidates' | 'createJobNote' | 'createNote' | 'addTag'>;
  readonly embedder: Embedder;
  readonly index: VectorIndex;
  readonly memory: AiMemory;
  readonly audit: AuditStore;
  readonly clock: Clock;
  readonly settings: RediscoverySettings;
  /** The Harvest user the note is written as (the token's `sub` when absent). */
  readonly noteAuthorId?: number;
  /** Base of Greenhouse's web app for the note's profile links. */
  readonly appUrl?: string;
}

export type RediscoveryOutcome =
  | { readonly outcome: 'skipped'; readonly reason: string }
  | { readonly outcome: 'not-runnable'; readonly reason: 'no-job-post-requirements' }
  | {
      readonly outcome: 'suggested';
      readonly mode: 'shadow' | 'assist';
      readonly jobId: number;
      readonly jobTitle: string;
      readonly suggestions: readonly Suggestion[];
      /** True when a note was written by this run (assist mode, something new to say). */
      readonly noteWritten: boolean;
      /** Where: one job note, or a note on each suggested candidate where the tenant has no job notes. */
      readonly notedOn?: 'job' | 'candidates';
      /** The same suggestions were already written (or audited, in shadow mode) by an earlier run. */
      readonly alreadySuggested: boolean;
      readonly provenance: EmbedderProvenance;
      /** The query's embedding: a hosted model's input tokens and estimated cost; absent offline. */
      readonly usage?: { readonly inputTokens: number };
      readonly estimatedCostUsd?: number;
      readonly latencyMs: number;
    };


/**
 * What makes two runs' advice the same: the job as matched, who is suggested in what order, the
 * embedder, the profile layout and the mode (a shadow run must not stop the first assist run's note).
 */
export function suggestionsHash(parts: { jobVersion: string; candidateIds: readonly number[]; provenance: EmbedderProvenance; mode: string }): string {
  const { provider, model, dimensions } = parts.provenance;
  return sha256([parts.jobVersion, parts.candidateIds.join(','), provider, model, dimensions, PROFILE_VERSION, parts.mode].join('\n'));
}

/** Marks a job whose live post was seen by a `post`-triggered run: later post edits do not run again (the daily run does). */
const liveSeenKey = (jobId: number) => `rediscovery#live#${jobId}`;

/** Fresh Greenhouse records of the matched candidates, by id; a deleted or merged-away one is absent. */
async function freshRecords(ids: readonly number[], deps: RediscoveryDependencies): Promise<Map<number, { candidate: Candidate; applications: Application[] }>> {
  if (!ids.length) return new Map();
  const candidates = await collect(deps.greenhouse.listCandidates({ ids }));
  const applications = await collect(deps.greenhouse.listApplications({ candidate_ids: ids }));
  return new Map(candidates.map((candidate) => [candidate.id, { candidate, applications: applications.filter((a) => a.candidate_id === candidate.id) }]));
}

/**
 * Rediscovery for one job. `trigger` says why (route-task.ts): a post change runs only the first time
 * the job has a live post, so a recruiter editing a post all afternoon does not re-run it each time.
 */
export async function rediscoverForJob(jobId: number, deps: RediscoveryDependencies, trigger: RediscoveryTrigger = 'schedule'): Promise<RediscoveryOutcome> {
  const { greenhouse, settings } = deps;
  const auditKey = entityKey('greenhouse', 'job', jobId);
  const now = new Date(deps.clock.now());

  const [job] = await collect(greenhouse.listJobs({ ids: [jobId] }));
  if (!job) return { outcome: 'skipped', reason: 'job-not-found' };
  if (job.status === 'closed') return { outcome: 'skipped', reason: 'job-closed' };
  // The rollout samples jobs: one job is either rediscovered for or not.
  const gate = decideGate(settings, REDISCOVERY_WORKFLOW, jobViewOf(job), jobId);
  if (!gate.run) return { outcome: 'skipped', reason: gate.reason };
  const ids = { workflow: REDISCOVERY_WORKFLOW, jobId, mode: gate.mode };

  // The requirements come from the job's post: the live one with content first, as applicants read it.
  const posts = await collect(greenhouse.listJobPosts({ job_ids: [job.id] }));
  if (trigger === 'post') {
    if (!posts.some((post) => post.live === true)) return { outcome: 'skipped', reason: 'no-live-post' };
    if (await deps.memory.get(liveSeenKey(jobId))) return { outcome: 'skipped', reason: 'post-already-live' };
  }
  const { jobTitle, requirements } = jobPostRequirements(posts, job);
  if (requirements.length === 0) {
    await deps.audit.record({
      kind: 'ai-not-screenable',
      entityKey: auditKey,
      summary: 'Rediscovery not run: the job has no job post requirements to match. Nothing was guessed or written back.',
      detail: { ...ids, reason: 'no-job-post-requirements' },
      at: isoNow(deps.clock),
    });
    return { outcome: 'not-runnable', reason: 'no-job-post-requirements' };
  }

  const startedAt = deps.clock.now();
  const query = await deps.embedder.embed([jobQueryText(jobTitle, requirements)], 'query');
  const provenance = query.provenance;
  // More than topN: the fresh eligibility check drops some, and the index knows nothing of consent or this job.
  const matches = await deps.index.query(query.vectors[0]!, Math.min(MAX_TOP_K, Math.max(settings.topN * 5, 50)), {
    lastActivityBefore: new Date(now.getTime() - settings.minInactiveDays * DAY_MS).toISOString(),
  });

  const matchedIds = [...new Set(matches.map((m) => m.metadata.candidateId))];
  const fresh = await freshRecords(matchedIds, deps);
  const eligible = new Set<number>();
  const ineligible: Partial<Record<IneligibleReason | 'gone', number>> = {};
  const forget: { candidateId: number; reason: Withheld }[] = [];
  for (const id of matchedIds) {
    const record = fresh.get(id);
    if (!record) {
      forget.push({ candidateId: id, reason: 'gone' });
      ineligible.gone = (ineligible.gone ?? 0) + 1;
      continue;
    }
    const past = await pastCandidate(record.candidate, record.applications, deps);
    const decision = eligibility(past, jobId, now, settings);
    if (decision.eligible) eligible.add(id);
    else for (const reason of decision.reasons) ineligible[reason] = (ineligible[reason] ?? 0) + 1;
    const [withheld] = withheldReasons(past, now);
    if (withheld) forget.push({ candidateId: id, reason: withheld });
  }
  if (forget.length) await deps.index.delete(forget.map((f) => vectorKey(f.candidateId)));

  // The evidence is read from each suggested candidate's current profile, built only for the few listed.
  const suggestions: Suggestion[] = [];
  for (const picked of selectSuggestions(matches, { isEligible: (id) => eligible.has(id), rules: settings })) {
    const profile = await profileOf(fresh.get(picked.candidateId)!.candidate, deps);
    suggestions.push({ ...picked, evidence: evidenceFor(requirements, profile.text) });
  }
  const latencyMs = deps.clock.now() - startedAt;

  const hash = suggestionsHash({ jobVersion: jobVersion(jobTitle, requirements), candidateIds: suggestions.map((s) => s.candidateId), provenance, mode: gate.mode });
  const doneKey = `rediscovery#done#${jobId}`;
  const alreadySuggested = (await deps.memory.get<string>(doneKey)) === hash;
  const noteWritten = gate.mode === 'assist' && suggestions.length > 0 && !alreadySuggested;

  await deps.audit.record({
    kind: 'ai-inference',
    entityKey: auditKey,
    summary: `Rediscovery found ${suggestions.length} past candidate${suggestions.length === 1 ? '' : 's'} for job ${jobId} by ${provenance.provider}/${provenance.model}${alreadySuggested ? ', the same as the last run' : ''}.`,
    detail: {
      ...ids,
      provider: provenance.provider,
      model: provenance.model,
      isLanguageModel: provenance.isLanguageModel,
      dimensions: provenance.dimensions,
      promptVersion: PROFILE_VERSION,
      inputHash: hash,
      latencyMs,
      requirements: requirements.length,
      matches: matches.length,
      eligible: eligible.size,
      ineligible: JSON.stringify(ineligible),
      removedFromIndex: forget.length,
      suggested: suggestions.length,
      output: JSON.stringify(suggestions.map((s) => ({ candidateId: s.candidateId, score: Number(s.score.toFixed(4)), matched: s.evidence.matched.length, judged: s.evidence.judged }))),
      alreadySuggested,
      noteWritten,
    },
    at: isoNow(deps.clock),
  });

  let notedOn: 'job' | 'candidates' | undefined;
  if (noteWritten) {
    // The tags are safe to write twice; the note is not, so it goes last and only the done marker follows it.
    for (const { candidateId } of suggestions) await greenhouse.addTag(candidateId, settings.tag);
    const body = rediscoveryNote(suggestions, { jobTitle, provenance, minInactiveDays: settings.minInactiveDays, ...(deps.appUrl ? { appUrl: deps.appUrl } : {}) });
    notedOn = await writeNote(jobId, suggestions, body, deps);
  }
  await deps.memory.put(doneKey, hash);
  if (trigger === 'post') await deps.memory.put(liveSeenKey(jobId), true);
  return {
    outcome: 'suggested',
    mode: gate.mode,
    jobId,
    jobTitle,
    suggestions,
    noteWritten,
    ...(notedOn ? { notedOn } : {}),
    alreadySuggested,
    provenance,
    ...(query.usage ? { usage: query.usage } : {}),
    ...(query.estimatedCostUsd !== undefined ? { estimatedCostUsd: query.estimatedCostUsd } : {}),
    latencyMs,
  };
}

/**
 * One private job note; where the tenant has no job notes (the client's Unsupported, after a 404 from
 * `/v3/job_notes`), the same note privately on each suggested candidate, naming the job, so the
 * advice still reaches the hiring team. A candidate note is written once per candidate and run: a
 * retry after a failure part-way may repeat the ones before it, which the done marker cannot prevent.
 */
async function writeNote(jobId: number, suggestions: readonly Suggestion[], body: string, deps: RediscoveryDependencies): Promise<'job' | 'candidates'> {
  const author = deps.noteAuthorId !== undefined ? { user_id: deps.noteAuthorId } : {};
  try {
    await deps.greenhouse.createJobNote({ job_id: jobId, visibility: 'privately_visible', body, ...author });
    return 'job';
  } catch (error) {
    if (!(error instanceof Unsupported)) throw error;
  }
  for (const suggestion of suggestions) {
    await deps.greenhouse.createNote({ candidate_id: suggestion.candidateId, visibility: 'private', body, ...author });
  }
  return 'candidates';
}
