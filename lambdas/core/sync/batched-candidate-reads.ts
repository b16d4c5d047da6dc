import type { Clock } from '#core/clock';
import { isoNow } from '#core/clock';
import type { Application, Attachment, Candidate, Note, ResourceOf } from '#core/greenhouse/records';
import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import { collect } from '#core/async-iterables';
import type { CandidateReads } from './reconcile-candidate.ts';
import { hasOther, withReads } from './read-overrides.ts';

/**
 * The reads of a batch of candidate reconciles made once for the whole batch: Harvest v3 lists take up
 * to 50 ids per call (`ids=`, `candidate_ids=`, `application_ids=`), so the candidates, their
 * applications, attachments, notes and rejection details of the ten messages a consumer invocation
 * holds cost one call per resource instead of one per candidate per resource. Each reconcile still
 * reads its own candidate, maps and writes on its own ("reconcile by entity"): it just finds its records
 * already read.
 *
 * A read is served from the batch once per candidate; a second read of the same candidate (a reconcile
 * retried after a revision race, the candidate's second message) goes to Greenhouse, so a retry never
 * sees what an earlier attempt saw. A batch read that fails fails the reconcile that needed it, as its
 * own read would have, and the rest of the batch reads on its own.
 *
 * `since`: when the batch's reads began. A reconcile counts itself as covering changes up to when its
 * reads were made (sync-state.ts), and with shared reads that is the batch's start, not its own.
 */
export type BatchableReads = CandidateReads & Pick<GreenhouseApi, 'listCandidates'>;

export interface BatchedCandidateReads {
  readonly reads: CandidateReads;
  readonly since: string;
}

type RejectionDetail = ResourceOf<'rejection_details'>;

export function batchCandidateReads(api: BatchableReads, candidateIds: readonly number[], clock: Clock): BatchedCandidateReads {
  const ids = [...new Set(candidateIds)];
  const since = isoNow(clock);
  const candidates = new ServedOnce<Candidate>(ids, (batch) => collect(api.listCandidates({ ids: batch })), (c) => c.id);
  const applications = new ServedOnce<Application>(ids, (batch) => collect(api.listApplications({ candidate_ids: batch })), (a) => a.candidate_id);
  const attachments = new ServedOnce<Attachment>(ids, (batch) => collect(api.listAttachments({ candidate_ids: batch })), (a) => a.candidate_id);
  const notes = new ServedOnce<Note>(ids, (batch) => collect(api.listNotes({ candidate_ids: batch })), (n) => n.candidate_id);
  // The rejected applications are known once the batch's applications are: their details in one call.
  let details: ServedOnce<RejectionDetail> | undefined;
  const detailsFor = (applicationIds: readonly number[]): ServedOnce<RejectionDetail> | undefined => {
    const rejected = applications.loadedRecords()?.filter((a) => a.status === 'rejected').map((a) => a.id);
    if (!rejected) return undefined;
    details ??= new ServedOnce<RejectionDetail>(rejected, (batch) => collect(api.listRejectionDetails({ application_ids: batch })), (d) => d.application_id);
    return applicationIds.every((id) => details!.holds(id)) ? details : undefined;
  };

  const reads = withReads<CandidateReads>(api, {
    getCandidate: async (id) => {
      const served = await candidates.take(id);
      if (served === undefined) return api.getCandidate(id);
      // Absent from an `ids=` answer is what getCandidate reads as gone too (v3 has no single-record GET).
      return served[0];
    },
    listApplications: (query = {}) => servedOr(applications, onlyCandidate(query), () => api.listApplications(query)),
    listAttachments: (query = {}) => servedOr(attachments, onlyCandidate(query), () => api.listAttachments(query)),
    listNotes: (query = {}) => servedOr(notes, onlyCandidate(query), () => api.listNotes(query)),
    listRejectionDetails: (query = {}) => {
      const { application_ids, ...rest } = query;
      const batch = application_ids && !hasOther(rest) ? detailsFor(application_ids) : undefined;
      if (!batch || !application_ids) return api.listRejectionDetails(query);
      return (async function* () {
        for (const id of application_ids) yield* (await batch.take(id)) ?? [];
      })();
    },
  });
  return { reads, since };
}

