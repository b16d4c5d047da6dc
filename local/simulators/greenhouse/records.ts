/**
 * The simulator's records: Harvest v3 read shapes (reference §4), plus a few simulator-only fields
 * that v3 does not return but the v1-shaped webhooks need (kept under names v3 never uses and
 * stripped by each resource's projection in resources.ts).
 *
 * Evidence: field lists are [H] in the reference unless a comment says otherwise. Where v3 leaves a
 * field's exact shape open, the choice here is marked "assumed".
 */

export type Id = number;
export type Iso = string;

export interface TypedValue {
  readonly value: string;
  readonly type: string;
}
export interface UntypedValue {
  readonly value: string;
}

/** Read shape of every `custom_fields` map: key = the field's immutable `name_key` [H]. */
export type CustomFieldValues = Record<string, { name: string; type: string; value: unknown }>;

export interface CandidateRecord {
  id: Id;
  first_name: string;
  last_name: string;
  preferred_name: string | null;
  company: string | null;
  title: string | null;
  created_at: Iso;
  updated_at: Iso;
  last_activity_at: Iso;
  /** Read key `private`; the write key is `is_private` (gotcha 4) [H]. */
  private: boolean;
  can_email: boolean;
  linked_user_ids: Id[];
  time_zone: string | null;
  phone_numbers: TypedValue[];
  email_addresses: TypedValue[];
  addresses: TypedValue[];
  website_addresses: TypedValue[];
  social_media_addresses: UntypedValue[];
  custom_fields: CustomFieldValues;
  // `tags` is derived from applied_candidate_tags when read, so the two views never disagree.
}

/** v3 `status` vocabulary: in_process (not `active`, which is the filter's word) [H]. */
export type ApplicationStatus = 'in_process' | 'rejected' | 'hired' | 'converted';

export interface ApplicationRecord {
  id: Id;
  candidate_id: Id;
  job_id: Id | null;
  job_post_id: Id | null;
  status: ApplicationStatus;
  prospect: boolean;
  prospective_job_ids: Id[];
  /** Application-stage instance id: a new one on every move (not a job-interview-stage id, gotcha 11). */
  stage_id: Id | null;
  stage_name: string | null;
  job_interview_stage_id: Id | null;
  recruiter_id: Id | null;
  coordinator_id: Id | null;
  source_id: Id | null;
  referrer_id: Id | null;
  rejected_at: Iso | null;
  rejection_reason_id: Id | null;
  last_activity_at: Iso;
  location_address: string | null;
  answers: { question: string; answer: string }[];
  custom_fields: CustomFieldValues;
  created_at: Iso;
  updated_at: Iso;
}

export interface JobRecord {
  id: Id;
  name: string;
  requisition_id: string | null;
  notes: string | null;
  confidential: boolean;
  status: 'open' | 'draft' | 'closed';
  opened_at: Iso | null;
  closed_at: Iso | null;
  is_template: boolean;
  copied_from_id: Id | null;
  department_id: Id | null;
  office_ids: Id[];
  custom_fields: CustomFieldValues;
  created_at: Iso;
  updated_at: Iso;
  /** Simulator-only: v1 webhooks carry `created_by_id`, v3 jobs do not. */
  sim_created_by_id: Id | null;
}

export interface JobInterviewStageRecord {
  id: Id;
  job_id: Id;
  name: string;
  /** `priority` was renamed `sort_order`; Application Review = 0 [H]. */
  sort_order: number;
  active: boolean;
  created_at: Iso;
  updated_at: Iso;
}

export interface JobOwnerRecord {
  id: Id;
  job_id: Id;
  user_id: Id;
  type: 'sourcer' | 'recruiter' | 'coordinator';
  responsible: boolean;
  created_at: Iso;
  updated_at: Iso;
}

export interface JobHiringManagerRecord {
  id: Id;
  job_id: Id;
  user_id: Id;
  responsible: boolean;
  created_at: Iso;
  updated_at: Iso;
}

export interface OpeningRecord {
  id: Id;
  job_id: Id;
  /** The customer's label for the opening [H]. */
  opening_id: string | null;
  open: boolean;
  application_id: Id | null;
  close_reason_id: Id | null;
  target_start_on: string | null;
  opened_at: Iso;
  closed_at: Iso | null;
  custom_fields: CustomFieldValues;
  created_at: Iso;
  updated_at: Iso;
}

export interface JobPostQuestion {
  required: boolean;
  private: boolean;
  label: string;
  type: string;
  values: string[];
}

/** v3 job post fields are not in the reference; these follow the v1 webhook's post (assumed). */
export interface JobPostRecord {
  id: Id;
  job_id: Id | null;
  title: string;
  location: string | null;
  content: string | null;
  internal_content: string | null;
  external: boolean;
  internal: boolean;
  live: boolean;
  questions: JobPostQuestion[];
  created_at: Iso;
  updated_at: Iso;
}

