import { createHash } from 'node:crypto';
import type { Candidate } from '#core/greenhouse/records';
import { candidateNames, minimiseResume, type RemovedKind } from '../minimise.ts';

/**
 * A past candidate's profile as candidate rediscovery embeds it: what they did and studied, never who
 * they are. Built from the Greenhouse records and the newest resume's text, then minimised exactly as
 * screening minimises a resume (`minimiseResume` with the candidate's names): names become `[name]`,
 * emails, phones and links their placeholders, and every line stating a protected attribute or a proxy
 * for one is dropped, including a title, tag or school that does. The vector index keeps only the
 * vector and the profile's hash, so this text is the most that any embedding could ever encode.
 */

/**
 * Changes whenever what goes into the text changes: part of the hash, so a new profile layout
 * re-embeds every candidate once instead of comparing new text with old vectors.
 */
export const PROFILE_VERSION = 'rediscovery-profile-v1';

/**
 * Embedding models take a few thousand tokens; a long resume's tail is rarely what a job matches on,
 * and the structured lines come first so they always fit.
 */
export const MAX_PROFILE_CHARS = 20_000;

/**
 * Harvest v3 serves these as their own resources (`/v3/candidate_employments`,
 * `/v3/candidate_educations`) and webhooks embed them on the candidate; the field names are v1's
 * (ASSUMED for v3, docs/architecture.md), and every field is optional so a renamed one is only missed.
 */
export interface CandidateEmployment {
  readonly title?: string | null;
  readonly company_name?: string | null;
}
export interface CandidateEducation {
  readonly school_name?: string | null;
  readonly degree?: string | null;
  readonly discipline?: string | null;
}

export interface ProfileSources {
  readonly candidate: Candidate;
  readonly employments?: readonly CandidateEmployment[];
  readonly educations?: readonly CandidateEducation[];
  /** The text of the candidate's newest resume, as extracted (minimised here). */
  readonly resumeText?: string;
}

export interface ProfileOptions {
  /**
   * Tags left out: the bridge's own AI tags (`AI screening: needs review`, the review sample) are
   * judgements about one application, not skills, and must not feed another AI workflow.
   */
  readonly excludedTags?: readonly string[];
  /** Custom candidate fields (`name_key`) that hold skills, as text or a list of options. */
  readonly skillFields?: readonly string[];
}

export interface CandidateProfile {
  readonly candidateId: number;
  /** The minimised, normalised text that is embedded. */
  readonly text: string;
  /** sha-256 (hex) of the profile version and the text: re-embed only when it changes. */
  readonly hash: string;
  /** What minimisation took out (for the audit; never the values). */
  readonly removed: Readonly<Record<RemovedKind, number>>;
}

/** What minimisation puts in place of a name, email, phone number or link. */
export const PLACEHOLDER = /\[(?:name|email|phone|link)\]/g;
const clean = (value: string | null | undefined) => (value ?? '').replace(/\s+/g, ' ').trim();
const joined = (...parts: (string | null | undefined)[]) => parts.map(clean).filter(Boolean).join(', ');

function skillValues(candidate: Candidate, keys: readonly string[]): string[] {
  return keys.flatMap((key) => {
    const value = candidate.custom_fields?.[key]?.value;
    const values = Array.isArray(value) ? value : [value];
    return values.flatMap((v) => (typeof v === 'string' ? [v] : v && typeof v === 'object' && 'name' in v && typeof v.name === 'string' ? [v.name] : []));
  });
}

/**
 * Unicode-normalised (NFKC), one space between words, no blank lines: the same profile gives the same
 * hash whatever whitespace the resume extraction produced.
 */
export function normaliseProfileText(text: string): string {
  return text
    .normalize('NFKC')
    .split(/\r?\n/)
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

export function profileHash(text: string): string {
  return createHash('sha256').update(`${PROFILE_VERSION}\n${normaliseProfileText(text)}`).digest('hex');
}

export function candidateProfile(sources: ProfileSources, options: ProfileOptions = {}): CandidateProfile {
  const { candidate } = sources;
  const excluded = new Set((options.excludedTags ?? []).map((t) => clean(t).toLowerCase()));
  const lines: string[] = [];
  const current = joined(candidate.title, candidate.company);
  if (current) lines.push(`Current: ${current}`);
  for (const job of sources.employments ?? []) {
    const line = joined(job.title, job.company_name);
    if (line) lines.push(`Experience: ${line}`);
  }
  for (const school of sources.educations ?? []) {
    const line = joined(school.degree, school.discipline, school.school_name);
    if (line) lines.push(`Education: ${line}`);
  }
  // One line per tag or skill, so a proxy tag ("Veteran", a pronoun) drops alone, not with the rest.
  const skills = [...(candidate.tags ?? []), ...skillValues(candidate, options.skillFields ?? [])].map(clean).filter((t) => t && !excluded.has(t.toLowerCase()));
  lines.push(...[...new Set(skills)].map((skill) => `Skill: ${skill}`));
  if (sources.resumeText?.trim()) lines.push('Resume:', sources.resumeText);

  const minimised = minimiseResume(lines.join('\n'), { names: candidateNames(candidate) });
  // A line left with only placeholders (the resume's name and contact header) says nothing about skills.
  const kept = minimised.text.split('\n').filter((line) => /[\p{L}\p{N}]/u.test(line.replace(PLACEHOLDER, '')));
  const text = normaliseProfileText(kept.join('\n')).slice(0, MAX_PROFILE_CHARS);
  return { candidateId: candidate.id, text, hash: profileHash(text), removed: minimised.removed };
}
