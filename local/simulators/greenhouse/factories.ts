import type {
  ApplicationRecord,
  ApplicationStageRecord,
  ApprovalFlowRecord,
  ApproverGroupRecord,
  ApproverRecord,
  AppliedCandidateTagRecord,
  AttachmentRecord,
  CandidateRecord,
  CandidateTagRecord,
  CustomFieldOptionRecord,
  CustomFieldRecord,
  DepartmentRecord,
  EeocRecord,
  Id,
  InterviewKitRecord,
  InterviewRecord,
  Iso,
  JobHiringManagerRecord,
  JobInterviewRecord,
  JobInterviewStageRecord,
  JobNoteRecord,
  JobOwnerRecord,
  JobPostRecord,
  JobRecord,
  NoteRecord,
  OfferRecord,
  OfficeRecord,
  OpeningRecord,
  ReferrerRecord,
  RejectionReasonRecord,
  ScorecardRecord,
  SourceRecord,
  Tables,
  UserRecord,
} from './records.ts';

/**
 * Complete records from partial ones: what a scenario file or a create call leaves out gets the
 * value a fresh Greenhouse record would have. One factory per table, so a scenario only spells out
 * what matters to it.
 */
type Partial_<T> = Partial<T> & { id: Id };
type Factory<T> = (partial: Partial_<T>, now: Iso) => T;

const candidates: Factory<CandidateRecord> = (p, now) => ({
  first_name: '',
  last_name: '',
  preferred_name: null,
  company: null,
  title: null,
  created_at: now,
  updated_at: p.created_at ?? now,
  last_activity_at: p.updated_at ?? p.created_at ?? now,
  private: false,
  can_email: true,
  linked_user_ids: [],
  time_zone: null,
  phone_numbers: [],
  email_addresses: [],
  addresses: [],
  website_addresses: [],
  social_media_addresses: [],
  custom_fields: {},
  ...p,
});

const applications: Factory<ApplicationRecord> = (p, now) => ({
  candidate_id: 0,
  job_id: null,
  job_post_id: null,
  status: 'in_process',
  prospect: false,
  prospective_job_ids: [],
  stage_id: null,
  stage_name: null,
  job_interview_stage_id: null,
  recruiter_id: null,
  coordinator_id: null,
  source_id: null,
  referrer_id: null,
  rejected_at: null,
  rejection_reason_id: null,
  last_activity_at: p.created_at ?? now,
  location_address: null,
  answers: [],
  custom_fields: {},
  created_at: now,
  updated_at: p.created_at ?? now,
  ...p,
});

const jobs: Factory<JobRecord> = (p, now) => ({
  name: '',
  requisition_id: null,
  notes: null,
  confidential: false,
  status: 'open',
  opened_at: p.created_at ?? now,
  closed_at: null,
  is_template: false,
  copied_from_id: null,
  department_id: null,
  office_ids: [],
  custom_fields: {},
  created_at: now,
  updated_at: p.created_at ?? now,
  sim_created_by_id: null,
  ...p,
});

const stamped = <T>(defaults: Omit<T, 'id' | 'created_at' | 'updated_at'>): Factory<T> =>
  (p, now) => ({ ...defaults, created_at: now, updated_at: (p as { created_at?: Iso }).created_at ?? now, ...p }) as T;

const job_interview_stages = stamped<JobInterviewStageRecord>({ job_id: 0, name: '', sort_order: 0, active: true });
const job_interviews = stamped<JobInterviewRecord>({
  job_id: 0,
  job_interview_stage_id: 0,
  name: '',
  sort_order: 0,
  scheduling_type: 'needs_scheduling',
  duration: 60,
  active: true,
  require_scorecard: true,
});
const interview_kits = stamped<InterviewKitRecord>({
  job_id: 0,
  job_interview_id: 0,
  exercises: null,
  anonymize_candidate: false,
  anonymize_resumes: false,
});
const interviews = stamped<InterviewRecord>({
  job_id: null,
  application_id: 0,
  job_interview_id: 0,
  status: 'scheduled',
  starts_at: null,
  ends_at: null,
  all_day_start_on: null,
  all_day_end_on: null,
  location: null,
  organizer_id: null,
  scheduled_at: null,
  external_event_id: null,
  video_conferencing_url: null,
  sim_interviewer_ids: [],
});
const job_owners = stamped<JobOwnerRecord>({ job_id: 0, user_id: 0, type: 'recruiter', responsible: false });
const job_hiring_managers = stamped<JobHiringManagerRecord>({ job_id: 0, user_id: 0, responsible: false });
const job_posts = stamped<JobPostRecord>({
  job_id: null,
  title: '',
  location: null,
  content: null,
  internal_content: null,
  external: true,
  internal: false,
  live: false,
  questions: [],
});
const candidate_tags = stamped<CandidateTagRecord>({ name: '' });
const applied_candidate_tags = stamped<AppliedCandidateTagRecord>({ candidate_id: 0, candidate_tag_id: 0 });
const custom_fields = stamped<CustomFieldRecord>({
  name: '',
  name_key: '',
  field_type: 'candidate',
  value_type: 'short_text',
  private: false,
  required: false,
  api_only: false,
  trigger_new_version: false,
  active: true,
});
const scorecards = stamped<ScorecardRecord>({
  application_id: 0,
  interview_kit_id: null,
  interviewer_id: null,
  submitter_id: null,
  candidate_rating: 'no_decision',
  status: 'complete',
  interviewed_at: null,
  submitted_at: null,
  notes: null,
  private_notes: null,
  public_notes: null,
  sim_interview_id: null,
});

