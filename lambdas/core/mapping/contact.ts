import { createHash } from 'node:crypto';
import type { BeameryTag, ContactWrite } from '#core/beamery/records';
import type { Application, Attachment, Candidate, RejectionDetail } from '#core/greenhouse/records';
import { selectAttachments, type AttachmentPolicy, type AttachmentSelection } from './attachments.ts';
import { confidentialCandidateRule, confidentialJobRule } from './rules.ts';
import { compareStrings, pick, strip, trimmed, uniqueBy } from './values.ts';

export { changedFieldGroups, hashFieldGroup, hashFieldGroups } from './field-groups.ts';

/**
 * Greenhouse candidate (Harvest v3) → Beamery contact: the seed's "Contact Data Mapping" table.
 *
 * | Beamery                          | Greenhouse                                   |
 * | -------------------------------- | -------------------------------------------- |
 * | integration > greenhouse > id    | candidate id                                 |
 * | integration > greenhouse > url   | `<app url>/people/<id>` (generated)          |
 * | firstName / lastName             | first_name / last_name                       |
 * | emails (primary first)           | email_addresses                              |
 * | phoneNumbers (primary first)     | phone_numbers                                |
 * | links                            | website_addresses + social_media_addresses   |
 * | location > address               | addresses (the first)                        |
 * | primary role title / company     | title / company                              |
 * | profile tags                     | tags (names)                                 |
 * | creation source = Greenhouse     | — (only on contact creation)                 |
 * | vacancyId / stageName / rejectionReason per vacancy | applications → job, current stage, rejection reason |
 *
 * Attachments are selected by attachments.ts and notes mapped by notes.ts. Not mapped from
 * Greenhouse, per the seed: consent status and date, global tags (Beamery → Greenhouse only),
 * "credited to", custom fields, hired/rejected flags (only the rejection reason travels).
 */

export const DEFAULT_GREENHOUSE_APP_URL = 'https://app.greenhouse.io';
export const GREENHOUSE_CREATION_SOURCE = 'Greenhouse';

/** What the reconciler knows about a job an application points at. */
export interface LinkedJob {
  /** The Beamery vacancy linked to the job (IdMap); undefined while the job has not been synced yet. */
  readonly vacancyId?: string;
  /** The v3 job's `confidential`. */
  readonly confidential?: boolean;
}

/** Everything the contact mapping reads: the v3 records and the lookups the reconciler loaded. */
export interface CandidateSnapshot {
  readonly candidate: Candidate;
  readonly applications: readonly Application[];
  /** By Greenhouse job id. A job missing here is treated as not linked yet. */
  readonly jobs: ReadonlyMap<number, LinkedJob>;
  /** Job interview stage names by `job_interview_stage_id`. */
  readonly stageNames: ReadonlyMap<number, string>;
  /** Rejection reason names by `rejection_reason_id`. */
  readonly rejectionReasons: ReadonlyMap<number, string>;
  /**
   * Rejection reason ids by application id, from `/v3/rejection_details` (the official v3
   * application has no `rejection_reason_id`); an application missing here falls back to its own.
   */
  readonly rejectionReasonIds?: ReadonlyMap<number, number>;
  /** The candidate's attachment metadata (v3 attachments of all their applications). */
  readonly attachments: readonly Attachment[];
  /** The name of the Greenhouse source of the candidate's first application (`firstApplicationSourceId`). */
  readonly sourceName?: string;
}

export interface ContactMappingOptions {
  /** Base of Greenhouse's web app for the "View in ATS" URL (default https://app.greenhouse.io). */
  readonly greenhouseAppUrl?: string;
  /** Config: leave out applications on confidential jobs (default false). */
  readonly excludeConfidentialJobs?: boolean;
  readonly attachments?: AttachmentPolicy;
}

/** The contact's place on one Beamery vacancy (seed: vacancyId, Vacancy Stage (required), Rejection Reason). */
export interface VacancyMembership {
  readonly vacancyId: string;
  readonly stageName: string;
  readonly rejectionReason?: string;
}

