import { entityIdOf, entityKey } from '#core/envelope';
import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import type { Job } from '#core/greenhouse/records';
import { userDisplayName, type JobSnapshot } from '#core/mapping/vacancy';
import type { IdMapStore } from './ports.ts';
import { collect } from '#core/async-iterables';

export type JobSnapshotReads = Pick<GreenhouseApi, 'listJobInterviewStages' | 'listJobOwners' | 'listJobHiringManagers' | 'listUsers' | 'listDepartments' | 'listOffices'>;

/**
 * Everything mapJobToVacancy reads, for one job already read from Harvest v3: one listing per
 * resource (stages, owners and hiring managers by `job_ids=`, then the users they name by `ids=`,
 * batched by the client), departments and offices only when the job has them (v3 filters neither by
 * id: the listing is read whole), and the Beamery department linked to the job's department.
 */
export async function loadJobSnapshot(job: Job, greenhouse: JobSnapshotReads, idMap: IdMapStore): Promise<JobSnapshot> {
  const officeIds = job.office_ids ?? [];
  const departmentId = job.department_id ?? undefined;
  const [stages, owners, hiringManagers, departments, offices, departmentLink] = await Promise.all([
    collect(greenhouse.listJobInterviewStages([job.id])),
    collect(greenhouse.listJobOwners([job.id])),
    collect(greenhouse.listJobHiringManagers([job.id])),
    departmentId !== undefined ? collect(greenhouse.listDepartments()) : [],
    officeIds.length > 0 ? collect(greenhouse.listOffices()) : [],
    departmentId !== undefined ? idMap.byGreenhouse(entityKey('greenhouse', 'department', departmentId)) : undefined,
  ]);
  // The v3 filters are by job, but a row of another job is never trusted.
  const ownRows = <T extends { readonly job_id: number }>(rows: readonly T[]) => rows.filter((r) => r.job_id === job.id);
  const jobStages = ownRows(stages);
  const sourcers = ownRows(owners).filter((o) => o.type === 'sourcer');
  const managers = ownRows(hiringManagers);

  // Only the people the mapping names (sourcers, hiring managers); recruiters and coordinators are not read.
  const userIds = [...new Set([...sourcers, ...managers].map((r) => r.user_id))].sort((a, b) => a - b);
  const users = userIds.length > 0 ? await collect(greenhouse.listUsers({ ids: userIds })) : [];
  const userNames = new Map<number, string>();
  for (const user of users) {
    const name = userDisplayName(user);
    if (name !== undefined) userNames.set(user.id, name);
  }

  const departmentName = departments.find((d) => d.id === departmentId)?.name ?? undefined;
  const beameryDepartmentId = departmentLink?.status === 'active' ? entityIdOf(departmentLink.beameryKey) : undefined;
  return {
    job,
    hiringManagers: managers,
    owners: sourcers,
    userNames,
    ...(departmentName ? { departmentName } : {}),
    ...(beameryDepartmentId ? { beameryDepartmentId } : {}),
    officeNames: new Map(offices.flatMap((o) => (o.name ? [[o.id, o.name] as const] : []))),
    stages: jobStages,
  };
}
