import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '#core/analytics/durations';
import type { PipelineHistory, StageVisit } from '#core/analytics/history';
import { NO_OFFICE, readPipelineHistory } from '#core/analytics/greenhouse-history';
import { generatePipelineHistory } from '#local/analytics-history';
import { startHarness, type Harness } from '../greenhouse/support.ts';

/**
 * readPipelineHistory over the simulator's Harvest v3: a hand-checkable tenant (three jobs, six
 * applications, a few stage moves) mapped as history.ts says, and a generated history
 * (`POST /_admin/generate/pipeline-history`) read back with the generator's own stage durations.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

const d = (day: string) => `2026-${day}T00:00:00Z`;
const AS_OF = Date.parse(d('06-30'));
const CANDIDATES = [
  { id: 3001, first_name: 'Zelda', last_name: 'Quartzwhistle', email_addresses: [{ value: 'zelda.q@example.test', type: 'personal' }] },
  { id: 3002, first_name: 'Ottoline', last_name: 'Brambleforth', email_addresses: [{ value: 'ottoline.b@example.test', type: 'personal' }] },
  { id: 3003, first_name: 'Wendell', last_name: 'Marrowgate', email_addresses: [{ value: 'wendell.m@example.test', type: 'personal' }] },
  { id: 3004, first_name: 'Prospera', last_name: 'Nightjar' },
  { id: 3005, first_name: 'Idris', last_name: 'Longstay' },
  { id: 3006, first_name: 'Old', last_name: 'Reject' },
];

/** Job 1001 open (Engineering, Berlin), 1002 filled and closed (Sales, no office), 1003 closed in 2024, 1004 a template. */
const TENANT = {
  name: 'pipeline-history',
  departments: [
    { id: 101, name: 'Engineering' },
    { id: 102, name: 'Sales' },
  ],
  offices: [{ id: 201, name: 'Berlin' }],
  jobs: [
    { id: 1001, name: 'Platform Engineer', status: 'open', opened_at: d('06-01'), department_id: 101, office_ids: [201], updated_at: d('06-01') },
    { id: 1002, name: 'Account Executive', status: 'closed', opened_at: d('04-20'), closed_at: d('05-21'), department_id: 102, office_ids: [], updated_at: d('05-21') },
    { id: 1003, name: 'Old Role', status: 'closed', opened_at: '2024-01-01T00:00:00Z', closed_at: '2024-03-01T00:00:00Z', department_id: 101, updated_at: '2024-03-01T00:00:00Z' },
    { id: 1004, name: 'Template', status: 'open', is_template: true, opened_at: d('01-01'), updated_at: d('01-01') },
  ],
  job_interview_stages: [
    { id: 2001, job_id: 1001, name: 'Application Review', sort_order: 0 },
    { id: 2002, job_id: 1001, name: 'Screen', sort_order: 1 },
    { id: 2003, job_id: 1001, name: 'Offer', sort_order: 2 },
    { id: 2011, job_id: 1002, name: 'Application Review', sort_order: 0 },
    { id: 2012, job_id: 1002, name: 'Offer', sort_order: 1 },
  ],
  candidates: CANDIDATES,
  applications: [
    // In Screen since June 3.
    { id: 4001, candidate_id: 3001, job_id: 1001, status: 'in_process', job_interview_stage_id: 2002, stage_name: 'Screen', created_at: d('06-01'), updated_at: d('06-03') },
    // Hired into job 1002's opening, which closed a day after the Offer stage was left.
    { id: 4002, candidate_id: 3002, job_id: 1002, status: 'hired', job_interview_stage_id: 2012, stage_name: 'Offer', created_at: d('05-01'), updated_at: d('05-20') },
    { id: 4003, candidate_id: 3003, job_id: 1001, status: 'rejected', rejected_at: d('06-05'), job_interview_stage_id: 2001, stage_name: 'Application Review', created_at: d('06-02'), updated_at: d('06-05') },
    // A prospect: never part of a pipeline.
    { id: 4004, candidate_id: 3004, job_id: null, prospect: true, prospective_job_ids: [1001], status: 'in_process', created_at: d('06-10'), updated_at: d('06-10') },
    // Idle since January 2025, still active: read although unchanged in the lookback (aging).
    { id: 4005, candidate_id: 3005, job_id: 1001, status: 'in_process', job_interview_stage_id: 2001, stage_name: 'Application Review', created_at: '2025-01-01T00:00:00Z', updated_at: '2025-01-02T00:00:00Z' },
    // Rejected long before the lookback: not read.
    { id: 4006, candidate_id: 3006, job_id: 1002, status: 'rejected', rejected_at: '2025-02-01T00:00:00Z', job_interview_stage_id: 2011, created_at: '2025-01-20T00:00:00Z', updated_at: '2025-02-01T00:00:00Z' },
  ],
  application_stages: [
    { id: 5001, application_id: 4001, job_interview_stage_id: 2001, entered_at: d('06-01'), exited_at: d('06-03'), current: false },
    { id: 5002, application_id: 4001, job_interview_stage_id: 2002, entered_at: d('06-03'), exited_at: null, current: true },
    { id: 5003, application_id: 4002, job_interview_stage_id: 2011, entered_at: d('05-01'), exited_at: d('05-04'), current: false },
    { id: 5004, application_id: 4002, job_interview_stage_id: 2012, entered_at: d('05-04'), exited_at: d('05-20'), current: true },
    { id: 5005, application_id: 4003, job_interview_stage_id: 2001, entered_at: d('06-02'), exited_at: d('06-05'), current: true },
    // Backfilled without dates.
    { id: 5006, application_id: 4005, job_interview_stage_id: 2001, entered_at: null, exited_at: null, current: true },
    { id: 5007, application_id: 4006, job_interview_stage_id: 2011, entered_at: '2025-01-20T00:00:00Z', exited_at: '2025-02-01T00:00:00Z', current: true },
  ],
  openings: [
    { id: 6001, job_id: 1001, opening_id: '1001-1', open: true, opened_at: d('06-01') },
    { id: 6002, job_id: 1002, opening_id: '1002-1', open: false, opened_at: d('04-20'), closed_at: d('05-21'), application_id: 4002 },
    { id: 6003, job_id: 1003, opening_id: '1003-1', open: false, opened_at: '2024-01-01T00:00:00Z', closed_at: '2024-03-01T00:00:00Z', application_id: null },
  ],
};

