import { seededRandom } from '../shared/random.ts';
import { unprocessable } from './api-errors.ts';
import type { ApplicationRecord, CandidateRecord, Id, Iso, JobInterviewStageRecord, JobRecord } from './records.ts';
import type { GreenhouseState } from './state.ts';

/**
 * Bulk fictional candidates and jobs for volume tests and the backfill benchmark (pagination over
 * thousands of records), made straight in the state: no webhooks, no rate limit. Names come from
 * short made-up lists; every email is on example.test, a reserved domain.
 */
const FIRST = ['Ada', 'Bram', 'Cleo', 'Dario', 'Esme', 'Finn', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kira', 'Lior', 'Mara', 'Nils', 'Oona', 'Pavel'];
const LAST = ['Alder', 'Birch', 'Cedar', 'Dogwood', 'Elm', 'Fir', 'Ginkgo', 'Hazel', 'Ivy', 'Juniper', 'Larch', 'Maple', 'Nutmeg', 'Oak', 'Pine'];

export interface GenerateOptions {
  readonly count: number;
  readonly seed?: number;
  /** Spreads created_at/updated_at over this many seconds before `now` (newest id = newest). */
  readonly spreadSeconds?: number;
  /** What else each candidate gets (applications, privacy, notes, resumes); none without it. */
  readonly mix?: CandidateMix;
}

/**
 * Shares (0–1) of generated candidates, drawn independently per candidate. Everyone who is not a
 * prospect applies to one of the open jobs already in the state (at a random stage of it), as in
 * Greenhouse, where every candidate has an application of some kind.
 */
export interface CandidateMix {
  /** Prospects: an application without a job (`prospect: true`), one prospective job. */
  readonly prospects?: number;
  /** Of the job applications, rejected ones (with the state's first non-default rejection reason). */
  readonly rejected?: number;
  /** Private candidates (`private: true`). */
  readonly private?: number;
  /** Candidates with one note (type NOTE, by one of the state's users). */
  readonly notes?: number;
  /** Candidates with a resume (a small text file) on their application. */
  readonly resumes?: number;
}

const hasMix = (mix: CandidateMix | undefined): mix is CandidateMix => mix !== undefined && Object.keys(mix).length > 0;

export function generateCandidates(state: GreenhouseState, now: number, options: GenerateOptions): CandidateRecord[] {
  const random = seededRandom(options.seed ?? 7);
  const spread = (options.spreadSeconds ?? 86_400) * 1000;
  const created: CandidateRecord[] = [];
  for (let i = 0; i < options.count; i++) {
    const first = FIRST[Math.floor(random() * FIRST.length)]!;
    const last = LAST[Math.floor(random() * LAST.length)]!;
    const at: Iso = new Date(now - spread + Math.floor((spread * (i + 1)) / options.count)).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const candidate = state.insert(
      'candidates',
      { first_name: first, last_name: last, created_at: at, updated_at: at, last_activity_at: at },
      at,
    );
    candidate.email_addresses = [{ value: `${first}.${last}.${candidate.id}@example.test`.toLowerCase(), type: 'personal' }];
    created.push(candidate);
  }
  // After the names, from a stream of its own: a mix never changes which names a seed gives.
  if (hasMix(options.mix)) addMix(state, created, options.mix, seededRandom((options.seed ?? 7) + 1));
  return created;
}

function addMix(state: GreenhouseState, candidates: readonly CandidateRecord[], mix: CandidateMix, random: () => number): void {
  const jobs = state.all('jobs').filter((j) => j.status === 'open' && !j.is_template);
  if (jobs.length === 0) throw unprocessable(['A candidate mix needs open jobs: generate jobs first.']);
  const stages = stagesByJob(state);
  const users = state.all('users').filter((u) => !u.deactivated && !u.sim_service_account);
  const sources = state.all('sources');
  const reason = state.all('rejection_reasons').find((r) => !r.sim_default);
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
  const chance = (share: number | undefined) => random() < (share ?? 0);

  for (const candidate of candidates) {
    const at = candidate.created_at;
    if (chance(mix.private)) candidate.private = true;
    const job = pick(jobs)!;
    const recruiter = pick(users);
    const base: Partial<ApplicationRecord> = {
      candidate_id: candidate.id,
      source_id: pick(sources)?.id ?? null,
      recruiter_id: recruiter?.id ?? null,
      created_at: at,
      updated_at: at,
    };
    let application: ApplicationRecord;
    if (chance(mix.prospects)) {
      application = state.insert('applications', { ...base, prospect: true, prospective_job_ids: [job.id] }, at);
    } else {
      const stage = pick(stages.get(job.id) ?? []);
      const rejected = reason !== undefined && chance(mix.rejected);
      application = state.insert(
        'applications',
        {
          ...base,
          job_id: job.id,
          job_post_id: null,
          job_interview_stage_id: stage?.id ?? null,
          stage_name: stage?.name ?? null,
          stage_id: stage ? state.nextId() : null,
          ...(rejected ? { status: 'rejected' as const, rejected_at: at, rejection_reason_id: reason.id } : {}),
        },
        at,
      );
    }
    if (chance(mix.notes) && users.length > 0) {
      const body = `Spoke with ${candidate.first_name}: keen, available in a month.`;
      state.insert('notes', { candidate_id: candidate.id, application_id: application.id, user_id: pick(users)!.id, body, body_with_tags: body, created_at: at }, at);
    }
    if (chance(mix.resumes)) {
      const text = `${candidate.first_name} ${candidate.last_name} (fictional)\nSkills: Python, TypeScript\n`;
      state.insert(
        'attachments',
        {
          application_id: application.id,
          candidate_id: candidate.id,
          type: 'resume',
          filename: `${candidate.first_name}-${candidate.last_name}-${candidate.id}.txt`.toLowerCase(),
          content_type: 'text/plain',
          visibility: 'public',
          sim_content_base64: Buffer.from(text).toString('base64'),
          created_at: at,
        },
        at,
      );
    }
  }
}

function stagesByJob(state: GreenhouseState): Map<Id, JobInterviewStageRecord[]> {
  const byJob = new Map<Id, JobInterviewStageRecord[]>();
  for (const stage of state.all('job_interview_stages')) {
    if (!stage.active) continue;
    byJob.set(stage.job_id, [...(byJob.get(stage.job_id) ?? []), stage]);
  }
  return byJob;
}

const ROLES = ['Backend Engineer', 'Frontend Engineer', 'Data Analyst', 'Data Scientist', 'Product Designer', 'Product Manager', 'Site Reliability Engineer', 'Security Engineer', 'Account Executive', 'Customer Success Manager', 'Technical Writer', 'Recruiter'];
const LEVELS = ['Junior', '', 'Senior', 'Staff', 'Principal'];
const STAGE_SETS = [
  ['Application Review', 'Preliminary Phone Screen', 'Face to Face', 'Offer'],
  ['Application Review', 'Take Home Test', 'Offer'],
  ['Application Review', 'Recruiter Screen', 'Technical Interview', 'Onsite', 'Offer'],
];

export interface GenerateJobsOptions {
  readonly count: number;
  readonly seed?: number;
  /** Spreads created_at/updated_at over this many seconds before `now` (newest id = newest). */
  readonly spreadSeconds?: number;
}

/**
 * Bulk jobs: mostly open (some closed, a few drafts), most with a requisition id, each with one of a
 * few stage lists (with a job interview and kit per stage after the first), an opening, and, when the state has them, a department, an office, a recruiter
 * owner and a hiring manager from its users.
 */
export function generateJobs(state: GreenhouseState, now: number, options: GenerateJobsOptions): JobRecord[] {
  const random = seededRandom(options.seed ?? 11);
  const spread = (options.spreadSeconds ?? 30 * 86_400) * 1000;
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
  const departments = state.all('departments');
  const offices = state.all('offices');
  const users = state.all('users').filter((u) => !u.deactivated && !u.sim_service_account);
  const created: JobRecord[] = [];
  for (let i = 0; i < options.count; i++) {
    const at: Iso = new Date(now - spread + Math.floor((spread * (i + 1)) / options.count)).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const name = [pick(LEVELS), pick(ROLES)].filter(Boolean).join(' ');
    const r = random();
    const status = r < 0.8 ? 'open' : r < 0.95 ? 'closed' : 'draft';
    const job = state.insert(
      'jobs',
      {
        name,
        requisition_id: random() < 0.7 ? `REQ-${String(i + 1).padStart(4, '0')}` : null,
        notes: random() < 0.5 ? `<p>${name}: owns a part of the product end to end.</p>` : null,
        status,
        opened_at: status === 'draft' ? null : at,
        closed_at: status === 'closed' ? at : null,
        department_id: pick(departments)?.id ?? null,
        office_ids: offices.length > 0 ? [pick(offices)!.id] : [],
        created_at: at,
        updated_at: at,
      },
      at,
    );
    const stages = pick(STAGE_SETS)!.map((stage, sort_order) => state.insert('job_interview_stages', { job_id: job.id, name: stage, sort_order, created_at: at }, at));
    // No random draw here: a seed keeps giving the same jobs as before the plans existed.
    state.addInterviewPlan(stages, at);
    state.insert('openings', { job_id: job.id, opening_id: `${job.id}-1`, created_at: at }, at);
    const recruiter = pick(users);
    if (recruiter) state.insert('job_owners', { job_id: job.id, user_id: recruiter.id, type: 'recruiter', responsible: true, created_at: at }, at);
    const manager = pick(users);
    if (manager) state.insert('job_hiring_managers', { job_id: job.id, user_id: manager.id, responsible: true, created_at: at }, at);
    created.push(job);
  }
  return created;
}