/** What a job's reconcile reads that a batch can share: the job and its stages, owners, hiring managers. */
export type BatchableJobReads = Pick<GreenhouseApi, 'listJobs' | 'listJobInterviewStages' | 'listJobOwners' | 'listJobHiringManagers'>;

/**
 * The same for the jobs of one invocation: each job, and its stages, owners and hiring managers, read
 * for the whole batch in one call each (`ids=`, `job_ids=`), served once per job. A backfill reconciles
 * every job once, so without it each job cost four calls of its own.
 */
export function batchJobReads<R extends BatchableJobReads>(api: R, jobIds: readonly number[], clock: Clock): { readonly reads: R; readonly since: string } {
  const ids = [...new Set(jobIds)];
  const since = isoNow(clock);
  const jobs = new ServedOnce(ids, (batch) => collect(api.listJobs({ ids: batch })), (j) => j.id);
  const stages = new ServedOnce(ids, (batch) => collect(api.listJobInterviewStages(batch)), (s) => s.job_id);
  const owners = new ServedOnce(ids, (batch) => collect(api.listJobOwners(batch)), (o) => o.job_id);
  const managers = new ServedOnce(ids, (batch) => collect(api.listJobHiringManagers(batch)), (m) => m.job_id);
  const onlyJob = (jobIds: readonly number[]) => (jobIds.length === 1 ? jobIds[0] : undefined);
  const reads = withReads<BatchableJobReads>(api, {
    listJobs: (query = {}) => {
      const { ids: asked, ...rest } = query;
      return servedOr(jobs, asked && !hasOther(rest) ? onlyJob(asked) : undefined, () => api.listJobs(query));
    },
    listJobInterviewStages: (jobIds) => servedOr(stages, onlyJob(jobIds), () => api.listJobInterviewStages(jobIds)),
    listJobOwners: (jobIds) => servedOr(owners, onlyJob(jobIds), () => api.listJobOwners(jobIds)),
    listJobHiringManagers: (jobIds) => servedOr(managers, onlyJob(jobIds), () => api.listJobHiringManagers(jobIds)),
  }) as R;
  return { reads, since };
}

/** The one candidate id a `{ candidate_ids: [id] }` query names, else undefined. */
function onlyCandidate(query: { readonly candidate_ids?: readonly number[] }): number | undefined {
  const { candidate_ids, ...rest } = query as Record<string, unknown> & { candidate_ids?: readonly number[] };
  return candidate_ids?.length === 1 && !hasOther(rest) ? candidate_ids[0] : undefined;
}

function servedOr<T>(batch: ServedOnce<T>, id: number | undefined, direct: () => AsyncIterable<T>): AsyncIterable<T> {
  return (async function* () {
    const served = id === undefined ? undefined : await batch.take(id);
    yield* served ?? direct();
  })();
}

/**
 * One list read for every id still waiting, made when the first of them is asked for; each id's
 * records are then handed out once. A failed read is not kept: the ids it was for read on their own.
 */
class ServedOnce<T> {
  private readonly waiting: Set<number>;
  private loading: Promise<Map<number, T[]>> | undefined;
  private loaded: T[] | undefined;

  constructor(
    ids: readonly number[],
    private readonly read: (ids: readonly number[]) => Promise<T[]>,
    private readonly keyOf: (record: T) => number | null | undefined,
  ) {
    this.waiting = new Set(ids);
  }

  holds(id: number): boolean {
    return this.waiting.has(id);
  }

  /** Every record the batch read returned, once it has. */
  loadedRecords(): readonly T[] | undefined {
    return this.loaded;
  }

  /** The records of `id` from the batch read, or undefined when `id` is not (or no longer) served from it. */
  async take(id: number): Promise<T[] | undefined> {
    if (!this.waiting.has(id)) return undefined;
    this.loading ??= this.load([...this.waiting]);
    try {
      const byId = await this.loading;
      if (!this.waiting.delete(id)) return undefined;
      return byId.get(id) ?? [];
    } catch (error) {
      this.waiting.clear();
      throw error;
    }
  }

  private async load(ids: readonly number[]): Promise<Map<number, T[]>> {
    const records = await this.read(ids);
    this.loaded = records;
    const byId = new Map<number, T[]>();
    for (const record of records) {
      const key = this.keyOf(record);
      if (key === null || key === undefined) continue;
      byId.set(key, [...(byId.get(key) ?? []), record]);
    }
    return byId;
  }
}
