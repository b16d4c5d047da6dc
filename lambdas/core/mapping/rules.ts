import type { Origin } from '#core/envelope';

/**
 * The seed's decision rules for the Greenhouse → Beamery reconciler, as small pure functions. Each
 * answers with a short machine-readable `reason` that goes to the Audit table (kind `sync-skipped`
 * for skips) and to logs: reasons never carry names or emails.
 */

// ---------------------------------------------------------------------------------------------
// Matching a Greenhouse candidate to a Beamery contact (seed: "Greenhouse to Beamery", merging)
// ---------------------------------------------------------------------------------------------

export interface EmailMatch {
  readonly contactId: string;
  /** The Greenhouse candidate id the contact already carries (integrations.greenhouse.id), if any. */
  readonly greenhouseCandidateId?: string;
}

export interface MatchContactInput {
  /** The contact the IdMap links this candidate to (an active link). */
  readonly linkedContactId?: string;
  /** Beamery contacts found by any of the candidate's email addresses. */
  readonly emailMatches: readonly EmailMatch[];
  readonly candidateId: number | string;
}

export type MatchReason =
  | 'linked'
  | 'contact-carries-this-greenhouse-id'
  | 'single-email-match-without-greenhouse-id'
  | 'no-email-match'
  | 'email-match-has-other-greenhouse-id'
  | 'several-email-matches';

export type ContactMatch =
  | { readonly kind: 'update'; readonly contactId: string; readonly reason: 'linked' }
  | { readonly kind: 'link-and-update'; readonly contactId: string; readonly reason: 'contact-carries-this-greenhouse-id' | 'single-email-match-without-greenhouse-id' }
  | { readonly kind: 'create'; readonly reason: 'no-email-match' | 'email-match-has-other-greenhouse-id' | 'several-email-matches' };

/**
 * Seed: "The integration also identifies existing contacts in Beamery when a Greenhouse contact with
 * the same email is imported… if there are duplicates in Greenhouse with the same email, these
 * contacts are not auto-merged in Beamery… the integration auto merges contacts when there is a
 * Beamery contact not yet pushed to Greenhouse (i.e. they do not have a Greenhouse ID)".
 *
 * One addition beyond the seed: a contact found by email that already carries *this* candidate's id
 * (the IdMap lost the link, e.g. a restore) is re-linked instead of duplicated.
 */
export function matchContact(input: MatchContactInput): ContactMatch {
  if (input.linkedContactId) return { kind: 'update', contactId: input.linkedContactId, reason: 'linked' };

  const candidateId = String(input.candidateId);
  const matches = uniqueByContact(input.emailMatches);
  const carriesOurs = matches.find((m) => m.greenhouseCandidateId === candidateId);
  if (carriesOurs) return { kind: 'link-and-update', contactId: carriesOurs.contactId, reason: 'contact-carries-this-greenhouse-id' };

  if (matches.length === 0) return { kind: 'create', reason: 'no-email-match' };
  // Beamery's own rule: two or more contacts with the address → create, never guess which one.
  if (matches.length > 1) return { kind: 'create', reason: 'several-email-matches' };
  const [only] = matches as [EmailMatch];
  if (only.greenhouseCandidateId) return { kind: 'create', reason: 'email-match-has-other-greenhouse-id' };
  return { kind: 'link-and-update', contactId: only.contactId, reason: 'single-email-match-without-greenhouse-id' };
}

function uniqueByContact(matches: readonly EmailMatch[]): EmailMatch[] {
  const byId = new Map<string, EmailMatch>();
  for (const match of matches) {
    const seen = byId.get(match.contactId);
    // One contact found through two addresses is one match; keep whichever copy names a Greenhouse id.
    if (!seen || (!seen.greenhouseCandidateId && match.greenhouseCandidateId)) byId.set(match.contactId, match);
  }
  return [...byId.values()];
}

// ---------------------------------------------------------------------------------------------
// Skip decisions
// ---------------------------------------------------------------------------------------------

export type SyncDecision<R extends string = string> =
  | { readonly kind: 'create' }
  | { readonly kind: 'update' }
  | { readonly kind: 'skip'; readonly reason: R };

export interface PrivateCandidateInput {
  /** The v3 candidate's `private`. */
  readonly isPrivate: boolean;
  /** The candidate already has a Beamery contact (an active IdMap link). */
  readonly alreadyLinked: boolean;
  /** Config: block private Greenhouse candidates (default true). */
  readonly blockPrivate?: boolean;
  readonly origin: Origin;
}

export type PrivateCandidateReason = 'private-before-integration' | 'private-at-first-sight' | 'private-updates-blocked';

