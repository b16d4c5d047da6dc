import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RetryLater } from '#core/sync/retry-later';
import { reconcileJob, type JobSyncDependencies, type JobTrigger } from '#core/sync/reconcile-job';
import type { GreenhouseEventEnvelope } from '#core/envelope';
import type { VacancyWrite } from '#core/beamery/records';
import { InMemoryAudit, InMemoryIdMap, InMemoryLedger } from '#adapters/store/in-memory';
import { SimClock } from '#local/simulators/shared/clock';
import type { BeamerySimulator } from '#local/simulators/beamery/server';
import { startHarness, type Harness } from '../greenhouse/support.ts';
import { clientFor, startSimulator } from '../beamery/harness.ts';
import { eventually } from '../../support/queues.ts';

/**
 * Greenhouse job → Beamery vacancy, through both simulators' APIs (in this process, port 0) and the
 * in-memory stores. Request counts come from the simulators' own per-route counters.
 */
describe('reconcile a Greenhouse job into a Beamery vacancy', () => {
  let gh: Harness;
  let beamery: BeamerySimulator;
  let idMap: InMemoryIdMap;
  let ledger: InMemoryLedger;
  let audit: InMemoryAudit;
  let deps: JobSyncDependencies;
  /** Every update body the reconciler sent, in order. */
  let updates: { id: string; write: VacancyWrite }[];

  beforeEach(async () => {
    gh = await startHarness({ clock: new SimClock(1) });
    beamery = await startSimulator();
    idMap = new InMemoryIdMap();
    ledger = new InMemoryLedger();
    audit = new InMemoryAudit();
    updates = [];
    vacanciesBefore = beamery.state.vacancies.size;
    const client = clientFor(beamery);
    deps = {
      greenhouse: gh.client(),
      beamery: {
        createVacancy: (write) => client.createVacancy(write),
        findVacancyOfJob: (jobId) => client.findVacancyOfJob(jobId),
        updateVacancy: (id, write) => {
          updates.push({ id, write });
          return client.updateVacancy(id, write);
        },
      },
      idMap,
      ledger,
      audit,
      clock: gh.clock,
      options: {},
    };
  });
  afterEach(async () => {
    await gh.close();
    await beamery.close();
  });

  const now = () => new Date(gh.clock.now()).toISOString();
  /** Observed now: after any earlier reconcile of the test, so never covered by it by accident. */
  const trigger = (jobId: number, action?: string): JobTrigger => ({ jobId: String(jobId), observedAt: now(), ...(action ? { action } : {}) });
  const envelope = (jobId: number, action: string, observedAt = now()): GreenhouseEventEnvelope => ({
    v: 1,
    kind: 'greenhouse.event',
    entityKey: `greenhouse#job#${jobId}`,
    origin: 'webhook',
    observedAt,
    deliveryId: `delivery-${jobId}-${action}-${observedAt}`,
    action,
    refs: {},
  });
  const later = () => gh.clock.advance(1_000);
  let vacanciesBefore = 0;
  const vacancy = (id: string | undefined) => beamery.state.vacancies.get(id!)!;
  const beameryWrites = () =>
    Object.entries(beamery.requests.snapshot()).reduce((n, [route, e]) => (/^(POST|PATCH|PUT|DELETE) /.test(route) && !route.includes('token') ? n + e.total : n), 0);
  const beameryRequests = () => beamery.requests.total();
  const greenhouseRequests = () => Object.values(gh.sim.counts.snapshot()).reduce((n, c) => n + c, 0);
  const greenhouseReads = () => Object.fromEntries(Object.entries(gh.sim.counts.snapshot()).filter(([route]) => route.startsWith('GET /v3/')));

  it('creates a vacancy with the mapped fields, the requisition id `<req>-<id>` and the link, one Harvest read per resource', async () => {
    gh.sim.state.insert('job_owners', { job_id: 801, user_id: 303, type: 'sourcer', responsible: false }, now());
    await gh.admin('PATCH', '/jobs/801', { custom_fields: { salary: { name: 'Salary', type: 'short_text', value: '90,000 EUR' } } });

    const result = await reconcileJob(trigger(801), deps);

    expect(result).toMatchObject({ outcome: 'created', writes: 1 });
    expect(vacancy(result.vacancyId)).toMatchObject({
      title: 'Senior Backend Engineer',
      requisitionId: 'REQ-0801-801',
      status: 'Open',
      description: '<p>Owns the ingest pipeline.</p>',
      salary: '90,000 EUR',
      location: { address: 'Berlin; Remote' },
      integrations: { greenhouse: { id: '801' } },
      // The seed's Department, Managed By, Sourced By and Privacy, under its Field References.
      department: 'Engineering',
      manager: 'Imogen Falk',
      sourcer: 'Tobias Wren',
      visibility: 'public',
    });
    expect(await idMap.byGreenhouse('greenhouse#job#801')).toMatchObject({ beameryKey: `beamery#vacancy#${result.vacancyId}`, status: 'active' });
    expect(greenhouseReads()).toEqual({
      'GET /v3/jobs': 1,
      'GET /v3/job_interview_stages': 1,
      'GET /v3/job_owners': 1,
      'GET /v3/job_hiring_managers': 1,
      'GET /v3/users': 1,
      'GET /v3/departments': 1,
      'GET /v3/offices': 1,
    });
    expect((await ledger.getSyncState('greenhouse#job#801'))?.reconciledAt).toBeDefined();
  });

  it('sends no requisition id for a job without one (Beamery generates its own)', async () => {
    const job = await gh.admin<{ id: number }>('POST', '/jobs', { name: 'Support Specialist' });
    const result = await reconcileJob(trigger(job.id), deps);
    expect(result.outcome).toBe('created');
    const created = vacancy(result.vacancyId);
    expect(created).toMatchObject({ title: 'Support Specialist', integrations: { greenhouse: { id: String(job.id) } } });
    expect(created.requisitionId).toBeUndefined();
  });

  it('makes zero Beamery writes when nothing changed', async () => {
    await reconcileJob(trigger(801), deps);
    await later();
    const writes = beameryWrites();
    const result = await reconcileJob(trigger(801), deps);
    expect(result).toMatchObject({ outcome: 'unchanged', writes: 0, groups: [] });
    expect(beameryWrites()).toBe(writes);
    expect(updates).toEqual([]);
  });

  it('updates only the group that changed when the job is renamed', async () => {
    const first = await reconcileJob(trigger(801), deps);
    await gh.admin('PATCH', '/jobs/801', { name: 'Staff Backend Engineer' });
    await later();
    const before = beamery.requests.count('PATCH /v1/vacancy/:id');

    const result = await reconcileJob(trigger(801), deps);

    expect(result).toMatchObject({ outcome: 'updated', writes: 1, groups: ['identity'] });
    expect(beamery.requests.count('PATCH /v1/vacancy/:id')).toBe(before + 1);
    expect(updates).toEqual([{ id: first.vacancyId, write: { title: 'Staff Backend Engineer', requisitionId: 'REQ-0801-801', greenhouseJobId: '801' } }]);
    expect(vacancy(first.vacancyId)).toMatchObject({ title: 'Staff Backend Engineer', description: '<p>Owns the ingest pipeline.</p>' });
  });

  it('writes the stages in Greenhouse order, and only the stages when one is removed', async () => {
    const job = await gh.admin<{ id: number }>('POST', '/jobs', { name: 'Platform Engineer', stages: ['Application Review', 'Phone Screen', 'Onsite', 'Offer'] });
    const created = await reconcileJob(trigger(job.id), deps);
    expect(vacancy(created.vacancyId).stages.map((s) => [s.name, s.order])).toEqual([
      ['Application Review', 1],
      ['Phone Screen', 2],
      ['Onsite', 3],
      ['Offer', 4],
    ]);

    const phoneScreen = gh.sim.state.all('job_interview_stages').find((s) => s.job_id === job.id && s.name === 'Phone Screen')!;
    await gh.admin('DELETE', `/job_interview_stages/${phoneScreen.id}`);
    await later();
    const result = await reconcileJob(envelope(job.id, 'job_interview_stage_deleted'), deps);

    expect(result).toMatchObject({ outcome: 'updated', groups: ['stages'] });
    expect(vacancy(created.vacancyId).stages.map((s) => [s.name, s.order])).toEqual([
      ['Application Review', 1],
      ['Onsite', 2],
      ['Offer', 3],
    ]);
  });

  it('acknowledges a message observed before the last reconcile with zero API calls of any kind', async () => {
    const early = envelope(801, 'job_updated');
    await later();
    await reconcileJob(trigger(801), deps);
    const ghBefore = greenhouseRequests();
    const beameryBefore = beameryRequests();

    expect(await reconcileJob(early, deps)).toEqual({ outcome: 'covered', writes: 0 });

    expect(greenhouseRequests()).toBe(ghBefore);
    expect(beameryRequests()).toBe(beameryBefore);
  });

  it('on job_deleted keeps the vacancy, closes it, marks the link deleted and audits it', async () => {
    const created = await reconcileJob(trigger(801), deps);
    // Closed and deleted in Greenhouse before the bridge saw the close (Greenhouse deletes only closed jobs).
    await gh.admin('PATCH', '/jobs/801', { status: 'closed' });
    await gh.admin('DELETE', '/jobs/801');
    await later();
    const ghBefore = greenhouseRequests();

    const result = await reconcileJob(envelope(801, 'job_deleted'), deps);

    expect(result).toMatchObject({ outcome: 'closed', writes: 1, vacancyId: created.vacancyId, reason: 'job-deleted' });
    expect(greenhouseRequests()).toBe(ghBefore);
    expect(updates.at(-1)).toEqual({ id: created.vacancyId, write: { status: 'Closed' } });
    expect(vacancy(created.vacancyId)).toMatchObject({ title: 'Senior Backend Engineer', status: 'Closed' });
    expect(await idMap.byGreenhouse('greenhouse#job#801')).toMatchObject({ beameryKey: `beamery#vacancy#${created.vacancyId}`, status: 'deleted' });
    const [entry] = await audit.list('greenhouse#job#801');
    expect(entry).toMatchObject({ kind: 'sync-skipped', detail: { reason: 'job-deleted', vacancyId: created.vacancyId, status: 'written' } });
    expect(entry?.summary).not.toContain('Senior Backend Engineer');

    // A later message for the gone job (a poll, a replay) changes nothing.
    await later();
    const writes = beameryWrites();
    expect(await reconcileJob(trigger(801), deps)).toMatchObject({ outcome: 'closed', writes: 0, reason: 'already-closed' });
    expect(beameryWrites()).toBe(writes);
  });

  it('treats a job no longer in Harvest as deleted, without rewriting a status already synced as closed', async () => {
    await gh.admin('PATCH', '/jobs/801', { status: 'closed' });
    const created = await reconcileJob(trigger(801), deps);
    expect(vacancy(created.vacancyId).status).toBe('Closed');
    await gh.admin('DELETE', '/jobs/801');
    await later();
    const writes = beameryWrites();

    const result = await reconcileJob(envelope(801, 'job_updated'), deps);

    expect(result).toMatchObject({ outcome: 'closed', writes: 0, reason: 'job-not-found-already-closed' });
    expect(beameryWrites()).toBe(writes);
    expect(await idMap.byGreenhouse('greenhouse#job#801')).toMatchObject({ status: 'deleted' });
    expect(await audit.list('greenhouse#job#801')).toHaveLength(1);
  });

  it('re-runs once when another reconcile stored its state first (revision conflict)', async () => {
    await reconcileJob(trigger(801), deps);
    await gh.admin('PATCH', '/jobs/801', { name: 'Staff Backend Engineer' });
    await later();
    const message = trigger(801);
    let raced = false;
    const racing: JobSyncDependencies = {
      ...deps,
      ledger: Object.assign(Object.create(ledger) as InMemoryLedger, {
        putSyncState: async (state: Parameters<InMemoryLedger['putSyncState']>[0]) => {
          if (!raced) {
            // Another worker's reconcile of the same job, which read Greenhouse just before this message.
            raced = true;
            const theirs = (await ledger.getSyncState(state.entityKey))!;
            await ledger.putSyncState({ ...state, reconciledAt: new Date(Date.parse(message.observedAt) - 1).toISOString(), revision: theirs.revision });
          }
          return ledger.putSyncState(state);
        },
      }),
    };

    const result = await reconcileJob(message, racing);

    expect(raced).toBe(true);
    // The second run finds the other worker's hashes equal to its own: nothing more to write.
    expect(result).toMatchObject({ outcome: 'unchanged', writes: 0 });
    expect(updates).toHaveLength(1);
    const stored = (await ledger.getSyncState('greenhouse#job#801'))!;
    expect(Date.parse(stored.reconciledAt)).toBeGreaterThanOrEqual(Date.parse(message.observedAt));
  });

  it('creates one vacancy when two reconciles of a new job run side by side: the second waits for the first\'s link', async () => {
    let created = 0;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow: JobSyncDependencies = {
      ...deps,
      beamery: {
        ...deps.beamery,
        // The first create is held until the second reconcile has looked: the window in which both used to create.
        createVacancy: async (write) => {
          created++;
          await held;
          return deps.beamery.createVacancy(write);
        },
      },
    };
    const first = reconcileJob(trigger(801), slow);
    await eventually(() => (created === 1 ? true : undefined), 5_000, 'the first create to start');
    const second = await reconcileJob(trigger(801), slow).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(RetryLater);
    expect((second as RetryLater).retryAfterSeconds).toBeGreaterThan(0);
    release();
    expect(await first).toMatchObject({ outcome: 'created' });
    // The message handed back comes again and finds the link.
    later();
    expect(await reconcileJob(trigger(801), slow)).toMatchObject({ outcome: 'unchanged' });
    expect(created).toBe(1);
    expect(beamery.state.vacancies.size).toBe(vacanciesBefore + 1);
    expect((await ledger.getSyncState('greenhouse#job#801'))!.fieldHashes['#creating']).toBeUndefined();
  });

  it('gives the creation claim back when the create fails, so the retry creates without waiting', async () => {
    const failing: JobSyncDependencies = { ...deps, beamery: { ...deps.beamery, createVacancy: async () => Promise.reject(new Error('Beamery answered 503')) } };
    await expect(reconcileJob(trigger(801), failing)).rejects.toThrow(/503/);
    later();
    expect(await reconcileJob(trigger(801), deps)).toMatchObject({ outcome: 'created' });
  });

  it('links the vacancy an attempt that ended before storing its link created, once its claim has expired, instead of creating a second', async () => {
    const crashing: JobSyncDependencies = {
      ...deps,
      idMap: Object.assign(Object.create(idMap) as InMemoryIdMap, {
        put: async () => {
          throw new Error('the invocation ended before the link was stored');
        },
      }),
    };
    await expect(reconcileJob(trigger(801), crashing)).rejects.toThrow('before the link was stored');
    const carrying = async () => {
      const found = [];
      for await (const vacancy of clientFor(beamery).allVacancies()) if (vacancy.greenhouseJobId === '801') found.push(vacancy);
      return found;
    };
    const made = await carrying();
    expect(made).toHaveLength(1);
    // Within the claim's minute the retry waits; after it, the retry looks before it creates.
    gh.clock.advance(61_000);
    const retry = await reconcileJob(trigger(801), deps);
    expect((await carrying()).map((v) => v.id)).toEqual([made[0]!.id]);
    expect(beamery.state.vacancies.size).toBe(vacanciesBefore + 1);
    expect(retry).toMatchObject({ outcome: 'linked', vacancyId: made[0]!.id });
    expect(await idMap.byGreenhouse('greenhouse#job#801')).toMatchObject({ beameryKey: `beamery#vacancy#${made[0]!.id}`, status: 'active' });
    // The claim is gone: the next message is an ordinary update.
    later();
    expect(await reconcileJob(trigger(801), deps)).toMatchObject({ outcome: 'unchanged' });
  });

  it('skips a template job: no vacancy, no link', async () => {
    const template = await gh.admin<{ id: number }>('POST', '/jobs', { name: 'Engineering Template', is_template: true });
    const writes = beameryWrites();
    const result = await reconcileJob(trigger(template.id), deps);
    expect(result).toEqual({ outcome: 'skipped', writes: 0, reason: 'job-template' });
    expect(beameryWrites()).toBe(writes);
    expect(await idMap.byGreenhouse(`greenhouse#job#${template.id}`)).toBeUndefined();
  });

  describe('confidential jobs and the hiring team', () => {
    const confidentialJob = () => gh.admin<{ id: number }>('POST', '/jobs', { name: 'Stealth Lead', confidential: true, department_id: 102 });

    it('with excludeConfidentialJobs, a confidential job gets no vacancy and no link', async () => {
      const job = await confidentialJob();
      const writes = beameryWrites();
      const result = await reconcileJob(trigger(job.id), { ...deps, options: { excludeConfidentialJobs: true } });
      expect(result).toEqual({ outcome: 'skipped', writes: 0, reason: 'confidential-job-excluded' });
      expect(beameryWrites()).toBe(writes);
      expect(beamery.state.vacancies.size).toBe(vacanciesBefore);
      expect(await idMap.byGreenhouse(`greenhouse#job#${job.id}`)).toBeUndefined();
    });

    it('without the setting, a confidential job becomes a vacancy with Privacy private', async () => {
      const job = await confidentialJob();
      const result = await reconcileJob(trigger(job.id), deps);
      expect(result.outcome).toBe('created');
      expect(vacancy(result.vacancyId)).toMatchObject({ title: 'Stealth Lead', department: 'Product', visibility: 'private' });
    });

    it('a vacancy linked before its job turned confidential is kept and made private, also with excludeConfidentialJobs', async () => {
      const first = await reconcileJob(trigger(801), deps);
      await gh.admin('PATCH', '/jobs/801', { confidential: true });
      await later();
      const result = await reconcileJob(trigger(801), { ...deps, options: { excludeConfidentialJobs: true } });
      expect(result).toMatchObject({ outcome: 'updated', groups: ['visibility'] });
      expect(updates.at(-1)).toEqual({ id: first.vacancyId, write: { privacy: 'private' } });
      expect(vacancy(first.vacancyId).visibility).toBe('private');
    });

    it('a hiring team and department removed in Greenhouse are cleared on the vacancy, not left stale', async () => {
      gh.sim.state.insert('job_owners', { job_id: 801, user_id: 303, type: 'sourcer', responsible: false }, now());
      const first = await reconcileJob(trigger(801), deps);
      expect(vacancy(first.vacancyId)).toMatchObject({ manager: 'Imogen Falk', sourcer: 'Tobias Wren', department: 'Engineering' });
      for (const row of gh.sim.state.all('job_hiring_managers').filter((r) => r.job_id === 801)) gh.sim.state.tables.job_hiring_managers.delete(row.id);
      for (const row of gh.sim.state.all('job_owners').filter((r) => r.job_id === 801 && r.type === 'sourcer')) gh.sim.state.tables.job_owners.delete(row.id);
      await gh.admin('PATCH', '/jobs/801', { department_id: null });
      await later();

      const result = await reconcileJob(trigger(801), deps);

      expect(result).toMatchObject({ outcome: 'updated', groups: ['department', 'team'] });
      expect(updates.at(-1)?.write).toEqual({ department: '', managedBy: '', sourcedBy: '' });
      expect(vacancy(first.vacancyId)).toMatchObject({ manager: '', sourcer: '', department: '' });
    });

    it('writes the seed fields under configured names, and leaves out a field configured `none`, for a tenant without the seed names', async () => {
      await beamery.close();
      beamery = await startSimulator({ settings: { fields: { vacancy: 'model-only' } } });
      const refused = clientFor(beamery);
      await expect(refused.createVacancy({ title: 'Probe', managedBy: 'Someone' })).rejects.toThrow();

      const client = clientFor(beamery, { vacancyFields: { department: undefined, managedBy: undefined, sourcedBy: undefined, privacy: undefined } });
      const result = await reconcileJob(trigger(801), { ...deps, beamery: client });
      expect(result.outcome).toBe('created');
      const created = vacancy(result.vacancyId);
      expect(created).toMatchObject({ title: 'Senior Backend Engineer', status: 'Open' });
      expect(created).not.toHaveProperty('manager');
      expect(created).not.toHaveProperty('visibility');
    });
  });
});
