import type { Clock } from '../shared/clock.ts';
import { notFound, unprocessable } from './api-errors.ts';
import type {
  ApplicationRecord,
  CandidateRecord,
  CustomFieldType,
  CustomFieldValues,
  Id,
  InterviewRecord,
  Iso,
  JobPostRecord,
  JobRecord,
  NoteVisibility,
  ScorecardRecord,
} from './records.ts';
import type { GreenhouseState } from './state.ts';
import {
  anonymizedPayload,
  applicationPayload,
  deleteApplicationPayload,
  deleteCandidatePayload,
  departmentPayload,
  hirePayload,
  jobInterviewStagePayload,
  jobPayload,
  jobPostFields,
  mergeCandidatePayload,
  officePayload,
  scorecardPayload,
  updateCandidatePayload,
  type ApplicationAction,
  type PayloadContext,
} from './webhooks/payloads.ts';
import type { WebhookSender, WebhookTarget } from './webhooks/sender.ts';
import type {
  ApplicationPatch,
  AttachmentCreate,
  CandidateCreate,
  CandidatePatch,
  JobNoteCreate,
  JobPostPatch,
  NestedApplication,
  NoteCreate,
} from './write-schemas.ts';
import type { ANONYMIZE_FIELDS } from './write-schemas.ts';
import type { RecordOf } from './factories.ts';
import { DEFAULT_API_CONTRACT, type ApiContract } from './api-contract.ts';
import { OfferOperations } from './offer-operations.ts';

/**
 * Every change to the simulator's data, whether it comes through the v3 API or the admin API, and
 * the webhook each one fires. Which changes fire which action follows reference §5.5–5.6 [H]:
 * notes, attachments, applied tags and candidate creation without an application fire nothing
 * ("Events that do not exist"); a merge fires merge_candidate, or delete_candidate when only that
 * one is registered [H].
 */
export interface OperationsDeps {
  readonly state: GreenhouseState;
  readonly clock: Clock;
  readonly webhooks: WebhookSender;
  readonly payloadContext: () => PayloadContext;
  /** The ASSUMED API contract in force (api-contract.ts); today's readings when absent. */
  readonly apiContract?: () => ApiContract;
}

export type AnonymizeField = (typeof ANONYMIZE_FIELDS)[number];

/** Greenhouse timestamps have whole seconds: `2017-10-27T14:44:43Z`. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const VISIBILITY_READ: Record<NoteCreate['visibility'], NoteVisibility> = {
  public: 'publicly_visible',
  private: 'privately_visible',
  admin_only: 'admin_only_visible',
};

const DEFAULT_STAGES = ['Application Review', 'Preliminary Phone Screen', 'Face to Face', 'Offer'];

/** Admin input: a recruiter schedules one job interview of the application's job with a panel. */
export interface InterviewSchedule {
  readonly application_id: Id;
  readonly job_interview_id: Id;
  readonly interviewer_ids: readonly Id[];
  readonly starts_at?: Iso | undefined;
  readonly ends_at?: Iso | undefined;
}

/** Admin input: one interviewer's scorecard for a scheduled interview. */
export interface ScorecardSubmission {
  readonly interview_id: Id;
  readonly interviewer_id: Id;
  readonly candidate_rating: ScorecardRecord['candidate_rating'];
  readonly notes?: string | null | undefined;
  readonly private_notes?: string | null | undefined;
  readonly public_notes?: string | null | undefined;
  readonly status?: ScorecardRecord['status'] | undefined;
}

export class GreenhouseOperations {
  /** Offers and their approval flows (offer-operations.ts). */
  readonly offers: OfferOperations;

  constructor(private readonly deps: OperationsDeps) {
    this.offers = new OfferOperations(deps);
  }

  private get state() {
    return this.deps.state;
  }

  private now(): string {
    return isoSeconds(this.deps.clock.now());
  }

  private emit(action: string, payload: unknown, only?: readonly WebhookTarget[]): void {
    this.deps.webhooks.emit(action, payload, only);
  }

  private emitApplication(action: ApplicationAction, app: ApplicationRecord): void {
    this.emit(action, applicationPayload(this.deps.payloadContext(), action, app));
  }

  /**
   * Sends an application's webhook again, as Greenhouse does when it re-delivers an event or a person
   * repeats an action, and as a scenario needs after loading state that fired nothing (an application
   * that arrived with its resume already attached, the way job-board applications do).
   */
  resendApplicationEvent(id: Id, action: 'new_candidate_application' | 'candidate_stage_change'): ApplicationRecord {
    const app = this.application(id);
    this.emitApplication(action, app);
    return app;
  }

  // --- Lookups that answer 404 (path ids) or 422 (ids in a body) ----------------------------------

  candidate(id: Id): CandidateRecord {
    const c = this.state.get('candidates', id);
    if (!c) throw notFound();
    return c;
  }

  application(id: Id): ApplicationRecord {
    const a = this.state.get('applications', id);
    if (!a) throw notFound();
    return a;
  }

