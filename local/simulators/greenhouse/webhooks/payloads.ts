import type {
  ApplicationRecord,
  CandidateRecord,
  CustomFieldType,
  CustomFieldValues,
  DepartmentRecord,
  Id,
  JobInterviewStageRecord,
  JobPostRecord,
  JobRecord,
  OfferRecord,
  OfficeRecord,
  ScorecardRecord,
} from '../records.ts';
import type { GreenhouseState } from '../state.ts';

/**
 * Harvest v3 records turned into the v1-shaped webhook payloads Greenhouse still sends (reference
 * §5.1, §5.6–5.7 [H]). Each action's key set follows its official example in
 * fixtures/greenhouse/ exactly — the examples differ between actions (a `url` on the
 * candidate here, no `prospect_detail` there, `source.public_name` instead of `source.name` in
 * hire/reject/unhire/unreject), and the contract test holds every emitted payload to its own
 * example. Mapping decisions (v3 → v1):
 * - `is_private` ← `private`; `applied_at` ← `created_at`; status `active` ← `in_process` [H].
 * - `current_stage.id` ← `job_interview_stage_id` (the reference marks this [L]).
 * - `credited_to` ← the referrer's user; `recruiter`/`coordinator` on the candidate ← the newest
 *   application's (v3 moved them to applications) — assumed.
 * - `custom_fields` lists every active field of the entity's type, null when unset, as the
 *   examples do ("empty = null / []") [H].
 * - `educations`/`employments` are separate v3 resources the simulator does not keep: always [].
 * - `interviews` on the current stage are not simulated: always [].
 */
export interface PayloadContext {
  readonly state: GreenhouseState;
  /** Signed attachment URL for the simulator's own origin. */
  readonly attachmentUrl: (attachmentId: Id, filename: string) => string;
  readonly appUrl: string;
}

export type ApplicationAction =
  | 'new_candidate_application'
  | 'new_prospect_application'
  | 'application_updated'
  | 'candidate_stage_change'
  | 'reject_candidate'
  | 'unreject_candidate'
  | 'unhire_candidate';

interface ApplicationShape {
  readonly withProspectDetail: boolean;
  readonly sourceKey: 'name' | 'public_name';
  readonly candidateOmits: readonly CandidateKey[];
  readonly jobShape: 'with-team' | 'plain';
}

const APPLICATION_SHAPES: Record<ApplicationAction, ApplicationShape> = {
  new_candidate_application: { withProspectDetail: true, sourceKey: 'name', candidateOmits: [], jobShape: 'with-team' },
  new_prospect_application: { withProspectDetail: false, sourceKey: 'public_name', candidateOmits: ['url'], jobShape: 'plain' },
  application_updated: { withProspectDetail: true, sourceKey: 'name', candidateOmits: ['employments'], jobShape: 'plain' },
  candidate_stage_change: { withProspectDetail: false, sourceKey: 'name', candidateOmits: [], jobShape: 'plain' },
  reject_candidate: { withProspectDetail: false, sourceKey: 'public_name', candidateOmits: ['url'], jobShape: 'plain' },
  unreject_candidate: { withProspectDetail: false, sourceKey: 'public_name', candidateOmits: ['url'], jobShape: 'plain' },
  unhire_candidate: { withProspectDetail: false, sourceKey: 'public_name', candidateOmits: [], jobShape: 'plain' },
};

type CandidateKey = keyof ReturnType<typeof fullCandidate>;

const pick = <T extends object, K extends keyof T>(obj: T, keys: readonly K[]): Pick<T, K> =>
  Object.fromEntries(keys.map((k) => [k, obj[k]])) as Pick<T, K>;
const omit = <T extends object, K extends keyof T>(obj: T, keys: readonly K[]): Omit<T, K> =>
  Object.fromEntries(Object.entries(obj).filter(([k]) => !keys.includes(k as K))) as Omit<T, K>;

// --- Building blocks ------------------------------------------------------------------------------

function userRef(ctx: PayloadContext, userId: Id | null | undefined) {
  const user = ctx.state.get('users', userId);
  if (!user) return null;
  return { id: user.id, email: user.primary_email, name: user.name, employee_id: user.employee_id };
}

