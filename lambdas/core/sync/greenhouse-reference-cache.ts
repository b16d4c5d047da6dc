import type { Clock } from '#core/clock';
import type { ResourceOf } from '#core/greenhouse/records';
import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import { collect } from '#core/async-iterables';
import { hasOther, withReads } from './read-overrides.ts';

/**
 * The Greenhouse records a candidate's reconcile needs that belong to the company rather than to the
 * candidate (jobs, interview stages, rejection reasons, sources, note authors), kept for a few minutes
 * per warm container. A backfill of thousands of candidates spread over a few hundred jobs read each
 * job and its stages once per candidate before; these change rarely, and what uses them tolerates a
 * few minutes of staleness: a job's own change is reconciled from the job's message (which drops the
 * job here, see `forgetJob`), a renamed stage or reason reaches Beamery at the next reconcile.
 */
export type CompanyReads = Pick<GreenhouseApi, 'listRejectionReasons' | 'listSources' | 'listUsers' | 'listDepartments' | 'listOffices'>;
export type ReferenceReads = Partial<CompanyReads> & Pick<GreenhouseApi, 'listJobs' | 'listJobInterviewStages' | 'listApplications' | 'listRejectionDetails'>;

type Job = ResourceOf<'jobs'>;
type ListName = 'departments' | 'offices' | 'sources' | 'rejection_reasons';
/** The record fields that name an entry of a company-wide list. */
const REFERENCED_LISTS: readonly (readonly [field: string, list: ListName])[] = [
  ['department_id', 'departments'],
  ['office_ids', 'offices'],
  ['source_id', 'sources'],
  ['rejection_reason_id', 'rejection_reasons'],
];
type Stage = ResourceOf<'job_interview_stages'>;
type User = ResourceOf<'users'>;

interface Entry<T> {
  readonly value: T;
  readonly at: number;
}

/** Five minutes: shorter than the hourly job poll, long enough to serve a backfill's pages. */
export const REFERENCE_TTL_MS = 5 * 60_000;
/** The most ids one refresh reads (ten calls of 50). */
const REFRESH_AT_ONCE = 500;

