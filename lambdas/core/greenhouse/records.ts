import * as z from '#core/zod-mini';

/**
 * Harvest v3 read shapes (reference §4) as zod schemas. Every object is loose: a field Greenhouse
 * adds tomorrow passes through untouched and never fails a read. Only what the bridge relies on is
 * required; the rest is optional and nullable, because v3's exact nullability is rarely documented.
 */
const id = z.number().check(z.int());
const idOrNull = z.nullish(id);
const text = z.nullish(z.string());
const iso = z.nullish(z.string());
const ids = z.nullish(z.array(id));

const typedValue = z.looseObject({ value: z.string(), type: z.nullish(z.string()) });

/** `{ <name_key>: {name, type, value} }` [H]. */
export const customFieldValues = z.record(z.string(), z.nullable(z.looseObject({ name: text, type: text, value: z.unknown() })));

export const candidateSchema = z.looseObject({
  id,
  first_name: text,
  last_name: text,
  preferred_name: text,
  company: text,
  title: text,
  created_at: iso,
  updated_at: iso,
  last_activity_at: iso,
  /** Read key `private` (the write key is `is_private`) [H]. */
  private: z.nullish(z.boolean()),
  can_email: z.nullish(z.boolean()),
  tags: z.nullish(z.array(z.string())),
  linked_user_ids: ids,
  time_zone: text,
  phone_numbers: z.nullish(z.array(typedValue)),
  email_addresses: z.nullish(z.array(typedValue)),
  addresses: z.nullish(z.array(typedValue)),
  website_addresses: z.nullish(z.array(typedValue)),
  social_media_addresses: z.nullish(z.array(z.looseObject({ value: z.string() }))),
  custom_fields: z.nullish(customFieldValues),
});
export type Candidate = z.infer<typeof candidateSchema>;

export const applicationSchema = z.looseObject({
  id,
  candidate_id: id,
  job_id: idOrNull,
  job_post_id: idOrNull,
  /** `in_process | rejected | hired | converted` (the filter says `active`) [H]. */
  status: text,
  prospect: z.nullish(z.boolean()),
  prospective_job_ids: ids,
  stage_id: idOrNull,
  stage_name: text,
  job_interview_stage_id: idOrNull,
  recruiter_id: idOrNull,
  coordinator_id: idOrNull,
  source_id: idOrNull,
  referrer_id: idOrNull,
  rejected_at: iso,
  /** Absent from the official v3 field list [M]: the reason is read from rejection_details. */
  rejection_reason_id: idOrNull,
  last_activity_at: iso,
  custom_fields: z.nullish(customFieldValues),
  created_at: iso,
  updated_at: iso,
});
export type Application = z.infer<typeof applicationSchema>;

export const jobSchema = z.looseObject({
  id,
  name: text,
  requisition_id: text,
  notes: text,
  confidential: z.nullish(z.boolean()),
  status: text,
  opened_at: iso,
  closed_at: iso,
  is_template: z.nullish(z.boolean()),
  department_id: idOrNull,
  office_ids: ids,
  custom_fields: z.nullish(customFieldValues),
  created_at: iso,
  updated_at: iso,
});
export type Job = z.infer<typeof jobSchema>;

export const jobInterviewStageSchema = z.looseObject({ id, job_id: id, name: text, sort_order: z.nullish(z.number()), active: z.nullish(z.boolean()) });
export type JobInterviewStage = z.infer<typeof jobInterviewStageSchema>;

/**
 * `GET /v3/job_interviews`: a slot of a job's interview plan, under one stage. The reference names
 * the endpoint only (§4.4); fields ASSUMED from the public v3 schema files. `job_interview_stage_id`
 * is what ties a scorecard (via its kit) to a stage.
 */
export const jobInterviewSchema = z.looseObject({
  id,
  job_id: idOrNull,
  job_interview_stage_id: idOrNull,
  name: text,
  sort_order: z.nullish(z.number()),
  scheduling_type: text,
  duration: z.nullish(z.number()),
  active: z.nullish(z.boolean()),
  require_scorecard: z.nullish(z.boolean()),
  created_at: iso,
  updated_at: iso,
});
export type JobInterview = z.infer<typeof jobInterviewSchema>;

