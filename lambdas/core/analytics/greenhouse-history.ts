import { DAY_MS } from '#core/analytics/durations';
import type { AnalyticsApplication, AnalyticsJob, AnalyticsOpening, ApplicationStatus, JobStatus, PipelineHistory, StageVisit } from '#core/analytics/history';
import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import type { Application, ApplicationStage, Job, JobInterviewStage, Opening } from '#core/greenhouse/records';
import { pipeWindow } from '#core/greenhouse/time-window';

/** The Greenhouse reads the pipeline analytics make, and no others (no candidate is ever read). */
export type PipelineHistoryReads = Pick<
  GreenhouseApi,
  'listJobs' | 'listOpenings' | 'listApplications' | 'listApplicationStages' | 'listJobInterviewStages' | 'listDepartments' | 'listOffices'
>;

export interface PipelineHistoryOptions {
  /** The end of the history (epoch ms): the report's date. */
  readonly asOfMs: number;
  /** How far back applications are read: those changed in these many days, and every active one. */
  readonly lookbackDays: number;
}

/** What a job without a department or an office is filed under in the report. */
export const NO_DEPARTMENT = 'No department';
export const NO_OFFICE = 'No office';

/**
 * The id-free history the analytics read (history.ts), from Harvest v3. The reads, bounded for a
 * tenant with thousands of applications:
 *
 * 1. applications (never prospects) updated in the lookback window, which holds every one created in
 *    it, plus every active one, however long idle (aging needs them);
 * 2. their stage history, `application_ids` batched by the client (`ids` limit), and the interview
 *    stages of their jobs, for each visit's stage name and place in the plan;
 * 3. jobs of every status (templates left out), kept when open, a draft, closed in the window, or
 *    holding one of the applications; their openings; department and office names.
 *
 * Keys are Greenhouse ids as opaque strings; no candidate field is read or copied (the report drops
 * the keys as well: docs/pipeline-analytics.md, "Privacy"). A hire's date is the `closed_at` of the
 * opening it filled, as v3 applications carry none; a hire that filled no opening falls back to the
 * exit of its last stage, then to its `updated_at`.
 */
export async function readPipelineHistory(greenhouse: PipelineHistoryReads, options: PipelineHistoryOptions): Promise<PipelineHistory> {
  const from = options.asOfMs - options.lookbackDays * DAY_MS;
  const window = pipeWindow({ gte: from, lte: options.asOfMs });

  const applications = new Map<number, Application>();
  for (const query of [{ updated_at: window }, { status: 'active' as const }]) {
    for await (const application of greenhouse.listApplications({ ...query, prospect: false })) {
      if (application.prospect !== true && application.job_id != null) applications.set(application.id, application);
    }
  }

  const applicationJobs = new Set([...applications.values()].map((application) => application.job_id!));
  const jobs: Job[] = [];
  for await (const job of greenhouse.listJobs()) {
    if (job.is_template === true) continue;
    const closed = job.closed_at == null ? undefined : Date.parse(job.closed_at);
    if (applicationJobs.has(job.id) || job.status !== 'closed' || (closed !== undefined && closed >= from)) jobs.push(job);
  }
  const jobIds = jobs.map((job) => job.id);

  // An empty id list would drop the filter altogether and list the whole tenant.
  const stages = new Map<number, JobInterviewStage>();
  const openings: Opening[] = [];
  const visits: ApplicationStage[] = [];
  if (jobIds.length > 0) {
    for await (const stage of greenhouse.listJobInterviewStages(jobIds)) stages.set(stage.id, stage);
    for await (const opening of greenhouse.listOpenings({ job_ids: jobIds })) openings.push(opening);
  }
  if (applications.size > 0) {
    for await (const visit of greenhouse.listApplicationStages({ application_ids: [...applications.keys()] })) visits.push(visit);
  }

  const departments = await namesOf(greenhouse.listDepartments());
  const offices = await namesOf(greenhouse.listOffices());
  const hiredAt = hireDates(openings, applications, visits);
  const mapped = [...applications.values()].flatMap((application) => toApplication(application, hiredAt.get(application.id) ?? null, stages));
  const kept = new Set(mapped.map((application) => application.key));

  return {
    jobs: jobs.map((job) => toJob(job, openings, departments, offices)),
    applications: mapped,
    stageVisits: visits.filter((visit) => kept.has(String(visit.application_id))).flatMap((visit) => toStageVisit(visit, stages)),
  };
}

