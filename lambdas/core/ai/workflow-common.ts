import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import type { Application, Candidate, Job } from '#core/greenhouse/records';
import { collect } from '#core/async-iterables';
import { decideGate, type GateDecision } from './gating.ts';
import type { Inference, Provenance } from './model.ts';
import type { WorkflowGate } from './settings.ts';

/**
 * What the AI workflows (screening, feedback synthesis) share: which application a message is about and
 * whether the workflow runs for it, the names minimisation takes out, and how a result carries and
 * records where it came from.
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
  const decision = decideGate(gate, workflow, { id: job.id, departmentId: job.department_id ?? null, officeIds: job.office_ids ?? [] }, applicationId);
  return decision.run ? { run: true, application, job, mode: decision.mode } : decision;
}

/** The candidate's names as Greenhouse holds them, for minimisation to take out. */
export function candidateNames(candidate: Candidate | undefined): string[] {
  return [candidate?.first_name, candidate?.last_name, candidate?.preferred_name].filter((n): n is string => !!n);
}

/** A model's answer with its provenance, as an LLM provider returns it. */
export function withProvenance<T>(inference: Inference<T>, provider: string, promptVersion: string): T & Provenance {
  return { ...inference.output, provider, model: inference.model, promptVersion, usage: inference.usage, latencyMs: inference.latencyMs };
}

/**
 * An inference's audit fields: provenance, usage, and the answer as JSON. A reused result cost nothing
 * this time, so its tokens and latency are 0.
 */
export function inferenceAuditFields(result: Provenance, options: { reused?: boolean } = {}): Record<string, string | number> {
  const { provider, model, promptVersion, usage, latencyMs, ...answer } = result;
  const spent = !options.reused;
  return {
    provider,
    model,
    promptVersion,
    inputTokens: spent ? usage.inputTokens : 0,
    outputTokens: spent ? usage.outputTokens : 0,
    latencyMs: spent ? latencyMs : 0,
    output: JSON.stringify(answer),
  };
}
