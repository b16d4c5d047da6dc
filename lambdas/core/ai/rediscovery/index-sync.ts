import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import type { Application, Candidate } from '#core/greenhouse/records';
import { collect } from '#core/async-iterables';
import type { Clock } from '#core/clock';
import { consentStatusText } from '#core/mapping/person';
import type { ExtractResumeText } from '../ports.ts';
import { optedOut } from '../opt-out.ts';
import type { OptOutSettings, RediscoverySettings } from '../settings.ts';
import { indexPlan } from './index-plan.ts';
import { eligibility, lastActivityOf, type IneligibleReason, type PastCandidate } from './match.ts';
import type { Embedder, EmbedderProvenance, Embeddings, VectorIndex, VectorItem, VectorMetadata } from './ports.ts';
import { vectorKey } from './ports.ts';
import { newestResume } from '../newest-resume.ts';
import { candidateProfile, type CandidateProfile, type ProfileOptions } from './profile.ts';

/**
 * Keeps the vector index in step with Greenhouse for some candidates: each is read fresh, profiled
 * from their records and newest resume, and embedded only when the profile changed (index-plan.ts).
 * A candidate who may not be suggested for any job, whatever the date (private, anonymized, without
 * consent, deleted or merged away), is deleted from the index instead: vector and metadata both, so
 * no later query can find them.
 */

export type PastCandidateReads = Pick<GreenhouseApi, 'getCandidate' | 'listApplications' | 'listAttachments' | 'downloadAttachment'>;

export interface PastCandidateDependencies {
  readonly greenhouse: PastCandidateReads;
  readonly extractText: ExtractResumeText;
  readonly settings: Pick<RediscoverySettings, 'consentField' | 'tag'>;
  /**
   * Whether the bridge knows the candidate was anonymized (the `candidate_anonymized` webhook, the
   * ledger): an anonymization that kept the name is not visible on the record.
   */
  readonly isAnonymized?: (candidateId: number) => Promise<boolean>;
  /** Tags left out of profiles besides the rediscovery tag (the other AI workflows' tags). */
  readonly profileOptions?: ProfileOptions;
  /** Who opted out of AI review (`ai.optOut`): never indexed, never suggested. */
  readonly optOut?: OptOutSettings;
}

export interface IndexSyncDependencies extends PastCandidateDependencies {
  readonly embedder: Embedder;
  readonly index: VectorIndex;
  readonly clock: Pick<Clock, 'now'>;
}

type PersonalReason = Extract<IneligibleReason, 'private' | 'anonymized' | 'no-consent' | 'opted-out'>;
/** Why a candidate is kept out of the index: the reasons that hold for every job and every date, or nothing left to embed. */
export type Withheld = PersonalReason | 'gone' | 'empty-profile';

export interface IndexSyncResult {
  /** Embedded and put (new or changed profiles). */
  readonly embedded: readonly number[];
  /** Put again with the stored vector and a new last-activity date. */
  readonly refreshed: readonly number[];
  readonly unchanged: number;
  /** Deleted from the index (whether or not it held them), with why. */
  readonly removed: readonly { readonly candidateId: number; readonly reason: Withheld }[];
  /** The embedder's, when anything was embedded. */
  readonly provenance?: EmbedderProvenance;
  /** A hosted embedder's input tokens and estimated cost, when anything was embedded. */
  readonly usage?: Embeddings['usage'];
  readonly estimatedCostUsd?: number;
}

const WITHHELD_REASONS: ReadonlySet<IneligibleReason> = new Set<PersonalReason>(['private', 'anonymized', 'no-consent', 'opted-out']);
/** No job has this id, so `eligibility` reports only the reasons that hold for every job. */
const NO_JOB = -1;

/** The candidate consented to being considered for other roles, by the configured yes/no field; no field, no consent. */
export function consentToRediscovery(candidate: Candidate, consentField: string | undefined): boolean {
  if (consentField === undefined) return false;
  return consentStatusText(candidate.custom_fields?.[consentField]?.value) === 'true';
}

/** A candidate as eligibility judges them, from their record and applications as Greenhouse gives them now. */
export async function pastCandidate(candidate: Candidate, applications: readonly Application[], deps: Pick<PastCandidateDependencies, 'settings' | 'isAnonymized' | 'optOut'>): Promise<PastCandidate> {
  return {
    candidate,
    applications,
    anonymized: (await deps.isAnonymized?.(candidate.id)) ?? false,
    consentToRediscovery: consentToRediscovery(candidate, deps.settings.consentField),
    optedOut: deps.optOut ? optedOut(candidate, deps.optOut) : false,
  };
}

/** The reasons the candidate may never be suggested, as of `now`; empty when they may be. */
export function withheldReasons(past: PastCandidate, now: Date): Withheld[] {
  const decision = eligibility(past, NO_JOB, now, { minInactiveDays: 0 });
  return decision.eligible ? [] : decision.reasons.filter((r): r is PersonalReason => WITHHELD_REASONS.has(r));
}