/** Every active field of the type, null when the record has no value: the examples list them all. */
function webhookCustomFields(ctx: PayloadContext, type: CustomFieldType, values: CustomFieldValues) {
  const out: Record<string, { name: string; type: string; value: unknown }> = {};
  for (const field of ctx.state.all('custom_fields')) {
    if (field.field_type !== type || !field.active) continue;
    out[field.name_key] = {
      name: field.name,
      // v3 says yes_no where the v1 payloads say boolean [H].
      type: field.value_type === 'yes_no' ? 'boolean' : field.value_type,
      value: values[field.name_key]?.value ?? null,
    };
  }
  return out;
}

function candidateAttachments(ctx: PayloadContext, candidateId: Id) {
  return ctx.state
    .all('attachments')
    .filter((a) => a.candidate_id === candidateId)
    .sort((a, b) => a.id - b.id)
    .map((a) => ({ filename: a.filename, url: ctx.attachmentUrl(a.id, a.filename), type: a.type }));
}

function fullCandidate(ctx: PayloadContext, c: CandidateRecord) {
  const team = ctx.state.candidateTeam(c);
  return {
    id: c.id,
    first_name: c.first_name,
    last_name: c.last_name,
    title: c.title,
    company: c.company,
    created_at: c.created_at,
    external_id: null as string | null,
    photo_url: null as string | null,
    url: `${ctx.appUrl}/people/${c.id}`,
    is_private: c.private,
    can_email: c.can_email,
    phone_numbers: c.phone_numbers.map((p) => ({ value: p.value, type: p.type })),
    email_addresses: c.email_addresses.map((e) => ({ value: e.value, type: e.type })),
    addresses: c.addresses.map((a) => ({ value: a.value, type: a.type })),
    website_addresses: c.website_addresses.map((w) => ({ value: w.value, type: w.type })),
    social_media_addresses: c.social_media_addresses.map((s) => ({ value: s.value })),
    educations: [] as unknown[],
    employments: [] as unknown[],
    recruiter: userRef(ctx, team.recruiterId),
    coordinator: userRef(ctx, team.coordinatorId),
    attachments: candidateAttachments(ctx, c.id),
    tags: ctx.state.tagNamesOf(c.id),
    custom_fields: webhookCustomFields(ctx, 'candidate', c.custom_fields),
  };
}

function departmentsOf(ctx: PayloadContext, job: JobRecord) {
  const d = ctx.state.get('departments', job.department_id);
  return d ? [{ id: d.id, name: d.name, external_id: d.external_id }] : [];
}

function officesOf(ctx: PayloadContext, job: JobRecord) {
  return job.office_ids
    .map((id) => ctx.state.get('offices', id))
    .filter((o): o is OfficeRecord => o !== undefined)
    .map((o) => ({ id: o.id, name: o.name, location: o.location, external_id: o.external_id }));
}

function hiringTeam(ctx: PayloadContext, jobId: Id) {
  const member = (userId: Id) => ({ user_id: userId, employee_id: ctx.state.get('users', userId)?.employee_id ?? null });
  const owners = ctx.state.all('job_owners').filter((o) => o.job_id === jobId);
  const ofType = (type: string) => owners.filter((o) => o.type === type).map((o) => member(o.user_id));
  return {
    hiring_managers: ctx.state.all('job_hiring_managers').filter((m) => m.job_id === jobId).map((m) => member(m.user_id)),
    sourcers: ofType('sourcer'),
    recruiters: ofType('recruiter'),
    coordinators: ofType('coordinator'),
  };
}

function jobPostIdOf(ctx: PayloadContext, jobId: Id): Id | null {
  return ctx.state.all('job_posts').find((p) => p.job_id === jobId)?.id ?? null;
}

function plainJob(ctx: PayloadContext, job: JobRecord) {
  return {
    id: job.id,
    name: job.name,
    requisition_id: job.requisition_id,
    notes: job.notes,
    confidential: job.confidential,
    job_post_id: jobPostIdOf(ctx, job.id),
    status: job.status,
    created_by_id: job.sim_created_by_id,
    created_at: job.created_at,
    opened_at: job.opened_at,
    closed_at: job.closed_at,
    departments: departmentsOf(ctx, job),
    offices: officesOf(ctx, job),
    custom_fields: webhookCustomFields(ctx, 'job', job.custom_fields),
  };
}

