import { isoNow, type Clock } from '#core/clock';
import { entityIdOf, entityKey, type GreenhouseEventEnvelope } from '#core/envelope';
import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import type { BeameryApi } from '#core/ports/beamery-api';
import type { VacancyWrite } from '#core/beamery/records';
import { NotFound, ValidationFailed } from '#core/api-errors';
import { changedFieldGroups, hashFieldGroups } from '#core/mapping/field-groups';
import { confidentialJobRule, templateJobRule } from '#core/mapping/rules';
import { mapJobToVacancy, vacancyFieldGroups, vacancyStatus, vacancyWriteForGroups, type VacancyFieldGroup, type VacancyMapping, type VacancyMappingOptions } from '#core/mapping/vacancy';
import type { AuditStore, IdMapStore, LedgerStore, Link, SyncState } from './ports.ts';
import { isCovered, nextSyncState } from './sync-state.ts';
import { loadJobSnapshot } from './job-snapshot.ts';
import { collect } from '#core/async-iterables';
import { withRevisionRetry } from './revision-retry.ts';
import { RetryLater } from './retry-later.ts';

/**
 * The creation claim: a job's vacancy is created by one reconcile at a time. A candidate's follow-up
 * sync of its job can run beside the job's own message (two FIFO groups); without the claim both
 * created a vacancy (the backfill benchmark saw one or two duplicates in most runs). The claim is a
 * timestamp in the job's sync state, taken with the state's revision check; a reconcile that finds a
 * fresh claim and no link yet retries in a few seconds. A claim older than CLAIM_TTL_MS (its holder
 * crashed between create and link) is ignored.
 */
const CREATING = '#creating';
const CLAIM_TTL_MS = 60_000;
const CLAIM_RETRY_SECONDS = 5;

/**
 * "Job X may have changed" → the Beamery vacancy made to match (DESIGN principles 2 and 3). Reads the
 * job's current state from Harvest v3 (the job, its stages, sourcers, hiring managers, their names,
 * the department and office names: one listing per resource, ids batched), maps it with the seed's
 * "Vacancy Object" table, and writes to Beamery only the field groups whose hash differs from the
 * last reconcile; a duplicate, late or replayed message ends in no write at all.
 *
 * Greenhouse is the source of truth for jobs, Beamery for its own pipeline: a job deleted in
 * Greenhouse (the `job_deleted` event, or a job no longer found in Harvest) keeps its vacancy, which is
 * closed, and the link is marked `deleted`.
 *
 * The core logs nothing; it returns what it did, and the handler logs ids from that.
 */
export interface JobSyncOptions extends VacancyMappingOptions {
  /**
   * Config SYNC_EXCLUDE_CONFIDENTIAL_JOBS (seed: "Block Confidential Candidate Updates (configurable)";
   * the native integration blocks confidential vacancies and candidates): a confidential job gets no
   * vacancy, and its applications no memberships (confidentialJobRule on the candidate side).
   */
  readonly excludeConfidentialJobs?: boolean;
}

export interface JobSyncDependencies {
  readonly greenhouse: Pick<GreenhouseApi, 'listJobs' | 'listJobInterviewStages' | 'listJobOwners' | 'listJobHiringManagers' | 'listUsers' | 'listDepartments' | 'listOffices'>;
  readonly beamery: Pick<BeameryApi, 'createVacancy' | 'updateVacancy' | 'findVacancyOfJob'>;
  readonly idMap: IdMapStore;
  readonly ledger: LedgerStore;
  readonly audit: AuditStore;
  readonly clock: Clock;
  readonly options: JobSyncOptions;
  /** When reads shared with other reconciles began (batched-candidate-reads.ts `batchJobReads`): the reconcile covers changes up to then only. */
  readonly readsSince?: string;
}

/** What a job reconcile is asked to look at. `action` is the Greenhouse webhook action, when there was one. */
export interface JobTrigger {
  readonly jobId: string;
  readonly observedAt: string;
  readonly action?: string;
}

