/**
 * What the pipeline analytics read: a minimal view of jobs, openings, applications and stage history
 * that holds no candidate data. Keys are opaque: they only join records here and never appear in any
 * output (docs/pipeline-analytics.md, "Privacy").
 *
 * These types are the analytics' own, not Harvest's. The mapping from Harvest v3 (for the wiring):
 * - `AnalyticsJob` ← `GET /v3/jobs` (`id`, `name`, `status`, `opened_at`, `closed_at`, the department's
 *   and the first office's names) with its `GET /v3/openings` (`opened_at`, `closed_at`, filled when it
 *   closed with an `application_id`).
 * - `AnalyticsApplication` ← `GET /v3/applications` (`id`, `job_id`, `created_at`, `status`,
 *   `rejected_at`, the current stage's name); `hiredAt` from the opening the application filled (its
 *   `closed_at`), as v3 applications carry no hire date of their own.
 * - `StageVisit` ← `GET /v3/application_stages` (`application_id`, `entered_at`, `exited_at`), its
 *   `job_interview_stage_id` resolved to a name and an order by `GET /v3/job_interview_stages`.
 */

/** An ISO 8601 timestamp, as Harvest sends it. */
export type Iso = string;

/** One opening of a job: a seat to fill. */
export interface AnalyticsOpening {
  readonly openedAt: Iso;
  /** When it closed, by a hire or otherwise; null while open. */
  readonly closedAt: Iso | null;
  /** Closed by a hire (time to fill counts only these). */
  readonly filled: boolean;
}

export type JobStatus = 'open' | 'closed' | 'draft';

export interface AnalyticsJob {
  /** Opaque: joins applications to the job. Job ids are not personal data and may be shown. */
  readonly key: string;
  readonly title: string;
  readonly department: string;
  readonly office: string;
  readonly status: JobStatus;
  readonly openedAt: Iso | null;
  readonly closedAt: Iso | null;
  readonly openings: readonly AnalyticsOpening[];
}

export type ApplicationStatus = 'active' | 'hired' | 'rejected';

export interface AnalyticsApplication {
  /** Opaque: joins stage visits to the application. Never leaves the analytics. */
  readonly key: string;
  readonly jobKey: string;
  readonly createdAt: Iso;
  readonly status: ApplicationStatus;
  readonly hiredAt: Iso | null;
  readonly rejectedAt: Iso | null;
  /** The stage it is in now (for a hired or rejected application, the one it left the pipeline from). */
  readonly currentStage: string | null;
}

/** One stay of an application in one stage of its job's interview plan. */
export interface StageVisit {
  readonly applicationKey: string;
  readonly stage: string;
  /** The stage's place in the job's plan (Application Review first); orders the funnel. */
  readonly order: number;
  /** Null for history Greenhouse backfilled without dates: counted in the funnel, not in durations. */
  readonly enteredAt: Iso | null;
  /** Null while the application is still in the stage. */
  readonly exitedAt: Iso | null;
}

export interface PipelineHistory {
  readonly jobs: readonly AnalyticsJob[];
  readonly applications: readonly AnalyticsApplication[];
  readonly stageVisits: readonly StageVisit[];
}

/**
 * The history as it stood at `cutoff` (epoch ms): what happened later is dropped or undone (an
 * application hired after the cut-off is still active at it, a stage left after it is still current).
 * The forecast backtest predicts from this view only, so no later fact can leak into a prediction.
 */
export function historyAsOf(history: PipelineHistory, cutoff: number): PipelineHistory {
  const before = (at: Iso | null): boolean => at !== null && Date.parse(at) <= cutoff;
  const asOf = (at: Iso | null): Iso | null => (before(at) ? at : null);
  const applications = history.applications
    .filter((application) => before(application.createdAt))
    .map((application) => ({ ...application, hiredAt: asOf(application.hiredAt), rejectedAt: asOf(application.rejectedAt) }));
  const kept = new Set(applications.map((application) => application.key));
  // A visit with no entry date cannot be placed in time: kept only while its application is.
  const stageVisits = history.stageVisits
    .filter((visit) => kept.has(visit.applicationKey) && (visit.enteredAt === null || before(visit.enteredAt)))
    .map((visit) => ({ ...visit, exitedAt: asOf(visit.exitedAt) }));
  const latest = latestVisits(stageVisits);
  return {
    jobs: history.jobs
      .filter((job) => job.openedAt === null || before(job.openedAt))
      .map((job) => {
        const closedAt = asOf(job.closedAt);
        return {
          ...job,
          status: job.status === 'draft' ? 'draft' : closedAt === null ? 'open' : 'closed',
          closedAt,
          openings: job.openings
            .filter((opening) => before(opening.openedAt))
            .map((opening) => {
              const openingClosed = asOf(opening.closedAt);
              return { ...opening, closedAt: openingClosed, filled: opening.filled && openingClosed !== null };
            }),
        };
      }),
    applications: applications.map((application) => ({
      ...application,
      status: application.hiredAt !== null ? 'hired' : application.rejectedAt !== null ? 'rejected' : 'active',
      currentStage: latest.get(application.key)?.stage ?? null,
    })),
    stageVisits,
  };
}

/** Each application's latest visit: the last entered, the later stage on a tie. */
export function latestVisits(visits: readonly StageVisit[]): Map<string, StageVisit> {
  const latest = new Map<string, StageVisit>();
  for (const visit of visits) {
    const seen = latest.get(visit.applicationKey);
    if (seen === undefined || later(visit, seen)) latest.set(visit.applicationKey, visit);
  }
  return latest;
}

function later(a: StageVisit, b: StageVisit): boolean {
  const entered = (visit: StageVisit) => (visit.enteredAt === null ? -Infinity : Date.parse(visit.enteredAt));
  return entered(a) !== entered(b) ? entered(a) > entered(b) : a.order > b.order;
}

/** Orders `[stage, { order }]` entries as the interview plan does: by order, then by name. */
export function byStageOrder<T extends { readonly order: number }>([nameA, a]: readonly [string, T], [nameB, b]: readonly [string, T]): number {
  return a.order - b.order || nameA.localeCompare(nameB);
}
