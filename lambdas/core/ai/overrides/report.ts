import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import { entityKey } from '#core/envelope';
import { pipeWindow } from '#core/greenhouse/time-window';
import type { AuditEntry, AuditStore } from '#core/sync/ports';
import { OVERRIDE_KINDS, type OverrideKind } from './detect.ts';

/**
 * `bridge overrides`: how often people act against the AI's screening, per job and per kind. The Audit
 * table is keyed by entity and cannot be listed by time or kind, so the window is one of Greenhouse
 * applications (by creation date, where screening runs), and each one's Audit entries are read by its
 * key: one Harvest list and one DynamoDB query per application. An application counts as screened
 * when it has a screening inference or reuse in assist mode (shadow mode wrote nothing to override);
 * it counts as overridden when it has at least one `ai-override` entry. Greenhouse's webhooks do not
 * name the person who acted, so no reviewer or reviewer role is recorded or reported.
 */

export interface OverrideWindow {
  /** First day, `YYYY-MM-DD` (UTC). */
  readonly from: string;
  /** Last day, inclusive. */
  readonly to: string;
}

export interface ApplicationAudit {
  readonly applicationId: number;
  readonly jobId: number | null;
  readonly entries: readonly AuditEntry[];
}

export interface OverrideCounts {
  readonly screened: number;
  /** Screened applications with at least one override. */
  readonly overridden: number;
  /** `overridden ÷ screened`; null with nothing screened. */
  readonly rate: number | null;
  readonly byKind: Readonly<Record<OverrideKind, number>>;
}

export interface OverrideReport extends OverrideCounts {
  readonly window: OverrideWindow;
  readonly jobs: readonly (OverrideCounts & { readonly jobId: number | null })[];
  readonly reviewerRole: 'not recorded';
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The window's bounds: from the first day's start to the end of the last (UTC); throws on a malformed or reversed window. */
export function overrideWindowBounds(window: OverrideWindow): { gte: string; lt: string } {
  for (const day of [window.from, window.to]) {
    if (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw new Error(`${day} is not a YYYY-MM-DD date`);
  }
  if (window.from > window.to) throw new Error(`--from ${window.from} is after --to ${window.to}`);
  return { gte: `${window.from}T00:00:00Z`, lt: new Date(Date.parse(`${window.to}T00:00:00Z`) + 86_400_000).toISOString() };
}

/** The window's applications (prospects aside: never screened) and each one's Audit entries. */
export async function readOverrideInputs(window: OverrideWindow, deps: { readonly greenhouse: Pick<GreenhouseApi, 'listApplications'>; readonly audit: Pick<AuditStore, 'list'> }): Promise<ApplicationAudit[]> {
  const inputs: ApplicationAudit[] = [];
  for await (const application of deps.greenhouse.listApplications({ created_at: pipeWindow(overrideWindowBounds(window)) })) {
    if (application.prospect || application.job_id == null) continue;
    const entries = await deps.audit.list(entityKey('greenhouse', 'application', application.id));
    inputs.push({ applicationId: application.id, jobId: application.job_id, entries });
  }
  return inputs;
}

const screenedInAssist = (entries: readonly AuditEntry[]) =>
  entries.some((e) => (e.kind === 'ai-inference' || e.kind === 'ai-reused') && e.detail?.['workflow'] === 'screening' && e.detail['mode'] === 'assist');

function counts(applications: readonly ApplicationAudit[]): OverrideCounts {
  const byKind = Object.fromEntries(OVERRIDE_KINDS.map((k) => [k, 0])) as Record<OverrideKind, number>;
  let screened = 0;
  let overridden = 0;
  for (const application of applications) {
    if (!screenedInAssist(application.entries)) continue;
    screened++;
    const kinds = new Set(application.entries.filter((e) => e.kind === 'ai-override').map((e) => e.detail?.['override'] as OverrideKind));
    if (kinds.size > 0) overridden++;
    for (const kind of kinds) if (kind in byKind) byKind[kind]++;
  }
  return { screened, overridden, rate: screened === 0 ? null : overridden / screened, byKind };
}

export function overrideReport(window: OverrideWindow, applications: readonly ApplicationAudit[]): OverrideReport {
  const byJob = new Map<number | null, ApplicationAudit[]>();
  for (const application of applications) byJob.set(application.jobId, [...(byJob.get(application.jobId) ?? []), application]);
  const jobs = [...byJob]
    .map(([jobId, list]) => ({ jobId, ...counts(list) }))
    .filter((job) => job.screened > 0)
    .sort((a, b) => (a.jobId ?? 0) - (b.jobId ?? 0));
  return { window, ...counts(applications), jobs, reviewerRole: 'not recorded' };
}

const percent = (rate: number | null) => (rate === null ? '–' : `${(rate * 100).toFixed(1)} %`);

export function formatOverrideReport(report: OverrideReport): string {
  const kinds = (byKind: OverrideCounts['byKind']) => OVERRIDE_KINDS.map((k) => `${k} ${byKind[k]}`).join(', ');
  const lines = [
    `Reviewer overrides of AI screening, applications created ${report.window.from} to ${report.window.to} (UTC)`,
    `All jobs: ${report.overridden} of ${report.screened} screened applications overridden (${percent(report.rate)}); ${kinds(report.byKind)}`,
  ];
  if (report.jobs.length === 0) lines.push('', 'No application in the window was screened in assist mode (or its Audit entries have expired).');
  else {
    lines.push('', 'Per job:');
    for (const job of report.jobs) lines.push(`  job ${job.jobId}: ${job.overridden} of ${job.screened} (${percent(job.rate)}); ${kinds(job.byKind)}`);
  }
  lines.push(
    '',
    'An application counts once per kind; its rate counts it once whatever the kinds. Reviewer roles are not recorded: Greenhouse webhooks do not say who acted.',
  );
  return lines.join('\n');
}
