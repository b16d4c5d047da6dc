import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import type { Application, Candidate, Job } from '#core/greenhouse/records';
import { collect } from '#core/async-iterables';
import { decideGate, jobViewOf, type GateDecision } from './gating.ts';
import { optedOut } from './opt-out.ts';
import type { OptOutSettings, WorkflowGate } from './settings.ts';

/**
 * The application a workflow (screening, feedback synthesis) is asked about, read with its job, and
 * whether the operator's gate lets the workflow run for it (gating.ts decides from the job).
 */

export type GatedApplication =
  | { readonly run: true; readonly application: Application; readonly job: Job; readonly candidate: Candidate | undefined; readonly mode: 'shadow' | 'assist' }
  | { readonly run: false; readonly reason: 'application-not-found' | 'prospect' | 'job-not-found' | 'opted-out' | Extract<GateDecision, { run: false }>['reason'] };

/**
 * The application, its job and its candidate, if the workflow's gate lets it run: never for prospects
 * (they have no job to judge against), never for a candidate who opted out of AI review (opt-out.ts).
 */
export async function gatedApplication(
  greenhouse: Pick<GreenhouseApi, 'listApplications' | 'listJobs' | 'getCandidate'>,
  gate: WorkflowGate,
  workflow: string,
  applicationId: number,
  optOut: OptOutSettings,
): Promise<GatedApplication> {
  const [application] = await collect(greenhouse.listApplications({ ids: [applicationId] }));
  if (!application) return { run: false, reason: 'application-not-found' };
  if (application.prospect || application.job_id == null) return { run: false, reason: 'prospect' };
  const [job] = await collect(greenhouse.listJobs({ ids: [application.job_id] }));
  if (!job) return { run: false, reason: 'job-not-found' };
  const decision = decideGate(gate, workflow, jobViewOf(job), applicationId);
  if (!decision.run) return decision;
  const candidate = await greenhouse.getCandidate(application.candidate_id);
  if (optedOut(candidate, optOut)) return { run: false, reason: 'opted-out' };
  return { run: true, application, job, candidate, mode: decision.mode };
}