/** `linked`: the vacancy an interrupted create made, found by its Greenhouse job id and linked instead of made again. */
export type JobSyncOutcome = 'created' | 'linked' | 'updated' | 'unchanged' | 'covered' | 'skipped' | 'closed';

export interface JobSyncResult {
  readonly outcome: JobSyncOutcome;
  /** Beamery write requests made (0 or 1). */
  readonly writes: number;
  readonly reason?: string;
  /** The linked Beamery vacancy, when there is one. */
  readonly vacancyId?: string;
  /** Field groups found changed (with `created`: all of them), in name order. */
  readonly groups?: readonly VacancyFieldGroup[];
}

/**
 * Reconciles one job. Accepts the queue message, a JobTrigger, or a bare job id (then observed now:
 * never covered by an earlier reconcile).
 */
export async function reconcileJob(input: GreenhouseEventEnvelope | JobTrigger | string | number, deps: JobSyncDependencies): Promise<JobSyncResult> {
  const trigger = jobTrigger(input, deps.clock);
  // A revision conflict means another reconcile of this job finished meanwhile.
  return withRevisionRetry(() => reconcileOnce(trigger, deps), `job ${trigger.jobId}: reconcile lost two revision races in a row`);
}

export function jobTrigger(input: GreenhouseEventEnvelope | JobTrigger | string | number, clock: Clock): JobTrigger {
  if (typeof input === 'string' || typeof input === 'number') return { jobId: String(input), observedAt: isoNow(clock) };
  if ('jobId' in input) return input;
  const [system, type, id] = input.entityKey.split('#');
  if (system !== 'greenhouse' || type !== 'job' || !id) throw new Error(`not a Greenhouse job message: ${input.entityKey}`);
  return { jobId: id, observedAt: input.observedAt, action: input.action };
}

