import { describe, expect, it } from 'vitest';
import { collect } from '#core/async-iterables';
import { batchCandidateReads, batchJobReads, type BatchableJobReads, type BatchableReads } from '#core/sync/batched-candidate-reads';
import { GreenhouseReferenceCache, REFERENCE_TTL_MS } from '#core/sync/greenhouse-reference-cache';
import type { Clock } from '#core/clock';

/** A Greenhouse that answers lists from arrays and records every call with its query. */
function recordingGreenhouse() {
  const calls: { method: string; query: unknown }[] = [];
  const candidates = [1, 2, 3].map((id) => ({ id, first_name: `C${id}`, updated_at: '2026-01-01T00:00:00Z' }));
  const applications = [
    { id: 11, candidate_id: 1, job_id: 100, status: 'active' },
    { id: 21, candidate_id: 2, job_id: 100, status: 'rejected' },
    { id: 22, candidate_id: 2, job_id: 200, status: 'active' },
  ];
  const notes = [{ id: 5, candidate_id: 3, body: 'x' }];
  const details = [{ id: 9, application_id: 21, rejection_reason_id: 7 }];
  const jobs: { id: number; department_id?: number }[] = [{ id: 100, department_id: 1 }, { id: 200 }];
  const stages = [
    { id: 1000, job_id: 100, name: 'Screen' },
    { id: 2000, job_id: 200, name: 'Onsite' },
  ];
  const filter = <T extends Record<string, unknown>>(rows: T[], field: string, ids: readonly number[] | undefined) => (ids ? rows.filter((r) => ids.includes(r[field] as number)) : rows);
  const list = <T>(method: string, query: unknown, rows: T[]) => {
    calls.push({ method, query });
    return (async function* () {
      yield* rows;
    })();
  };
  const api = {
    listCandidates: (q: { ids?: readonly number[] } = {}) => list('listCandidates', q, filter(candidates, 'id', q.ids)),
    getCandidate: async (id: number) => {
      calls.push({ method: 'getCandidate', query: id });
      return candidates.find((c) => c.id === id);
    },
    listApplications: (q: { candidate_ids?: readonly number[] } = {}) => list('listApplications', q, filter(applications, 'candidate_id', q.candidate_ids)),
    listAttachments: (q: { candidate_ids?: readonly number[] } = {}) => list('listAttachments', q, []),
    listNotes: (q: { candidate_ids?: readonly number[] } = {}) => list('listNotes', q, filter(notes, 'candidate_id', q.candidate_ids)),
    listRejectionDetails: (q: { application_ids?: readonly number[] } = {}) => list('listRejectionDetails', q, filter(details, 'application_id', q.application_ids)),
    listJobs: (q: { ids?: readonly number[] } = {}) => list('listJobs', q, filter(jobs, 'id', q.ids)),
    listJobInterviewStages: (jobIds: readonly number[]) => list('listJobInterviewStages', jobIds, filter(stages, 'job_id', jobIds)),
    listRejectionReasons: () => list('listRejectionReasons', {}, [{ id: 7, name: 'Skills' }]),
    listSources: () => list('listSources', {}, [{ id: 1, name: 'Referral' }]),
    listUsers: (q: { ids?: readonly number[] } = {}) => list('listUsers', q, filter([{ id: 1 }, { id: 2 }], 'id', q.ids)),
    listDepartments: () => list('listDepartments', {}, [{ id: 1, name: 'Engineering' }]),
    listJobOwners: (jobIds: readonly number[]) => list('listJobOwners', jobIds, filter([{ id: 1, job_id: 100, user_id: 1 }], 'job_id', jobIds)),
    listJobHiringManagers: (jobIds: readonly number[]) => list('listJobHiringManagers', jobIds, []),
    listOffices: () => list('listOffices', {}, []),
    downloadAttachment: async () => ({ bytes: new Uint8Array(), contentType: null }),
  } as unknown as BatchableReads;
  return { api, calls, count: (method: string) => calls.filter((c) => c.method === method).length };
}

function manualClock(start = Date.parse('2026-12-04T10:00:00Z')): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, sleep: async (ms) => void (now += ms), advance: (ms) => void (now += ms) };
}