/**
 * Seed, "Block Private Contacts": a Greenhouse candidate can only be marked private after it was
 * created, so "the contact will still flow through to beamery but any updates thereafter will be
 * blocked. The only time a complete block of a private contact occurs, is if they were marked as
 * private and existed in Greenhouse before the integration was switched on" (the historic sync).
 *
 * The bridge reads the candidate's current state (level-triggered), so "flowed through before it was
 * private" means "already linked". A candidate we see for the first time already private is not
 * created, whatever the origin: by a backfill that is the seed's complete block; by a webhook it means
 * the candidate became private before we read it, and the operator asked for private people to stay
 * out. The reasons keep the two cases apart in the audit.
 */
export function privateCandidateRule(input: PrivateCandidateInput): SyncDecision<PrivateCandidateReason> {
  const blockPrivate = input.blockPrivate ?? true;
  if (!input.isPrivate || !blockPrivate) return { kind: input.alreadyLinked ? 'update' : 'create' };
  if (input.alreadyLinked) return { kind: 'skip', reason: 'private-updates-blocked' };
  return { kind: 'skip', reason: input.origin === 'backfill' ? 'private-before-integration' : 'private-at-first-sight' };
}

export interface ConfidentialJobInput {
  /** The v3 job's `confidential`. */
  readonly jobConfidential: boolean;
  /** Config: block applications on confidential jobs (default false: the seed's default imports them). */
  readonly excludeConfidentialJobs?: boolean;
}

export type ApplicationInclusion = { readonly include: true } | { readonly include: false; readonly reason: 'confidential-job-excluded' };

/**
 * Seed, "Confidential Candidates": "Currently, the integration maps confidential Greenhouse contacts
 * as public Beamery contacts. However you can request that confidential Greenhouse contacts are
 * blocked". Per application: one on a confidential job is left out when the block is configured.
 */
export function confidentialJobRule(input: ConfidentialJobInput): ApplicationInclusion {
  if (input.jobConfidential && (input.excludeConfidentialJobs ?? false)) return { include: false, reason: 'confidential-job-excluded' };
  return { include: true };
}

export interface ConfidentialCandidateInput {
  /** Applications left out by confidentialJobRule. */
  readonly excludedConfidentialApplications: number;
  /** Applications kept (including jobless prospect applications). */
  readonly includedApplications: number;
}

/**
 * A candidate whose every application sits on an excluded confidential job is a "confidential
 * Greenhouse contact" and is not imported at all; one with any other application (or a prospect
 * application) is imported without the confidential ones.
 */
export function confidentialCandidateRule(input: ConfidentialCandidateInput): { readonly skip: false } | { readonly skip: true; readonly reason: 'only-confidential-applications' } {
  if (input.excludedConfidentialApplications > 0 && input.includedApplications === 0) return { skip: true, reason: 'only-confidential-applications' };
  return { skip: false };
}

export interface AnonymizedBlockInput {
  /** The linked Beamery contact is anonymized (IdMap status `anonymized`, or the contact reads as anonymized). */
  readonly linkedContactAnonymized: boolean;
  /**
   * One of the candidate's normalised emails is recorded in the Ledger as belonging to an anonymized
   * person and no consent has been recorded since (LedgerStore.isBlockedAsAnonymized).
   */
  readonly identityBlockedAsAnonymized: boolean;
}

export type AnonymizedBlockReason = 'contact-anonymized' | 'anonymized-until-consent';

/**
 * Seed, "GDPR - Anonymize Contacts": "Once a contact is anonymized in Beamery, contact information is
 * deleted and any updates from the ATS are blocked", and "Greenhouse allows anonymised contacts to be
 * re-added, while Beamery does not allow this until candidate's consent is received. Contacts that
 * have been re-added in Greenhouse will NOT be added to Beamery until consent is received."
 */
export function anonymizedBlock(input: AnonymizedBlockInput): { readonly blocked: false } | { readonly blocked: true; readonly reason: AnonymizedBlockReason } {
  if (input.linkedContactAnonymized) return { blocked: true, reason: 'contact-anonymized' };
  if (input.identityBlockedAsAnonymized) return { blocked: true, reason: 'anonymized-until-consent' };
  return { blocked: false };
}

/** Greenhouse job templates are not vacancies: only real jobs become Beamery vacancies. */
export function templateJobRule(job: { readonly is_template?: boolean | null }): { readonly skip: false } | { readonly skip: true; readonly reason: 'job-template' } {
  return job.is_template ? { skip: true, reason: 'job-template' } : { skip: false };
}
