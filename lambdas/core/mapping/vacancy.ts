import type { BeameryLocation, VacancyWrite } from '#core/beamery/records';
import type { Job, JobHiringManager, JobInterviewStage, JobOwner, User } from '#core/greenhouse/records';
import { pick, strip, trimmed } from './values.ts';

/**
 * Greenhouse job (Harvest v3) → Beamery vacancy: the seed's "Vacancy Object / Data Mapping Table".
 *
 * | Beamery                 | Greenhouse                                | here                                   |
 * | ----------------------- | ----------------------------------------- | -------------------------------------- |
 * | Requisition ID          | requisition_id + job id                   | `requisitionId` `<requisition_id>-<id>`, else none |
 * | (back end) job id       | id                                        | `greenhouseJobId`                      |
 * | Title (required)        | internal job name (v3 `name`)             | `title`                                |
 * | Department              | department                                | `department` (the name; + `departmentId` when linked) |
 * | Managed By              | hiring managers > name                    | `managedBy`, names joined by ", "      |
 * | Sourced By              | sourcers > name                           | `sourcedBy`, names joined by ", "      |
 * | Description             | job notes                                 | `description`                          |
 * | Location                | offices                                   | `location.address` + extras.officeNames |
 * | Privacy (visibility)    | confidential                              | `privacy` 'private' / 'public'         |
 * | Salary                  | salary custom field (number or short text)| `salary` (a string)                    |
 * | Stages                  | job stages                                | `stages`, active ones by sort_order    |
 * | Status                  | status (open, closed, draft)              | `status` 'Open' / 'Closed' / 'Draft'   |
 *
 * Department, Managed By, Sourced By and Privacy have no field in Beamery's public vacancy model: the
 * client writes them under the seed's field references, configurable (adapters/beamery/wire/vacancy.ts).
 *
 * Not mapped, per the seed: the vacancy owner ("not pulled in from Greenhouse and will default to the
 * first user in the User list on the Beamery side").
 */

export const DEFAULT_SALARY_FIELD_KEY = 'salary';

/** Everything the vacancy mapping reads: the v3 job and the lookups the reconciler loaded. */
export interface JobSnapshot {
  readonly job: Job;
  /** `GET /v3/job_hiring_managers?job_ids=` rows. */
  readonly hiringManagers: readonly JobHiringManager[];
  /** `GET /v3/job_owners?job_ids=` rows; those of type `sourcer` are used. */
  readonly owners: readonly JobOwner[];
  /** Display names of the users above, by user id (`userDisplayName`). */
  readonly userNames: ReadonlyMap<number, string>;
  /** The name of the job's department. */
  readonly departmentName?: string;
  /** The Beamery department linked to the job's department (IdMap), when departments are synced. */
  readonly beameryDepartmentId?: string;
  /** Office names by id; the job's `office_ids` pick from it in order. */
  readonly officeNames: ReadonlyMap<number, string>;
  /** `GET /v3/job_interview_stages?job_ids=` rows. */
  readonly stages: readonly JobInterviewStage[];
}

export interface VacancyMappingOptions {
  /** The `name_key` of the job custom field that holds the salary (default `salary`). */
  readonly salaryFieldKey?: string;
}

/** What the change detection reads beside VacancyWrite: the office names behind the one location string. */
export interface VacancyExtras {
  readonly officeNames: readonly string[];
}

export interface VacancyMapping {
  readonly vacancy: VacancyWrite;
  readonly extras: VacancyExtras;
}

export function mapJobToVacancy(snapshot: JobSnapshot, options: VacancyMappingOptions = {}): VacancyMapping {
  const job = snapshot.job;
  const officeNames = uniq((job.office_ids ?? []).map((id) => trimmed(snapshot.officeNames.get(id))));
  const vacancy: VacancyWrite = strip({
    title: trimmed(job.name),
    status: vacancyStatus(job.status),
    departmentId: snapshot.beameryDepartmentId,
    department: trimmed(snapshot.departmentName),
    managedBy: joinNames(namesOf(snapshot.hiringManagers, snapshot.userNames)),
    sourcedBy: joinNames(
      namesOf(
        snapshot.owners.filter((o) => o.type === 'sourcer'),
        snapshot.userNames,
      ),
    ),
    // Seed "Privacy (visibility)" ← confidential. ASSUMED enum values: Beamery's are not published (pools use private/public).
    privacy: job.confidential ? 'private' : 'public',
    description: trimmed(job.notes),
    salary: salaryText(job.custom_fields?.[options.salaryFieldKey ?? DEFAULT_SALARY_FIELD_KEY]?.value),
    requisitionId: requisitionId(job),
    location: officeLocation(officeNames),
    greenhouseJobId: String(job.id),
    stages: vacancyStages(snapshot.stages),
  });
  const extras: VacancyExtras = { officeNames };
  return { vacancy, extras };
}

/**
 * Seed: "If a Requisition ID exists in GH then format: 'Requisition ID-Job ID'. Otherwise … Beamery
 * Auto-generates a Requisition ID": without one in Greenhouse none is sent, and Beamery makes its own.
 */
export function requisitionId(job: Pick<Job, 'id' | 'requisition_id'>): string | undefined {
  const requisition = trimmed(job.requisition_id);
  return requisition ? `${requisition}-${job.id}` : undefined;
}

/** Seed: status "Can be 'Open', 'Closed', or 'Draft'". An unknown Greenhouse status is left alone. */
export function vacancyStatus(status: string | null | undefined): 'Open' | 'Closed' | 'Draft' | undefined {
  switch (status?.trim().toLowerCase()) {
    case 'open':
      return 'Open';
    case 'closed':
      return 'Closed';
    case 'draft':
      return 'Draft';
    default:
      return undefined;
  }
}