/** `GET /v3/interview_kits`: one kit per job interview; fields ASSUMED as above. */
export const interviewKitSchema = z.looseObject({
  id,
  job_id: idOrNull,
  job_interview_id: idOrNull,
  created_at: iso,
  updated_at: iso,
});
export type InterviewKit = z.infer<typeof interviewKitSchema>;

/**
 * `GET /v3/interviews`: a scheduled interview (v1 scheduled_interviews; `starts_at`/`ends_at`,
 * null for all-day ones, §4.11 [H]). Other fields ASSUMED from the public v3 schema files.
 * `status` ∈ to_be_scheduled, scheduled, awaiting_feedback, complete, skipped, collect_feedback,
 * to_be_sent, sent, received: `awaiting_feedback` once it took place, `complete` once its
 * interviewers' scorecards are in.
 */
export const interviewSchema = z.looseObject({
  id,
  application_id: id,
  job_id: idOrNull,
  job_interview_id: idOrNull,
  status: text,
  starts_at: iso,
  ends_at: iso,
  all_day_start_on: text,
  all_day_end_on: text,
  organizer_id: idOrNull,
  created_at: iso,
  updated_at: iso,
});
export type Interview = z.infer<typeof interviewSchema>;

export const jobOwnerSchema = z.looseObject({ id, job_id: id, user_id: id, type: text, responsible: z.nullish(z.boolean()) });
export type JobOwner = z.infer<typeof jobOwnerSchema>;

export const jobHiringManagerSchema = z.looseObject({ id, job_id: id, user_id: id, responsible: z.nullish(z.boolean()) });
export type JobHiringManager = z.infer<typeof jobHiringManagerSchema>;

/** v3 job post fields are not in the reference: only id and job_id are relied on. */
export const jobPostSchema = z.looseObject({ id, job_id: idOrNull, title: text, live: z.nullish(z.boolean()), content: text });
export type JobPost = z.infer<typeof jobPostSchema>;

export const userSchema = z.looseObject({
  id,
  first_name: text,
  last_name: text,
  name: text,
  primary_email: text,
  emails: z.nullish(z.array(z.string())),
  employee_id: text,
  site_admin: z.nullish(z.boolean()),
  deactivated: z.nullish(z.boolean()),
  department_ids: ids,
  office_ids: ids,
});
export type User = z.infer<typeof userSchema>;

export const sourceSchema = z.looseObject({ id, name: text, type: z.nullish(z.looseObject({ id: idOrNull, name: text })) });
export type Source = z.infer<typeof sourceSchema>;
/** `GET /v3/referrers`: "credited to" in v3 is a Referrer record, linked to a user when it is one [M]. */
export const referrerSchema = z.looseObject({ id, name: text, user_id: idOrNull });
export type Referrer = z.infer<typeof referrerSchema>;

export const departmentSchema = z.looseObject({ id, name: text, parent_id: idOrNull, external_id: text });
export type Department = z.infer<typeof departmentSchema>;

export const officeSchema = z.looseObject({ id, name: text, parent_id: idOrNull, external_id: text });
export type Office = z.infer<typeof officeSchema>;

export const noteSchema = z.looseObject({
  id,
  candidate_id: idOrNull,
  application_id: idOrNull,
  user_id: idOrNull,
  body: text,
  subject: text,
  type: text,
  /** Read spelling `publicly_visible`…; some answers may echo the write spelling `public` [L]. */
  visibility: text,
  created_at: iso,
  updated_at: iso,
});
export type Note = z.infer<typeof noteSchema>;

export const attachmentSchema = z.looseObject({
  id,
  application_id: idOrNull,
  candidate_id: idOrNull,
  type: text,
  filename: text,
  /** Signed, expires after 7 days [H]: download at once, never store it. */
  url: z.string(),
  created_at: iso,
  updated_at: iso,
});
export type Attachment = z.infer<typeof attachmentSchema>;