describe('batchCandidateReads', () => {
  it('reads the candidates, applications and notes of the whole batch in one call each', async () => {
    const { api, calls, count } = recordingGreenhouse();
    const { reads } = batchCandidateReads(api, [1, 2, 3], manualClock());
    for (const id of [1, 2, 3]) {
      expect((await reads.getCandidate(id))?.id).toBe(id);
      const apps = await collect(reads.listApplications({ candidate_ids: [id] }));
      expect(apps.every((a) => a.candidate_id === id)).toBe(true);
      await collect(reads.listNotes({ candidate_ids: [id] }));
    }
    expect(count('listCandidates')).toBe(1);
    expect(calls.find((c) => c.method === 'listCandidates')?.query).toEqual({ ids: [1, 2, 3] });
    expect(count('listApplications')).toBe(1);
    expect(count('listNotes')).toBe(1);
    expect(count('getCandidate')).toBe(0);
    expect(await collect(reads.listApplications({ candidate_ids: [2] }))).toHaveLength(2); // second read: direct
    expect(count('listApplications')).toBe(2);
  });

  it('serves each candidate once: a second read goes to Greenhouse and sees its current state', async () => {
    const { api, count } = recordingGreenhouse();
    const { reads } = batchCandidateReads(api, [1, 2], manualClock());
    await reads.getCandidate(1);
    await reads.getCandidate(1);
    expect(count('listCandidates')).toBe(1);
    expect(count('getCandidate')).toBe(1);
  });

  it('reads a candidate outside the batch, or a query it cannot serve, directly', async () => {
    const { api, count } = recordingGreenhouse();
    const { reads } = batchCandidateReads(api, [1], manualClock());
    await reads.getCandidate(3);
    await collect(reads.listApplications({ candidate_ids: [1], job_ids: [100] } as never));
    expect(count('getCandidate')).toBe(1);
    expect(count('listCandidates')).toBe(0);
  });

  it('answers a candidate the batch read did not return as gone, as getCandidate would', async () => {
    const { api } = recordingGreenhouse();
    const { reads } = batchCandidateReads(api, [1, 404], manualClock());
    expect(await reads.getCandidate(404)).toBeUndefined();
  });

  it('reads the rejection details of every rejected application of the batch in one call', async () => {
    const { api, calls, count } = recordingGreenhouse();
    const { reads } = batchCandidateReads(api, [1, 2], manualClock());
    await collect(reads.listApplications({ candidate_ids: [1] }));
    await collect(reads.listApplications({ candidate_ids: [2] }));
    const found = await collect(reads.listRejectionDetails({ application_ids: [21] }));
    expect(found.map((d) => d.rejection_reason_id)).toEqual([7]);
    expect(count('listRejectionDetails')).toBe(1);
    expect(calls.find((c) => c.method === 'listRejectionDetails')?.query).toEqual({ application_ids: [21] });
  });

  it('fails the reconcile whose read failed, and lets the rest of the batch read on its own', async () => {
    const { api, count } = recordingGreenhouse();
    let failing = true;
    const flaky = {
      ...api,
      listCandidates: (q: never) => {
        if (failing) {
          failing = false;
          return (async function* () {
            throw new Error('503');
          })();
        }
        return api.listCandidates(q);
      },
    } as BatchableReads;
    const { reads } = batchCandidateReads(flaky, [1, 2], manualClock());
    await expect(reads.getCandidate(1)).rejects.toThrow('503');
    expect((await reads.getCandidate(2))?.id).toBe(2);
    expect(count('getCandidate')).toBe(1);
  });

  it('says when its reads began, so a reconcile covers no change made after that', async () => {
    const clock = manualClock();
    const { since } = batchCandidateReads(recordingGreenhouse().api, [1], clock);
    expect(since).toBe('2026-12-04T10:00:00.000Z');
  });
});

describe('batchJobReads', () => {
  it('reads the jobs of the batch and their stages, owners and hiring managers in one call each', async () => {
    const { api, calls, count } = recordingGreenhouse();
    const { reads } = batchJobReads(api as unknown as BatchableJobReads, [100, 200], manualClock());
    for (const id of [100, 200]) {
      expect((await collect(reads.listJobs({ ids: [id] }))).map((j) => j.id)).toEqual([id]);
      expect((await collect(reads.listJobInterviewStages([id]))).every((s) => s.job_id === id)).toBe(true);
      await collect(reads.listJobOwners([id]));
      await collect(reads.listJobHiringManagers([id]));
    }
    for (const method of ['listJobs', 'listJobInterviewStages', 'listJobOwners', 'listJobHiringManagers']) expect(count(method)).toBe(1);
    expect(calls.find((c) => c.method === 'listJobs')?.query).toEqual({ ids: [100, 200] });
    await collect(reads.listJobs({ ids: [100] }));
    expect(count('listJobs')).toBe(2);
  });
});

