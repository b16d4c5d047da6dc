import { FACTORIES, type RecordOf } from './factories.ts';
import {
  TABLE_NAMES,
  type ApplicationRecord,
  type ApprovalFlowRecord,
  type OfferRecord,
  type CandidateRecord,
  type CustomFieldRecord,
  type CustomFieldType,
  type Id,
  type InterviewKitRecord,
  type Iso,
  type JobInterviewStageRecord,
  type TableName,
  type Tables,
} from './records.ts';
import type { Scenario } from './scenario.ts';

/** An offer's approval chain as the admin API and scenarios give it: groups of user ids, in order. */
export interface ApprovalChain {
  /** Groups in turn (the default), or all at once. */
  readonly sequential?: boolean | undefined;
  readonly approver_groups: readonly { readonly approvals_required?: number | undefined; readonly user_ids: readonly Id[] }[];
}

/**
 * The simulator's data: one Map per v3 resource, ids from one sequence (so a new record's id is
 * above every seeded one, as Greenhouse's are, and "newest first" is "highest id first").
 */
export class GreenhouseState {
  tables: Tables = emptyTables();
  private lastId = 0;

  reset(scenario: Scenario, now: Iso): void {
    this.tables = emptyTables();
    this.lastId = 0;
    for (const name of TABLE_NAMES) {
      if (name === 'candidates' || name === 'attachments' || name === 'offers') continue;
      for (const partial of scenario[name]) this.put(name, partial as never, now);
    }
    for (const { tags, ...partial } of scenario.candidates) {
      const candidate = this.put('candidates', partial as never, now);
      // A scenario's tags were applied when its candidate last changed, not when the simulator started.
      const appliedAt = (candidate as { updated_at?: Iso }).updated_at ?? now;
      for (const tag of tags ?? []) this.applyTag(candidate.id, this.tagNamed(tag, appliedAt).id, appliedAt);
    }
    for (const { text, content, ...partial } of scenario.attachments) {
      const base64 = content ?? Buffer.from(text ?? '').toString('base64');
      this.put('attachments', { ...partial, sim_content_base64: base64 } as never, now);
    }
    for (const { approval, ...partial } of scenario.offers) {
      const app = this.get('applications', partial.application_id);
      const offer = this.put('offers', { job_id: app?.job_id ?? null, candidate_id: app?.candidate_id ?? null, ...partial } as never, now);
      if (approval) this.addApprovalFlow(offer, approval, offer.created_at);
    }
    this.seedStageVisits(now);
  }

  /** An offer's own approval flow (`offer_candidate`), its groups in order and their approvers, all waiting. */
  addApprovalFlow(offer: OfferRecord, chain: ApprovalChain, now: Iso): ApprovalFlowRecord {
    const flow = this.insert(
      'approval_flows',
      { job_id: offer.job_id ?? 0, offer_id: offer.id, approval_type: 'offer_candidate', sequential: chain.sequential ?? true, created_at: now, updated_at: now },
      now,
    );
    chain.approver_groups.forEach((group, sortOrder) => {
      const g = this.insert(
        'approver_groups',
        { approval_flow_id: flow.id, approvals_required: group.approvals_required ?? 1, sort_order: sortOrder, created_at: now, updated_at: now },
        now,
      );
      group.user_ids.forEach((userId, i) => this.insert('approvers', { approver_group_id: g.id, user_id: userId, sort_order: i, created_at: now, updated_at: now }, now));
    });
    return flow;
  }

  /**
   * A scenario application at a stage, with no stage history of its own, gets its current visit (id =
   * its `stage_id` when free), entered when it last changed: `/v3/application_stages` then agrees with
   * the application. A scenario may give the history itself in `application_stages`.
   */
  private seedStageVisits(now: Iso): void {
    const visited = new Set(this.all('application_stages').map((v) => v.application_id));
    for (const app of this.all('applications')) {
      if (app.job_interview_stage_id === null || visited.has(app.id)) continue;
      const entered = app.updated_at ?? app.created_at ?? now;
      const visit = { application_id: app.id, job_interview_stage_id: app.job_interview_stage_id, entered_at: entered, created_at: entered };
      if (app.stage_id === null || this.tables.application_stages.has(app.stage_id)) {
        app.stage_id = this.insert('application_stages', visit, now).id;
        continue;
      }
      // Set directly, not through put: a scenario's stage_id is no claim on the id sequence, whose next
      // values tests and scenarios rely on.
      this.tables.application_stages.set(app.stage_id, { ...FACTORIES.application_stages({ ...visit, id: app.stage_id }, now), id: app.stage_id });
    }
  }

  nextId(): Id {
    return ++this.lastId;
  }

  /** Adds a record with a fresh id. */
  insert<K extends TableName>(table: K, partial: Omit<Partial<RecordOf<K>>, 'id'>, now: Iso): RecordOf<K> {
    return this.put(table, { ...partial, id: this.nextId() } as never, now);
  }