  private requireRef(table: Parameters<GreenhouseState['get']>[0], id: Id | null | undefined, field: string): void {
    if (id != null && !this.state.get(table, id)) throw unprocessable([{ [field]: `${id} does not exist` }]);
  }

  // --- Candidates ----------------------------------------------------------------------------------

  createCandidate(input: CandidateCreate): { candidate: CandidateRecord; application?: ApplicationRecord } {
    const { application, ...fields } = input;
    if (application) this.validateNestedApplication(application);
    const now = this.now();
    const candidate = this.state.insert('candidates', { created_at: now, updated_at: now, last_activity_at: now }, now);
    try {
      this.applyCandidateFields(candidate, fields);
    } catch (error) {
      // A rejected create leaves nothing behind.
      this.state.tables.candidates.delete(candidate.id);
      this.removeAppliedTags(candidate.id);
      throw error;
    }
    const app = application ? this.createApplication(candidate.id, application) : undefined;
    return app ? { candidate, application: app } : { candidate };
  }

  updateCandidate(id: Id, patch: CandidatePatch): CandidateRecord {
    const candidate = this.candidate(id);
    this.applyCandidateFields(candidate, patch);
    candidate.updated_at = this.now();
    candidate.last_activity_at = candidate.updated_at;
    this.emit('update_candidate', updateCandidatePayload(this.deps.payloadContext(), candidate));
    return candidate;
  }

  private applyCandidateFields(c: CandidateRecord, patch: CandidatePatch): void {
    const now = this.now();
    // ASSUMED clearTitleCompany: the strict variant answers 422 to a null title or company.
    if (this.contract().clearTitleCompany === 'empty-string') {
      const nulls = (['title', 'company'] as const).filter((key) => patch[key] === null);
      if (nulls.length > 0) throw unprocessable(nulls.map((key) => ({ [key]: 'must be a string; send "" to clear' })));
    }
    for (const key of ['first_name', 'last_name', 'preferred_name', 'company', 'title', 'can_email', 'time_zone'] as const) {
      if (patch[key] !== undefined) (c as unknown as Record<string, unknown>)[key] = patch[key];
    }
    if (patch.is_private !== undefined) c.private = patch.is_private;
    if (patch.linked_user_ids !== undefined) c.linked_user_ids = [...patch.linked_user_ids];
    // Collections replace the whole collection [M] (gotcha 5).
    for (const key of ['email_addresses', 'phone_numbers', 'addresses', 'website_addresses', 'social_media_addresses'] as const) {
      if (patch[key] !== undefined) (c as unknown as Record<string, unknown>)[key] = patch[key]!.map((v) => ({ ...v }));
    }
    if (patch.tags !== undefined) this.state.replaceTags(c.id, patch.tags, now);
    if (patch.custom_fields !== undefined) c.custom_fields = this.mergeCustomFields('candidate', c.custom_fields, patch.custom_fields);
  }

  private contract(): ApiContract {
    return this.deps.apiContract?.() ?? DEFAULT_API_CONTRACT;
  }

  /**
   * ASSUMED customFields: `merge` writes the given keys and leaves the others; `replace` makes the
   * given set the whole map (question 7). A null value clears its field in both (assumed; v1 needed
   * `delete_value`). Select values are stored as their option labels, as reads show them [L].
   */
  private mergeCustomFields(type: CustomFieldType, current: CustomFieldValues, writes: { name_key: string; value?: unknown }[]): CustomFieldValues {
    const next = this.contract().customFields === 'replace' ? {} : { ...current };
    for (const { name_key, value } of writes) {
      const field = this.state.customField(type, name_key);
      if (!field) throw unprocessable([{ custom_fields: `unknown ${type} custom field ${name_key}` }]);
      if (value === null || value === undefined) delete next[name_key];
      else next[name_key] = { name: field.name, type: field.value_type, value: this.storedValue(field, value) };
    }
    return next;
  }

  /** A select value as its label; every other type as written. */
  private storedValue(field: { id: Id; name_key: string; value_type: string }, value: unknown): unknown {
    if (field.value_type !== 'single_select' && field.value_type !== 'multi_select') return value;
    const options = this.state.all('custom_field_options').filter((o) => o.custom_field_id === field.id && o.active);
    const idsOnly = this.contract().selectValues === 'ids';
    const label = (v: unknown): string => {
      const option = typeof v === 'number' ? options.find((o) => o.id === v) : idsOnly ? undefined : options.find((o) => o.name === v);
      if (!option) {
        throw unprocessable([{ custom_fields: `${field.name_key}: ${idsOnly ? 'expects option ids' : 'expects option ids or labels'} of this field` }]);
      }
      return option.name;
    };
    if (field.value_type === 'single_select') return label(value);
    if (!Array.isArray(value)) throw unprocessable([{ custom_fields: `${field.name_key}: expects an array of options` }]);
    return value.map(label);
  }