export interface UserRecord {
  id: Id;
  first_name: string;
  last_name: string;
  name: string;
  /** Service accounts have "" here [M]. */
  primary_email: string;
  emails: string[];
  employee_id: string | null;
  job_title: string | null;
  site_admin: boolean;
  deactivated: boolean;
  agency_id: Id | null;
  department_ids: Id[];
  office_ids: Id[];
  linked_candidate_ids: Id[];
  interviewer_tags: { id: Id; name: string }[];
  custom_fields: CustomFieldValues;
  created_at: Iso;
  updated_at: Iso;
  /** Simulator-only: hidden from GET /v3/users unless show_service_accounts=true (gotcha 9). */
  sim_service_account: boolean;
}

export interface SourceRecord {
  id: Id;
  name: string;
  type: { id: Id; name: string };
}

export interface ReferrerRecord {
  id: Id;
  name: string;
  user_id: Id | null;
}

export interface DepartmentRecord {
  id: Id;
  name: string;
  parent_id: Id | null;
  external_id: string | null;
}

export interface OfficeRecord {
  id: Id;
  name: string;
  parent_id: Id | null;
  external_id: string | null;
  /** v3 shape not given by the reference; a plain string as in v1 job webhooks (assumed). */
  location: string | null;
  primary_in_house_contact_user_id: Id | null;
}

export type NoteType = 'NOTE' | 'ACTIVITY' | 'EMAIL';
/** Read spelling; writes say public|private|admin_only (gotcha 4) [M]. */
export type NoteVisibility = 'publicly_visible' | 'privately_visible' | 'admin_only_visible';

/**
 * A private note on a job (`/v3/job_notes`): `job_id`, `user_id`, `body`, `visibility`
 * (`admin_only_visible` | `privately_visible`) [M: the list parameters generated from the official
 * v3 reference, and a public implementation's reads and writes].
 */
export type JobNoteVisibility = 'admin_only_visible' | 'privately_visible';
export interface JobNoteRecord {
  id: Id;
  job_id: Id;
  user_id: Id | null;
  body: string;
  visibility: JobNoteVisibility;
  created_at: Iso;
  updated_at: Iso;
}

export interface NoteRecord {
  id: Id;
  candidate_id: Id;
  application_id: Id | null;
  user_id: Id | null;
  body: string;
  body_with_tags: string;
  subject: string | null;
  type: NoteType;
  visibility: NoteVisibility;
  email_from: string[] | null;
  email_to: string[] | null;
  email_cc: string[] | null;
  email_attachment_file_names: string[];
  created_at: Iso;
  updated_at: Iso;
}

export interface AttachmentRecord {
  id: Id;
  application_id: Id;
  candidate_id: Id | null;
  type: string;
  filename: string;
  visibility: 'public' | 'admin_only' | 'private';
  content_type: string;
  created_at: Iso;
  updated_at: Iso;
  /** Simulator-only: the file's bytes, base64. `url` is minted per read (signed, time-limited). */
  sim_content_base64: string;
}

export interface CandidateTagRecord {
  id: Id;
  name: string;
  created_at: Iso;
  updated_at: Iso;
}

export interface AppliedCandidateTagRecord {
  id: Id;
  candidate_id: Id;
  candidate_tag_id: Id;
  created_at: Iso;
  updated_at: Iso;
}

export type CustomFieldType = 'candidate' | 'application' | 'job' | 'offer' | 'opening' | 'rejection_question';

export interface CustomFieldRecord {
  id: Id;
  name: string;
  name_key: string;
  field_type: CustomFieldType;
  value_type: string;
  private: boolean;
  required: boolean;
  api_only: boolean;
  trigger_new_version: boolean;
  active: boolean;
  created_at: Iso;
  updated_at: Iso;
}

export interface CustomFieldOptionRecord {
  id: Id;
  custom_field_id: Id;
  name: string;
  external_id: string | null;
  sort_order: number;
  active: boolean;
}

/**
 * `GET /v3/job_interviews`: one slot of a job's interview plan, under a stage. The reference names
 * the endpoint only (§4.4 [H]); the fields are ASSUMED from the public v3 schema files
 * (sam-vangelos/greenhouse-mcp v3-endpoint-inventory, OpenCompanyApp/integrations).
 */
export type SchedulingType = 'none' | 'needs_scheduling' | 'take_home_test' | 'offer';

export interface JobInterviewRecord {
  id: Id;
  job_id: Id;
  job_interview_stage_id: Id;
  name: string;
  /** Slot order within the stage. */
  sort_order: number;
  scheduling_type: SchedulingType;
  /** Minutes. */
  duration: number | null;
  active: boolean;
  require_scorecard: boolean | null;
  created_at: Iso;
  updated_at: Iso;
}

