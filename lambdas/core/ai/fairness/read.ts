import { entityKey } from '#core/envelope';
import { pipeWindow } from '#core/greenhouse/time-window';
import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import type { AuditEntry, AuditStore } from '#core/sync/ports';
import type { FairnessSettings, ScreeningSettings } from '../settings.ts';
import { SCREENING_WORKFLOW } from '../screening/workflow.ts';
import type { ScreeningOutcomeRow, SelfIdentification } from './impact-ratios.ts';

/**
 * What the impact-ratio report reads, for `bridge fairness-report` only: the screening outcomes of the
 * applications created in the window, from the Audit trail, and those applications' voluntary
 * self-identification from Greenhouse (`GET /v3/eeoc`), only when `ai.fairness.readDemographics` is on.
 *
 * The Audit table is keyed by entity (pk = the application's key, sk = time): it has no index by time
 * or by kind, and a scan would read every sync conflict and inference of the retention period. So the
 * population comes from Greenhouse (applications created in the window, the LL144 "applicants in the
 * period") and each one's Audit trail is read by its key. An application screened after the window
 * counts with its application date; one whose entries have expired is "not screened".
 */

/** The demographic read was asked for with the setting off. */
export class DemographicsReadOff extends Error {
  constructor() {
    super('reading candidates’ voluntary self-identification (GET /v3/eeoc) is off: set ai.fairness.readDemographics to true (docs/configuration.md) and give the credential the harvest:eeoc:list scope');
    this.name = 'DemographicsReadOff';
  }
}

export interface FairnessReadDependencies {
  readonly greenhouse: Pick<GreenhouseApi, 'listApplications' | 'listEeoc'>;
  readonly audit: Pick<AuditStore, 'list'>;
  readonly settings: { readonly fairness: FairnessSettings; readonly screening: Pick<ScreeningSettings, 'threshold'> };
  /** Audit reads in flight at once, in batches (default 8). */
  readonly concurrency?: number;
}

/** An inclusive window of whole UTC days, `YYYY-MM-DD`. */
export interface DayWindow {
  readonly from: string;
  readonly to: string;
}

export interface FairnessInputs {
  /** Applications created in the window (prospects, with no job, are never screened and not counted). */
  readonly applications: number;
  /** Of them, those with no screening score in the Audit (not screened, not screenable, opted out, expired). */
  readonly notScreened: number;
  readonly outcomes: readonly ScreeningOutcomeRow[];
  /** Sex and race/ethnicity by application id; applications with no EEOC answer are absent. Kept in memory only. */
  readonly answers: ReadonlyMap<number, SelfIdentification>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The window's bounds as instants: from the first day's midnight to just before the day after the last. */
export function windowBounds(window: DayWindow): { gte: number; lt: number } {
  const gte = DAY.test(window.from) ? Date.parse(`${window.from}T00:00:00Z`) : Number.NaN;
  const to = DAY.test(window.to) ? Date.parse(`${window.to}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(gte) || Number.isNaN(to)) throw new RangeError('a window is two dates, YYYY-MM-DD');
  if (to < gte) throw new RangeError(`the window ends (${window.to}) before it starts (${window.from})`);
  return { gte, lt: to + 86_400_000 };
}

/** The score of the newest screening inference or reuse in an application's trail (newest first). */
export function latestScreeningScore(entries: readonly AuditEntry[]): number | undefined {
  const newestFirst = [...entries].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  for (const entry of newestFirst) {
    if (entry.kind !== 'ai-inference' && entry.kind !== 'ai-reused') continue;
    if (entry.detail?.['workflow'] !== SCREENING_WORKFLOW) continue;
    const score = entry.detail['score'];
    if (typeof score === 'number') return score;
  }
  return undefined;
}

export async function readFairnessInputs(window: DayWindow, deps: FairnessReadDependencies): Promise<FairnessInputs> {
  if (!deps.settings.fairness.readDemographics) throw new DemographicsReadOff();
  const { gte, lt } = windowBounds(window);
  const applicationIds: number[] = [];
  for await (const application of deps.greenhouse.listApplications({ created_at: pipeWindow({ gte, lt }) })) {
    // The pipe window's bounds are whole seconds; the day boundary is exact.
    const created = Date.parse(application.created_at ?? '');
    if (application.prospect || application.job_id == null || !(created >= gte && created < lt)) continue;
    applicationIds.push(application.id);
  }
  const threshold = deps.settings.screening.threshold;
  const scores: (number | undefined)[] = [];
  const batch = Math.max(1, deps.concurrency ?? 8);
  for (let i = 0; i < applicationIds.length; i += batch) {
    const trails = await Promise.all(applicationIds.slice(i, i + batch).map((id) => deps.audit.list(entityKey('greenhouse', 'application', id))));
    scores.push(...trails.map(latestScreeningScore));
  }
  const outcomes: ScreeningOutcomeRow[] = [];
  applicationIds.forEach((applicationId, i) => {
    const score = scores[i];
    if (score !== undefined) outcomes.push({ applicationId, selected: score >= threshold });
  });
  const answers = new Map<number, SelfIdentification>();
  if (outcomes.length > 0) {
    for await (const eeoc of deps.greenhouse.listEeoc({ application_ids: outcomes.map((o) => o.applicationId) })) {
      // Only the two answers the report uses are kept; veteran and disability status are dropped at once.
      answers.set(eeoc.application_id, { sex: eeoc.gender?.description ?? null, raceEthnicity: eeoc.race?.description ?? null });
    }
  }
  return { applications: applicationIds.length, notScreened: applicationIds.length - outcomes.length, outcomes, answers };
}
