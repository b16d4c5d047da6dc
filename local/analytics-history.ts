import type { AnalyticsApplication, AnalyticsJob, AnalyticsOpening, PipelineHistory, StageVisit } from '#core/analytics/history';
import { DAY_MS } from '#core/analytics/durations';
import { seededRandom } from '#local/simulators/shared/random';

/**
 * A year of fictional hiring, for the analytics tests and the local stack: jobs open over the year,
 * applications arrive at each job's own rate, and each goes through the interview plan stage by
 * stage, advancing with a stage's pass rate after a log-normally distributed stay, until it is
 * rejected or hired into an opening. A job closes when its last opening is filled; what was still in
 * its pipeline then is rejected. Seeded: the same options give the same history.
 *
 * `slowdown` makes one stage slower for the stays that entered it in the last days, the event the
 * bottleneck rule must find.
 */
export interface HistoryOptions {
  readonly seed?: number;
  /** The end of the history (epoch ms); nothing happens after it. */
  readonly asOf: number;
  readonly jobs?: number;
  readonly days?: number;
  readonly slowdown?: { readonly stage: string; readonly factor: number; readonly lastDays: number };
}

/** The interview plan every generated job uses: pass rate and median stay (days) per stage. */
export const GENERATED_STAGES: readonly { readonly name: string; readonly passRate: number; readonly medianDays: number }[] = [
  { name: 'Application Review', passRate: 0.45, medianDays: 3 },
  { name: 'Screening', passRate: 0.5, medianDays: 5 },
  { name: 'Hiring Manager Review', passRate: 0.55, medianDays: 4 },
  { name: 'Onsite', passRate: 0.45, medianDays: 7 },
  { name: 'Offer', passRate: 0.8, medianDays: 5 },
];

const DEPARTMENTS: readonly { readonly name: string; readonly pace: number; readonly titles: readonly string[] }[] = [
  { name: 'Engineering', pace: 1.2, titles: ['Software Engineer', 'Senior Software Engineer', 'Data Engineer', 'Site Reliability Engineer'] },
  { name: 'Sales', pace: 0.8, titles: ['Account Executive', 'Sales Development Representative', 'Sales Engineer'] },
  { name: 'Marketing', pace: 1, titles: ['Product Marketing Manager', 'Content Lead', 'Growth Marketer'] },
  { name: 'Customer Success', pace: 0.9, titles: ['Customer Success Manager', 'Support Specialist'] },
  { name: 'Finance', pace: 1.1, titles: ['Financial Analyst', 'Accountant'] },
  { name: 'People', pace: 1, titles: ['Recruiter', 'People Partner'] },
];
const OFFICES = ['London', 'New York', 'Berlin', 'Remote'];

const SPREAD = 0.5;

interface Draft {
  readonly key: string;
  readonly created: number;
  readonly visits: { stage: string; order: number; entered: number; exited: number }[];
  /** When it leaves the pipeline and how, if within the history. */
  readonly outcome: { at: number; hired: boolean } | undefined;
}

export function generatePipelineHistory(options: HistoryOptions): PipelineHistory {
  const random = seededRandom(options.seed ?? 18);
  const start = options.asOf - (options.days ?? 365) * DAY_MS;
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

  const jobs: AnalyticsJob[] = [];
  const applications: AnalyticsApplication[] = [];
  const stageVisits: StageVisit[] = [];
  let applicationNumber = 0;

  for (let j = 0; j < (options.jobs ?? 200); j++) {
    const department = pick(DEPARTMENTS);
    const opened = start + random() * (options.asOf - start - 3 * DAY_MS);
    const openingCount = random() < 0.6 ? 1 : random() < 0.7 ? 2 : 3;
    const perDay = 0.3 + random() * 0.9;

    // Every application's course through the plan, as if the job never closed.
    const drafts: Draft[] = [];
    for (let created = opened + (-Math.log(1 - random()) / perDay) * DAY_MS; created <= options.asOf; created += (-Math.log(1 - random()) / perDay) * DAY_MS) {
      const visits: Draft['visits'] = [];
      let at = created;
      let outcome: Draft['outcome'];
      for (const [order, stage] of GENERATED_STAGES.entries()) {
        const slowed = options.slowdown?.stage === stage.name && at > options.asOf - options.slowdown.lastDays * DAY_MS;
        const stay = stage.medianDays * department.pace * (slowed ? options.slowdown!.factor : 1) * Math.exp(SPREAD * normal());
        const exited = at + stay * DAY_MS;
        visits.push({ stage: stage.name, order, entered: at, exited });
        if (exited > options.asOf) break;
        at = exited;
        if (random() >= stage.passRate) {
          outcome = { at, hired: false };
          break;
        }
        if (order === GENERATED_STAGES.length - 1) outcome = { at, hired: true };
      }
      drafts.push({ key: `app-${++applicationNumber}`, created, visits, outcome });
    }

    // Hires fill the openings in the order they happen; the job closes with its last opening.
    const fills = drafts.filter((draft) => draft.outcome?.hired).map((draft) => draft.outcome!.at).sort((a, b) => a - b).slice(0, openingCount);
    const closed = fills.length === openingCount ? fills[openingCount - 1]! : undefined;
    const openings: AnalyticsOpening[] = Array.from({ length: openingCount }, (_, index) => {
      const filledAt = fills[index];
      return { openedAt: iso(opened), closedAt: filledAt === undefined ? null : iso(filledAt), filled: filledAt !== undefined };
    });
    const key = `job-${j + 1}`;
    jobs.push({
      key,
      title: pick(department.titles),
      department: department.name,
      office: pick(OFFICES),
      status: closed === undefined ? 'open' : 'closed',
      openedAt: iso(opened),
      closedAt: closed === undefined ? null : iso(closed),
      openings,
    });

    let hiresLeft = openingCount;
    for (const draft of drafts) {
      if (closed !== undefined && draft.created > closed) continue;
      // A hire that comes after the last opening is filled cannot happen: the job closed under it.
      const hired = draft.outcome?.hired === true && hiresLeft > 0 && (closed === undefined || draft.outcome.at <= closed);
      if (hired) hiresLeft -= 1;
      const end = hired ? draft.outcome!.at : closed !== undefined && (draft.outcome === undefined || draft.outcome.at > closed) ? closed : draft.outcome?.at;
      const visits = draft.visits.filter((visit) => end === undefined || visit.entered < end || visit.entered === draft.created);
      for (const visit of visits) {
        const exited = end !== undefined && visit.exited > end ? end : visit.exited;
        stageVisits.push({ applicationKey: draft.key, stage: visit.stage, order: visit.order, enteredAt: iso(visit.entered), exitedAt: exited > options.asOf ? null : iso(exited) });
      }
      applications.push({
        key: draft.key,
        jobKey: key,
        createdAt: iso(draft.created),
        status: hired ? 'hired' : end === undefined ? 'active' : 'rejected',
        hiredAt: hired ? iso(end!) : null,
        rejectedAt: !hired && end !== undefined ? iso(end) : null,
        currentStage: visits.at(-1)?.stage ?? null,
      });
    }
  }
  return { jobs, applications, stageVisits };
}

function iso(at: number): string {
  return new Date(at).toISOString();
}