  mergeCandidates(primaryId: Id, duplicateId: Id): CandidateRecord {
    const primary = this.candidate(primaryId);
    const duplicate = this.state.get('candidates', duplicateId);
    if (!duplicate || duplicateId === primaryId) throw unprocessable([{ duplicate_candidate_id: `${duplicateId} cannot be merged into ${primaryId}` }]);
    const payload = mergeCandidatePayload(this.deps.payloadContext(), duplicate, primaryId);
    const now = this.now();
    for (const app of this.state.applicationsOf(duplicateId)) {
      app.candidate_id = primaryId;
      app.updated_at = now;
    }
    for (const table of ['notes', 'attachments'] as const) {
      for (const row of this.state.all(table)) if (row.candidate_id === duplicateId) row.candidate_id = primaryId;
    }
    for (const name of this.state.tagNamesOf(duplicateId)) this.state.applyTag(primaryId, this.state.tagNamed(name, now).id, now);
    this.removeAppliedTags(duplicateId);
    for (const key of ['email_addresses', 'phone_numbers', 'addresses', 'website_addresses'] as const) {
      const seen = new Set(primary[key].map((v) => v.value.toLowerCase()));
      primary[key] = [...primary[key], ...duplicate[key].filter((v) => !seen.has(v.value.toLowerCase()))];
    }
    this.state.tables.candidates.delete(duplicateId);
    primary.updated_at = now;
    primary.last_activity_at = now;
    // merge_candidate replaces delete_candidate for merges when it is configured [H].
    if (this.deps.webhooks.isSubscribed('merge_candidate')) this.emit('merge_candidate', payload);
    else this.emit('delete_candidate', { person: { ...omitKey(payload.person, 'new_candidate_id'), deleted_application_ids: [] } });
    return primary;
  }

  /** Applies the v1 meaning of each anonymized field (reference §5.6) [H]; other known fields are accepted as no-ops. */
  anonymizeCandidate(id: Id, fields: readonly AnonymizeField[]): CandidateRecord {
    const c = this.candidate(id);
    const apps = this.state.applicationsOf(id);
    const has = (f: AnonymizeField) => fields.includes(f);
    if (has('full_name')) {
      c.first_name = 'Anonymized';
      c.last_name = String(c.id);
      c.preferred_name = null;
    }
    if (has('current_company')) c.company = null;
    if (has('current_title')) c.title = null;
    if (has('tags')) this.removeAppliedTags(id);
    if (has('phone_numbers')) c.phone_numbers = [];
    if (has('emails') || has('email_addresses')) c.email_addresses = [];
    if (has('social_media_links')) c.social_media_addresses = [];
    if (has('websites')) c.website_addresses = [];
    if (has('addresses')) c.addresses = [];
    if (has('custom_candidate_fields')) c.custom_fields = {};
    if (has('notes')) this.deleteWhere('notes', (n) => n.candidate_id === id);
    if (has('attachments')) this.deleteWhere('attachments', (a) => a.candidate_id === id);
    if (has('scorecards_and_interviews')) {
      const appIds = new Set(apps.map((a) => a.id));
      this.deleteWhere('scorecards', (s) => appIds.has(s.application_id));
      this.deleteWhere('interviews', (i) => appIds.has(i.application_id));
    }
    // Offers destroyed, and offer_deleted raised for each [H] (§5.6).
    if (has('all_offer_versions')) this.offers.dropOffersOf(new Set(apps.map((a) => a.id)), true);
    const now = this.now();
    for (const app of apps) {
      if (has('source')) app.source_id = null;
      if (has('recruiter')) app.recruiter_id = null;
      if (has('coordinator')) app.coordinator_id = null;
      if (has('credited_to')) app.referrer_id = null;
      if (has('rejection_reason')) app.rejection_reason_id = null;
      if (has('custom_application_fields')) app.custom_fields = {};
      if (has('candidate_stage_data') && app.job_id !== null) {
        // Stage history destroyed, applications back at the first stage with created_at = now [H].
        this.deleteWhere('application_stages', (v) => v.application_id === app.id);
        this.placeAtStage(app, this.state.stagesOf(app.job_id)[0]?.id ?? null);
        app.created_at = now;
      }
      app.updated_at = now;
    }
    c.updated_at = now;
    this.emit('candidate_anonymized', anonymizedPayload(id, fields));
    return c;
  }

  deleteCandidate(id: Id): void {
    const c = this.candidate(id);
    const apps = this.state.applicationsOf(id);
    const payload = deleteCandidatePayload(this.deps.payloadContext(), c, apps.map((a) => a.id));
    // Cascaded deletions fire no webhooks of their own; the payload lists the application ids [H].
    const appIds = new Set(apps.map((a) => a.id));
    for (const appId of appIds) this.state.tables.applications.delete(appId);
    this.deleteWhere('notes', (n) => n.candidate_id === id);
    this.deleteWhere('attachments', (a) => a.candidate_id === id || appIds.has(a.application_id));
    this.deleteWhere('scorecards', (s) => appIds.has(s.application_id));
    this.deleteWhere('interviews', (i) => appIds.has(i.application_id));
    this.deleteWhere('application_stages', (v) => appIds.has(v.application_id));
    this.offers.dropOffersOf(appIds, false);
    this.removeAppliedTags(id);
    this.state.tables.candidates.delete(id);
    this.emit('delete_candidate', payload);
  }