/** The newest resume's text, or nothing (no resume, or a file without text: the profile is built from the records alone). */
async function newestResumeText(candidateId: number, deps: PastCandidateDependencies): Promise<string | undefined> {
  const newest = newestResume(await collect(deps.greenhouse.listAttachments({ candidate_ids: [candidateId], type: 'resume' })));
  if (!newest) return undefined;
  // The signed URL is fetched at once and never stored.
  const file = await deps.greenhouse.downloadAttachment(newest);
  const extracted = await deps.extractText({ bytes: file.bytes, contentType: file.contentType, ...(newest.filename ? { filename: newest.filename } : {}) });
  return extracted.kind === 'text' ? extracted.text : undefined;
}

/** The profile rediscovery embeds for the candidate: their records and newest resume, minimised, without the bridge's own tags. */
export async function profileOf(candidate: Candidate, deps: PastCandidateDependencies): Promise<CandidateProfile> {
  const resumeText = await newestResumeText(candidate.id, deps);
  const excludedTags = [deps.settings.tag, ...(deps.profileOptions?.excludedTags ?? [])];
  return candidateProfile({ candidate, ...(resumeText !== undefined ? { resumeText } : {}) }, { ...deps.profileOptions, excludedTags });
}

type Current = { readonly profile: CandidateProfile; readonly lastActivityAt: string | null };

/** Reads one candidate and decides: a profile to index, or why they stay out of the index. */
async function readForIndex(input: number | Candidate, deps: IndexSyncDependencies, now: Date): Promise<Current | { readonly candidateId: number; readonly reason: Withheld }> {
  const candidateId = typeof input === 'number' ? input : input.id;
  // A merged-away candidate reads as gone, like a deleted one: the survivor is synced under its own id.
  const candidate = typeof input === 'number' ? await deps.greenhouse.getCandidate(input) : input;
  if (!candidate) return { candidateId, reason: 'gone' };
  const applications = await collect(deps.greenhouse.listApplications({ candidate_ids: [candidateId] }));
  const past = await pastCandidate(candidate, applications, deps);
  const [reason] = withheldReasons(past, now);
  if (reason) return { candidateId, reason };
  const profile = await profileOf(candidate, deps);
  if (!profile.text) return { candidateId, reason: 'empty-profile' };
  return { profile, lastActivityAt: lastActivityOf(past) };
}

/**
 * Syncs these candidates (ids, or records just read from a list) into the index. Deletion comes
 * first, so a failure later in the batch never leaves a withheld candidate findable.
 */
export async function syncCandidateIndex(candidates: readonly number[] | readonly Candidate[], deps: IndexSyncDependencies): Promise<IndexSyncResult> {
  const now = new Date(deps.clock.now());
  const current: Current[] = [];
  const removed: { candidateId: number; reason: Withheld }[] = [];
  for (const input of candidates) {
    const read = await readForIndex(input, deps, now);
    if ('profile' in read) current.push(read);
    else removed.push(read);
  }
  if (removed.length) await deps.index.delete(removed.map((r) => vectorKey(r.candidateId)));

  const stored = await deps.index.get(current.map((c) => vectorKey(c.profile.candidateId)));
  const storedItems = new Map(stored.map((item) => [item.metadata.candidateId, item]));
  const plan = indexPlan(current, new Map(stored.map((item) => [item.metadata.candidateId, item.metadata])));

  const activity = new Map(current.map((c) => [c.profile.candidateId, c.lastActivityAt]));
  const items: VectorItem[] = plan.refreshMetadata.map((metadata) => ({ key: vectorKey(metadata.candidateId), vector: storedItems.get(metadata.candidateId)!.vector, metadata }));
  let embedded: Embeddings | undefined;
  if (plan.embed.length) {
    const result = await deps.embedder.embed(plan.embed.map((p) => p.text), 'document');
    embedded = result;
    plan.embed.forEach((profile, i) => {
      const metadata: VectorMetadata = { candidateId: profile.candidateId, lastActivityAt: activity.get(profile.candidateId) ?? null, hash: profile.hash };
      items.push({ key: vectorKey(profile.candidateId), vector: result.vectors[i]!, metadata });
    });
  }
  if (items.length) await deps.index.put(items);
  return {
    embedded: plan.embed.map((p) => p.candidateId),
    refreshed: plan.refreshMetadata.map((m) => m.candidateId),
    unchanged: plan.unchanged,
    removed,
    ...(embedded ? { provenance: embedded.provenance } : {}),
    ...(embedded?.usage ? { usage: embedded.usage } : {}),
    ...(embedded?.estimatedCostUsd !== undefined ? { estimatedCostUsd: embedded.estimatedCostUsd } : {}),
  };
}