export const candidateTagSchema = z.looseObject({ id, name: z.string() });
export type CandidateTag = z.infer<typeof candidateTagSchema>;

export const appliedCandidateTagSchema = z.looseObject({ id, candidate_id: id, candidate_tag_id: id });
export type AppliedCandidateTag = z.infer<typeof appliedCandidateTagSchema>;

export const customFieldSchema = z.looseObject({
  id,
  name: text,
  name_key: z.string(),
  field_type: text,
  value_type: text,
  private: z.nullish(z.boolean()),
  api_only: z.nullish(z.boolean()),
  active: z.nullish(z.boolean()),
});
export type CustomField = z.infer<typeof customFieldSchema>;

export const customFieldOptionSchema = z.looseObject({ id, custom_field_id: idOrNull, name: text, external_id: text, active: z.nullish(z.boolean()) });
export type CustomFieldOption = z.infer<typeof customFieldOptionSchema>;

export const scorecardSchema = z.looseObject({
  id,
  application_id: idOrNull,
  /** The only link to a stage: kit → job interview → `job_interview_stage_id` [H for the field]. */
  interview_kit_id: idOrNull,
  interviewer_id: idOrNull,
  submitter_id: idOrNull,
  candidate_rating: text,
  status: text,
  interviewed_at: iso,
  submitted_at: iso,
  notes: text,
  private_notes: text,
  public_notes: text,
  created_at: iso,
  updated_at: iso,
});
export type Scorecard = z.infer<typeof scorecardSchema>;

export const rejectionReasonSchema = z.looseObject({
  id,
  name: text,
  type: z.nullish(z.looseObject({ id: idOrNull, key: text, name: text })),
});
export type RejectionReason = z.infer<typeof rejectionReasonSchema>;

/** `GET /v3/rejection_details`: one per rejection of an application (fields of the official reference [M]). */
export const rejectionDetailSchema = z.looseObject({
  id,
  application_id: id,
  rejection_reason_id: idOrNull,
  rejection_note_id: idOrNull,
  rejected_by_id: idOrNull,
  rejected_at: iso,
  created_at: iso,
  updated_at: iso,
});
export type RejectionDetail = z.infer<typeof rejectionDetailSchema>;

/**
 * `GET /v3/eeoc`: an application's voluntary self-identification, at most one per application
 * (scope `harvest:eeoc:list`). Fields as the official v3 reference lists them [M: a reading of the
 * reference and a client generated from its OpenAPI]; each answer `{id, description}` as in v1 [H for
 * v1], where v1's examples once spelled veteran_status's text `message` [H for v1], so both are read;
 * a skipped question is null or absent [L]. Read only by `bridge fairness-report`.
 */
const eeocAnswer = z.nullish(z.looseObject({ id: idOrNull, description: text, message: text }));
export const eeocSchema = z.looseObject({
  id: idOrNull,
  application_id: id,
  candidate_id: idOrNull,
  race: eeocAnswer,
  gender: eeocAnswer,
  veteran_status: eeocAnswer,
  disability_status: eeocAnswer,
  submitted_at: iso,
});
export type Eeoc = z.infer<typeof eeocSchema>;

/**
 * `GET /v3/job_notes`: private notes on a job. Fields and `visibility` (`admin_only_visible` |
 * `privately_visible`) as a public implementation reads and writes them [M].
 */
export const jobNoteSchema = z.looseObject({ id, job_id: id, user_id: idOrNull, body: text, visibility: text, created_at: iso, updated_at: iso });
export type JobNote = z.infer<typeof jobNoteSchema>;

/**
 * `GET /v3/offers`: one row per offer *version* [H: response fields of the official reference page, S13
 * registry]. A new version (start date or a version-triggering custom field changed) is a new row with
 * its own `id` and the old one turns `Deprecated` [M]; `current_only=true` lists the latest version per
 * application. `status` is capitalised: Created | Accepted | Rejected | Deprecated [H]. Dates
 * `starts_on`/`sent_on` are `YYYY-MM-DD`; pay is in `custom_fields` (currency / currency_range values,
 * read with moneyOf / moneyRangeOf).
 */