  private removeAppliedTags(candidateId: Id): void {
    this.deleteWhere('applied_candidate_tags', (r) => r.candidate_id === candidateId);
  }

  private deleteWhere<K extends 'notes' | 'attachments' | 'scorecards' | 'interviews' | 'applied_candidate_tags' | 'application_stages'>(
    table: K,
    test: (row: RecordOf<K>) => boolean,
  ): void {
    const map = this.state.tables[table] as Map<Id, RecordOf<K>>;
    for (const [rowId, row] of map) if (test(row)) map.delete(rowId);
  }

  // --- Applications --------------------------------------------------------------------------------

  private validateNestedApplication(app: NestedApplication): void {
    if ('job_id' in app) {
      const job = this.state.get('jobs', app.job_id);
      if (!job) throw unprocessable([{ 'application.job_id': `${app.job_id} does not exist` }]);
      if (job.status !== 'open') throw unprocessable([{ 'application.job_id': `job ${app.job_id} is not open` }]);
      if (app.initial_stage_id !== undefined && !this.state.stagesOf(job.id).some((s) => s.id === app.initial_stage_id)) {
        throw unprocessable([{ 'application.initial_stage_id': 'is not a stage of the job' }]);
      }
    } else {
      for (const jobId of app.job_ids ?? []) this.requireRef('jobs', jobId, 'application.job_ids');
    }
    this.requireRef('sources', app.source_id, 'application.source_id');
    this.requireRef('referrers', app.referrer_id, 'application.referrer_id');
    this.requireRef('users', app.recruiter_id, 'application.recruiter_id');
    this.requireRef('users', app.coordinator_id, 'application.coordinator_id');
  }

  createApplication(candidateId: Id, input: NestedApplication): ApplicationRecord {
    this.candidate(candidateId);
    this.validateNestedApplication(input);
    const now = this.now();
    const prospect = !('job_id' in input);
    const app = this.state.insert(
      'applications',
      {
        candidate_id: candidateId,
        job_id: 'job_id' in input ? input.job_id : null,
        job_post_id: 'job_id' in input ? (this.state.all('job_posts').find((p) => p.job_id === input.job_id)?.id ?? null) : null,
        prospect,
        prospective_job_ids: 'job_ids' in input ? [...(input.job_ids ?? [])] : [],
        source_id: input.source_id ?? null,
        referrer_id: input.referrer_id ?? null,
        recruiter_id: input.recruiter_id ?? null,
        coordinator_id: input.coordinator_id ?? null,
        created_at: now,
        updated_at: now,
        last_activity_at: now,
      },
      now,
    );
    if ('job_id' in input) this.placeAtStage(app, input.initial_stage_id ?? this.state.stagesOf(input.job_id)[0]?.id ?? null);
    this.emitApplication(prospect ? 'new_prospect_application' : 'new_candidate_application', app);
    return app;
  }

  /**
   * Ends the application's current stage visit and starts one at `stageId` (the stage history of
   * `/v3/application_stages` [H]). The visit's id is the application's `stage_id`: a new application-stage
   * instance per move (v3 stage_id ≠ job_interview_stage_id) [H].
   */
  private placeAtStage(app: ApplicationRecord, stageId: Id | null): void {
    const stage = this.state.get('job_interview_stages', stageId);
    const now = this.now();
    for (const visit of this.state.all('application_stages')) {
      if (visit.application_id !== app.id || !visit.current) continue;
      const days = visit.entered_at ? Math.floor((Date.parse(now) - Date.parse(visit.entered_at)) / 86_400_000) : null;
      Object.assign(visit, { current: false, exited_at: now, days_in_stage: days, updated_at: now });
    }
    app.job_interview_stage_id = stage?.id ?? null;
    app.stage_name = stage?.name ?? null;
    app.stage_id = stage
      ? this.state.insert('application_stages', { application_id: app.id, job_interview_stage_id: stage.id, entered_at: now, days_in_stage: 0, current: true, created_at: now }, now).id
      : null;
  }

  updateApplication(id: Id, patch: ApplicationPatch): ApplicationRecord {
    const app = this.application(id);
    this.requireRef('sources', patch.source_id, 'source_id');
    this.requireRef('referrers', patch.referrer_id, 'referrer_id');
    this.requireRef('users', patch.recruiter_id, 'recruiter_id');
    this.requireRef('users', patch.coordinator_id, 'coordinator_id');
    for (const key of ['source_id', 'referrer_id', 'recruiter_id', 'coordinator_id'] as const) {
      if (patch[key] !== undefined) app[key] = patch[key];
    }
    if (patch.custom_fields) app.custom_fields = this.mergeCustomFields('application', app.custom_fields, patch.custom_fields);
    app.updated_at = this.now();
    this.emitApplication('application_updated', app);
    return app;
  }