function jobWithTeam(ctx: PayloadContext, job: JobRecord) {
  const { custom_fields, departments, offices, ...head } = plainJob(ctx, job);
  return {
    ...head,
    url: `${ctx.appUrl}/sdash/${job.id}`,
    departments,
    offices,
    hiring_team: hiringTeam(ctx, job.id),
    custom_fields,
  };
}

/** `payload.job` of job_created / job_updated / job_approved. */
export function jobPayload(ctx: PayloadContext, job: JobRecord) {
  const { custom_fields, ...head } = plainJob(ctx, job);
  return {
    ...head,
    hiring_team: hiringTeam(ctx, job.id),
    openings: ctx.state
      .all('openings')
      .filter((o) => o.job_id === job.id)
      .map((o) => ({ id: o.id, opening_id: o.opening_id, custom_fields: [] as unknown[] })),
    custom_fields,
  };
}

function jobsOf(ctx: PayloadContext, app: ApplicationRecord): JobRecord[] {
  const ids = app.job_id !== null ? [app.job_id] : app.prospective_job_ids;
  return ids.map((id) => ctx.state.get('jobs', id)).filter((j): j is JobRecord => j !== undefined);
}

function sourceOf(ctx: PayloadContext, app: ApplicationRecord, key: 'name' | 'public_name') {
  const source = ctx.state.get('sources', app.source_id);
  return source ? { id: source.id, [key]: source.name } : null;
}

function creditedTo(ctx: PayloadContext, app: ApplicationRecord) {
  return userRef(ctx, ctx.state.get('referrers', app.referrer_id)?.user_id);
}

function currentStage(ctx: PayloadContext, app: ApplicationRecord) {
  const stage = ctx.state.get('job_interview_stages', app.job_interview_stage_id);
  if (!stage) return null;
  return { id: stage.id, name: stage.name, interviews: [] as unknown[] };
}

function rejectionReason(ctx: PayloadContext, app: ApplicationRecord) {
  const reason = ctx.state.get('rejection_reasons', app.rejection_reason_id);
  return reason ? { id: reason.id, name: reason.name, type: { id: reason.type.id, name: reason.type.name } } : null;
}

const applicationUrl = (ctx: PayloadContext, app: ApplicationRecord) =>
  `${ctx.appUrl}/people/${app.candidate_id}?application_id=${app.id}`;

const webhookStatus = (app: ApplicationRecord) => (app.status === 'in_process' || app.status === 'converted' ? 'active' : app.status);

// --- Payloads per action -------------------------------------------------------------------------

export function applicationPayload(ctx: PayloadContext, action: ApplicationAction, app: ApplicationRecord) {
  const shape = APPLICATION_SHAPES[action];
  const candidate = ctx.state.get('candidates', app.candidate_id);
  if (!candidate) throw new Error(`application ${app.id} has no candidate`);
  const jobs = jobsOf(ctx, app).map((job) => (shape.jobShape === 'with-team' ? jobWithTeam(ctx, job) : plainJob(ctx, job)));
  const application = {
    id: app.id,
    rejected_at: app.rejected_at,
    prospect: app.prospect,
    status: webhookStatus(app),
    applied_at: app.created_at,
    last_activity_at: app.last_activity_at,
    url: applicationUrl(ctx, app),
    source: sourceOf(ctx, app, shape.sourceKey),
    credited_to: creditedTo(ctx, app),
    rejection_reason: rejectionReason(ctx, app),
    rejection_details: app.status === 'rejected' ? { custom_fields: {} } : null,
    current_stage: currentStage(ctx, app),
    ...(shape.withProspectDetail ? { prospect_detail: { prospect_pool: null, prospect_stage: null, prospect_owner: null } } : {}),
    custom_fields: webhookCustomFields(ctx, 'application', app.custom_fields),
    candidate: omit(fullCandidate(ctx, candidate), shape.candidateOmits),
    jobs,
  };
  return { application };
}