export type ApplicationOutcome =
  | 'membership'
  /** A prospect application, or one without a job: seed "Contact (prospect): Prospect not in any vacancy". */
  | 'prospect'
  /** The prospect application a candidate application replaced. */
  | 'converted'
  | 'job-not-linked'
  | 'confidential-job-excluded'
  | 'stage-unknown'
  /** Another application of the candidate on the same vacancy wins (Beamery holds one membership per vacancy). */
  | 'superseded';

export interface ApplicationAccount {
  readonly applicationId: number;
  readonly jobId?: number;
  readonly outcome: ApplicationOutcome;
}

export interface ContactMapping {
  /** Fields written on creation and on every update. */
  readonly contact: ContactWrite;
  /** Fields written only when the contact is created (seed: creation source "Greenhouse"; Source "Only on contact creation"). */
  readonly creationOnly: Pick<ContactWrite, 'creationSource' | 'source'>;
  /** By vacancy id. */
  readonly memberships: readonly VacancyMembership[];
  /** What became of every application, by application id. */
  readonly applications: readonly ApplicationAccount[];
  /** Jobs some application points at that have no Beamery vacancy yet: sync them, then this candidate again. */
  readonly unlinkedJobIds: readonly number[];
  /** Applications left out as confidential: their notes and attachments stay in Greenhouse too. */
  readonly excludedApplicationIds: readonly number[];
  /** Set when every application sits on an excluded confidential job: the candidate is not imported. */
  readonly skip?: { readonly reason: 'only-confidential-applications' };
  readonly attachments: AttachmentSelection;
}

export function mapCandidateToContact(snapshot: CandidateSnapshot, options: ContactMappingOptions = {}): ContactMapping {
  const c = snapshot.candidate;
  const emails = uniqueBy(values(c.email_addresses), (e) => e.toLowerCase());
  const phones = uniqueBy(values(c.phone_numbers), (p) => p);
  const links = uniqueBy([...values(c.website_addresses), ...values(c.social_media_addresses)], (l) => l);
  const address = values(c.addresses)[0];
  const title = trimmed(c.title);
  const company = trimmed(c.company);

  const contact: ContactWrite = strip({
    firstName: trimmed(c.first_name),
    lastName: trimmed(c.last_name),
    primaryEmail: emails[0],
    emails,
    primaryPhoneNumber: phones[0],
    phoneNumbers: phones,
    links,
    location: address ? { address } : undefined,
    currentRole: title || company ? strip({ title, company }) : undefined,
    profileTags: profileTagLabels(c.tags ?? []),
    greenhouseCandidateId: String(c.id),
    greenhouseProfileUrl: greenhouseProfileUrl(c.id, options.greenhouseAppUrl),
  });

  const applications = mapApplications(snapshot, options);
  const excludedApplicationIds = applications.accounts.filter((a) => a.outcome === 'confidential-job-excluded').map((a) => a.applicationId);
  const confidential = confidentialCandidateRule({
    excludedConfidentialApplications: excludedApplicationIds.length,
    includedApplications: applications.accounts.length - excludedApplicationIds.length,
  });

  return {
    contact,
    creationOnly: strip({ creationSource: GREENHOUSE_CREATION_SOURCE, source: trimmed(snapshot.sourceName) }),
    memberships: applications.memberships,
    applications: applications.accounts,
    unlinkedJobIds: [...new Set(applications.accounts.filter((a) => a.outcome === 'job-not-linked').map((a) => a.jobId!))].sort((a, b) => a - b),
    excludedApplicationIds,
    ...(confidential.skip ? { skip: { reason: confidential.reason } } : {}),
    attachments: selectAttachments(snapshot.attachments, { ...options.attachments, excludedApplicationIds: new Set(excludedApplicationIds) }),
  };
}

/**
 * The source a contact is created with: Greenhouse keeps sources per application, Beamery one per
 * contact, so the first application's (earliest `created_at`, v1's `applied_at` [H], then id) tells how the person came.
 */
export function firstApplicationSourceId(applications: readonly Pick<Application, 'id' | 'created_at' | 'source_id'>[]): number | undefined {
  const first = [...applications].sort((a, b) => (a.created_at ?? '').localeCompare(b.created_at ?? '') || a.id - b.id)[0];
  return first?.source_id ?? undefined;
}

/** The write for a new contact: every mapped field plus the creation-only ones. */
export function contactWriteForCreate(mapped: ContactMapping): ContactWrite {
  return { ...mapped.contact, ...mapped.creationOnly };
}