  moveApplication(id: Id, input: { from_stage_id: Id; to_stage_id?: Id; to_job_id?: Id }): ApplicationRecord {
    const app = this.application(id);
    if (app.status !== 'in_process' || app.job_id === null) throw unprocessable(['Application is not active on a job.']);
    // Compare-and-swap: a retried move fails [M] (gotcha 6).
    if (input.from_stage_id !== app.job_interview_stage_id) throw unprocessable([{ from_stage_id: 'does not match the current stage' }]);
    if (input.to_job_id !== undefined) {
      const job = this.state.get('jobs', input.to_job_id);
      if (!job) throw unprocessable([{ to_job_id: `${input.to_job_id} does not exist` }]);
      app.job_id = job.id;
      this.placeAtStage(app, this.state.stagesOf(job.id)[0]?.id ?? null);
    } else {
      const stages = this.state.stagesOf(app.job_id);
      const target =
        input.to_stage_id !== undefined
          ? stages.find((s) => s.id === input.to_stage_id)
          : stages[stages.findIndex((s) => s.id === app.job_interview_stage_id) + 1];
      if (!target) throw unprocessable([{ to_stage_id: 'is not a later stage of the job' }]);
      this.placeAtStage(app, target.id);
    }
    app.updated_at = this.now();
    app.last_activity_at = app.updated_at;
    this.emitApplication('candidate_stage_change', app);
    return app;
  }

  rejectApplication(id: Id, input: { rejection_reason_id: Id }): ApplicationRecord {
    const app = this.application(id);
    if (app.status === 'rejected') throw unprocessable(['Application is already rejected.']);
    this.requireRef('rejection_reasons', input.rejection_reason_id, 'rejection_reason_id');
    app.status = 'rejected';
    app.rejection_reason_id = input.rejection_reason_id;
    app.rejected_at = this.now();
    app.updated_at = app.rejected_at;
    app.last_activity_at = app.rejected_at;
    this.emitApplication('reject_candidate', app);
    return app;
  }

  unrejectApplication(id: Id): ApplicationRecord {
    const app = this.application(id);
    if (app.status !== 'rejected') throw unprocessable(['Application is not rejected.']);
    app.status = 'in_process';
    app.rejection_reason_id = null;
    app.rejected_at = null;
    app.updated_at = this.now();
    this.emitApplication('unreject_candidate', app);
    return app;
  }

  hireApplication(id: Id, input: { opening_id?: Id }): ApplicationRecord {
    const app = this.application(id);
    if (app.status !== 'in_process' || app.job_id === null) throw unprocessable(['Application is not active on a job.']);
    const open = this.state.all('openings').filter((o) => o.job_id === app.job_id && o.open);
    // opening_id is required when the job has more than one open opening [M].
    if (input.opening_id === undefined && open.length > 1) throw unprocessable([{ opening_id: 'is required when the job has several open openings' }]);
    const opening = input.opening_id !== undefined ? open.find((o) => o.id === input.opening_id) : open[0];
    if (input.opening_id !== undefined && !opening) throw unprocessable([{ opening_id: 'is not an open opening of the job' }]);
    const now = this.now();
    if (opening) Object.assign(opening, { open: false, application_id: app.id, closed_at: now, updated_at: now });
    // Hiring accepts the current offer, which fires offer_updated [H]; without one, an accepted offer
    // is made for the hire webhook to show (no offer web hook: Greenhouse's hire needs an offer, the
    // simulator's admin hire does not).
    const current = this.offers.currentOffer(app.id);
    const offer = current
      ? current.status === 'Created'
        ? this.offers.resolve(current, 'Accepted', now)
        : current
      : this.state.insert(
          'offers',
          {
            application_id: app.id,
            job_id: app.job_id,
            candidate_id: app.candidate_id,
            opening_id: opening?.id ?? null,
            status: 'Accepted',
            created_at: now,
            sent_on: now.slice(0, 10),
            resolved_at: now,
            starts_on: now.slice(0, 10),
          },
          now,
        );
    app.status = 'hired';
    app.updated_at = now;
    app.last_activity_at = now;
    this.emit('hire_candidate', hirePayload(this.deps.payloadContext(), app, offer));
    return app;
  }

  unhireApplication(id: Id): ApplicationRecord {
    const app = this.application(id);
    if (app.status !== 'hired') throw unprocessable(['Application is not hired.']);
    const now = this.now();
    for (const opening of this.state.all('openings')) {
      if (opening.application_id === app.id) Object.assign(opening, { open: true, application_id: null, closed_at: null, updated_at: now });
    }
    app.status = 'in_process';
    app.updated_at = now;
    this.emitApplication('unhire_candidate', app);
    return app;
  }

