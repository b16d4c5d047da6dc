import { entityKey, entityIdOf } from '#core/envelope';
import { collect } from '#core/async-iterables';
import { ValidationFailed } from '#core/api-errors';
import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import type { BeameryApi } from '#core/ports/beamery-api';
import type { AuditStore, IdMapStore } from './ports.ts';

/**
 * Seed, Contact Data Mapping: "Vacancy Integration ID that the contact applied to" goes Beamery →
 * Greenhouse too. A linked contact put on another Beamery vacancy whose Greenhouse job is linked gets a
 * candidate application on that job (one per candidate and job: a job it already has an application
 * on, in any status, is left alone). Only the application: it starts at the job's first stage, and
 * stage moves in Beamery are not mirrored (Greenhouse owns hiring decisions; its stage then reaches
 * the membership through the Greenhouse → Beamery direction).
 */
export interface VacancyApplicationDependencies {
  readonly greenhouse: Pick<GreenhouseApi, 'listApplications' | 'createApplication'>;
  readonly beamery: Pick<BeameryApi, 'listContactVacancies'>;
  readonly idMap: IdMapStore;
  readonly audit: AuditStore;
}

/** The job ids applications were created on. */
export async function applyToLinkedVacancies(contactId: string, candidateId: number, at: string, deps: VacancyApplicationDependencies): Promise<number[]> {
  const memberships = await deps.beamery.listContactVacancies(contactId);
  if (memberships === 'unsupported' || memberships.length === 0) return [];
  const jobIds = new Set<number>();
  for (const membership of memberships) {
    const job = (await deps.idMap.byBeamery(entityKey('beamery', 'vacancy', membership.vacancyId))).find((l) => l.status === 'active');
    if (job) jobIds.add(Number(entityIdOf(job.greenhouseKey)));
  }
  if (jobIds.size === 0) return [];
  const held = new Set((await collect(deps.greenhouse.listApplications({ candidate_ids: [candidateId] }))).map((a) => a.job_id));
  const created: number[] = [];
  for (const jobId of [...jobIds].filter((id) => !held.has(id)).sort((a, b) => a - b)) {
    try {
      await deps.greenhouse.createApplication({ candidate_id: candidateId, job_id: jobId });
      created.push(jobId);
    } catch (error) {
      // A job Greenhouse will not take applications on (closed, say) is a fact to report, not to retry.
      if (!(error instanceof ValidationFailed)) throw error;
      await deps.audit.record({
        kind: 'sync-skipped',
        entityKey: entityKey('greenhouse', 'candidate', candidateId),
        summary: `contact ${contactId} is on the vacancy of job ${jobId}, but Greenhouse refused an application there: ${error.message}`,
        detail: { reason: 'application-refused', jobId, contactId },
        at,
      });
    }
  }
  return created;
}
