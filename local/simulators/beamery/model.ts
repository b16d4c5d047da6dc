import * as z from 'zod';

/**
 * The simulated tenant's records, and the request bodies it accepts. The stored shape is the read
 * shape of the docs (S2: emails/phones/links as `{id, value, type}` objects); `render.ts` turns it
 * into whichever wire variant is switched on. Field names come from reference §2.2/§2.3 (contacts:
 * S2, S4, S10; vacancies: S2, S5). Bodies are strict so a client typo fails loudly here instead of
 * being silently ignored, which the real API may well do.
 */

export interface StoredValue {
  readonly id: string;
  readonly value: string;
  readonly type?: string;
  readonly service?: string;
}

export interface StoredContact {
  id: string;
  firstName?: string;
  lastName?: string;
  middleNames?: string[];
  fullName?: string;
  headline?: string;
  summary?: string;
  primaryEmail?: string;
  emails: StoredValue[];
  primaryPhoneNumber?: string;
  phoneNumbers: StoredValue[];
  links: StoredValue[];
  location?: Record<string, unknown>;
  experience: Record<string, unknown>[];
  education: Record<string, unknown>[];
  skills: string[];
  languages: { value: string }[];
  globalTags: { id: string; value?: string }[];
  /** The seed's profile tags (Field Reference `tags`, labels; ASSUMED name and shape, switch `fields.profileTags`). */
  tags: string[];
  customFields: { id: string; value: unknown; displayName?: string }[];
  lists: { id: string; name?: string }[];
  status?: { value: string };
  assignedTo?: string;
  creationSource?: { value: string };
  /** Seed `source` (enum); ASSUMED `{value}` like creationSource. */
  source?: { value: string };
  /** Seed `consentStatus` (boolean) and `lastConsentDate` (date); ASSUMED names and shapes. */
  consentStatus?: boolean;
  lastConsentDate?: string;
  integrations?: Record<string, unknown>;
  /** On the surviving contact: the ids merged into it (ASSUMED shape). */
  mergedWith: string[];
  /** On a merged-away contact: the id it was merged into (ASSUMED shape). */
  mergedIn?: string;
  archivedAt: string | null;
  doNotCampaign?: boolean;
  confidential?: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Simulator bookkeeping, never rendered: Beamery publishes no anonymized flag. */
  anonymized: boolean;
}

export interface StoredStage {
  readonly id: string;
  readonly name: string;
  readonly order: number;
}

export interface StoredVacancy {
  id: string;
  companyId: string;
  title: string;
  departmentId?: string;
  teamId?: string;
  location?: Record<string, unknown>;
  remote?: boolean;
  description?: string;
  salary?: string;
  type?: string;
  priority?: string;
  published?: boolean;
  jobUrl?: string;
  status?: string;
  owner?: string;
  requisitionId?: string;
  /** The seed's vacancy fields by their Field Reference (ASSUMED; switch `fields.vacancy`). */
  department?: string;
  manager?: string;
  sourcer?: string;
  visibility?: string;
  integrations?: Record<string, unknown>;
  globalTags: { id: string; value?: string }[];
  stages: StoredStage[];
  createdAt: string;
  updatedAt: string;
}

export interface StoredMembership {
  readonly contactId: string;
  readonly vacancyId: string;
  stageId: string | null;
  /** Seed: "rejected candidates are easily identified with a rejection reason, which is a field on the application in Beamery" (ASSUMED spelling). */
  rejectionReason?: string;
  addedAt: string;
  updatedAt: string;
}

export interface StoredNote {
  readonly id: string;
  readonly contactId: string;
  readonly text: string;
  readonly private: boolean;
  readonly authorId?: string;
  readonly createdAt: string;
}

export interface StoredAttachment {
  readonly id: string;
  readonly contactId: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  /** sha256 of the bytes, so tests can check what arrived without keeping megabytes around. */
  readonly sha256: string;
  readonly createdAt: string;
}

export interface StoredUser {
  readonly id: string;
  readonly email: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly role?: string;
}

/** S4 writes identity lists as plain strings; the read shape `{value}` is accepted too. */
const valueInput = z.union([
  z.string().min(1),
  z.looseObject({ value: z.string().min(1), type: z.string().optional(), service: z.string().optional() }),
]);
export type ValueInput = z.infer<typeof valueInput>;

const tag = z.object({ id: z.string().min(1), value: z.string().optional() });

