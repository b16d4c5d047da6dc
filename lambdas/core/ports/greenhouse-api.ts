import type { CollectionField, CollectionItem, TypedValueWrite, UntypedValueWrite } from '#core/greenhouse/collections';
import type {
  AppliedCandidateTag,
  Application,
  ApplicationStage,
  ApprovalFlow,
  ApprovalType,
  Approver,
  ApproverGroup,
  Attachment,
  Candidate,
  CandidateTag,
  Eeoc,
  JobNote,
  JobPost,
  Note,
  Offer,
  OfferStatus,
  Opening,
  ResourceName,
  ResourceOf,
} from '#core/greenhouse/records';

/**
 * What the sync and the AI workflows need from Greenhouse Harvest v3, in v3's own vocabulary (the
 * records are lambdas/core/greenhouse/records.ts). GreenhouseClient (lambdas/adapters/greenhouse)
 * implements it over HTTP; tests may implement any part of it in memory. Failures are the typed
 * errors of lambdas/core/api-errors.ts.
 */
export interface GreenhouseApi {
  /** Every record of a list endpoint, page by page (the `Link` header), `ids` batched by 50. */
  list<K extends ResourceName>(resource: K, query?: ListQuery): AsyncIterable<ResourceOf<K>>;
  pages<K extends ResourceName>(resource: K, query?: ListQuery): AsyncIterable<ResourceOf<K>[]>;
  byIds<K extends ResourceName>(resource: K, ids: readonly number[]): Promise<ResourceOf<K>[]>;

  getCandidate(id: number): Promise<Candidate | undefined>;
  listCandidates(query?: CandidateQuery): AsyncIterable<Candidate>;
  listApplications(query?: ApplicationQuery): AsyncIterable<Application>;
  listJobs(query?: JobQuery): AsyncIterable<ResourceOf<'jobs'>>;
  listJobInterviewStages(jobIds: readonly number[]): AsyncIterable<ResourceOf<'job_interview_stages'>>;
  listJobInterviews(query?: { ids?: readonly number[]; job_ids?: readonly number[]; job_interview_stage_ids?: readonly number[] }): AsyncIterable<ResourceOf<'job_interviews'>>;
  listInterviewKits(query?: { ids?: readonly number[]; job_interview_ids?: readonly number[] }): AsyncIterable<ResourceOf<'interview_kits'>>;
  listInterviews(query?: InterviewQuery): AsyncIterable<ResourceOf<'interviews'>>;
  listJobOwners(jobIds: readonly number[]): AsyncIterable<ResourceOf<'job_owners'>>;
  listJobHiringManagers(jobIds: readonly number[]): AsyncIterable<ResourceOf<'job_hiring_managers'>>;
  listJobPosts(query?: { ids?: readonly number[]; job_ids?: readonly number[]; live?: boolean }): AsyncIterable<ResourceOf<'job_posts'>>;
  listUsers(query?: { ids?: readonly number[]; updated_at?: string; deactivated?: boolean; includeServiceAccounts?: boolean }): AsyncIterable<ResourceOf<'users'>>;
  listReferrers(): AsyncIterable<ResourceOf<'referrers'>>;
  listSources(): AsyncIterable<ResourceOf<'sources'>>;
  listDepartments(): AsyncIterable<ResourceOf<'departments'>>;
  listOffices(): AsyncIterable<ResourceOf<'offices'>>;
  listNotes(query?: { candidate_ids?: readonly number[]; application_ids?: readonly number[]; created_at?: string; updated_at?: string }): AsyncIterable<Note>;
  listAttachments(query?: { candidate_ids?: readonly number[]; application_ids?: readonly number[]; type?: string; created_at?: string }): AsyncIterable<Attachment>;
  listCandidateTags(): AsyncIterable<CandidateTag>;
  listAppliedCandidateTags(query?: { candidate_ids?: readonly number[]; candidate_tag_ids?: readonly number[] }): AsyncIterable<AppliedCandidateTag>;
  listCustomFields(query?: { field_type?: string; name_key?: string; active?: boolean }): AsyncIterable<ResourceOf<'custom_fields'>>;
  listCustomFieldOptions(query?: { custom_field_ids?: readonly number[]; custom_field_key?: string }): AsyncIterable<ResourceOf<'custom_field_options'>>;
  listScorecards(query?: { application_ids?: readonly number[]; interview_kit_ids?: readonly number[]; status?: 'draft' | 'complete'; updated_at?: string }): AsyncIterable<ResourceOf<'scorecards'>>;
  listRejectionDetails(query?: { ids?: readonly number[]; application_ids?: readonly number[]; rejection_reason_ids?: readonly number[]; updated_at?: string }): AsyncIterable<ResourceOf<'rejection_details'>>;
  listRejectionReasons(query?: { includeDefaults?: boolean }): AsyncIterable<ResourceOf<'rejection_reasons'>>;
  downloadAttachment(attachment: Pick<Attachment, 'url'>): Promise<DownloadedFile>;