const openings: Factory<OpeningRecord> = (p, now) => ({
  job_id: 0,
  opening_id: null,
  open: true,
  application_id: null,
  close_reason_id: null,
  target_start_on: null,
  opened_at: p.created_at ?? now,
  closed_at: null,
  custom_fields: {},
  created_at: now,
  updated_at: p.created_at ?? now,
  ...p,
});

const users: Factory<UserRecord> = (p, now) => {
  const first = p.first_name ?? '';
  const last = p.last_name ?? '';
  return {
    first_name: first,
    last_name: last,
    name: `${first} ${last}`.trim(),
    primary_email: '',
    emails: p.primary_email ? [p.primary_email] : [],
    employee_id: null,
    job_title: null,
    site_admin: false,
    deactivated: false,
    agency_id: null,
    department_ids: [],
    office_ids: [],
    linked_candidate_ids: [],
    interviewer_tags: [],
    custom_fields: {},
    created_at: now,
    updated_at: p.created_at ?? now,
    sim_service_account: false,
    ...p,
  };
};

const sources: Factory<SourceRecord> = (p) => ({ name: '', type: { id: 0, name: 'Other' }, ...p });
const referrers: Factory<ReferrerRecord> = (p) => ({ name: '', user_id: null, ...p });
const departments: Factory<DepartmentRecord> = (p) => ({ name: '', parent_id: null, external_id: null, ...p });
const offices: Factory<OfficeRecord> = (p) => ({
  name: '',
  parent_id: null,
  external_id: null,
  location: null,
  primary_in_house_contact_user_id: null,
  ...p,
});

const notes: Factory<NoteRecord> = (p, now) => ({
  candidate_id: 0,
  application_id: null,
  user_id: null,
  body: '',
  body_with_tags: p.body ?? '',
  subject: null,
  type: 'NOTE',
  visibility: 'publicly_visible',
  email_from: null,
  email_to: null,
  email_cc: null,
  email_attachment_file_names: [],
  created_at: now,
  updated_at: p.created_at ?? now,
  ...p,
});

const job_notes = stamped<JobNoteRecord>({ job_id: 0, user_id: null, body: '', visibility: 'privately_visible' });

const attachments: Factory<AttachmentRecord> = (p, now) => ({
  application_id: 0,
  candidate_id: null,
  type: 'other',
  filename: 'file.txt',
  visibility: 'private',
  content_type: 'application/octet-stream',
  created_at: now,
  updated_at: p.created_at ?? now,
  sim_content_base64: '',
  ...p,
});

const custom_field_options: Factory<CustomFieldOptionRecord> = (p) => ({
  custom_field_id: 0,
  name: '',
  external_id: null,
  sort_order: 0,
  active: true,
  ...p,
});

const rejection_reasons: Factory<RejectionReasonRecord> = (p) => ({
  name: '',
  type: { id: 1, key: 'WE_REJECTED_THEM', name: 'We rejected them' },
  sim_default: false,
  ...p,
});

const offers: Factory<OfferRecord> = (p, now) => ({
  version: 1,
  application_id: 0,
  job_id: null,
  candidate_id: null,
  opening_id: null,
  status: 'Created',
  starts_on: null,
  sent_on: null,
  resolved_at: null,
  custom_fields: {},
  created_at: now,
  updated_at: p.created_at ?? now,
  sim_user_id: null,
  sim_notes: null,
  ...p,
});

const approval_flows: Factory<ApprovalFlowRecord> = (p, now) => ({
  job_id: 0,
  offer_id: null,
  approval_type: 'offer_candidate',
  approval_status: 'pending',
  sequential: true,
  version: 1,
  requested_by_id: null,
  created_at: now,
  updated_at: p.created_at ?? now,
  ...p,
});

const approver_groups: Factory<ApproverGroupRecord> = (p, now) => ({
  approval_flow_id: 0,
  approvals_required: 1,
  sort_order: 0,
  resolved_at: null,
  required_for_exception: false,
  created_at: now,
  updated_at: p.created_at ?? now,
  ...p,
});

const approvers: Factory<ApproverRecord> = (p, now) => ({
  approver_group_id: 0,
  user_id: 0,
  status: 'waiting',
  request_sent_at: null,
  resolved_at: null,
  sort_order: 0,
  created_at: now,
  updated_at: p.created_at ?? now,
  ...p,
});

const application_stages: Factory<ApplicationStageRecord> = (p, now) => ({
  application_id: 0,
  job_interview_stage_id: null,
  entered_at: p.created_at ?? now,
  exited_at: null,
  days_in_stage: null,
  current: true,
  created_at: now,
  updated_at: p.created_at ?? now,
  ...p,
});

const eeoc: Factory<EeocRecord> = (p, now) => ({
  application_id: 0,
  candidate_id: null,
  race: null,
  gender: null,
  veteran_status: null,
  disability_status: null,
  submitted_at: p.created_at ?? now,
  created_at: now,
  updated_at: p.created_at ?? now,
  ...p,
});

type RecordOf<K extends keyof Tables> = Tables[K] extends Map<Id, infer R> ? R : never;

export const FACTORIES: { [K in keyof Tables]: Factory<RecordOf<K>> } = {
  candidates,
  applications,
  jobs,
  job_interview_stages,
  job_interviews,
  interview_kits,
  interviews,
  job_owners,
  job_hiring_managers,
  openings,
  job_posts,
  users,
  sources,
  referrers,
  departments,
  offices,
  notes,
  job_notes,
  attachments,
  candidate_tags,
  applied_candidate_tags,
  custom_fields,
  custom_field_options,
  scorecards,
  rejection_reasons,
  offers,
  approval_flows,
  approver_groups,
  approvers,
  application_stages,
  eeoc,
};

export type { RecordOf };