/** The "View in ATS" URL: `<app url>/people/<candidate id>`. */
export function greenhouseProfileUrl(candidateId: number | string, appUrl: string = DEFAULT_GREENHOUSE_APP_URL): string {
  return `${appUrl.replace(/\/+$/, '')}/people/${candidateId}`;
}

// ---------------------------------------------------------------------------------------------
// Tags
// ---------------------------------------------------------------------------------------------

/** Tag names are matched trimmed and case-insensitively, so `Python` and `python ` never become two Beamery tags. */
export function normaliseTagName(name: string): string {
  return name.trim().toLowerCase();
}

/**
 * Greenhouse tags → the seed's Beamery *profile* tags (not global tags, which are the tenant's shared
 * list): labels, one per normalised name, sorted for a stable hash.
 */
export function profileTagLabels(names: readonly string[]): string[] {
  return uniqueBy(names.map((n) => n.trim()).filter(Boolean), normaliseTagName).sort((a, b) => compareStrings(normaliseTagName(a), normaliseTagName(b)));
}

/**
 * The Beamery global tag id for a tag name (the bridge's own tags, e.g. the deletion tag).
 *
 * ASSUMPTION (no evidence either way): Beamery `globalTags` are `{id, value}` with tenant tag ids, and
 * no public endpoint lists or creates tags. The id is derived from the normalised name, so the same
 * label always yields the same id and a re-sync is no change; the label is sent either way.
 */
export function derivedTagId(name: string): string {
  return `${DERIVED_TAG_PREFIX}${createHash('sha256').update(normaliseTagName(name)).digest('hex').slice(0, 16)}`;
}

const DERIVED_TAG_PREFIX = 'greenhouse-tag-';

/**
 * A global tag the bridge wrote itself (its id is derived): its own markers (deleted, merged in
 * Greenhouse), and Greenhouse's tags as earlier versions of the bridge wrote them. Neither is a tag a
 * Beamery user gave, so neither goes back to Greenhouse (a stale copy would re-add a removed tag).
 */
export function isBridgeTag(tag: Pick<BeameryTag, 'id'>): boolean {
  return tag.id.startsWith(DERIVED_TAG_PREFIX);
}

/** Labels → Beamery global tags, one per normalised name, sorted by label for a stable hash. */
export function mapTags(names: readonly string[]): BeameryTag[] {
  return profileTagLabels(names).map((label) => ({ id: derivedTagId(label), label }));
}

// ---------------------------------------------------------------------------------------------
// Applications → vacancy memberships
// ---------------------------------------------------------------------------------------------

interface Candidacy {
  readonly application: Application;
  readonly membership: VacancyMembership;
}

function mapApplications(snapshot: CandidateSnapshot, options: ContactMappingOptions): { memberships: VacancyMembership[]; accounts: ApplicationAccount[] } {
  const accounts: ApplicationAccount[] = [];
  const byVacancy = new Map<string, Candidacy[]>();
  const account = (application: Application, outcome: ApplicationOutcome) =>
    accounts.push({ applicationId: application.id, ...(application.job_id != null ? { jobId: application.job_id } : {}), outcome });

  for (const application of snapshot.applications) {
    if (application.status === 'converted') {
      account(application, 'converted');
      continue;
    }
    if (application.prospect || application.job_id == null) {
      account(application, 'prospect');
      continue;
    }
    const job = snapshot.jobs.get(application.job_id);
    if (!confidentialJobRule({ jobConfidential: job?.confidential ?? false, excludeConfidentialJobs: options.excludeConfidentialJobs }).include) {
      account(application, 'confidential-job-excluded');
      continue;
    }
    if (!job?.vacancyId) {
      account(application, 'job-not-linked');
      continue;
    }
    const stageName =
      (application.job_interview_stage_id != null ? trimmed(snapshot.stageNames.get(application.job_interview_stage_id)) : undefined) ?? trimmed(application.stage_name);
    if (!stageName) {
      account(application, 'stage-unknown');
      continue;
    }
    // Hired and rejected are flags in Greenhouse, not stages; Beamery has no flags. Only the rejection reason travels.
    const reasonId = application.status === 'rejected' ? (snapshot.rejectionReasonIds?.get(application.id) ?? application.rejection_reason_id) : undefined;
    const rejectionReason = reasonId != null ? trimmed(snapshot.rejectionReasons.get(reasonId)) : undefined;
    const candidacies = byVacancy.get(job.vacancyId) ?? [];
    candidacies.push({ application, membership: strip({ vacancyId: job.vacancyId, stageName, rejectionReason }) });
    byVacancy.set(job.vacancyId, candidacies);
  }

  const memberships: VacancyMembership[] = [];
  for (const vacancyId of [...byVacancy.keys()].sort()) {
    const [winner, ...others] = byVacancy.get(vacancyId)!.sort(preferredCandidacy);
    memberships.push(winner!.membership);
    account(winner!.application, 'membership');
    for (const other of others) account(other.application, 'superseded');
  }
  accounts.sort((a, b) => a.applicationId - b.applicationId);
  return { memberships, accounts };
}