  createCandidate(input: CandidateCreate): Promise<Candidate>;
  /** `current`, when the caller has just read it, saves the read a custom-field write needs. */
  updateCandidate(id: number, patch: CandidateWrite, current?: Candidate): Promise<Candidate>;
  addToCandidateCollection<F extends CollectionField>(candidateId: number, field: F, item: CollectionItem<F>): Promise<Candidate>;
  removeFromCandidateCollection<F extends CollectionField>(candidateId: number, field: F, value: string): Promise<Candidate>;
  mergeCandidates(primaryId: number, duplicateId: number): Promise<Candidate>;
  anonymizeCandidate(id: number, fields: readonly string[]): Promise<Candidate>;
  createApplication(input: { readonly candidate_id: number; readonly job_id: number; readonly initial_stage_id?: number }): Promise<Application>;
  updateApplicationCustomFields(applicationId: number, fields: readonly CustomFieldWrite[], current?: Application): Promise<Application>;
  createNote(input: NoteCreate): Promise<Note>;
  findTag(name: string): Promise<CandidateTag | undefined>;
  addTag(candidateId: number, name: string): Promise<AppliedCandidateTag>;
  removeTag(candidateId: number, name: string): Promise<void>;
  uploadAttachment(input: AttachmentUpload): Promise<Attachment>;

  /** A job's private notes; a tenant without `/v3/job_notes` is an Unsupported (`jobNotes`), never "no notes". */
  listJobNotes(query?: JobNoteQuery): AsyncIterable<JobNote>;
  createJobNote(input: JobNoteCreate): Promise<JobNote>;
  /**
   * Title or content of a job post that is not live. `current` is the post as the caller read it: a live
   * one (or one whose `live` is unknown) is refused before anything is sent. Returns the post as read back.
   */
  updateJobPost(id: number, patch: JobPostWrite, current: JobPost): Promise<JobPost>;

  /**
   * Offers, one row per version; `current_only: true` for the latest version per application. Read
   * only: the bridge never creates, edits (amounts, dates) or sends an offer, nor approves one.
   */
  listOffers(query?: OfferQuery): AsyncIterable<Offer>;
  listApprovalFlows(query?: ApprovalFlowQuery): AsyncIterable<ApprovalFlow>;
  listApproverGroups(query?: { ids?: readonly number[]; approval_flow_ids?: readonly number[] }): AsyncIterable<ApproverGroup>;
  listApprovers(query?: { ids?: readonly number[]; approver_group_ids?: readonly number[]; user_ids?: readonly number[]; status?: ApproverStatus }): AsyncIterable<Approver>;
  /**
   * Asks the flow's approvers for their approval (`POST /v3/approval_flows/{id}/request_approvals`): the
   * first group, or every group of a non-sequential flow, is notified. It decides nothing: approving is
   * the approvers' own act in Greenhouse. Safe to repeat: a flow whose approvals were already requested
   * (by anyone) is not asked again, and the answer says so.
   */
  requestApprovals(approvalFlowId: number): Promise<ApprovalRequest>;
  /** Stage history: one row per stage an application was in, with `entered_at`/`exited_at`. */
  listApplicationStages(query?: ApplicationStageQuery): AsyncIterable<ApplicationStage>;
  listOpenings(query?: OpeningQuery): AsyncIterable<Opening>;
  /** Voluntary self-identification by application (scope `harvest:eeoc:list`): read only by `bridge fairness-report`. */
  listEeoc(query?: { application_ids?: readonly number[]; submitted_at?: string }): AsyncIterable<Eeoc>;
}