export const offerSchema = z.looseObject({
  id,
  version: z.nullish(z.number()),
  application_id: id,
  job_id: idOrNull,
  candidate_id: idOrNull,
  opening_id: idOrNull,
  status: text,
  starts_on: text,
  sent_on: text,
  resolved_at: iso,
  custom_fields: z.nullish(customFieldValues),
  created_at: iso,
  updated_at: iso,
});
export type Offer = z.infer<typeof offerSchema>;
export type OfferStatus = 'Created' | 'Accepted' | 'Rejected' | 'Deprecated';

/**
 * `GET /v3/approval_flows` [H: official reference fields, S13 registry]: `approval_type` open_job |
 * offer_job | offer_candidate (an offer's own flow carries its `offer_id`), `approval_status` pending |
 * approved | rejected, `sequential` (groups in turn, or all at once), `requested_by_id` (who asked for
 * the approvals: null until they are requested). v3 does not embed the approver groups (v1 did): they
 * are `GET /v3/approver_groups?approval_flow_ids=`, their people `GET /v3/approvers?approver_group_ids=`.
 */
export const approvalFlowSchema = z.looseObject({
  id,
  job_id: idOrNull,
  offer_id: idOrNull,
  approval_type: text,
  approval_status: text,
  sequential: z.nullish(z.boolean()),
  version: z.nullish(z.number()),
  requested_by_id: idOrNull,
  created_at: iso,
  updated_at: iso,
});
export type ApprovalFlow = z.infer<typeof approvalFlowSchema>;
export type ApprovalType = 'open_job' | 'offer_job' | 'offer_candidate';

/** `GET /v3/approver_groups`: `approvals_required` of its approvers (M of N), in `sort_order` [H]. */
export const approverGroupSchema = z.looseObject({
  id,
  approval_flow_id: id,
  approvals_required: z.nullish(z.number()),
  sort_order: z.nullish(z.number()),
  resolved_at: iso,
  required_for_exception: z.nullish(z.boolean()),
  created_at: iso,
  updated_at: iso,
});
export type ApproverGroup = z.infer<typeof approverGroupSchema>;

/** `GET /v3/approvers`: one user in a group; `status` waiting | due | approved | rejected [H]. */
export const approverSchema = z.looseObject({
  id,
  approver_group_id: id,
  user_id: idOrNull,
  status: text,
  request_sent_at: iso,
  resolved_at: iso,
  sort_order: z.nullish(z.number()),
  created_at: iso,
  updated_at: iso,
});
export type Approver = z.infer<typeof approverSchema>;

/**
 * What `POST /v3/approval_flows/{id}/request_approvals` answered. No public source shows the body
 * (v1 documented none): the flow, an empty 204 or a message are all taken, and the client reads the
 * flow back either way (ApprovalRequest).
 */
export const approvalRequestReplySchema = z.nullish(z.looseObject({ id: z.optional(id), approval_status: text, message: text }));

/**
 * `GET /v3/application_stages`: the stage history, one row per stage an application has been in [H:
 * official reference fields]. `entered_at`/`exited_at` may be null for backfilled history [H];
 * `current` marks the stage it is in now; `job_interview_stage_id` joins `/v3/job_interview_stages`.
 */
export const applicationStageSchema = z.looseObject({
  id,
  application_id: id,
  job_interview_stage_id: idOrNull,
  entered_at: iso,
  exited_at: iso,
  days_in_stage: z.nullish(z.number()),
  current: z.nullish(z.boolean()),
  created_at: iso,
  updated_at: iso,
});
export type ApplicationStage = z.infer<typeof applicationStageSchema>;

/**
 * `GET /v3/openings` [H]: `open` (v1's status), `opening_id` the customer's label, `application_id` the
 * hire that filled it, `target_start_on` (`YYYY-MM-DD`, may be null).
 */
