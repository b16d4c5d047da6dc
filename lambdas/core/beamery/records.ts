/**
 * Beamery as the rest of the bridge sees it: our names, our shapes. Nothing here is Beamery's wire
 * format; the parsers in `wire/` turn whatever the tenant answers (two list envelopes, two timestamp
 * spellings, identity lists as objects, strings or keyed maps) into these types, and the body
 * builders turn them back into what we assume Beamery accepts. Evidence for each is in
 * `operations.ts` and docs/beamery-assumptions.md.
 */

export interface BeameryLocation {
  readonly address?: string;
  readonly city?: string;
  readonly country?: string;
  readonly countryCode?: string;
  readonly postCode?: string;
}

export interface BeameryExperience {
  readonly company?: string;
  readonly title?: string;
  readonly current?: boolean;
  readonly startDate?: string;
  readonly endDate?: string;
}

export interface BeameryTag {
  readonly id: string;
  readonly label?: string;
}

export interface BeameryCustomFieldValue {
  readonly id: string;
  readonly value: unknown;
  readonly label?: string;
}

export interface BeameryContact {
  readonly id: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly fullName?: string;
  readonly primaryEmail?: string;
  /** Every address, primary first, de-duplicated case-insensitively. */
  readonly emails: readonly string[];
  readonly primaryPhoneNumber?: string;
  readonly phoneNumbers: readonly string[];
  /** URLs. */
  readonly links: readonly string[];
  readonly location?: BeameryLocation;
  /** The current position: `experience[current]`, else `primaryExperience` (read-only on Beamery). */
  readonly currentRole?: { readonly title?: string; readonly company?: string };
  readonly experience: readonly BeameryExperience[];
  /** Global tags (`globalTags`): the tenant's shared tags. */
  readonly tags: readonly BeameryTag[];
  /** Seed "Profile Tags": labels in the configured field (ASSUMED name `tags`, BEAMERY_PROFILE_TAGS_FIELD); absent = none read. */
  readonly profileTags?: readonly string[];
  readonly customFields: readonly BeameryCustomFieldValue[];
  readonly assignedToUserId?: string;
  readonly statusLabel?: string;
  readonly creationSource?: string;
  /** How the contact is known to the company, e.g. "LinkedIn" (seed: `source`, enum; ASSUMED read as `source {value}` or a string). */
  readonly source?: string;
  /** Seed: `consentStatus` (boolean): `'true'`/`'false'`, or the label a tenant sends instead (ASSUMED shape). */
  readonly consentStatus?: string;
  /** Seed: `lastConsentDate` (date), ISO-8601 UTC like the other timestamps (ASSUMED shape). */
  readonly lastConsentDate?: string;
  /** From `integrations.greenhouse.id` or the configured custom field (see the client options). */
  readonly greenhouseCandidateId?: string;
  /** Set on a contact that was merged away: the survivor's id. */
  readonly mergedIntoId?: string;
  /** Set on a survivor: the ids merged into it. */
  readonly mergedFromIds: readonly string[];
  readonly archivedAt?: string;
  /** ASSUMED rule: archived and stripped of names (Beamery publishes no flag). */
  readonly anonymized: boolean;
  readonly doNotCampaign?: boolean;
  readonly confidential?: boolean;
  readonly createdAt?: string;
  /** Missing only if the tenant sends neither `updatedAt` nor `updatedTime` (the docs' own example does not). */
  readonly updatedAt?: string;
  /** The payload as received, for debugging. Non-enumerable: it never reaches JSON logs by accident. */
  readonly raw: unknown;
}

/** What the bridge writes to a contact. Omitted fields are left alone; see `patchArrays` in the docs for lists. */
export interface ContactWrite {
  readonly firstName?: string;
  readonly lastName?: string;
  readonly primaryEmail?: string;
  readonly emails?: readonly string[];
  readonly primaryPhoneNumber?: string;
  readonly phoneNumbers?: readonly string[];
  readonly links?: readonly string[];
  readonly location?: BeameryLocation;
  /** Written as the single current `experience` entry (S4): this replaces the experience list. */
  readonly currentRole?: { readonly title?: string; readonly company?: string };
  /** Global tags; Beamery replaces the whole list. */
  readonly tags?: readonly BeameryTag[];
  /** Profile tags as labels, in the configured field; assumed to replace the whole list like `globalTags`. */
  readonly profileTags?: readonly string[];
  /** Beamery replaces the whole list (S4): pass every custom field to keep. An empty list is never sent. */
  readonly customFields?: readonly { readonly id: string; readonly value: unknown }[];
  readonly assignedToUserId?: string;
  readonly statusLabel?: string;
  readonly creationSource?: string;
  /** Seed "Source" (`source`, enum), e.g. "Referral": written like `creationSource`, as `{value}` (ASSUMED). */
  readonly source?: string;
  readonly greenhouseCandidateId?: string;
  /** The candidate's Greenhouse profile URL, stored beside the id when written to `integrations`. */
  readonly greenhouseProfileUrl?: string;
}

