import type { Application, Candidate } from '#core/greenhouse/records';
import { keywordsOf } from '../screening/offline.ts';
import type { VectorMatch } from './ports.ts';

/**
 * Which past candidates a rediscovery may suggest for a job, in what order, and the evidence for each.
 * Rediscovery is advice to the hiring team: it lists people worth a look and never contacts, moves or
 * changes anyone; eligibility is checked on fresh Greenhouse records because the index's metadata may
 * be a day old.
 */

export interface RediscoveryRules {
  /** A candidate is suggested only when their last activity in Greenhouse is at least this old. */
  readonly minInactiveDays: number;
  /** How many candidates a note lists at most. */
  readonly topN: number;
  /** Vector matches below this similarity are not suggested (0 keeps every match). */
  readonly minScore: number;
}

export interface PastCandidate {
  readonly candidate: Candidate;
  readonly applications: readonly Application[];
  /** Greenhouse anonymized the candidate (the `candidate_anonymized` webhook or the ledger says so). */
  readonly anonymized: boolean;
  /** The candidate agreed to be considered for other roles, as the tenant records that consent. */
  readonly consentToRediscovery: boolean;
  /** The candidate opted out of AI review (`ai.optOut`: a tag or a field). */
  readonly optedOut?: boolean;
}

export type IneligibleReason = 'on-this-job' | 'recently-active' | 'activity-unknown' | 'private' | 'anonymized' | 'no-consent' | 'opted-out';

export type Eligibility = { readonly eligible: true } | { readonly eligible: false; readonly reasons: readonly IneligibleReason[] };

export const DAY_MS = 86_400_000;

/** Greenhouse's anonymization of `full_name` leaves first name "Anonymized" and the id as last name. */
function looksAnonymized(candidate: Candidate): boolean {
  return candidate.first_name === 'Anonymized' && candidate.last_name === String(candidate.id);
}

/** The newest activity Greenhouse reports for the candidate or any of their applications. */
export function lastActivityOf(past: Pick<PastCandidate, 'candidate' | 'applications'>): string | null {
  const times = [past.candidate.last_activity_at, ...past.applications.map((a) => a.last_activity_at)].filter((t): t is string => !!t && !Number.isNaN(Date.parse(t)));
  return times.length ? times.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b)) : null;
}

/**
 * Every reason the candidate may not be suggested for `jobId` (all of them, for the audit). A
 * candidate already on this job (an application or prospect for it that is not rejected) is the
 * hiring team's already; one rejected from this job long ago may be suggested again when it reopens.
 */
export function eligibility(past: PastCandidate, jobId: number, now: Date, rules: Pick<RediscoveryRules, 'minInactiveDays'>): Eligibility {
  const reasons: IneligibleReason[] = [];
  const onJob = past.applications.some((a) => (a.job_id === jobId || (a.prospective_job_ids ?? []).includes(jobId)) && a.status !== 'rejected');
  if (onJob) reasons.push('on-this-job');
  const last = lastActivityOf(past);
  if (last === null) reasons.push('activity-unknown');
  else if (now.getTime() - Date.parse(last) < rules.minInactiveDays * DAY_MS) reasons.push('recently-active');
  if (past.candidate.private === true) reasons.push('private');
  if (past.anonymized || looksAnonymized(past.candidate)) reasons.push('anonymized');
  if (!past.consentToRediscovery) reasons.push('no-consent');
  if (past.optedOut) reasons.push('opted-out');
  return reasons.length ? { eligible: false, reasons } : { eligible: true };
}

export interface RequirementEvidence {
  readonly requirement: string;
  /** The requirement's own keywords that the profile contains: words of the job post, never of the profile. */
  readonly matchedTerms: readonly string[];
}

export interface Evidence {
  readonly matched: readonly RequirementEvidence[];
  /** Requirements with at least one keyword, so judged at all. */
  readonly judged: number;
}

/**
 * Which requirements the profile meets, by screening's offline rule (at least half of a requirement's
 * keywords occur in the text): transparent, and a recruiter can check every line of it. It explains a
 * suggestion; it does not rank, because an embedding finds fits in other words ("Golang" for "Go").
 */
export function evidenceFor(requirements: readonly string[], profileText: string): Evidence {
  const profileWords = new Set(keywordsOf(profileText));
  const matched: RequirementEvidence[] = [];
  let judged = 0;
  for (const requirement of requirements) {
    const keywords = keywordsOf(requirement);
    if (keywords.length === 0) continue;
    judged++;
    const found = keywords.filter((k) => profileWords.has(k));
    if (found.length * 2 >= keywords.length) matched.push({ requirement, matchedTerms: found });
  }
  return { matched, judged };
}

/** What a job's rediscovery query embeds: the title and the requirements screening would judge. */
export function jobQueryText(jobTitle: string, requirements: readonly string[]): string {
  return [jobTitle, ...requirements].join('\n');
}

export interface Suggestion {
  readonly candidateId: number;
  readonly score: number;
  readonly evidence: Evidence;
}

/**
 * Who the note lists: eligible candidates only, at least `minScore`, closest first (ties by candidate
 * id, so a rerun lists the same people in the same order), at most `topN`. Ineligible matches are
 * dropped here, so ask the index for more than `topN` (up to MAX_TOP_K). The evidence for each
 * (`evidenceFor`) is read from their current profile, which the caller builds for these few only.
 */
export function selectSuggestions(
  matches: readonly VectorMatch[],
  options: { readonly isEligible: (candidateId: number) => boolean; readonly rules: Pick<RediscoveryRules, 'topN' | 'minScore'> },
): { readonly candidateId: number; readonly score: number }[] {
  const seen = new Set<number>();
  const ranked = [...matches]
    .filter((m) => m.score >= options.rules.minScore)
    .sort((a, b) => b.score - a.score || a.metadata.candidateId - b.metadata.candidateId);
  const selected: { candidateId: number; score: number }[] = [];
  for (const match of ranked) {
    const id = match.metadata.candidateId;
    if (selected.length >= options.rules.topN) break;
    if (seen.has(id) || !options.isEligible(id)) continue;
    seen.add(id);
    selected.push({ candidateId: id, score: match.score });
  }
  return selected;
}