export const openingSchema = z.looseObject({
  id,
  job_id: id,
  opening_id: text,
  open: z.nullish(z.boolean()),
  application_id: idOrNull,
  close_reason_id: idOrNull,
  target_start_on: text,
  opened_at: iso,
  closed_at: iso,
  custom_fields: z.nullish(customFieldValues),
  created_at: iso,
  updated_at: iso,
});
export type Opening = z.infer<typeof openingSchema>;

const amount = z.union([z.number(), z.string().check(z.regex(/^-?\d+(\.\d+)?$/))]);
/**
 * A `currency` custom-field value in either spelling seen in public sources: `{amount, unit}` (the
 * official webhook examples [H]) or `{amount, currency_code}` (a public v3 implementation's writes [L]).
 * Which one v3 reads answer is not published (simulator switch `currencyValues`).
 */
const currencyValue = z.looseObject({ amount, unit: z.optional(z.string()), currency_code: z.optional(z.string()) });
const currencyRangeValue = z.looseObject({
  min_value: z.optional(amount),
  max_value: z.optional(amount),
  min_amount: z.optional(amount),
  max_amount: z.optional(amount),
  unit: z.optional(z.string()),
  currency_code: z.optional(z.string()),
});

export interface Money {
  readonly amount: number;
  readonly currency: string | null;
}
export interface MoneyRange {
  readonly min: number;
  readonly max: number;
  readonly currency: string | null;
}

/** The amount and currency of a `currency` value, whichever spelling; undefined when it is not one. */
export function moneyOf(value: unknown): Money | undefined {
  const parsed = currencyValue.safeParse(value);
  if (!parsed.success) return undefined;
  return { amount: Number(parsed.data.amount), currency: parsed.data.unit ?? parsed.data.currency_code ?? null };
}

/** The bounds and currency of a `currency_range` (or `number_range`) value, whichever spelling. */
export function moneyRangeOf(value: unknown): MoneyRange | undefined {
  const parsed = currencyRangeValue.safeParse(value);
  if (!parsed.success) return undefined;
  const min = parsed.data.min_value ?? parsed.data.min_amount;
  const max = parsed.data.max_value ?? parsed.data.max_amount;
  if (min === undefined || max === undefined) return undefined;
  return { min: Number(min), max: Number(max), currency: parsed.data.unit ?? parsed.data.currency_code ?? null };
}

/** Every list resource the client reads, with its schema. */
export const RESOURCE_SCHEMAS = {
  candidates: candidateSchema,
  applications: applicationSchema,
  jobs: jobSchema,
  job_interview_stages: jobInterviewStageSchema,
  job_interviews: jobInterviewSchema,
  interview_kits: interviewKitSchema,
  interviews: interviewSchema,
  job_owners: jobOwnerSchema,
  job_hiring_managers: jobHiringManagerSchema,
  job_posts: jobPostSchema,
  users: userSchema,
  sources: sourceSchema,
  referrers: referrerSchema,
  departments: departmentSchema,
  offices: officeSchema,
  notes: noteSchema,
  job_notes: jobNoteSchema,
  attachments: attachmentSchema,
  candidate_tags: candidateTagSchema,
  applied_candidate_tags: appliedCandidateTagSchema,
  custom_fields: customFieldSchema,
  custom_field_options: customFieldOptionSchema,
  scorecards: scorecardSchema,
  rejection_reasons: rejectionReasonSchema,
  rejection_details: rejectionDetailSchema,
  eeoc: eeocSchema,
  offers: offerSchema,
  approval_flows: approvalFlowSchema,
  approver_groups: approverGroupSchema,
  approvers: approverSchema,
  application_stages: applicationStageSchema,
  openings: openingSchema,
} as const;

export type ResourceName = keyof typeof RESOURCE_SCHEMAS;
export type ResourceOf<K extends ResourceName> = z.infer<(typeof RESOURCE_SCHEMAS)[K]>;