  deleteApplication(id: Id): void {
    const app = this.application(id);
    const payload = deleteApplicationPayload(app, null);
    this.state.tables.applications.delete(id);
    // Its interviews go with it, without interview_deleted (cascades fire nothing [H]); its
    // scorecards stay, as Greenhouse keeps them [H] (§5.5).
    this.deleteWhere('interviews', (i) => i.application_id === id);
    this.deleteWhere('application_stages', (v) => v.application_id === id);
    this.offers.dropOffersOf(new Set([id]), false);
    this.emit('delete_application', payload);
  }

  // --- Notes, tags, attachments (no webhooks exist for these [H]) ----------------------------------

  createNote(input: NoteCreate, actingUserId: Id | null) {
    this.requireRef('candidates', input.candidate_id, 'candidate_id');
    this.requireRef('applications', input.application_id, 'application_id');
    this.requireRef('users', input.user_id, 'user_id');
    const now = this.now();
    const note = this.state.insert(
      'notes',
      {
        candidate_id: input.candidate_id,
        application_id: input.application_id ?? null,
        user_id: input.user_id ?? actingUserId,
        body: input.body,
        body_with_tags: input.body,
        subject: input.subject ?? null,
        type: input.note_type,
        visibility: VISIBILITY_READ[input.visibility],
        email_from: input.email_from ?? null,
        email_to: input.email_to ?? null,
        email_cc: input.email_cc ?? null,
        created_at: now,
        updated_at: now,
      },
      now,
    );
    const candidate = this.candidate(input.candidate_id);
    candidate.last_activity_at = now;
    return note;
  }

  createTag(name: string) {
    if (this.state.all('candidate_tags').some((t) => t.name.toLowerCase() === name.toLowerCase())) {
      throw unprocessable([{ name: 'has already been taken' }]);
    }
    return this.state.tagNamed(name, this.now());
  }

  applyTag(candidateId: Id, tagId: Id) {
    this.requireRef('candidates', candidateId, 'candidate_id');
    this.requireRef('candidate_tags', tagId, 'candidate_tag_id');
    const exists = this.state.all('applied_candidate_tags').some((r) => r.candidate_id === candidateId && r.candidate_tag_id === tagId);
    if (exists) throw unprocessable([{ candidate_tag_id: 'is already applied to the candidate' }]);
    return this.state.applyTag(candidateId, tagId, this.now());
  }

  removeAppliedTag(appliedId: Id): void {
    if (!this.state.tables.applied_candidate_tags.delete(appliedId)) throw notFound();
  }

  async createAttachment(input: AttachmentCreate) {
    const app = this.state.get('applications', input.application_id);
    if (!app) throw unprocessable([{ application_id: `${input.application_id} does not exist` }]);
    const content = input.content ?? (await fetchPublicFile(input.url!));
    const now = this.now();
    // A new resume or cover letter turns the previous one into `other` [H].
    if (input.type === 'resume' || input.type === 'cover_letter') {
      for (const a of this.state.all('attachments')) if (a.application_id === app.id && a.type === input.type) a.type = 'other';
    }
    return this.state.insert(
      'attachments',
      {
        application_id: app.id,
        candidate_id: app.candidate_id,
        type: input.type,
        filename: input.filename,
        visibility: input.visibility ?? (input.type === 'resume' || input.type === 'cover_letter' ? 'public' : 'private'),
        content_type: input.content_type ?? 'application/octet-stream',
        sim_content_base64: content,
        created_at: now,
        updated_at: now,
      },
      now,
    );
  }

  // --- Jobs and organisation (admin API only; the bridge never writes them) ------------------------

  createJob(input: Partial<JobRecord> & { name: string; stages?: string[]; openings?: number }): JobRecord {
    const now = this.now();
    const { stages = DEFAULT_STAGES, openings = 1, id: _id, ...fields } = input;
    const job = this.state.insert('jobs', { ...fields, created_at: now, updated_at: now, opened_at: fields.opened_at ?? now }, now);
    const stageRecords = stages.map((name, sort_order) => this.state.insert('job_interview_stages', { job_id: job.id, name, sort_order, created_at: now }, now));
    this.state.addInterviewPlan(stageRecords, now);
    for (let i = 1; i <= openings; i++) this.state.insert('openings', { job_id: job.id, opening_id: `${job.id}-${i}`, created_at: now }, now);
    this.emit('job_created', { job: jobPayload(this.deps.payloadContext(), job) });
    return job;
  }

  updateJob(id: Id, patch: Partial<JobRecord>): JobRecord {
    const job = this.state.get('jobs', id);
    if (!job) throw notFound();
    const { id: _id, created_at: _c, ...fields } = patch;
    Object.assign(job, fields, { updated_at: this.now() });
    if (patch.status === 'closed' && job.closed_at === null) job.closed_at = job.updated_at;
    this.emit('job_updated', { job: jobPayload(this.deps.payloadContext(), job) });
    return job;
  }

  approveJob(id: Id, flowType: 'open_job' | 'offer_job' = 'open_job'): JobRecord {
    const job = this.state.get('jobs', id);
    if (!job) throw notFound();
    this.emit('job_approved', { approval_flow: { approval_flow_type: flowType }, job: jobPayload(this.deps.payloadContext(), job) });
    return job;
  }