export class GreenhouseReferenceCache {
  private readonly jobs = new Map<number, Entry<Job>>();
  private readonly stages = new Map<number, Entry<Stage[]>>();
  private readonly users = new Map<string, Map<number, Entry<User>>>();
  private readonly lists = new Map<string, Entry<unknown[]>>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = REFERENCE_TTL_MS,
  ) {}

  /**
   * A record naming a department, office, source or rejection reason the held list lacks means the list
   * changed since it was read (a department created and a job moved into it at once): the list is read
   * again at its next use rather than served without it for minutes.
   */
  private expectListed(list: ListName, ids: readonly (number | null | undefined)[]): void {
    for (const [key, entry] of this.lists) {
      if (key.split(':')[0] !== list) continue;
      const known = new Set((entry.value as { id: number }[]).map((r) => r.id));
      if (ids.some((id) => id !== null && id !== undefined && !known.has(id))) this.lists.delete(key);
    }
  }

  /** Drops each held list that lacks a department, office, source or rejection reason `records` name. */
  private notice(records: readonly object[]): void {
    for (const [field, list] of REFERENCED_LISTS) {
      const ids = records.flatMap((record) => [(record as Record<string, unknown>)[field]].flat()) as (number | null | undefined)[];
      this.expectListed(list, ids);
    }
  }

  /** `records` passed on whole after `notice`. */
  private noticing<T extends object>(records: AsyncIterable<T>): AsyncIterable<T> {
    const self = this;
    return (async function* () {
      const all = await collect(records);
      self.notice(all);
      yield* all;
    })();
  }

  /** A job is gone (its deletion was handled): its next read comes from Greenhouse. */
  forgetJob(jobId: number): void {
    this.jobs.delete(jobId);
    this.stages.delete(jobId);
  }

  /**
   * `reads` with the company-wide lists (rejection reasons, sources, departments, offices) and users by
   * id served from this cache; a job's own reconcile reads through this, so its job and stages stay fresh.
   */
  companyLists<R extends Partial<CompanyReads>>(reads: R): R {
    const overrides: Partial<CompanyReads> = {};
    if (reads.listRejectionReasons) {
      const list = reads.listRejectionReasons.bind(reads);
      overrides.listRejectionReasons = (query = {}) => this.whole(`rejection_reasons:${query.includeDefaults === true}`, () => list(query));
    }
    if (reads.listSources) {
      const list = reads.listSources.bind(reads);
      overrides.listSources = () => this.whole('sources', list);
    }
    if (reads.listDepartments) {
      const list = reads.listDepartments.bind(reads);
      overrides.listDepartments = () => this.whole('departments', list);
    }
    if (reads.listOffices) {
      const list = reads.listOffices.bind(reads);
      overrides.listOffices = () => this.whole('offices', list);
    }
    if (reads.listUsers) {
      const list = reads.listUsers.bind(reads);
      overrides.listUsers = (query = {}) => {
        const { ids, includeServiceAccounts, ...rest } = query;
        if (!ids || hasOther(rest)) return list(query);
        const flag = includeServiceAccounts === true;
        const held = this.users.get(String(flag)) ?? new Map<number, Entry<User>>();
        this.users.set(String(flag), held);
        return this.byId(held, ids, async (missing) => collect(list({ ids: missing, ...(flag ? { includeServiceAccounts: true } : {}) })), (user) => [user.id]);
      };
    }
    return withReads(reads, overrides as Partial<R>);
  }

  /**
   * `reads` reading jobs and their stages fresh, as a job's own reconcile must, and keeping what they
   * return for the candidates' reconciles: after a backfill's jobs, its candidates find every job held.
   */
  refreshing<R extends Pick<GreenhouseApi, 'listJobs' | 'listJobInterviewStages'>>(reads: R): R {
    const self = this;
    return withReads<R>(reads, {
      listJobs: (query = {}) =>
        (async function* () {
          const at = self.clock.now();
          const found = await collect(reads.listJobs(query));
          self.notice(found);
          for (const job of found) self.jobs.set(job.id, { value: job, at });
          yield* found;
        })(),
      listJobInterviewStages: (jobIds: readonly number[]) =>
        (async function* () {
          const at = self.clock.now();
          const found = await collect(reads.listJobInterviewStages(jobIds));
          for (const jobId of jobIds) self.stages.set(jobId, { value: found.filter((s) => s.job_id === jobId), at });
          yield* found;
        })(),
    } as unknown as Partial<R>);
  }

  /** `companyLists`, and jobs by id and their interview stages too: for the reconciles of candidates. */
  over<R extends ReferenceReads>(reads: R): R {
    const company = this.companyLists(reads);
    return withReads<R>(company, {
      listJobs: (query = {}) => {
        const { ids, ...rest } = query;
        if (!ids || hasOther(rest)) return company.listJobs(query);
        return this.byId(
          this.jobs,
          ids,
          async (missing) => {
            const found = await collect(company.listJobs({ ids: missing }));
            this.notice(found);
            return found;
          },
          (job) => [job.id],
        );
      },
      // Applications name sources and rejection reasons, their details rejection reasons.
      listApplications: (query) => this.noticing(company.listApplications(query)),
      listRejectionDetails: (query) => this.noticing(company.listRejectionDetails(query)),
      listJobInterviewStages: (jobIds) =>
        flatten(
          this.byId(
            this.stages,
            jobIds,
            async (missing) => {
              const found = await collect(company.listJobInterviewStages(missing));
              // A job without stages is an answer too: cached as empty.
              return missing.map((jobId) => found.filter((s) => s.job_id === jobId));
            },
            (_stagesOfJob, index, missing) => [missing[index]!],
          ),
        ),
    } as Partial<R>);
  }

  private fresh<T>(entry: Entry<T> | undefined): entry is Entry<T> {
    return entry !== undefined && this.clock.now() - entry.at < this.ttlMs;
  }

  /**
   * The records for `ids`, reading only the ones not held (one call, batched by the client). A record
   * Greenhouse does not return is not held, so it is asked for again next time.
   */
  private byId<T, V>(
    held: Map<number, Entry<V>>,
    ids: readonly number[],
    readMissing: (missing: readonly number[]) => Promise<T[]>,
    idsOf: (record: T, index: number, missing: readonly number[]) => number[],
  ): AsyncIterable<V> {
    const self = this;
    return (async function* () {
      const asked = [...new Set(ids)].filter((id) => !self.fresh(held.get(id)));
      // Records held since the same time expire together: once one must be read again, every expired one
      // is, in the same calls (50 ids each), instead of a call in each of the next batches.
      const expired = asked.length === 0 ? [] : [...held].filter(([id, entry]) => !self.fresh(entry) && !asked.includes(id)).map(([id]) => id);
      const missing = [...asked, ...expired.slice(0, REFRESH_AT_ONCE - asked.length)];
      if (missing.length > 0) {
        const at = self.clock.now();
        const found = await readMissing(missing);
        found.forEach((record, index) => {
          for (const id of idsOf(record, index, missing)) held.set(id, { value: record as unknown as V, at });
        });
      }
      for (const id of new Set(ids)) {
        const entry = held.get(id);
        if (entry) yield entry.value;
      }
    })();
  }

  private whole<T>(key: string, read: () => AsyncIterable<T>): AsyncIterable<T> {
    const self = this;
    return (async function* () {
      let entry = self.lists.get(key);
      if (!self.fresh(entry)) {
        const at = self.clock.now();
        entry = { value: await collect(read()), at };
        self.lists.set(key, entry);
      }
      yield* entry.value as T[];
    })();
  }
}

async function* flatten<T>(groups: AsyncIterable<T[]>): AsyncIterable<T> {
  for await (const group of groups) yield* group;
}