const sortVisits = (visits: readonly StageVisit[]) => [...visits].sort((a, b) => a.applicationKey.localeCompare(b.applicationKey) || a.order - b.order);

describe('readPipelineHistory on a small tenant', () => {
  let history: PipelineHistory;
  beforeEach(async () => {
    await h.admin('PUT', '/scenario', TENANT);
    history = await readPipelineHistory(h.client(), { asOfMs: AS_OF, lookbackDays: 90 });
  });

  it('maps jobs of every status with their openings, department and office, leaving out templates and jobs closed before the lookback', () => {
    expect([...history.jobs].sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      {
        key: '1001',
        title: 'Platform Engineer',
        department: 'Engineering',
        office: 'Berlin',
        status: 'open',
        openedAt: d('06-01'),
        closedAt: null,
        openings: [{ openedAt: d('06-01'), closedAt: null, filled: false }],
      },
      {
        key: '1002',
        title: 'Account Executive',
        department: 'Sales',
        office: NO_OFFICE,
        status: 'closed',
        openedAt: d('04-20'),
        closedAt: d('05-21'),
        openings: [{ openedAt: d('04-20'), closedAt: d('05-21'), filled: true }],
      },
    ]);
  });

  it('maps applications changed in the lookback and every active one, never prospects; a hire dates from its opening', () => {
    expect([...history.applications].sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: '4001', jobKey: '1001', createdAt: d('06-01'), status: 'active', hiredAt: null, rejectedAt: null, currentStage: 'Screen' },
      { key: '4002', jobKey: '1002', createdAt: d('05-01'), status: 'hired', hiredAt: d('05-21'), rejectedAt: null, currentStage: 'Offer' },
      { key: '4003', jobKey: '1001', createdAt: d('06-02'), status: 'rejected', hiredAt: null, rejectedAt: d('06-05'), currentStage: 'Application Review' },
      { key: '4005', jobKey: '1001', createdAt: '2025-01-01T00:00:00Z', status: 'active', hiredAt: null, rejectedAt: null, currentStage: 'Application Review' },
    ]);
  });

  it('maps the stage history of those applications, named and ordered by their job interview stages', () => {
    expect(sortVisits(history.stageVisits)).toEqual([
      { applicationKey: '4001', stage: 'Application Review', order: 0, enteredAt: d('06-01'), exitedAt: d('06-03') },
      { applicationKey: '4001', stage: 'Screen', order: 1, enteredAt: d('06-03'), exitedAt: null },
      { applicationKey: '4002', stage: 'Application Review', order: 0, enteredAt: d('05-01'), exitedAt: d('05-04') },
      { applicationKey: '4002', stage: 'Offer', order: 1, enteredAt: d('05-04'), exitedAt: d('05-20') },
      { applicationKey: '4003', stage: 'Application Review', order: 0, enteredAt: d('06-02'), exitedAt: d('06-05') },
      { applicationKey: '4005', stage: 'Application Review', order: 0, enteredAt: null, exitedAt: null },
    ]);
  });

  it('holds no candidate: no name, email or candidate id', () => {
    const text = JSON.stringify(history);
    for (const candidate of CANDIDATES) {
      for (const value of [candidate.first_name, candidate.last_name, ...(candidate.email_addresses ?? []).map((e) => e.value)]) expect(text).not.toContain(value);
      expect(text).not.toContain(`"${candidate.id}"`);
    }
  });
});