/**
 * `GET /v3/interview_kits`: one kit per job interview; a scorecard's `interview_kit_id` points here
 * [H for the scorecard field]. Kit fields ASSUMED as for job interviews.
 */
export interface InterviewKitRecord {
  id: Id;
  job_id: Id;
  job_interview_id: Id;
  exercises: string | null;
  anonymize_candidate: boolean;
  anonymize_resumes: boolean;
  created_at: Iso;
  updated_at: Iso;
}

/** The status enum of `GET /v3/interviews` (ASSUMED; the same values as the v1 webhook's interviews [H]). */
export const INTERVIEW_STATUSES = [
  'to_be_scheduled',
  'scheduled',
  'awaiting_feedback',
  'complete',
  'skipped',
  'collect_feedback',
  'to_be_sent',
  'sent',
  'received',
] as const;
export type InterviewStatus = (typeof INTERVIEW_STATUSES)[number];

/**
 * `GET /v3/interviews`: a scheduled interview (v1 `scheduled_interviews`, §4.11 [H] for the rename,
 * `starts_at`/`ends_at` and `all_day_*_on`); the other fields are ASSUMED from the public v3 schema
 * files. v3 carries no panel on the interview (that is `/v3/interviewers`, not simulated).
 */
export interface InterviewRecord {
  id: Id;
  job_id: Id | null;
  application_id: Id;
  job_interview_id: Id;
  status: InterviewStatus;
  starts_at: Iso | null;
  ends_at: Iso | null;
  all_day_start_on: string | null;
  all_day_end_on: string | null;
  location: string | null;
  organizer_id: Id | null;
  scheduled_at: Iso | null;
  external_event_id: string | null;
  video_conferencing_url: string | null;
  created_at: Iso;
  updated_at: Iso;
  /** Simulator-only: the panel, so the interview can turn `complete` when all of it has submitted. */
  sim_interviewer_ids: Id[];
}

export interface ScorecardRecord {
  id: Id;
  application_id: Id;
  interview_kit_id: Id | null;
  interviewer_id: Id | null;
  submitter_id: Id | null;
  candidate_rating: 'strong_no' | 'no' | 'yes' | 'strong_yes' | 'no_decision';
  status: 'draft' | 'complete';
  interviewed_at: Iso | null;
  submitted_at: Iso | null;
  notes: string | null;
  private_notes: string | null;
  public_notes: string | null;
  created_at: Iso;
  updated_at: Iso;
  /**
   * Simulator-only: the scheduled interview the scorecard is for. v3 scorecards do not carry it
   * (Greenhouse links them through `/v3/interviewers.scorecard_id`); resubmitting finds it by this.
   */
  sim_interview_id: Id | null;
}

export interface RejectionReasonRecord {
  id: Id;
  name: string;
  type: { id: Id; key: 'WE_REJECTED_THEM' | 'THEY_REJECTED_US' | 'NONE_SPECIFIED' | 'SECURITY_CONCERN'; name: string };
  /** Simulator-only: Greenhouse's defaults are hidden unless include_defaults=true (gotcha 10). */
  sim_default: boolean;
}

/**
 * `GET /v3/offers`: one record per offer version [H: the official reference's response fields]. A new
 * version is a new record (new id, `version` + 1) and the one it replaces turns `Deprecated` [M]; the
 * v1 webhooks' offering user and notes are simulator-only (v3 offers carry neither).
 */
export type OfferStatus = 'Created' | 'Accepted' | 'Rejected' | 'Deprecated';
export interface OfferRecord {
  id: Id;
  version: number;
  application_id: Id;
  job_id: Id | null;
  candidate_id: Id | null;
  opening_id: Id | null;
  status: OfferStatus;
  /** `YYYY-MM-DD`. */
  starts_on: string | null;
  sent_on: string | null;
  resolved_at: Iso | null;
  custom_fields: CustomFieldValues;
  created_at: Iso;
  updated_at: Iso;
  /** Simulator-only: the v1 webhooks' `user_id` / `offering_user_id`. */
  sim_user_id: Id | null;
  /** Simulator-only: the v1 webhooks' `notes`. */
  sim_notes: string | null;
}

export type ApprovalType = 'open_job' | 'offer_job' | 'offer_candidate';

/** `GET /v3/approval_flows` [H: official reference fields]; groups and approvers are their own resources. */
export interface ApprovalFlowRecord {
  id: Id;
  job_id: Id;
  offer_id: Id | null;
  approval_type: ApprovalType;
  approval_status: 'pending' | 'approved' | 'rejected';
  sequential: boolean;
  version: number;
  /** Null until approvals are requested; then the requesting (acting) user [H for v1]. */
  requested_by_id: Id | null;
  created_at: Iso;
  updated_at: Iso;
}