export interface BeameryStage {
  readonly id: string;
  readonly name: string;
  readonly order?: number;
}

/** The vacancy fields the bridge writes as well as reads. */
export interface VacancyFields {
  readonly title?: string;
  readonly status?: string;
  readonly departmentId?: string;
  readonly description?: string;
  /** Beamery keeps salary as a string (S2). */
  readonly salary?: string;
  readonly employmentType?: string;
  readonly priority?: string;
  readonly published?: boolean;
  readonly remote?: boolean;
  readonly jobUrl?: string;
  readonly requisitionId?: string;
  readonly location?: BeameryLocation;
  readonly ownerUserId?: string;
  readonly greenhouseJobId?: string;
  /** Seed "Department" (its name), "Managed By", "Sourced By", "Privacy": written under the configured names (wire/vacancy.ts). */
  readonly department?: string;
  readonly managedBy?: string;
  readonly sourcedBy?: string;
  readonly privacy?: 'public' | 'private';
}

export interface BeameryVacancy extends VacancyFields {
  readonly id: string;
  readonly stages: readonly BeameryStage[];
  readonly tags: readonly BeameryTag[];
  readonly createdAt?: string;
  readonly updatedAt?: string;
  readonly raw: unknown;
}

export interface VacancyWrite extends VacancyFields {
  /** The job's interview stages in order; stage ids survive an update when the name stays. */
  readonly stages?: readonly { readonly name: string; readonly order?: number }[];
  readonly tags?: readonly BeameryTag[];
}

export interface BeameryMembership {
  readonly contactId: string;
  readonly vacancyId: string;
  readonly stage?: { readonly id?: string; readonly name?: string };
  /** Seed: "Rejection Reason associated to the vacancies the contact applied to" (field name ASSUMED). */
  readonly rejectionReason?: string;
  readonly updatedAt?: string;
}

export interface BeameryNote {
  readonly id: string;
  readonly contactId?: string;
  readonly text: string;
  readonly isPrivate: boolean;
  readonly authorUserId?: string;
  readonly createdAt?: string;
}

export interface NoteWrite {
  readonly text: string;
  /** Beamery timeline notes are public unless marked private (S12). */
  readonly isPrivate: boolean;
  readonly authorUserId?: string;
  /** When the note was written at its origin (Greenhouse), kept so timelines line up. */
  readonly occurredAt?: string;
}

export interface BeameryAttachment {
  readonly id: string;
  readonly fileName?: string;
  readonly contentType?: string;
  readonly sizeBytes?: number;
  readonly createdAt?: string;
}

/**
 * Beamery's profile-attachment limits: 25 MB and these types (HIGH for the product, S12 bulk
 * attachments article; the API's own limits are unknown, and the migration path caps files at 10 MB).
 * The mapping leaves other files in Greenhouse; the adapter refuses them before any request.
 */
export const BEAMERY_ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024;
export const BEAMERY_ATTACHMENT_EXTENSIONS = ['.txt', '.doc', '.docx', '.pdf', '.jpg', '.jpeg', '.tif', '.png'] as const;

export interface AttachmentUpload {
  readonly fileName: string;
  readonly contentType?: string;
  readonly bytes: Uint8Array;
}

export interface BeameryUser {
  readonly id: string;
  readonly email?: string;
  readonly name?: string;
}

/** One page of an offset-paged list; `nextOffset` is absent on the last page. */
export interface BeameryPage<T> {
  readonly items: readonly T[];
  readonly total?: number;
  readonly nextOffset?: number;
}

/** What an operation without public evidence answers when the tenant's API lacks it. */
export const UNSUPPORTED = 'unsupported' as const;
export type Unsupportable<T> = T | typeof UNSUPPORTED;