/**
 * Seed: salary "Can be type number or short text in Greenhouse"; Beamery keeps a string. v3 may also
 * hold currency values (`{amount, currency_code}`, ranges): written as readable text rather than lost.
 */
export function salaryText(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'string') return trimmed(value);
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    const currency = typeof v['currency_code'] === 'string' ? ` ${v['currency_code']}` : typeof v['unit'] === 'string' ? ` ${v['unit']}` : '';
    const amount = v['amount'] ?? v['value'];
    if (isScalar(amount)) return `${amount}${currency}`;
    const min = v['min_amount'] ?? v['min_value'];
    const max = v['max_amount'] ?? v['max_value'];
    if (isScalar(min) && isScalar(max)) return `${min}–${max}${currency}`;
    if (isScalar(min)) return `from ${min}${currency}`;
    if (isScalar(max)) return `up to ${max}${currency}`;
  }
  return undefined;
}

/**
 * The job's active interview stages in Greenhouse order (`sort_order`: Application Review = 0, Offer
 * last). Seed: "Beamery displays the set of stages for each vacancy that were setup in GH". Hired and
 * Rejected are flags in Greenhouse, not stages, so they never appear here.
 */
export function vacancyStages(stages: readonly JobInterviewStage[]): { name: string; order: number }[] {
  const ordered = stages
    .filter((s) => s.active !== false && trimmed(s.name))
    .sort((a, b) => (a.sort_order ?? Number.MAX_SAFE_INTEGER) - (b.sort_order ?? Number.MAX_SAFE_INTEGER) || a.id - b.id);
  return ordered.map((s, index) => ({ name: trimmed(s.name)!, order: index + 1 }));
}

/** A v3 user's display name: `name`, else first and last name. */
export function userDisplayName(user: Pick<User, 'name' | 'first_name' | 'last_name'>): string | undefined {
  return trimmed(user.name) ?? trimmed([user.first_name, user.last_name].map((p) => p?.trim()).filter(Boolean).join(' '));
}

/**
 * Beamery's vacancy location is one free-text value (seed: "Location location string"): the offices'
 * names in the job's order, separated by "; " (office names often contain commas).
 */
function officeLocation(officeNames: readonly string[]): BeameryLocation | undefined {
  return officeNames.length > 0 ? { address: officeNames.join('; ') } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Field groups
// ---------------------------------------------------------------------------------------------

export const VACANCY_FIELD_GROUPS = ['identity', 'status', 'department', 'team', 'description', 'location', 'visibility', 'salary', 'stages'] as const;
export type VacancyFieldGroup = (typeof VACANCY_FIELD_GROUPS)[number];

// Department, Managed By, Sourced By and Privacy moved into VacancyWrite under new keys, so the
// department, team and visibility hashes of every linked vacancy differ once and its next reconcile
// writes them: vacancies synced before were never sent these fields.
const GROUP_FIELDS: Readonly<Record<VacancyFieldGroup, { vacancy: readonly (keyof VacancyWrite)[]; extras: readonly (keyof VacancyExtras)[] }>> = {
  identity: { vacancy: ['title', 'requisitionId', 'greenhouseJobId'], extras: [] },
  status: { vacancy: ['status'], extras: [] },
  department: { vacancy: ['departmentId', 'department'], extras: [] },
  team: { vacancy: ['managedBy', 'sourcedBy'], extras: [] },
  description: { vacancy: ['description'], extras: [] },
  location: { vacancy: ['location'], extras: ['officeNames'] },
  visibility: { vacancy: ['privacy'], extras: [] },
  salary: { vacancy: ['salary'], extras: [] },
  stages: { vacancy: ['stages'], extras: [] },
};

/** The mapped vacancy split into the units the reconciler hashes and writes (see field-groups.ts). */
export function vacancyFieldGroups(mapped: VacancyMapping): Record<VacancyFieldGroup, unknown> {
  const groups = {} as Record<VacancyFieldGroup, unknown>;
  for (const name of VACANCY_FIELD_GROUPS) {
    const fields = GROUP_FIELDS[name];
    groups[name] = { ...pick(mapped.vacancy, fields.vacancy), ...pick(mapped.extras, fields.extras) };
  }
  return groups;
}

/** The VacancyWrite fields of the given groups: the update for the groups that changed. */
export function vacancyWriteForGroups(mapped: VacancyMapping, groups: Iterable<VacancyFieldGroup>): VacancyWrite {
  let write: VacancyWrite = {};
  for (const name of groups) write = { ...write, ...pick(mapped.vacancy, GROUP_FIELDS[name].vacancy) };
  return write;
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** The responsible person first, then in row order (row id), so the list does not move with the API's order. */
function namesOf(rows: readonly { readonly id: number; readonly user_id: number; readonly responsible?: boolean | null }[], names: ReadonlyMap<number, string>): string[] {
  const ordered = [...rows].sort((a, b) => Number(b.responsible ?? false) - Number(a.responsible ?? false) || a.id - b.id);
  return uniq(ordered.map((row) => trimmed(names.get(row.user_id))));
}

/** The seed types Managed By and Sourced By as one string: several people read as a list. */
function joinNames(names: readonly string[]): string | undefined {
  return names.length > 0 ? names.join(', ') : undefined;
}

function uniq(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined))];
}

function isScalar(value: unknown): value is string | number {
  return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.trim() !== '');
}

