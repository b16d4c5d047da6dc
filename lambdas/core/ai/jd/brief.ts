import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import type { Job } from '#core/greenhouse/records';
import { Unsupported } from '#core/api-errors';
import { collect } from '#core/async-iterables';
import { isAiNote } from '../ai-notes.ts';
import { minimiseResume, type RemovedKind } from '../minimise.ts';
import { sourceOf, type ClaimSource, type PayRange } from './draft.ts';
import { payRangeOf, type OfficeView } from './pay-range.ts';
import type { CorpusDocument, JobBrief, SimilarPost } from './ports.ts';

/**
 * The job's own data as a drafter may see it (docs/ai-governance.md, "Job-description drafts"): names
 * of the job, its department and offices; its custom fields' plain values; its notes with every
 * hiring-team member's and note author's name, emails, phone numbers, links and protected-attribute
 * lines taken out by the same minimisation as resumes; the hiring team as roles and counts.
 */

/** The capability name Unsupported carries for a tenant without `/v3/job_notes` (the client's JOB_NOTES). */
export const JOB_NOTES_CAPABILITY = 'jobNotes';

export type BriefReads = Pick<GreenhouseApi, 'listDepartments' | 'listOffices' | 'listJobOwners' | 'listJobHiringManagers' | 'listUsers' | 'listJobNotes'>;

export interface JobFacts {
  /** The brief without similar posts and corpus, which the workflow adds. */
  readonly brief: Omit<JobBrief, 'similarPosts' | 'corpus' | 'maxWords'>;
  readonly offices: readonly OfficeView[];
  readonly payRange: PayRange | null;
  /** `unsupported`: the tenant has no job notes, so none were read and none can be written. */
  readonly jobNotes: 'available' | 'unsupported';
  /** What minimisation took out of the notes and field values, for the Audit (counts, never values). */
  readonly removed: Readonly<Record<RemovedKind, number>>;
}

/** Field types whose value is a person, not a fact about the job. */
const PERSON_FIELD_TYPES = new Set(['user', 'users']);

function plainValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.join(', ') || undefined;
  return undefined;
}

/** The job's openings still open, when the record lists them (v1 jobs do; a v3 job may not). */
function openingsOf(job: Job): number | null {
  const openings = (job as { openings?: unknown }).openings;
  if (!Array.isArray(openings)) return null;
  return openings.filter((o) => !o || typeof o !== 'object' || !('status' in o) || (o as { status?: unknown }).status === 'open' || (o as { status?: unknown }).status == null).length;
}

export async function jobFacts(job: Job, greenhouse: BriefReads, options: { readonly payRangeField?: string | undefined }): Promise<JobFacts> {
  const [departments, allOffices, owners, managers] = await Promise.all([
    job.department_id ? collect(greenhouse.listDepartments()) : Promise.resolve([]),
    job.office_ids?.length ? collect(greenhouse.listOffices()) : Promise.resolve([]),
    collect(greenhouse.listJobOwners([job.id])),
    collect(greenhouse.listJobHiringManagers([job.id])),
  ]);
  let jobNotes: JobFacts['jobNotes'] = 'available';
  let notes: { id: number; user_id?: number | null; body?: string | null }[] = [];
  try {
    notes = (await collect(greenhouse.listJobNotes({ job_ids: [job.id] }))).filter((n) => !isAiNote(n.body));
  } catch (error) {
    if (!(error instanceof Unsupported && error.capability === JOB_NOTES_CAPABILITY)) throw error;
    jobNotes = 'unsupported';
  }

  // Everyone whose name could appear in a note: the hiring team and the notes' authors.
  const userIds = [...new Set([...owners.map((o) => o.user_id), ...managers.map((m) => m.user_id), ...notes.flatMap((n) => (n.user_id ? [n.user_id] : []))])];
  const users = userIds.length ? await collect(greenhouse.listUsers({ ids: userIds, includeServiceAccounts: true })) : [];
  const names = users.flatMap((u) => [u.first_name, u.last_name, u.name].filter((n): n is string => !!n));

  const removed: Record<RemovedKind, number> = { email: 0, phone: 0, link: 0, 'proxy-line': 0, name: 0 };
  const minimise = (text: string) => {
    const result = minimiseResume(text, { names });
    for (const [kind, n] of Object.entries(result.removed)) removed[kind as RemovedKind] += n;
    return result.text;
  };

  const roles = new Map<string, number>();
  const addRole = (role: string) => roles.set(role, (roles.get(role) ?? 0) + 1);
  for (const owner of owners) addRole((owner.type ?? 'job owner').replace(/_/g, ' ').toLowerCase());
  for (const _ of managers) addRole('hiring manager');

  const fields = Object.entries(job.custom_fields ?? {}).flatMap(([nameKey, field]) => {
    if (!field || nameKey === options.payRangeField || PERSON_FIELD_TYPES.has(field.type ?? '')) return [];
    const value = plainValue(field.value);
    const kept = value === undefined ? '' : minimise(value);
    return kept ? [{ nameKey, name: field.name ?? nameKey, value: kept }] : [];
  });

  const offices = (job.office_ids ?? []).flatMap((id) => {
    const office = allOffices.find((o) => o.id === id);
    return office?.name ? [{ id, name: office.name }] : [];
  });
  const payField = options.payRangeField ? job.custom_fields?.[options.payRangeField] : undefined;

  return {
    brief: {
      jobId: job.id,
      name: job.name?.trim() || 'Untitled job',
      department: departments.find((d) => d.id === job.department_id)?.name ?? null,
      offices: offices.map((o) => o.name),
      openings: openingsOf(job),
      customFields: fields,
      notes: notes.flatMap((n) => {
        const text = minimise(n.body ?? '');
        return text ? [{ id: n.id, text }] : [];
      }),
      hiringTeam: [...roles].map(([role, count]) => ({ role, count })).sort((a, b) => a.role.localeCompare(b.role)),
    },
    offices,
    payRange: payRangeOf(payField?.value) ?? null,
    jobNotes,
    removed,
  };
}

/** The full brief the drafter reads. */
export function completeBrief(facts: JobFacts, similarPosts: readonly SimilarPost[], corpus: readonly CorpusDocument[], maxWords: number): JobBrief {
  return { ...facts.brief, similarPosts, corpus, maxWords };
}

/** Every text of the brief by the id a claim names as its source (draft.ts), in the order a drafter is shown them. */
export function briefSources(brief: JobBrief): Map<ClaimSource, string> {
  const sources = new Map<ClaimSource, string>([[sourceOf.job('name'), brief.name]]);
  if (brief.department) sources.set(sourceOf.job('department'), brief.department);
  if (brief.offices.length) sources.set(sourceOf.job('offices'), brief.offices.join('; '));
  if (brief.openings !== null) sources.set(sourceOf.job('openings'), `${brief.openings} opening${brief.openings === 1 ? '' : 's'}`);
  for (const f of brief.customFields) sources.set(sourceOf.jobField(f.nameKey), `${f.name}: ${f.value}`);
  for (const n of brief.notes) sources.set(sourceOf.jobNote(n.id), n.text);
  for (const p of brief.similarPosts) sources.set(sourceOf.post(p.id), [p.title, ...p.sections.flatMap((s) => [s.heading, ...s.items.map((i) => `- ${i}`)])].filter(Boolean).join('\n'));
  for (const d of brief.corpus) sources.set(sourceOf.corpus(d.name), d.text);
  return sources;
}