async function namesOf(records: AsyncIterable<{ readonly id: number; readonly name?: string | null | undefined }>): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  for await (const record of records) if (record.name) names.set(record.id, record.name);
  return names;
}

function toJob(job: Job, openings: readonly Opening[], departments: ReadonlyMap<number, string>, offices: ReadonlyMap<number, string>): AnalyticsJob {
  const status: JobStatus = job.status === 'closed' || job.status === 'draft' ? job.status : 'open';
  return {
    key: String(job.id),
    title: job.name ?? '',
    department: (job.department_id != null ? departments.get(job.department_id) : undefined) ?? NO_DEPARTMENT,
    office: offices.get(job.office_ids?.[0] ?? -1) ?? NO_OFFICE,
    status,
    openedAt: job.opened_at ?? null,
    closedAt: job.closed_at ?? null,
    openings: openings.filter((opening) => opening.job_id === job.id).flatMap((opening): AnalyticsOpening[] => {
      const openedAt = opening.opened_at ?? opening.created_at;
      if (!openedAt) return [];
      const closedAt = opening.closed_at ?? null;
      return [{ openedAt, closedAt, filled: closedAt !== null && opening.application_id != null }];
    }),
  };
}

/** Each hired application's hire date: its opening's close, else its last stage's exit, else its last update. */
function hireDates(openings: readonly Opening[], applications: ReadonlyMap<number, Application>, visits: readonly ApplicationStage[]): Map<number, string> {
  const dates = new Map<number, string>();
  for (const opening of openings) if (opening.application_id != null && opening.closed_at) dates.set(opening.application_id, opening.closed_at);
  const lastExit = new Map<number, string>();
  for (const visit of visits) {
    const seen = lastExit.get(visit.application_id);
    if (visit.exited_at && (seen === undefined || Date.parse(visit.exited_at) > Date.parse(seen))) lastExit.set(visit.application_id, visit.exited_at);
  }
  for (const application of applications.values()) {
    if (application.status !== 'hired' || dates.has(application.id)) continue;
    const fallback = lastExit.get(application.id) ?? application.updated_at;
    if (fallback) dates.set(application.id, fallback);
  }
  return dates;
}

function toApplication(application: Application, hiredAt: string | null, stages: ReadonlyMap<number, JobInterviewStage>): AnalyticsApplication[] {
  // `converted` (a prospect made a candidate) and unknown statuses say nothing about this pipeline.
  const status: ApplicationStatus | undefined = { in_process: 'active', hired: 'hired', rejected: 'rejected' }[application.status ?? ''] as ApplicationStatus | undefined;
  if (status === undefined || !application.created_at) return [];
  const stage = application.job_interview_stage_id != null ? stages.get(application.job_interview_stage_id)?.name : undefined;
  return [
    {
      key: String(application.id),
      jobKey: String(application.job_id),
      createdAt: application.created_at,
      status,
      hiredAt: status === 'hired' ? hiredAt : null,
      rejectedAt: status === 'rejected' ? (application.rejected_at ?? application.updated_at ?? null) : null,
      currentStage: stage ?? application.stage_name ?? null,
    },
  ];
}

/** A visit of a stage no longer in the plan (or never named) cannot be placed in the funnel: left out. */
function toStageVisit(visit: ApplicationStage, stages: ReadonlyMap<number, JobInterviewStage>): StageVisit[] {
  const stage = visit.job_interview_stage_id != null ? stages.get(visit.job_interview_stage_id) : undefined;
  if (!stage?.name) return [];
  return [
    {
      applicationKey: String(visit.application_id),
      stage: stage.name,
      order: stage.sort_order ?? 0,
      enteredAt: visit.entered_at ?? null,
      exitedAt: visit.exited_at ?? null,
    },
  ];
}