const HIRE_CANDIDATE_KEYS = [
  'id', 'first_name', 'last_name', 'title', 'external_id', 'url', 'is_private', 'can_email', 'phone_numbers',
  'email_addresses', 'addresses', 'educations', 'employments', 'recruiter', 'coordinator', 'attachments', 'custom_fields',
] as const satisfies readonly CandidateKey[];

export function hirePayload(ctx: PayloadContext, app: ApplicationRecord, offer: OfferRecord | undefined) {
  const candidate = ctx.state.get('candidates', app.candidate_id);
  if (!candidate) throw new Error(`application ${app.id} has no candidate`);
  const jobs = jobsOf(ctx, app);
  const opening = ctx.state.all('openings').find((o) => o.application_id === app.id);
  const hireJob = (job: JobRecord) => ({
    id: job.id,
    name: job.name,
    requisition_id: job.requisition_id,
    confidential: job.confidential,
    opened_at: job.opened_at,
    closed_at: job.closed_at,
    departments: departmentsOf(ctx, job),
    offices: officesOf(ctx, job),
    custom_fields: webhookCustomFields(ctx, 'job', job.custom_fields),
  });
  const first = jobs[0];
  return {
    application: {
      id: app.id,
      opening: opening ? { opening_id: opening.opening_id, custom_fields: [] as unknown[] } : null,
      credited_to: creditedTo(ctx, app),
      source: sourceOf(ctx, app, 'public_name'),
      url: applicationUrl(ctx, app),
      candidate: pick(fullCandidate(ctx, candidate), HIRE_CANDIDATE_KEYS),
      // Deprecated in the docs but still in the example [H].
      job: first
        ? {
            id: first.id,
            name: first.name,
            open_date: first.opened_at,
            close_date: first.closed_at,
            requisition_id: first.requisition_id,
            departments: departmentsOf(ctx, first),
            offices: officesOf(ctx, first),
            custom_fields: webhookCustomFields(ctx, 'job', first.custom_fields),
          }
        : null,
      jobs: jobs.map(hireJob),
      custom_fields: webhookCustomFields(ctx, 'application', app.custom_fields),
      offer: offer
        ? {
            id: offer.id,
            version: offer.version,
            created_at: offer.created_at,
            sent_at: offer.sent_on,
            resolved_at: offer.resolved_at,
            starts_at: offer.starts_on,
            custom_fields: webhookCustomFields(ctx, 'offer', offer.custom_fields),
          }
        : null,
    },
  };
}

export function updateCandidatePayload(ctx: PayloadContext, candidate: CandidateRecord) {
  // The example has neither is_private nor can_email (reference §5.7: "webhook payloads omit data") [H].
  return { candidate: omit(fullCandidate(ctx, candidate), ['is_private', 'can_email']) };
}

function person(ctx: PayloadContext, c: CandidateRecord) {
  const team = ctx.state.candidateTeam(c);
  return {
    id: c.id,
    first_name: c.first_name,
    last_name: c.last_name,
    company: c.company,
    title: c.title,
    created_at: c.created_at,
    // v3 candidates have no headline.
    headline: null as string | null,
    is_private: c.private,
    recruiter_user_id: team.recruiterId,
    coordinator_user_id: team.coordinatorId,
    can_email: c.can_email,
  };
}

/** Built before the candidate is removed: the payload is all a receiver will ever get of it. */
export function deleteCandidatePayload(ctx: PayloadContext, c: CandidateRecord, deletedApplicationIds: Id[]) {
  return { person: { ...person(ctx, c), deleted_application_ids: deletedApplicationIds } };
}

export function mergeCandidatePayload(ctx: PayloadContext, duplicate: CandidateRecord, winnerId: Id) {
  return { person: { ...person(ctx, duplicate), new_candidate_id: winnerId } };
}

export function anonymizedPayload(candidateId: Id, fields: readonly string[]) {
  return { candidate_id: candidateId, anonymized_fields: [...fields] };
}

