import type { ApiContract } from './api-contract.ts';
import type { AttachmentLinks } from './attachment-links.ts';
import type { RecordOf } from './factories.ts';
import {
  booleanIs,
  commonFilters,
  dateWindow,
  equals,
  idIn,
  oneOf,
  parseBoolean,
  type FilterParser,
} from './filters.ts';
import type { Query } from './pagination.ts';
import { INTERVIEW_STATUSES, type CustomFieldValues, type TableName } from './records.ts';
import type { GreenhouseState } from './state.ts';

/**
 * The v3 list endpoints the simulator serves: `GET /v3/<name>`, scope `harvest:<name>:list`
 * (reference §1.5), the filters each accepts (§4) and how a stored record is shown.
 */
export interface ProjectionContext {
  readonly state: GreenhouseState;
  readonly origin: string;
  readonly links: AttachmentLinks;
  readonly contract: ApiContract;
}

export interface ListResource<K extends TableName = TableName> {
  readonly name: string;
  readonly table: K;
  /** Records the endpoint lists at all, before filters (a view over its table). */
  readonly listed?: (record: RecordOf<K>) => boolean;
  readonly filters: Record<string, FilterParser<RecordOf<K>>>;
  /** Records a default listing leaves out (service accounts, Greenhouse's default rejection reasons). */
  readonly visible?: (record: RecordOf<K>, filters: Query) => boolean;
  readonly project: (record: RecordOf<K>, ctx: ProjectionContext) => unknown;
  /** Whether the tenant serves the endpoint at all under the ASSUMED contract (404 otherwise). */
  readonly served?: (contract: ApiContract) => boolean;
}

/** Drops the simulator-only `sim_*` fields. */
function publicFields<R extends object>(record: R): Partial<R> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !key.startsWith('sim_'))) as Partial<R>;
}
const asIs = <R extends object>(record: R) => publicFields(record);

export const REJECTION_DETAIL_ID_OFFSET = 1_000_000_000;

const define = <K extends TableName>(resource: ListResource<K>) => resource;

/**
 * ASSUMED currencyValues: values are stored in the webhook spelling (`{amount, unit}`,
 * `{min_value, max_value, unit}` [H for webhooks]); the `currency-code` reading shows them as a public
 * v3 implementation writes them (`{amount, currency_code}`, `{min_amount, max_amount, currency_code}`).
 */
function readCurrencies(values: CustomFieldValues, contract: ApiContract): CustomFieldValues {
  if (contract.currencyValues === 'unit') return values;
  const out: CustomFieldValues = {};
  for (const [key, entry] of Object.entries(values)) {
    const v = entry.value as Record<string, unknown> | null;
    if (entry.type === 'currency' && v && typeof v === 'object') {
      const { unit, ...rest } = v;
      out[key] = { ...entry, value: { ...rest, currency_code: unit } };
    } else if (entry.type === 'currency_range' && v && typeof v === 'object') {
      const { min_value, max_value, unit, ...rest } = v;
      out[key] = { ...entry, value: { ...rest, min_amount: min_value, max_amount: max_value, currency_code: unit } };
    } else out[key] = entry;
  }
  return out;
}
const withCurrencies = <R extends { custom_fields: CustomFieldValues }>(record: R, { contract }: ProjectionContext) => ({
  ...publicFields(record),
  custom_fields: readCurrencies(record.custom_fields, contract),
});

/** The query's own switches: accepted but not record filters. */
const SWITCH = <R>(): FilterParser<R> => (value, param) => {
  parseBoolean(value, param);
  return () => true;
};

