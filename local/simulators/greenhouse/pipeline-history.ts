import type { PipelineHistory } from '#core/analytics/history';
import { GENERATED_STAGES, generatePipelineHistory, type HistoryOptions } from '../../analytics-history.ts';
import { generateCandidates } from './generate.ts';
import type { ApplicationRecord, Id, Iso } from './records.ts';
import type { GreenhouseState } from './state.ts';

/**
 * A generated year of hiring (local/analytics-history.ts) as simulator records, so the pipeline
 * analytics read it through Harvest v3 as they would a tenant's: jobs with the generator's interview
 * plan (stages in order), departments and offices by name, openings (opened, closed, the hire's
 * application), a fictional candidate per application (generate.ts names, example.test emails),
 * applications (created, status, rejected) at their last stage, and one `application_stages` row per
 * stage visit. Made straight in the state: no webhooks, no rate limit.
 */
export interface GeneratedPipeline {
  readonly jobs: number;
  readonly applications: number;
  readonly stageVisits: number;
  readonly minJobId: Id | null;
  readonly maxJobId: Id | null;
  /** The history's end: the simulator's clock when it was made. */
  readonly asOf: Iso;
}

export function generatePipeline(state: GreenhouseState, now: number, options: Omit<HistoryOptions, 'asOf'>): GeneratedPipeline {
  const history = generatePipelineHistory({ ...options, asOf: now });
  const at = new Date(now).toISOString();
  const named = (table: 'departments' | 'offices', name: string): Id =>
    (state.all(table).find((record) => record.name === name) ?? state.insert(table, { name }, at)).id;
  const reason = state.all('rejection_reasons').find((r) => !r.sim_default);

  const jobIds = new Map<string, Id>();
  const stageIds = new Map<string, Map<string, Id>>();
  for (const job of history.jobs) {
    const changed = job.closedAt ?? job.openedAt ?? at;
    const record = state.insert(
      'jobs',
      {
        name: job.title,
        status: job.status,
        opened_at: job.openedAt,
        closed_at: job.closedAt,
        department_id: named('departments', job.department),
        office_ids: [named('offices', job.office)],
        created_at: job.openedAt ?? at,
        updated_at: changed,
      },
      changed,
    );
    jobIds.set(job.key, record.id);
    stageIds.set(
      job.key,
      new Map(GENERATED_STAGES.map((stage, sort_order) => [stage.name, state.insert('job_interview_stages', { job_id: record.id, name: stage.name, sort_order, created_at: record.created_at }, changed).id])),
    );
  }

  const candidates = generateCandidates(state, now, { count: Math.max(1, history.applications.length), seed: options.seed ?? 18 });
  const visitsOf = Map.groupBy(history.stageVisits, (visit) => visit.applicationKey);
  const applicationIds = new Map<string, Id>();
  history.applications.forEach((application, index) => {
    const visits = visitsOf.get(application.key) ?? [];
    const stages = stageIds.get(application.jobKey)!;
    const last = visits.at(-1);
    const changed = latest([application.createdAt, application.hiredAt, application.rejectedAt, ...visits.flatMap((v) => [v.enteredAt, v.exitedAt])]);
    const candidate = candidates[index]!;
    Object.assign(candidate, { created_at: application.createdAt, updated_at: changed, last_activity_at: changed });
    const rejected = application.status === 'rejected';
    const record = state.insert(
      'applications',
      {
        candidate_id: candidate.id,
        job_id: jobIds.get(application.jobKey)!,
        prospect: false,
        status: application.status === 'active' ? 'in_process' : application.status,
        job_interview_stage_id: last ? stages.get(last.stage)! : null,
        stage_name: last?.stage ?? null,
        rejected_at: rejected ? application.rejectedAt : null,
        rejection_reason_id: rejected ? (reason?.id ?? null) : null,
        last_activity_at: changed,
        created_at: application.createdAt,
        updated_at: changed,
      } satisfies Partial<ApplicationRecord>,
      changed,
    );
    applicationIds.set(application.key, record.id);
    for (const visit of visits) {
      const row = state.insert(
        'application_stages',
        {
          application_id: record.id,
          job_interview_stage_id: stages.get(visit.stage)!,
          entered_at: visit.enteredAt,
          exited_at: visit.exitedAt,
          days_in_stage: visit.enteredAt === null ? null : Math.floor(((visit.exitedAt === null ? now : Date.parse(visit.exitedAt)) - Date.parse(visit.enteredAt)) / 86_400_000),
          current: visit === last,
          created_at: visit.enteredAt ?? changed,
          updated_at: visit.exitedAt ?? visit.enteredAt ?? changed,
        },
        changed,
      );
      if (visit === last) record.stage_id = row.id;
    }
  });

  addOpenings(state, history, jobIds, applicationIds);
  const ids = [...jobIds.values()];
  return {
    jobs: history.jobs.length,
    applications: history.applications.length,
    stageVisits: history.stageVisits.length,
    minJobId: ids[0] ?? null,
    maxJobId: ids.at(-1) ?? null,
    asOf: at,
  };
}

/** Each filled opening gets the hire whose date is its close (the generator fills openings in hire order). */
function addOpenings(state: GreenhouseState, history: PipelineHistory, jobIds: ReadonlyMap<string, Id>, applicationIds: ReadonlyMap<string, Id>): void {
  const hiresOf = Map.groupBy(
    history.applications.filter((application) => application.hiredAt !== null),
    (application) => application.jobKey,
  );
  for (const job of history.jobs) {
    const hires = [...(hiresOf.get(job.key) ?? [])];
    job.openings.forEach((opening, index) => {
      const found = opening.filled ? hires.findIndex((h) => h.hiredAt === opening.closedAt) : -1;
      const hire = found >= 0 ? hires.splice(found, 1)[0] : undefined;
      const jobId = jobIds.get(job.key)!;
      state.insert(
        'openings',
        {
          job_id: jobId,
          opening_id: `${jobId}-${index + 1}`,
          open: opening.closedAt === null,
          opened_at: opening.openedAt,
          closed_at: opening.closedAt,
          application_id: hire ? applicationIds.get(hire.key)! : null,
          created_at: opening.openedAt,
          updated_at: opening.closedAt ?? opening.openedAt,
        },
        opening.closedAt ?? opening.openedAt,
      );
    });
  }
}

function latest(times: readonly (Iso | null)[]): Iso {
  return times.filter((t): t is Iso => t !== null).reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
}