/**
 * `CandidateSnapshot.rejectionReasonIds` from `/v3/rejection_details` rows: per application, the reason
 * of its latest rejection (rejected, reopened and rejected again leaves two rows).
 */
export function rejectionReasonIdsOf(details: readonly RejectionDetail[]): Map<number, number> {
  const latest = new Map<number, RejectionDetail>();
  for (const detail of details) {
    if (detail.rejection_reason_id == null) continue;
    const held = latest.get(detail.application_id);
    if (!held || (detail.rejected_at ?? '') > (held.rejected_at ?? '') || (detail.rejected_at === held.rejected_at && detail.id > held.id)) latest.set(detail.application_id, detail);
  }
  return new Map([...latest].map(([applicationId, detail]) => [applicationId, detail.rejection_reason_id!] as const));
}

/**
 * Two applications of one candidate on one job (re-applied after a rejection): an active or hired
 * one beats a rejected one, then the newer application (higher id) wins.
 */
function preferredCandidacy(a: Candidacy, b: Candidacy): number {
  const rank = (c: Candidacy) => (c.application.status === 'rejected' ? 1 : 0);
  return rank(a) - rank(b) || b.application.id - a.application.id;
}

// ---------------------------------------------------------------------------------------------
// Field groups
// ---------------------------------------------------------------------------------------------

export const CONTACT_FIELD_GROUPS = ['identity', 'integration', 'emails', 'phones', 'links', 'location', 'role', 'tags', 'applications'] as const;
export type ContactFieldGroup = (typeof CONTACT_FIELD_GROUPS)[number];

/** The ContactWrite fields each group owns (`applications` owns the memberships, written through their own calls). */
const GROUP_FIELDS: Readonly<Record<ContactFieldGroup, readonly (keyof ContactWrite)[]>> = {
  identity: ['firstName', 'lastName'],
  integration: ['greenhouseCandidateId', 'greenhouseProfileUrl'],
  emails: ['primaryEmail', 'emails'],
  phones: ['primaryPhoneNumber', 'phoneNumbers'],
  links: ['links'],
  location: ['location'],
  role: ['currentRole'],
  tags: ['profileTags'],
  applications: [],
};

/** The mapped contact split into the units the reconciler hashes and writes (see field-groups.ts). */
export function contactFieldGroups(mapped: ContactMapping): Record<ContactFieldGroup, unknown> {
  const groups = {} as Record<ContactFieldGroup, unknown>;
  for (const name of CONTACT_FIELD_GROUPS) {
    groups[name] = name === 'applications' ? mapped.memberships : pick(mapped.contact, GROUP_FIELDS[name]);
  }
  return groups;
}

/** The part of the mapped contact that belongs to the given groups: the update for the groups that changed. */
export function contactWriteForGroups(mapped: ContactMapping, groups: Iterable<ContactFieldGroup>): ContactWrite {
  let write: ContactWrite = {};
  for (const name of groups) write = { ...write, ...pick(mapped.contact, GROUP_FIELDS[name]) };
  return write;
}

/** The trimmed, non-blank `value`s of a v3 typed list (emails, phones, addresses, links). */
function values(list: readonly { readonly value: string }[] | null | undefined): string[] {
  return (list ?? []).map((item) => item.value.trim()).filter(Boolean);
}

