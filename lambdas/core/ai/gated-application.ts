import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import type { Application, Job } from '#core/greenhouse/records';
import { collect } from '#core/async-iterables';
import { decideGate, jobViewOf, type GateDecision } from './gating.ts';
import type { WorkflowGate } from './settings.ts';

/**
 * The application a workflow (screening, feedback synthesis) is asked about, read with its job, and
 * whether the operator's gate lets the workflow run for it (gating.ts decides from the job).
 */

export type GatedApplication =
  | { readonly run: true; readonly application: Application; readonly job: Job; readonly mode: 'shadow' | 'assist' }
  | { readonly run: false; readonly reason: 'application-not-found' | 'prospect' | 'job-not-found' | Extract<GateDecision, { run: false }>['reason'] };

/** The application and its job, if the workflow's gate lets it run: never for prospects (they have no job to judge against). */
export async function gatedApplication(
  greenhouse: Pick<GreenhouseApi, 'listApplications' | 'listJobs'>,
  gate: WorkflowGate,
  workflow: string,
  applicationId: number,
): Promise<GatedApplication> {
  const [application] = await collect(greenhouse.listApplications({ ids: [applicationId] }));
  if (!application) return { run: false, reason: 'application-not-found' };
  if (application.prospect || application.job_id == null) return { run: false, reason: 'prospect' };
  const [job] = await collect(greenhouse.listJobs({ ids: [application.job_id] }));
  if (!job) return { run: false, reason: 'job-not-found' };
  const decision = decideGate(gate, workflow, jobViewOf(job), applicationId);
  return decision.run ? { run: true, application, job, mode: decision.mode } : decision;
}