/** `GET /v3/approver_groups` [H]. */
export interface ApproverGroupRecord {
  id: Id;
  approval_flow_id: Id;
  approvals_required: number;
  sort_order: number;
  resolved_at: Iso | null;
  required_for_exception: boolean;
  created_at: Iso;
  updated_at: Iso;
}

/** `GET /v3/approvers` [H]: waiting until their group is due, then approved or rejected. */
export interface ApproverRecord {
  id: Id;
  approver_group_id: Id;
  user_id: Id;
  status: 'waiting' | 'due' | 'approved' | 'rejected';
  request_sent_at: Iso | null;
  resolved_at: Iso | null;
  sort_order: number;
  created_at: Iso;
  updated_at: Iso;
}

/**
 * `GET /v3/application_stages`: one row per stage visit [H: official reference fields]. Its id is the
 * application's `stage_id` while the visit is current (the application-stage instance, gotcha 11).
 */
export interface ApplicationStageRecord {
  id: Id;
  application_id: Id;
  job_interview_stage_id: Id | null;
  entered_at: Iso | null;
  exited_at: Iso | null;
  days_in_stage: number | null;
  current: boolean;
  created_at: Iso;
  updated_at: Iso;
}

/** One EEOC answer: the federal category's id and text [H for v1]. */
export interface EeocAnswer {
  id: Id;
  description: string;
}

/**
 * `GET /v3/eeoc`: an application's voluntary self-identification, at most one per application; a
 * skipped question is null [M]. Stored as the endpoint shows it; the ASSUMED switch `eeocSkipped`
 * (api-contract.ts) decides how a skipped one reads.
 */
export interface EeocRecord {
  id: Id;
  application_id: Id;
  candidate_id: Id | null;
  race: EeocAnswer | null;
  gender: EeocAnswer | null;
  veteran_status: EeocAnswer | null;
  disability_status: EeocAnswer | null;
  submitted_at: Iso | null;
  created_at: Iso;
  updated_at: Iso;
}

/** Every table of the simulator's state, by its v3 resource name. */
export interface Tables {
  candidates: Map<Id, CandidateRecord>;
  applications: Map<Id, ApplicationRecord>;
  jobs: Map<Id, JobRecord>;
  job_interview_stages: Map<Id, JobInterviewStageRecord>;
  job_interviews: Map<Id, JobInterviewRecord>;
  interview_kits: Map<Id, InterviewKitRecord>;
  interviews: Map<Id, InterviewRecord>;
  job_owners: Map<Id, JobOwnerRecord>;
  job_hiring_managers: Map<Id, JobHiringManagerRecord>;
  openings: Map<Id, OpeningRecord>;
  job_posts: Map<Id, JobPostRecord>;
  users: Map<Id, UserRecord>;
  sources: Map<Id, SourceRecord>;
  referrers: Map<Id, ReferrerRecord>;
  departments: Map<Id, DepartmentRecord>;
  offices: Map<Id, OfficeRecord>;
  notes: Map<Id, NoteRecord>;
  job_notes: Map<Id, JobNoteRecord>;
  attachments: Map<Id, AttachmentRecord>;
  candidate_tags: Map<Id, CandidateTagRecord>;
  applied_candidate_tags: Map<Id, AppliedCandidateTagRecord>;
  custom_fields: Map<Id, CustomFieldRecord>;
  custom_field_options: Map<Id, CustomFieldOptionRecord>;
  scorecards: Map<Id, ScorecardRecord>;
  rejection_reasons: Map<Id, RejectionReasonRecord>;
  offers: Map<Id, OfferRecord>;
  approval_flows: Map<Id, ApprovalFlowRecord>;
  approver_groups: Map<Id, ApproverGroupRecord>;
  approvers: Map<Id, ApproverRecord>;
  application_stages: Map<Id, ApplicationStageRecord>;
  eeoc: Map<Id, EeocRecord>;
}

export type TableName = keyof Tables;

export const TABLE_NAMES: readonly TableName[] = [
  'candidates',
  'applications',
  'jobs',
  'job_interview_stages',
  'job_interviews',
  'interview_kits',
  'interviews',
  'job_owners',
  'job_hiring_managers',
  'openings',
  'job_posts',
  'users',
  'sources',
  'referrers',
  'departments',
  'offices',
  'notes',
  'job_notes',
  'attachments',
  'candidate_tags',
  'applied_candidate_tags',
  'custom_fields',
  'custom_field_options',
  'scorecards',
  'rejection_reasons',
  'offers',
  'approval_flows',
  'approver_groups',
  'approvers',
  'application_stages',
  'eeoc',
];
