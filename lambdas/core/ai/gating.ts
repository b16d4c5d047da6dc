import { createHash } from 'node:crypto';
import type { JobScope, WorkflowGate } from './settings.ts';

/**
 * Whether a workflow runs for one application, as the operator's settings gate it, decided from the job
 * it is on. Pure: the same settings, job and application always give the same answer, so a retried
 * message cannot fall in and out of a percentage rollout.
 */
export interface JobView {
  readonly id: number;
  readonly departmentId: number | null;
  readonly officeIds: readonly number[];
}

/** The gate's view of a Greenhouse job record. */
export function jobViewOf(job: { readonly id: number; readonly department_id?: number | null; readonly office_ids?: readonly number[] | null }): JobView {
  return { id: job.id, departmentId: job.department_id ?? null, officeIds: job.office_ids ?? [] };
}

export type GateDecision =
  | { readonly run: true; readonly mode: WorkflowGate['mode'] }
  | { readonly run: false; readonly reason: 'disabled' | 'out-of-scope' | 'excluded' | 'not-in-rollout' };

export function inScope(scope: JobScope, job: JobView): boolean | 'excluded' {
  if (scope.excludedJobIds.includes(job.id)) return 'excluded';
  return (
    scope.allJobs ||
    scope.jobIds.includes(job.id) ||
    (job.departmentId !== null && scope.departmentIds.includes(job.departmentId)) ||
    job.officeIds.some((office) => scope.officeIds.includes(office))
  );
}

/**
 * True for a stable `percent` share of keys: the key's SHA-256, salted per use so the rollout and the
 * review sample pick independent sets, read as a number in [0, 10000).
 */
export function inSample(key: string, salt: string, percent: number): boolean {
  if (percent >= 100) return true;
  if (percent <= 0) return false;
  const bucket = createHash('sha256').update(`${salt}:${key}`).digest().readUInt32BE(0) % 10_000;
  return bucket < Math.round(percent * 100);
}

export function decideGate(gate: WorkflowGate, workflow: string, job: JobView, applicationId: number): GateDecision {
  if (!gate.enabled) return { run: false, reason: 'disabled' };
  const scoped = inScope(gate.scope, job);
  if (scoped === 'excluded') return { run: false, reason: 'excluded' };
  if (!scoped) return { run: false, reason: 'out-of-scope' };
  if (!inSample(String(applicationId), `${workflow}-rollout`, gate.rolloutPercent)) return { run: false, reason: 'not-in-rollout' };
  return { run: true, mode: gate.mode };
}