export const contactWriteSchema = z.strictObject({
  // S4 repeats the id in PATCH bodies.
  id: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  middleNames: z.array(z.string()).optional(),
  fullName: z.string().optional(),
  headline: z.string().optional(),
  summary: z.string().optional(),
  primaryEmail: z.string().optional(),
  emails: z.array(valueInput).optional(),
  primaryPhoneNumber: z.string().optional(),
  phoneNumbers: z.array(valueInput).optional(),
  links: z.array(valueInput).optional(),
  location: z.record(z.string(), z.unknown()).optional(),
  experience: z.array(z.record(z.string(), z.unknown())).optional(),
  education: z.array(z.record(z.string(), z.unknown())).optional(),
  skills: z.array(z.string()).optional(),
  languages: z.array(z.object({ value: z.string() })).optional(),
  globalTags: z.array(tag).optional(),
  tags: z.array(z.string().min(1)).optional(),
  // The same profile tags under the alternative name (`fields.profileTags: profileTags`); routes map it to `tags`.
  profileTags: z.array(z.string().min(1)).optional(),
  customFields: z.array(z.object({ id: z.string().min(1), value: z.unknown() })).optional(),
  status: z.object({ value: z.string() }).optional(),
  assignedTo: z.string().optional(),
  creationSource: z.object({ value: z.string() }).optional(),
  source: z.object({ value: z.string() }).optional(),
  consentStatus: z.boolean().optional(),
  lastConsentDate: z.union([z.iso.date(), z.iso.datetime({ offset: true })]).optional(),
  integrations: z.record(z.string(), z.unknown()).optional(),
  doNotCampaign: z.boolean().optional(),
  confidential: z.boolean().optional(),
});
export type ContactWriteBody = z.infer<typeof contactWriteSchema>;

const stageInput = z.object({ id: z.string().optional(), name: z.string().min(1), order: z.number().int().optional() });

export const vacancyWriteSchema = z.strictObject({
  id: z.string().optional(),
  title: z.string().min(1).optional(),
  departmentId: z.string().optional(),
  teamId: z.string().optional(),
  location: z.record(z.string(), z.unknown()).optional(),
  remote: z.boolean().optional(),
  description: z.string().optional(),
  // A string, not a number (S2).
  salary: z.string().optional(),
  type: z.string().optional(),
  priority: z.string().optional(),
  published: z.boolean().optional(),
  jobUrl: z.string().optional(),
  status: z.string().optional(),
  owner: z.string().optional(),
  requisitionId: z.string().optional(),
  // The seed's Field References of Department, Managed By, Sourced By (strings) and Privacy (an enum:
  // pools' values, S2). ASSUMED: no public API source names them; refused under `fields.vacancy: model-only`.
  department: z.string().optional(),
  manager: z.string().optional(),
  sourcer: z.string().optional(),
  visibility: z.enum(['public', 'private', 'standard']).optional(),
  integrations: z.record(z.string(), z.unknown()).optional(),
  globalTags: z.array(tag).optional(),
  stages: z.array(stageInput).optional(),
});

/** The fields a `fields.vacancy: model-only` tenant does not have. */
export const SEED_ONLY_VACANCY_FIELDS = ['department', 'manager', 'sourcer', 'visibility'] as const;
export type VacancyWriteBody = z.infer<typeof vacancyWriteSchema>;

export const membershipWriteSchema = z.strictObject({
  /** A stage id or name of the vacancy; omitted = the vacancy's first stage. */
  stage: z.string().min(1).optional(),
  /** The application's rejection reason (seed's contact mapping table); omitted = none. ASSUMED field name. */
  rejectionReason: z.string().min(1).optional(),
});

export const noteWriteSchema = z.strictObject({
  text: z.string().min(1),
  // Timeline notes are public by default in the product (S12).
  private: z.boolean().default(false),
  authorId: z.string().optional(),
  createdAt: z.iso.datetime().optional(),
});

export const attachmentWriteSchema = z.strictObject({
  fileName: z.string().min(1),
  contentType: z.string().optional(),
  /** The file's bytes, base64. */
  content: z.string(),
});

export const mergeSchema = z.strictObject({ primaryId: z.string().min(1), secondaryId: z.string().min(1) });

/** Profile attachment limits of the product (S12, HIGH for the product; the API's own are unknown). */
export const ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024;
export const ATTACHMENT_EXTENSIONS = ['.txt', '.doc', '.docx', '.pdf', '.jpg', '.jpeg', '.tif', '.png'] as const;