describe('a generated history in the simulator', () => {
  const OPTIONS = { seed: 5, jobs: 8, days: 120, slowdown: { stage: 'Screening', factor: 2, lastDays: 30 } };

  it('holds the generator’s jobs, applications and stage visits, read back with the same stage durations', async () => {
    await h.admin('PUT', '/scenario', { name: 'empty' });
    // A subscriber that would see any web hook the generation fired (none: it is bulk state).
    await h.admin('PUT', '/webhooks', [{ url: 'http://127.0.0.1:9/hooks', secret: 'unused' }]);
    await h.admin('DELETE', '/webhooks/deliveries');
    const made = await h.admin<{ jobs: number; applications: number; stageVisits: number; asOf: string }>('POST', '/generate/pipeline-history', OPTIONS);
    expect(await h.admin<unknown[]>('GET', '/webhooks/deliveries')).toEqual([]);
    await h.admin('PUT', '/webhooks', []);
    const asOf = Date.parse(made.asOf);
    const expected = generatePipelineHistory({ ...OPTIONS, asOf });
    expect(made).toMatchObject({ jobs: 8, applications: expected.applications.length, stageVisits: expected.stageVisits.length });
    expect(expected.applications.length).toBeGreaterThan(100);

    const counts = await h.admin<Record<string, number>>('GET', '/state/counts');
    expect(counts).toMatchObject({ jobs: 8, job_interview_stages: 8 * 5, applications: made.applications, candidates: made.applications, application_stages: made.stageVisits });
    expect(counts['openings']).toBe(expected.jobs.reduce((n, job) => n + job.openings.length, 0));

    await h.admin('DELETE', '/requests');
    const read = await readPipelineHistory(h.client(), { asOfMs: asOf, lookbackDays: OPTIONS.days });
    // application_ids go out 50 at a time: one request per batch (each fits one page).
    expect(h.requests('GET /v3/application_stages')).toBe(Math.ceil(made.applications / 50));

    const stays = (history: PipelineHistory) =>
      history.stageVisits.map((v) => `${v.stage}:${v.exitedAt === null ? 'open' : Date.parse(v.exitedAt) - Date.parse(v.enteredAt!)}`).sort();
    expect(stays(read)).toEqual(stays(expected));
    const outcomes = (history: PipelineHistory) => history.applications.map((a) => `${a.status}:${a.createdAt}:${a.hiredAt}:${a.rejectedAt}:${a.currentStage}`).sort();
    expect(outcomes(read)).toEqual(outcomes(expected));
    const jobs = (history: PipelineHistory) =>
      history.jobs.map((j) => JSON.stringify([j.title, j.department, j.office, j.status, j.openedAt, j.closedAt, j.openings.map((o) => [o.openedAt, o.closedAt, o.filled]).sort()])).sort();
    expect(jobs(read)).toEqual(jobs(expected));
    expect(asOf - Date.parse(read.applications.map((a) => a.createdAt).sort()[0]!)).toBeLessThanOrEqual(OPTIONS.days * DAY_MS);
  });
});