export const LIST_RESOURCES = [
  define({
    name: 'candidates',
    table: 'candidates',
    filters: {
      ...commonFilters(),
      last_activity_at: dateWindow((c) => c.last_activity_at),
      // Exact, case-insensitive, any of the candidate's addresses [H].
      email: (value) => (c) => c.email_addresses.some((e) => e.value.toLowerCase() === value.toLowerCase()),
      // `private` defaults to true = include private candidates [H]; false leaves them out.
      private: (value, param) => (parseBoolean(value, param) ? () => true : (c) => !c.private),
    },
    project: (c, { state }) => ({ ...c, tags: state.tagNamesOf(c.id) }),
  }),
  define({
    name: 'applications',
    table: 'applications',
    filters: {
      ...commonFilters(),
      last_activity_at: dateWindow((a) => a.last_activity_at),
      candidate_ids: idIn((a) => a.candidate_id),
      job_ids: idIn((a) => a.job_id),
      prospective_job_ids: idIn((a) => a.prospective_job_ids),
      job_post_ids: idIn((a) => a.job_post_id),
      source_ids: idIn((a) => a.source_id),
      referrer_ids: idIn((a) => a.referrer_id),
      stage_ids: idIn((a) => a.stage_id),
      // The filter says `active`, the record says `in_process`; `status=in_process` is a 422 [H] (gotcha 3).
      status: oneOf(['active', 'rejected', 'hired', 'converted'], (a, v) => a.status === (v === 'active' ? 'in_process' : v)),
      stage_name: equals((a) => a.stage_name),
      prospect: booleanIs((a) => a.prospect),
    },
    // ASSUMED rejectionReasons: the official field list has no rejection_reason_id (api-contract.ts).
    project: (a, { contract }) => {
      const { rejection_reason_id: _reason, ...rest } = publicFields(a);
      return contract.rejectionReasons === 'rejection-details-only' ? rest : publicFields(a);
    },
  }),
  define({
    /**
     * A view over rejected applications: one detail per application, with the fields the official
     * reference lists [M]; who rejected and the rejection note are not simulated (null). Its ids are
     * the application's plus REJECTION_DETAIL_ID_OFFSET, so a client mixing the two ids is caught.
     */
    name: 'rejection_details',
    table: 'applications',
    listed: (a) => a.status === 'rejected',
    filters: {
      ids: idIn((a) => a.id + REJECTION_DETAIL_ID_OFFSET),
      application_ids: idIn((a) => a.id),
      rejection_reason_ids: idIn((a) => a.rejection_reason_id),
      created_at: dateWindow((a) => a.rejected_at),
      updated_at: dateWindow((a) => a.updated_at),
    },
    project: (a) => ({
      id: a.id + REJECTION_DETAIL_ID_OFFSET,
      application_id: a.id,
      rejection_reason_id: a.rejection_reason_id,
      rejection_note_id: null,
      rejected_by_id: null,
      rejected_at: a.rejected_at,
      question_custom_fields: {},
      created_at: a.rejected_at,
      updated_at: a.updated_at,
    }),
  }),
  define({
    name: 'jobs',
    table: 'jobs',
    filters: {
      ...commonFilters(),
      opened_at: dateWindow((j) => j.opened_at),
      closed_at: dateWindow((j) => j.closed_at),
      status: oneOf(['open', 'draft', 'closed'], (j, v) => j.status === v),
      // Single ints, not lists [H].
      department_id: equals((j) => j.department_id),
      office_id: (value) => (j) => j.office_ids.includes(Number(value)),
      requisition_id: equals((j) => j.requisition_id),
      confidential: booleanIs((j) => j.confidential),
    },
    project: withCurrencies,
  }),
  define({
    name: 'job_interview_stages',
    table: 'job_interview_stages',
    filters: { ...commonFilters(), job_ids: idIn((s) => s.job_id) },
    project: asIs,
  }),
  define({
    name: 'job_interviews',
    table: 'job_interviews',
    filters: {
      ...commonFilters(),
      job_ids: idIn((i) => i.job_id),
      job_interview_stage_ids: idIn((i) => i.job_interview_stage_id),
      active: booleanIs((i) => i.active),
    },
    project: asIs,
  }),
  define({
    name: 'interview_kits',
    table: 'interview_kits',
    filters: { ...commonFilters(), job_ids: idIn((k) => k.job_id), job_interview_ids: idIn((k) => k.job_interview_id) },
    project: asIs,
  }),
  define({
    // Filters from the public v3 schema files (ASSUMED); `sim_interviewer_ids` is dropped by asIs.
    name: 'interviews',
    table: 'interviews',
    filters: {
      ...commonFilters(),
      application_ids: idIn((i) => i.application_id),
      job_ids: idIn((i) => i.job_id),
      job_interview_ids: idIn((i) => i.job_interview_id),
      organizer_ids: idIn((i) => i.organizer_id),
      status: oneOf(INTERVIEW_STATUSES, (i, v) => i.status === v),
      // A starts_at window leaves out all-day interviews, whose starts_at is null [H] (§4.11).
      starts_at: dateWindow((i) => i.starts_at),
      ends_at: dateWindow((i) => i.ends_at),
      external_event_id: equals((i) => i.external_event_id),
    },
    project: asIs,
  }),
  define({
    name: 'job_owners',
    table: 'job_owners',
    filters: { ...commonFilters(), job_ids: idIn((o) => o.job_id), user_ids: idIn((o) => o.user_id) },
    project: asIs,
  }),
  define({
    name: 'job_hiring_managers',
    table: 'job_hiring_managers',
    filters: { ...commonFilters(), job_ids: idIn((o) => o.job_id), user_ids: idIn((o) => o.user_id) },
    project: asIs,
  }),
  define({
    name: 'openings',
    table: 'openings',
    // The official reference's parameters [H] (close_reason_ids and custom_field_option_id not simulated).
    filters: {
      ...commonFilters(),
      job_ids: idIn((o) => o.job_id),
      application_ids: idIn((o) => o.application_id),
      open: booleanIs((o) => o.open),
      opened_at: dateWindow((o) => o.opened_at),
      closed_at: dateWindow((o) => o.closed_at),
      opening_id: equals((o) => o.opening_id),
    },
    project: withCurrencies,
  }),
  define({
    name: 'job_posts',
    table: 'job_posts',
    filters: {
      ...commonFilters(),
      job_ids: idIn((p) => p.job_id),
      live: booleanIs((p) => p.live),
      internal: booleanIs((p) => p.internal),
      external: booleanIs((p) => p.external),
    },
    project: asIs,
  }),
  define({
    name: 'users',
    table: 'users',
    filters: {
      ...commonFilters(),
      deactivated: booleanIs((u) => u.deactivated),
      primary_email: equals((u) => u.primary_email, true),
      department_ids: idIn((u) => u.department_ids),
      office_ids: idIn((u) => u.office_ids),
      linked_candidate_ids: idIn((u) => u.linked_candidate_ids),
      employee_ids: (value) => (u) => value.split(',').includes(u.employee_id ?? ''),
      show_service_accounts: SWITCH(),
    },
    // Service users are hidden unless show_service_accounts=true [M] (gotcha 9).
    visible: (u, q) => !u.sim_service_account || q['show_service_accounts'] === 'true',
    project: asIs,
  }),
  define({ name: 'sources', table: 'sources', filters: { ids: idIn((s) => s.id) }, project: asIs }),
  define({ name: 'referrers', table: 'referrers', filters: { ids: idIn((r) => r.id) }, project: asIs }),
  define({
    name: 'departments',
    table: 'departments',
    filters: { ids: idIn((d) => d.id), external_id: equals((d) => d.external_id) },
    project: asIs,
  }),
  define({
    name: 'offices',
    table: 'offices',
    filters: { ids: idIn((o) => o.id), external_id: equals((o) => o.external_id) },
    project: asIs,
  }),
  define({
    name: 'notes',
    table: 'notes',
    filters: {
      ...commonFilters(),
      candidate_ids: idIn((n) => n.candidate_id),
      application_ids: idIn((n) => n.application_id),
      user_ids: idIn((n) => n.user_id),
      type: (value) => (n) => value.split(',').includes(n.type),
      visibility: oneOf(['admin_only_visible', 'privately_visible', 'publicly_visible'], (n, v) => n.visibility === v),
    },
    project: asIs,
  }),
  define({
    name: 'job_notes',
    table: 'job_notes',
    // The list parameters generated from the official v3 reference [M].
    filters: {
      ...commonFilters(),
      job_ids: idIn((n) => n.job_id),
      user_ids: idIn((n) => n.user_id),
      visibility: oneOf(['admin_only_visible', 'privately_visible'], (n, v) => n.visibility === v),
    },
    served: (contract) => contract.jobNotes === 'available',
    project: asIs,
  }),
  define({
    name: 'attachments',
    table: 'attachments',
    filters: {
      ...commonFilters(),
      candidate_ids: idIn((a) => a.candidate_id),
      application_ids: idIn((a) => a.application_id),
      type: equals((a) => a.type),
    },
    project: (a, { origin, links }) => {
      const { content_type: _contentType, ...rest } = publicFields(a);
      return { ...rest, url: links.url(origin, a.id, a.filename) };
    },
  }),
  define({
    name: 'candidate_tags',
    table: 'candidate_tags',
    filters: { ...commonFilters(), name: equals((t) => t.name, true) },
    project: asIs,
  }),
  define({
    name: 'applied_candidate_tags',
    table: 'applied_candidate_tags',
    filters: {
      ...commonFilters(),
      candidate_ids: idIn((r) => r.candidate_id),
      candidate_tag_ids: idIn((r) => r.candidate_tag_id),
    },
    project: asIs,
  }),
  define({
    name: 'custom_fields',
    table: 'custom_fields',
    filters: {
      ...commonFilters(),
      field_type: equals((f) => f.field_type),
      name_key: equals((f) => f.name_key),
      name: equals((f) => f.name),
      active: booleanIs((f) => f.active),
    },
    project: asIs,
  }),
  define({
    name: 'custom_field_options',
    table: 'custom_field_options',
    filters: {
      ids: idIn((o) => o.id),
      custom_field_ids: idIn((o) => o.custom_field_id),
      active: booleanIs((o) => o.active),
    },
    project: asIs,
  }),
  define({
    name: 'scorecards',
    table: 'scorecards',
    filters: {
      ...commonFilters(),
      application_ids: idIn((s) => s.application_id),
      interviewer_ids: idIn((s) => s.interviewer_id),
      submitter_ids: idIn((s) => s.submitter_id),
      interview_kit_ids: idIn((s) => s.interview_kit_id),
      status: oneOf(['draft', 'complete'], (s, v) => s.status === v),
      interviewed_at: dateWindow((s) => s.interviewed_at),
      submitted_at: dateWindow((s) => s.submitted_at),
    },
    project: asIs,
  }),
  define({
    name: 'rejection_reasons',
    table: 'rejection_reasons',
    filters: { ids: idIn((r) => r.id), include_defaults: SWITCH() },
    // Greenhouse's defaults are excluded unless include_defaults=true [H] (gotcha 10).
    visible: (r, q) => !r.sim_default || q['include_defaults'] === 'true',
    project: asIs,
  }),
  define({
    // Parameters and fields of the official reference [H]; custom_field_option_id not simulated.
    name: 'offers',
    table: 'offers',
    filters: {
      ...commonFilters(),
      application_ids: idIn((o) => o.application_id),
      job_ids: idIn((o) => o.job_id),
      candidate_ids: idIn((o) => o.candidate_id),
      opening_ids: idIn((o) => o.opening_id),
      // The latest version per application: a new version deprecates the one before [M].
      current_only: (value, param) => (parseBoolean(value, param) ? (o) => o.status !== 'Deprecated' : () => true),
      status: oneOf(['Created', 'Accepted', 'Rejected', 'Deprecated'], (o, v) => o.status === v),
      resolved_at: dateWindow((o) => o.resolved_at),
      sent_on: dateWindow((o) => o.sent_on),
      starts_on: dateWindow((o) => o.starts_on),
    },
    project: withCurrencies,
  }),
  define({
    name: 'approval_flows',
    table: 'approval_flows',
    filters: {
      ...commonFilters(),
      job_ids: idIn((f) => f.job_id),
      offer_ids: idIn((f) => f.offer_id),
      approval_type: oneOf(['open_job', 'offer_job', 'offer_candidate'], (f, v) => f.approval_type === v),
    },
    project: asIs,
  }),
  define({
    name: 'approver_groups',
    table: 'approver_groups',
    filters: { ...commonFilters(), approval_flow_ids: idIn((g) => g.approval_flow_id) },
    project: asIs,
  }),
  define({
    name: 'approvers',
    table: 'approvers',
    filters: {
      ...commonFilters(),
      approver_group_ids: idIn((a) => a.approver_group_id),
      user_ids: idIn((a) => a.user_id),
      status: oneOf(['waiting', 'due', 'approved', 'rejected'], (a, v) => a.status === v),
    },
    project: asIs,
  }),
  define({
    name: 'application_stages',
    table: 'application_stages',
    filters: {
      ...commonFilters(),
      application_ids: idIn((r) => r.application_id),
      job_interview_stage_ids: idIn((r) => r.job_interview_stage_id),
      // true: the current visit only; false: past ones only; absent: the whole history [H].
      current: booleanIs((r) => r.current),
    },
    project: asIs,
  }),
  define({
    /**
     * Voluntary self-identification, one per application (scope `harvest:eeoc:list`); list parameters
     * of the official v3 reference [M]. ASSUMED eeocSkipped: a skipped question null or absent.
     */
    name: 'eeoc',
    table: 'eeoc',
    filters: {
      ...commonFilters(),
      application_ids: idIn((e) => e.application_id),
      submitted_at: dateWindow((e) => e.submitted_at),
    },
    project: (e, { contract }) => {
      const record = publicFields(e);
      if (contract.eeocSkipped === 'null') return record;
      return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== null));
    },
  }),
] as const;

/**
 * `custom_field_key` filters options by their field's name_key; it needs the state, so it is
 * resolved by the route rather than declared above.
 */
export const CUSTOM_FIELD_KEY_PARAM = 'custom_field_key';

export const LIST_SCOPES: readonly string[] = LIST_RESOURCES.map((r) => `harvest:${r.name}:list`);