  /** Only closed jobs can be deleted [H]. */
  deleteJob(id: Id): void {
    const job = this.state.get('jobs', id);
    if (!job) throw notFound();
    if (job.status !== 'closed') throw unprocessable(['Only closed jobs can be deleted.']);
    this.state.tables.jobs.delete(id);
    this.emit('job_deleted', { job: { id: job.id, name: job.name } });
  }

  createJobPost(input: Partial<JobPostRecord> & { title: string }): JobPostRecord {
    this.requireRef('jobs', input.job_id, 'job_id');
    const now = this.now();
    const { id: _id, ...fields } = input;
    const post = this.state.insert('job_posts', { ...fields, created_at: now, updated_at: now }, now);
    this.emit('job_post_created', jobPostFields(post));
    return post;
  }

  updateJobPost(id: Id, patch: Partial<JobPostRecord>): JobPostRecord {
    const post = this.state.get('job_posts', id);
    if (!post) throw notFound();
    const { id: _id, ...fields } = patch;
    Object.assign(post, fields, { updated_at: this.now() });
    this.emit('job_post_updated', jobPostFields(post));
    return post;
  }

  /**
   * The v3 `PATCH /v3/job_posts/{id}`: title and content of a post that is not live. A live post is a
   * 422 (ASSUMED: what applicants are reading is not rewritten under them; v3 documents nothing).
   */
  patchJobPost(id: Id, patch: JobPostPatch): JobPostRecord {
    const post = this.state.get('job_posts', id);
    if (!post) throw notFound();
    if (post.live) throw unprocessable([{ live: 'a live job post cannot be edited through the API' }]);
    return this.updateJobPost(id, patch);
  }

  /** A private note on a job; no web hook exists for job notes. Without `user_id`, the acting user's (assumed, as for notes). */
  createJobNote(input: JobNoteCreate, actingUserId: Id | null) {
    this.requireRef('jobs', input.job_id, 'job_id');
    this.requireRef('users', input.user_id, 'user_id');
    const now = this.now();
    const { user_id, ...fields } = input;
    return this.state.insert('job_notes', { ...fields, user_id: user_id ?? actingUserId, created_at: now, updated_at: now }, now);
  }

  /** Only non-live posts can be deleted [H]. */
  deleteJobPost(id: Id): void {
    const post = this.state.get('job_posts', id);
    if (!post) throw notFound();
    if (post.live) throw unprocessable(['Live job posts cannot be deleted.']);
    this.state.tables.job_posts.delete(id);
    this.emit('job_post_deleted', { job_post: jobPostFields(post) });
  }

  deleteJobInterviewStage(id: Id): void {
    const stage = this.state.get('job_interview_stages', id);
    if (!stage) throw notFound();
    this.state.tables.job_interview_stages.delete(id);
    this.emit('job_interview_stage_deleted', jobInterviewStagePayload(stage));
  }

  deleteDepartment(id: Id): void {
    const d = this.state.get('departments', id);
    if (!d) throw notFound();
    const children = this.state.all('departments').filter((x) => x.parent_id === id).map((x) => x.id);
    this.state.tables.departments.delete(id);
    this.emit('department_deleted', departmentPayload(d, children));
  }

  deleteOffice(id: Id): void {
    const o = this.state.get('offices', id);
    if (!o) throw notFound();
    const children = this.state.all('offices').filter((x) => x.parent_id === id).map((x) => x.id);
    this.state.tables.offices.delete(id);
    this.emit('office_deleted', officePayload(o, children));
  }

  deleteScorecard(id: Id): void {
    const s = this.state.get('scorecards', id);
    if (!s) throw notFound();
    const candidateId = this.state.get('applications', s.application_id)?.candidate_id ?? 0;
    this.state.tables.scorecards.delete(id);
    this.emit('scorecard_deleted', scorecardPayload(s, candidateId));
  }

  // --- Interviews and scorecards (admin API only; Greenhouse has no webhook for either [H] §5.6) ----

  interview(id: Id): InterviewRecord {
    const i = this.state.get('interviews', id);
    if (!i) throw notFound();
    return i;
  }

  /** A scheduled interview (`status: scheduled`) of one of the application's job's job interviews. */
  scheduleInterview(input: InterviewSchedule): InterviewRecord {
    const app = this.state.get('applications', input.application_id);
    if (!app) throw unprocessable([{ application_id: `${input.application_id} does not exist` }]);
    const slot = this.state.get('job_interviews', input.job_interview_id);
    if (!slot) throw unprocessable([{ job_interview_id: `${input.job_interview_id} does not exist` }]);
    if (app.job_id === null || slot.job_id !== app.job_id) throw unprocessable([{ job_interview_id: "is not an interview of the application's job" }]);
    for (const userId of input.interviewer_ids) this.requireRef('users', userId, 'interviewer_ids');
    const now = this.now();
    // Stored in Greenhouse's whole-second UTC form whatever offset the caller wrote.
    const startsAt = input.starts_at !== undefined ? isoSeconds(Date.parse(input.starts_at)) : now;
    const endsAt = isoSeconds(input.ends_at !== undefined ? Date.parse(input.ends_at) : Date.parse(startsAt) + (slot.duration ?? 60) * 60_000);
    if (endsAt < startsAt) throw unprocessable([{ ends_at: 'must not be before starts_at' }]);
    return this.state.insert(
      'interviews',
      {
        job_id: app.job_id,
        application_id: app.id,
        job_interview_id: slot.id,
        status: 'scheduled',
        starts_at: startsAt,
        ends_at: endsAt,
        scheduled_at: now,
        sim_interviewer_ids: [...new Set(input.interviewer_ids)],
        created_at: now,
        updated_at: now,
      },
      now,
    );
  }