describe('GreenhouseReferenceCache', () => {
  it('reads a held list again when a record names an entry it lacks (a department created and used at once)', async () => {
    const { api, count } = recordingGreenhouse();
    const cache = new GreenhouseReferenceCache(manualClock());
    const company = cache.companyLists(api as unknown as Parameters<GreenhouseReferenceCache['companyLists']>[0]);
    const fresh = cache.refreshing(api);
    await collect(company.listDepartments!());
    await collect(fresh.listJobs({ ids: [100] })); // department 1: listed
    await collect(company.listDepartments!());
    expect(count('listDepartments')).toBe(1);
    const moved = { ...api, listJobs: () => (async function* () { yield { id: 100, department_id: 2 }; })() } as unknown as BatchableReads;
    await collect(cache.refreshing(moved).listJobs({ ids: [100] }));
    await collect(company.listDepartments!());
    expect(count('listDepartments')).toBe(2);
  });

  it('reads the sources and rejection reasons again when an application or a rejection names one they lack', async () => {
    const { api, count } = recordingGreenhouse();
    const cache = new GreenhouseReferenceCache(manualClock());
    const reads = cache.over(api as unknown as Parameters<GreenhouseReferenceCache['over']>[0]);
    const lists = async () => {
      await collect(reads.listSources!());
      await collect(reads.listRejectionReasons!());
    };
    await lists();
    await collect(reads.listApplications({ candidate_ids: [1] })); // names neither
    await collect(reads.listRejectionDetails({ application_ids: [21] })); // reason 7: listed
    await lists();
    expect([count('listSources'), count('listRejectionReasons')]).toEqual([1, 1]);
    const renamed = {
      ...api,
      listApplications: () => (async function* () { yield { id: 31, candidate_id: 1, source_id: 2, rejection_reason_id: null }; })(),
      listRejectionDetails: () => (async function* () { yield { id: 10, application_id: 21, rejection_reason_id: 8 }; })(),
    } as unknown as BatchableReads;
    const later = cache.over(renamed as unknown as Parameters<GreenhouseReferenceCache['over']>[0]);
    await collect(later.listApplications({ candidate_ids: [1] }));
    await lists();
    expect([count('listSources'), count('listRejectionReasons')]).toEqual([2, 1]);
    await collect(later.listRejectionDetails({ application_ids: [21] }));
    await lists();
    expect([count('listSources'), count('listRejectionReasons')]).toEqual([2, 2]);
  });

  it('keeps what a job’s own reconcile read fresh, for the candidates after it', async () => {
    const { api, count } = recordingGreenhouse();
    const cache = new GreenhouseReferenceCache(manualClock());
    const fresh = cache.refreshing(api);
    await collect(fresh.listJobs({ ids: [100, 200] }));
    await collect(fresh.listJobs({ ids: [100, 200] }));
    await collect(fresh.listJobInterviewStages([100, 200]));
    expect(count('listJobs')).toBe(2);
    const forCandidates = cache.over(api);
    expect((await collect(forCandidates.listJobs({ ids: [200] }))).map((j) => j.id)).toEqual([200]);
    expect((await collect(forCandidates.listJobInterviewStages([100]))).map((s) => s.name)).toEqual(['Screen']);
    expect(count('listJobs')).toBe(2);
    expect(count('listJobInterviewStages')).toBe(1);
  });

  it('reads each job and its stages once while fresh, only the missing ones, and again after the TTL', async () => {
    const { api, calls, count } = recordingGreenhouse();
    const clock = manualClock();
    const cache = new GreenhouseReferenceCache(clock);
    const reads = cache.over(api);
    expect((await collect(reads.listJobs({ ids: [100] }))).map((j) => j.id)).toEqual([100]);
    expect((await collect(reads.listJobs({ ids: [100, 200] }))).map((j) => j.id)).toEqual([100, 200]);
    expect(calls.filter((c) => c.method === 'listJobs').map((c) => c.query)).toEqual([{ ids: [100] }, { ids: [200] }]);
    expect((await collect(reads.listJobInterviewStages([100, 200]))).map((s) => s.name)).toEqual(['Screen', 'Onsite']);
    expect((await collect(reads.listJobInterviewStages([200]))).map((s) => s.name)).toEqual(['Onsite']);
    expect(count('listJobInterviewStages')).toBe(1);
    await collect(reads.listRejectionReasons({ includeDefaults: true }));
    await collect(reads.listRejectionReasons({ includeDefaults: true }));
    expect(count('listRejectionReasons')).toBe(1);
    clock.advance(REFERENCE_TTL_MS);
    await collect(reads.listJobs({ ids: [100] }));
    await collect(reads.listRejectionReasons({ includeDefaults: true }));
    expect(count('listJobs')).toBe(3);
    expect(count('listRejectionReasons')).toBe(2);
  });

  it('reads every expired job again in the call that needed one, not one call per later batch', async () => {
    const { api, calls } = recordingGreenhouse();
    const clock = manualClock();
    const reads = new GreenhouseReferenceCache(clock).over(api);
    await collect(reads.listJobs({ ids: [100, 200] }));
    clock.advance(REFERENCE_TTL_MS);
    await collect(reads.listJobs({ ids: [100] }));
    await collect(reads.listJobs({ ids: [200] }));
    expect(calls.filter((c) => c.method === 'listJobs').map((c) => c.query)).toEqual([{ ids: [100, 200] }, { ids: [100, 200] }]);
  });

  it('reads a job again once its own message was handled', async () => {
    const { api, count } = recordingGreenhouse();
    const cache = new GreenhouseReferenceCache(manualClock());
    const reads = cache.over(api);
    await collect(reads.listJobs({ ids: [100] }));
    cache.forgetJob(100);
    await collect(reads.listJobs({ ids: [100] }));
    expect(count('listJobs')).toBe(2);
  });

  it('keeps a class client’s other methods working, bound to the client', async () => {
    class Client {
      private readonly bytes = new Uint8Array([1, 2]);
      async downloadAttachment() {
        return { bytes: this.bytes, contentType: null };
      }
    }
    const { api } = recordingGreenhouse();
    const client = Object.assign(new Client(), { listJobs: api.listJobs }) as unknown as BatchableReads;
    const reads = batchCandidateReads(new GreenhouseReferenceCache(manualClock()).over(client), [1], manualClock()).reads;
    expect((await reads.downloadAttachment({ url: 'https://x' })).bytes).toEqual(new Uint8Array([1, 2]));
  });

  it('keeps the company lists and users for a job’s reconcile, and users apart by whether service accounts were asked for', async () => {
    const { api, calls, count } = recordingGreenhouse();
    const reads = new GreenhouseReferenceCache(manualClock()).companyLists(api as unknown as Parameters<GreenhouseReferenceCache['companyLists']>[0]);
    await collect(reads.listDepartments!());
    await collect(reads.listDepartments!());
    expect(count('listDepartments')).toBe(1);
    expect(await collect(reads.listUsers!({ ids: [1] }))).toEqual([{ id: 1 }]);
    await collect(reads.listUsers!({ ids: [1, 2] }));
    await collect(reads.listUsers!({ ids: [1], includeServiceAccounts: true }));
    expect(calls.filter((c) => c.method === 'listUsers').map((c) => c.query)).toEqual([{ ids: [1] }, { ids: [2] }, { ids: [1], includeServiceAccounts: true }]);
    // Jobs are not the company's lists: a job's own reconcile always reads its job.
    const jobReads = reads as unknown as BatchableReads;
    await collect(jobReads.listJobs({ ids: [100] }));
    await collect(jobReads.listJobs({ ids: [100] }));
    expect(count('listJobs')).toBe(2);
  });

  it('passes a job query that is not by ids straight through', async () => {
    const { api, count } = recordingGreenhouse();
    const reads = new GreenhouseReferenceCache(manualClock()).over(api);
    await collect(reads.listJobs({ status: 'open' }));
    await collect(reads.listJobs({ status: 'open' }));
    expect(count('listJobs')).toBe(2);
  });
});