/** GET /v3/offers filters (official reference parameters [H]); dates are pipe windows. */
export type OfferQuery = {
  ids?: readonly number[];
  application_ids?: readonly number[];
  job_ids?: readonly number[];
  candidate_ids?: readonly number[];
  opening_ids?: readonly number[];
  /** Latest version per application only; without it every version, Deprecated ones too. */
  current_only?: boolean;
  status?: OfferStatus;
  created_at?: string;
  updated_at?: string;
  resolved_at?: string;
  sent_on?: string;
  starts_on?: string;
};

/** GET /v3/approval_flows filters [H]. */
export type ApprovalFlowQuery = {
  ids?: readonly number[];
  job_ids?: readonly number[];
  offer_ids?: readonly number[];
  approval_type?: ApprovalType;
  created_at?: string;
  updated_at?: string;
};

export type ApproverStatus = 'waiting' | 'due' | 'approved' | 'rejected';

/**
 * The outcome of requestApprovals, with the flow as read back after it. `requested`: this call asked;
 * `already-requested`: the flow had been started before (by the bridge's earlier attempt or by a
 * person), so nothing was sent, or the tenant refused the repeat (422) and the read-back shows it started.
 */
export interface ApprovalRequest {
  readonly outcome: 'requested' | 'already-requested';
  readonly flow: ApprovalFlow;
}

/** GET /v3/application_stages filters [H]: `current` true = the current stage only, false = past ones only. */
export type ApplicationStageQuery = {
  ids?: readonly number[];
  application_ids?: readonly number[];
  job_interview_stage_ids?: readonly number[];
  current?: boolean;
  created_at?: string;
  updated_at?: string;
};

/** GET /v3/openings filters [H]. */
export type OpeningQuery = {
  ids?: readonly number[];
  job_ids?: readonly number[];
  application_ids?: readonly number[];
  open?: boolean;
  opened_at?: string;
  closed_at?: string;
  updated_at?: string;
};

export type JobNoteQuery = {
  ids?: readonly number[];
  job_ids?: readonly number[];
  user_ids?: readonly number[];
  visibility?: JobNoteVisibility;
  created_at?: string;
  updated_at?: string;
};

/** Job notes' visibilities, as a public implementation reads and writes them [M]. */
export type JobNoteVisibility = 'admin_only_visible' | 'privately_visible';

/** POST /v3/job_notes body [M]. */
export interface JobNoteCreate {
  readonly job_id: number;
  readonly body: string;
  readonly visibility: JobNoteVisibility;
  /** Author; the token's `sub` when absent. */
  readonly user_id?: number;
}

/** PATCH /v3/job_posts/{id}: the public title and the HTML content [M for v2; v3 assumed]. Never `live`: the bridge does not publish. */
export interface JobPostWrite {
  readonly title?: string;
  readonly content?: string;
}

export type QueryValue = string | number | boolean | readonly (string | number)[] | undefined | null;
/** A v3 list query: filters by name (`ids`, `updated_at`, `candidate_ids`…), as the endpoint takes them. */
export type ListQuery = Readonly<Record<string, QueryValue>>;