  private put<K extends TableName>(table: K, partial: Partial<RecordOf<K>> & { id: Id }, now: Iso): RecordOf<K> {
    // id first, as Greenhouse's JSON has it.
    const built = (FACTORIES[table] as (p: typeof partial, now: Iso) => RecordOf<K>)(partial, now);
    const record = { id: partial.id, ...(built as object) } as RecordOf<K>;
    (this.tables[table] as Map<Id, RecordOf<K>>).set(partial.id, record);
    this.lastId = Math.max(this.lastId, partial.id);
    return record;
  }

  get<K extends TableName>(table: K, id: Id | null | undefined): RecordOf<K> | undefined {
    return id == null ? undefined : (this.tables[table] as Map<Id, RecordOf<K>>).get(id);
  }

  all<K extends TableName>(table: K): RecordOf<K>[] {
    return [...(this.tables[table] as Map<Id, RecordOf<K>>).values()];
  }

  // --- Lookups the routes, operations and webhook payloads share ----------------------------------

  tagNamesOf(candidateId: Id): string[] {
    return this.all('applied_candidate_tags')
      .filter((row) => row.candidate_id === candidateId)
      .map((row) => this.get('candidate_tags', row.candidate_tag_id)?.name)
      .filter((name): name is string => name !== undefined);
  }

  tagNamed(name: string, now: Iso) {
    const existing = this.all('candidate_tags').find((tag) => tag.name.toLowerCase() === name.toLowerCase());
    return existing ?? this.insert('candidate_tags', { name }, now);
  }

  applyTag(candidateId: Id, tagId: Id, now: Iso) {
    const existing = this.all('applied_candidate_tags').find((r) => r.candidate_id === candidateId && r.candidate_tag_id === tagId);
    return existing ?? this.insert('applied_candidate_tags', { candidate_id: candidateId, candidate_tag_id: tagId }, now);
  }

  /** Makes the candidate's tags exactly `names` (the PATCH `tags` semantics: the collection is replaced). */
  replaceTags(candidateId: Id, names: readonly string[], now: Iso): void {
    const wanted = new Set(names.map((name) => this.tagNamed(name, now).id));
    for (const row of this.all('applied_candidate_tags')) {
      if (row.candidate_id === candidateId && !wanted.has(row.candidate_tag_id)) this.tables.applied_candidate_tags.delete(row.id);
    }
    for (const tagId of wanted) this.applyTag(candidateId, tagId, now);
  }

  applicationsOf(candidateId: Id): ApplicationRecord[] {
    return this.all('applications')
      .filter((a) => a.candidate_id === candidateId)
      .sort((a, b) => b.id - a.id);
  }

  stagesOf(jobId: Id): JobInterviewStageRecord[] {
    return this.all('job_interview_stages')
      .filter((s) => s.job_id === jobId && s.active)
      .sort((a, b) => a.sort_order - b.sort_order || a.id - b.id);
  }

  /**
   * A new job's interview plan: for every stage but the first (Application Review, which has no
   * interview), one job interview named after the stage and its interview kit. Greenhouse's default
   * plans look like this; what else a recruiter puts in a plan is not simulated.
   */
  addInterviewPlan(stages: readonly JobInterviewStageRecord[], now: Iso): void {
    const ordered = [...stages].sort((a, b) => a.sort_order - b.sort_order || a.id - b.id);
    for (const stage of ordered.slice(1)) {
      const slot = this.insert('job_interviews', { job_id: stage.job_id, job_interview_stage_id: stage.id, name: stage.name, created_at: now }, now);
      this.insert('interview_kits', { job_id: stage.job_id, job_interview_id: slot.id, created_at: now }, now);
    }
  }

  /** The interview kit of a job interview (one per job interview). */
  kitOf(jobInterviewId: Id): InterviewKitRecord | undefined {
    return this.all('interview_kits').find((k) => k.job_interview_id === jobInterviewId);
  }

  customField(fieldType: CustomFieldType, nameKey: string): CustomFieldRecord | undefined {
    return this.all('custom_fields').find((f) => f.field_type === fieldType && f.name_key === nameKey && f.active);
  }

  /** The candidate's recruiter/coordinator: v3 keeps them on the newest application. */
  candidateTeam(candidate: CandidateRecord): { recruiterId: Id | null; coordinatorId: Id | null } {
    const latest = this.applicationsOf(candidate.id)[0];
    return { recruiterId: latest?.recruiter_id ?? null, coordinatorId: latest?.coordinator_id ?? null };
  }

  /** Every table as plain JSON, for the admin API. */
  snapshot(): Record<TableName, unknown[]> {
    return Object.fromEntries(TABLE_NAMES.map((name) => [name, this.all(name)])) as Record<TableName, unknown[]>;
  }

  counts(): Record<TableName, number> {
    return Object.fromEntries(TABLE_NAMES.map((name) => [name, this.tables[name].size])) as Record<TableName, number>;
  }
}

function emptyTables(): Tables {
  return Object.fromEntries(TABLE_NAMES.map((name) => [name, new Map()])) as unknown as Tables;
}