async function reconcileOnce(trigger: JobTrigger, deps: JobSyncDependencies): Promise<JobSyncResult | 'conflict'> {
  const { greenhouse, idMap, ledger, clock, options } = deps;
  const key = entityKey('greenhouse', 'job', trigger.jobId);
  const state = await ledger.getSyncState(key);
  if (isCovered(state, trigger.observedAt)) return { outcome: 'covered', writes: 0 };

  const readAt = deps.readsSince ?? isoNow(clock);
  const link = await idMap.byGreenhouse(key);
  // job_deleted carries only {id, name}: the job is gone, there is nothing left in Harvest to read.
  if (trigger.action === 'job_deleted') return closeVacancy(key, link, state, readAt, 'job-deleted', deps);

  const jobId = Number(trigger.jobId);
  const job = (await collect(greenhouse.listJobs({ ids: [jobId] }))).find((j) => j.id === jobId);
  if (!job) return closeVacancy(key, link, state, readAt, 'job-not-found', deps);

  const template = templateJobRule(job);
  if (template.skip) {
    // Templates never become vacancies; the state is kept only so later messages coalesce.
    const saved = await ledger.putSyncState(nextSyncState(state, key, state?.fieldHashes ?? {}, readAt, job.updated_at ?? undefined));
    return saved ? { outcome: 'skipped', writes: 0, reason: template.reason } : 'conflict';
  }
  if (!link && !confidentialJobRule({ jobConfidential: job.confidential === true, excludeConfidentialJobs: options.excludeConfidentialJobs }).include) {
    // Excluded: no vacancy. A vacancy linked before the job turned confidential is kept and synced
    // (its Privacy becomes private): the bridge never deletes a Beamery vacancy.
    const saved = await ledger.putSyncState(nextSyncState(state, key, state?.fieldHashes ?? {}, readAt, job.updated_at ?? undefined));
    return saved ? { outcome: 'skipped', writes: 0, reason: 'confidential-job-excluded' } : 'conflict';
  }
  if (link && link.status !== 'active') {
    // A link marked deleted while the job is still readable (a job_deleted that raced a re-read): leave it.
    return { outcome: 'skipped', writes: 0, reason: `link-${link.status}`, vacancyId: vacancyIdOf(link) };
  }

  const mapping = mapJobToVacancy(await loadJobSnapshot(job, greenhouse, idMap), options);
  const hashes = hashFieldGroups(vacancyFieldGroups(mapping));

  let result: JobSyncResult;
  let previous = state;
  if (!link) {
    const claim = state?.fieldHashes[CREATING];
    if (claim !== undefined && clock.now() - Date.parse(claim) < CLAIM_TTL_MS) {
      throw new RetryLater(`job ${trigger.jobId}: its vacancy is being created by another reconcile`, CLAIM_RETRY_SECONDS);
    }
    const claimed: SyncState = {
      entityKey: key,
      fieldHashes: { ...state?.fieldHashes, [CREATING]: readAt },
      reconciledAt: state?.reconciledAt ?? new Date(0).toISOString(),
      ...(state?.sourceVersion !== undefined ? { sourceVersion: state.sourceVersion } : {}),
      revision: state?.revision ?? 0,
    };
    if (!(await ledger.putSyncState(claimed))) return 'conflict';
    previous = { ...claimed, revision: claimed.revision + 1 };
    // An expired claim: its attempt ended, perhaps between Beamery's answer and the link. The vacancy it
    // may have made carries the job's Greenhouse id.
    const made = claim !== undefined ? await deps.beamery.findVacancyOfJob(trigger.jobId) : undefined;
    let id: string;
    try {
      ({ id } = made ?? (await deps.beamery.createVacancy(mapping.vacancy)));
    } catch (error) {
      // Give the claim back, so the retry of this message (or another) need not wait out its TTL.
      await ledger.putSyncState({ ...previous, fieldHashes: state?.fieldHashes ?? {} }).catch(() => false);
      throw error;
    }
    await idMap.put({ greenhouseKey: key, beameryKey: entityKey('beamery', 'vacancy', id), status: 'active', updatedAt: readAt });
    if (made) {
      // Nothing says the interrupted attempt's write is the job as it is now: every group is written.
      await deps.beamery.updateVacancy(id, mapping.vacancy);
      result = { outcome: 'linked', writes: 1, vacancyId: id, groups: Object.keys(hashes).sort() as VacancyFieldGroup[] };
    } else {
      result = { outcome: 'created', writes: 1, vacancyId: id, groups: Object.keys(hashes).sort() as VacancyFieldGroup[] };
    }
  } else {
    const vacancyId = vacancyIdOf(link);
    // A link without a state (the Ledger lost it): every group counts as changed and is written again.
    const changed = changedFieldGroups(hashes, state?.fieldHashes);
    const write = updateFor(mapping, changed);
    const writes = Object.keys(write).length > 0 ? 1 : 0;
    if (writes > 0) await deps.beamery.updateVacancy(vacancyId, write);
    result = { outcome: writes > 0 ? 'updated' : 'unchanged', writes, vacancyId, groups: changed };
  }

  // The hashes replace the claim, if one was taken.
  const saved = await ledger.putSyncState(nextSyncState(previous, key, hashes, readAt, job.updated_at ?? undefined));
  return saved ? result : 'conflict';
}

/**
 * The update for the changed groups. A free-text field the job no longer has (notes, salary,
 * department, hiring managers or sourcers cleared in Greenhouse) is written as an empty string, since
 * an absent key would leave Beamery's old value in place while the Ledger recorded it as synced.
 */