export type CandidateQuery = {
  ids?: readonly number[];
  updated_at?: string;
  created_at?: string;
  last_activity_at?: string;
  email?: string;
  tag?: string;
  private?: boolean;
};

export type ApplicationQuery = {
  ids?: readonly number[];
  candidate_ids?: readonly number[];
  job_ids?: readonly number[];
  status?: 'active' | 'rejected' | 'hired' | 'converted';
  prospect?: boolean;
  updated_at?: string;
  created_at?: string;
  last_activity_at?: string;
};

export type JobQuery = {
  ids?: readonly number[];
  status?: 'open' | 'draft' | 'closed';
  updated_at?: string;
  created_at?: string;
  department_id?: number;
};

export type InterviewQuery = {
  ids?: readonly number[];
  application_ids?: readonly number[];
  job_interview_ids?: readonly number[];
  updated_at?: string;
  status?: 'to_be_scheduled' | 'scheduled' | 'awaiting_feedback' | 'complete' | 'skipped' | 'collect_feedback' | 'to_be_sent' | 'sent' | 'received';
};

/** One custom field's new value, by its `name_key`; the client encodes it for the field's type. */
export type CustomFieldWrite = { readonly name_key: string; readonly value: unknown };

/** PATCH /v3/candidates/{id} body. Write key `is_private` (reads say `private`) [H]. */
export interface CandidateWrite {
  readonly first_name?: string;
  readonly last_name?: string;
  readonly preferred_name?: string | null;
  readonly company?: string | null;
  readonly title?: string | null;
  readonly is_private?: boolean;
  readonly can_email?: boolean;
  readonly time_zone?: string | null;
  readonly linked_user_ids?: readonly number[];
  /** Replaces the whole collection; to add or remove one value use the collection methods. */
  readonly email_addresses?: readonly TypedValueWrite[];
  readonly phone_numbers?: readonly TypedValueWrite[];
  readonly addresses?: readonly TypedValueWrite[];
  readonly website_addresses?: readonly TypedValueWrite[];
  readonly social_media_addresses?: readonly UntypedValueWrite[];
  readonly tags?: readonly string[];
  readonly custom_fields?: readonly CustomFieldWrite[];
}

interface ApplicationParties {
  readonly source_id?: number;
  readonly referrer_id?: number;
  readonly recruiter_id?: number;
  readonly coordinator_id?: number;
}
/** The nested first application: a job application, or a prospect one [M]. */
export type FirstApplication =
  | (ApplicationParties & { readonly job_id: number; readonly initial_stage_id?: number })
  | (ApplicationParties & { readonly prospect: true; readonly job_ids?: readonly number[] });

export interface CandidateCreate extends CandidateWrite {
  readonly first_name: string;
  readonly last_name: string;
  readonly application?: FirstApplication;
}

export interface NoteCreate {
  readonly candidate_id: number;
  readonly body: string;
  /** Write spelling; reads say publicly_visible / privately_visible / admin_only_visible [M]. */
  readonly visibility: 'public' | 'private' | 'admin_only';
  readonly application_id?: number;
  /** Author; the token's `sub` when absent. */
  readonly user_id?: number;
  readonly note_type?: 'NOTE' | 'ACTIVITY';
}

export type AttachmentType =
  | 'resume'
  | 'cover_letter'
  | 'take_home_test'
  | 'offer_packet'
  | 'offer_letter'
  | 'signed_offer_letter'
  | 'other'
  | 'form_attachment';

export interface AttachmentUpload {
  readonly application_id: number;
  /** With its extension; some are blocklisted per type [H]. */
  readonly filename: string;
  readonly type: AttachmentType;
  readonly content: Uint8Array;
  readonly content_type?: string;
  readonly visibility?: 'public' | 'admin_only' | 'private';
}

export interface DownloadedFile {
  readonly bytes: Uint8Array;
  readonly contentType: string | null;
}