export function deleteApplicationPayload(app: ApplicationRecord, rejectedByUserId: Id | null) {
  return {
    application: {
      id: app.id,
      candidate_id: app.candidate_id,
      job_id: app.job_id,
      created_at: app.created_at,
      source_id: app.source_id,
      candidate_rejection_reason_id: app.rejection_reason_id,
      rejection_note_id: null as Id | null,
      rejected_at: app.rejected_at,
      referrer_id: app.referrer_id,
      prospect: app.prospect,
      rejected_by_user_id: rejectedByUserId,
    },
  };
}

export function jobPostFields(post: JobPostRecord) {
  return {
    id: post.id,
    title: post.title,
    location: post.location,
    content: post.content,
    internal_content: post.internal_content,
    updated_at: post.updated_at,
    job_id: post.job_id,
    external: post.external,
    internal: post.internal,
    live: post.live,
    questions: post.questions.map((q) => ({ ...q })),
  };
}

export function jobInterviewStagePayload(stage: JobInterviewStageRecord) {
  const { id, job_id, created_at, updated_at, name, active } = stage;
  return { job_interview_stage: { id, job_id, created_at, updated_at, name, active } };
}

export function departmentPayload(d: DepartmentRecord, childIds: Id[]) {
  return { department: { id: d.id, name: d.name, child_ids: childIds, parent_id: d.parent_id, external_id: d.external_id } };
}

export function officePayload(o: OfficeRecord, childIds: Id[]) {
  return {
    office: {
      id: o.id,
      name: o.name,
      location: { name: o.location },
      child_ids: childIds,
      parent_id: o.parent_id,
      external_id: o.external_id,
    },
  };
}

export function scorecardPayload(s: ScorecardRecord, candidateId: Id) {
  return {
    scorecard: {
      id: s.id,
      candidate_id: candidateId,
      interviewed_at: s.interviewed_at,
      created_at: s.created_at,
      updated_at: s.updated_at,
      scorecard_status: s.status,
    },
  };
}

/** `YYYY-MM-DD` as the offer webhooks' `start_date` shows it: `MM/DD/YYYY` [H] (gotcha 14). */
function webhookDate(day: string | null): string | null {
  const match = day ? /^(\d{4})-(\d{2})-(\d{2})/.exec(day) : null;
  return match ? `${match[2]}/${match[3]}/${match[1]}` : null;
}

/** offer_created / offer_approved / offer_updated: the offer flat in `payload` [H]. */
export function offerPayload(ctx: PayloadContext, o: OfferRecord) {
  return {
    id: o.id,
    application_id: o.application_id,
    job_id: o.job_id,
    user_id: o.sim_user_id,
    version: o.version,
    sent_on: o.sent_on,
    resolved_at: o.resolved_at,
    start_date: webhookDate(o.starts_on),
    notes: o.sim_notes,
    offer_status: o.status,
    custom_fields: webhookCustomFields(ctx, 'offer', o.custom_fields),
  };
}

/** offer_deleted: under `payload.offer`, with `offering_user_id` and no custom fields [H]. */
export function offerDeletedPayload(o: OfferRecord) {
  return {
    offer: {
      id: o.id,
      application_id: o.application_id,
      offering_user_id: o.sim_user_id,
      offer_status: o.status,
      version: o.version,
      sent_on: o.sent_on,
      resolved_at: o.resolved_at,
      notes: o.sim_notes,
      job_id: o.job_id,
    },
  };
}

/** The actions the simulator sends (plus `ping`). Not simulated: interview_deleted (interviews are only cancelled by hand). */
export const SIMULATED_ACTIONS = [
  'new_candidate_application',
  'new_prospect_application',
  'application_updated',
  'candidate_stage_change',
  'reject_candidate',
  'unreject_candidate',
  'hire_candidate',
  'unhire_candidate',
  'delete_application',
  'update_candidate',
  'delete_candidate',
  'merge_candidate',
  'candidate_anonymized',
  'job_created',
  'job_updated',
  'job_approved',
  'job_deleted',
  'job_post_created',
  'job_post_updated',
  'job_post_deleted',
  'job_interview_stage_deleted',
  'department_deleted',
  'office_deleted',
  'scorecard_deleted',
  'offer_created',
  'offer_updated',
  'offer_approved',
  'offer_deleted',
  'ping',
] as const;