function updateFor(mapping: VacancyMapping, changed: readonly VacancyFieldGroup[]): VacancyWrite {
  const write: { -readonly [K in keyof VacancyWrite]: VacancyWrite[K] } = { ...vacancyWriteForGroups(mapping, changed) };
  const clearable: readonly [VacancyFieldGroup, 'description' | 'salary' | 'department' | 'managedBy' | 'sourcedBy'][] = [
    ['description', 'description'],
    ['salary', 'salary'],
    ['department', 'department'],
    ['team', 'managedBy'],
    ['team', 'sourcedBy'],
  ];
  for (const [group, field] of clearable) if (changed.includes(group) && write[field] === undefined) write[field] = '';
  return write;
}

const CLOSED_STATUS = vacancyStatus('closed')!;

/** The status group's hash of a closed vacancy, computed the way the reconcile computes it. */
const CLOSED_STATUS_HASH = hashFieldGroups(
  vacancyFieldGroups({ vacancy: { status: CLOSED_STATUS }, extras: { officeNames: [] } }),
).status;

/**
 * The job is gone from Greenhouse. Beamery is the system of record for its own pipeline, so the
 * vacancy (and the contacts in it) stays; it is closed, unless the last reconcile already wrote it
 * closed (Greenhouse deletes only closed jobs, so that is the usual case), and the link is marked
 * `deleted`. A vacancy already gone from Beamery, or a status Beamery refuses, is noted in the audit
 * entry rather than retried: there is nothing a retry could change.
 */
async function closeVacancy(
  key: string,
  link: Link | undefined,
  state: SyncState | undefined,
  readAt: string,
  reason: 'job-deleted' | 'job-not-found',
  deps: JobSyncDependencies,
): Promise<JobSyncResult | 'conflict'> {
  const hashes = { ...(state?.fieldHashes ?? {}) };
  if (!link) {
    const saved = await deps.ledger.putSyncState(nextSyncState(state, key, hashes, readAt, state?.sourceVersion));
    return saved ? { outcome: 'skipped', writes: 0, reason: `${reason}-not-linked` } : 'conflict';
  }
  const vacancyId = vacancyIdOf(link);
  if (link.status === 'deleted') {
    const saved = await deps.ledger.putSyncState(nextSyncState(state, key, hashes, readAt, state?.sourceVersion));
    return saved ? { outcome: 'closed', writes: 0, reason: 'already-closed', vacancyId } : 'conflict';
  }
  if (link.status !== 'active') return { outcome: 'skipped', writes: 0, reason: `link-${link.status}`, vacancyId };

  let writes = 0;
  let statusResult: 'written' | 'already-closed' | 'vacancy-not-found' | 'status-rejected' = 'already-closed';
  if (hashes['status'] !== CLOSED_STATUS_HASH) {
    try {
      writes = 1;
      await deps.beamery.updateVacancy(vacancyId, { status: CLOSED_STATUS });
      statusResult = 'written';
      hashes['status'] = CLOSED_STATUS_HASH;
    } catch (error) {
      if (error instanceof NotFound) statusResult = 'vacancy-not-found';
      else if (error instanceof ValidationFailed) statusResult = 'status-rejected';
      else throw error;
    }
  }

  await deps.idMap.put({ ...link, status: 'deleted', updatedAt: readAt });
  await deps.audit.record({
    kind: 'sync-skipped',
    entityKey: key,
    summary: `job deleted in Greenhouse (${reason}): vacancy ${vacancyId} kept in Beamery, status ${statusResult}, link marked deleted`,
    detail: { reason, vacancyId, status: statusResult },
    at: readAt,
  });
  const saved = await deps.ledger.putSyncState(nextSyncState(state, key, hashes, readAt, state?.sourceVersion));
  return saved ? { outcome: 'closed', writes, reason: statusResult === 'written' ? reason : `${reason}-${statusResult}`, vacancyId } : 'conflict';
}

function vacancyIdOf(link: Link): string {
  const id = entityIdOf(link.beameryKey);
  if (!id) throw new Error(`malformed Beamery key on the link of ${link.greenhouseKey}`);
  return id;
}