  /**
   * The interview took place: Greenhouse then waits for feedback (`awaiting_feedback`), or is done
   * at once if every interviewer already submitted.
   */
  concludeInterview(id: Id): InterviewRecord {
    const interview = this.interview(id);
    if (interview.status !== 'scheduled') throw unprocessable([`Only a scheduled interview can be concluded (status is ${interview.status}).`]);
    interview.status = this.allFeedbackIn(interview) ? 'complete' : 'awaiting_feedback';
    interview.updated_at = this.now();
    return interview;
  }

  /**
   * One interviewer's scorecard on the interview's application, against the kit of its job
   * interview. A second submission by the same interviewer for the same interview edits the same
   * scorecard (a draft becomes complete; a complete one cannot go back to draft). Once every
   * interviewer's scorecard is complete, the interview is `complete`.
   */
  submitScorecard(input: ScorecardSubmission): { scorecard: ScorecardRecord; created: boolean } {
    const interview = this.state.get('interviews', input.interview_id);
    if (!interview) throw unprocessable([{ interview_id: `${input.interview_id} does not exist` }]);
    if (!interview.sim_interviewer_ids.includes(input.interviewer_id)) {
      throw unprocessable([{ interviewer_id: `${input.interviewer_id} is not an interviewer of interview ${interview.id}` }]);
    }
    const status = input.status ?? 'complete';
    const now = this.now();
    const existing = this.state
      .all('scorecards')
      .find((s) => s.sim_interview_id === interview.id && s.interviewer_id === input.interviewer_id);
    if (existing?.status === 'complete' && status === 'draft') throw unprocessable([{ status: 'a submitted scorecard cannot go back to draft' }]);
    const fields = {
      candidate_rating: input.candidate_rating,
      status,
      ...(input.notes !== undefined ? { notes: input.notes } : {}),
      ...(input.private_notes !== undefined ? { private_notes: input.private_notes } : {}),
      ...(input.public_notes !== undefined ? { public_notes: input.public_notes } : {}),
      // The first submission's time stays when a submitted scorecard is edited.
      submitted_at: status === 'complete' ? (existing?.submitted_at ?? now) : null,
      updated_at: now,
    };
    let scorecard: ScorecardRecord;
    if (existing) {
      scorecard = Object.assign(existing, fields);
    } else {
      scorecard = this.state.insert(
        'scorecards',
        {
          application_id: interview.application_id,
          interview_kit_id: this.state.kitOf(interview.job_interview_id)?.id ?? null,
          interviewer_id: input.interviewer_id,
          submitter_id: input.interviewer_id,
          interviewed_at: interview.starts_at,
          sim_interview_id: interview.id,
          created_at: now,
          ...fields,
        },
        now,
      );
    }
    if (interview.status !== 'complete' && this.allFeedbackIn(interview)) {
      interview.status = 'complete';
      interview.updated_at = now;
    }
    return { scorecard, created: existing === undefined };
  }

  private allFeedbackIn(interview: InterviewRecord): boolean {
    const complete = new Set(
      this.state
        .all('scorecards')
        .filter((s) => s.sim_interview_id === interview.id && s.status === 'complete')
        .map((s) => s.interviewer_id),
    );
    return interview.sim_interviewer_ids.length > 0 && interview.sim_interviewer_ids.every((id) => complete.has(id));
  }

  /** The payload a web hook's save sends [H] (shape from the real delivery in the signature vector). */
  ping(webHookId: Id, target: WebhookTarget, event: string): void {
    const now = this.now();
    this.emit('ping', {
      web_hook_id: webHookId,
      endpoint_url: target.url,
      created_at: now,
      updated_at: now,
      name: event,
      event,
      active: true,
      'content-type': 'application/json',
    }, [target]);
  }
}

function omitKey<T extends object, K extends keyof T>(obj: T, key: K): Omit<T, K> {
  const { [key]: _dropped, ...rest } = obj;
  return rest;
}

/** `url` attachments: Greenhouse downloads the file itself [H]; an unreachable URL is a 422 (assumed). */
async function fetchPublicFile(url: string): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(String(response.status));
    return Buffer.from(await response.arrayBuffer()).toString('base64');
  } catch {
    throw unprocessable([{ url: 'could not be downloaded' }]);
  }
}
