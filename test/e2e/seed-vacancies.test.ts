import { readFile } from 'node:fs/promises';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV, readConfig } from '#lambdas/config';
import type { DynamoDbIdMap } from '#adapters/store/id-map';
import type { LocalStack } from '#local/stack';
import { callJson } from '../support/http.ts';
import { startE2eStack, type E2eStack } from '../support/e2e-stack.ts';
import { eventually, untilQuiet } from '../support/queues.ts';

/**
 * The job side of the seed, end to end on the local stack: a job changed in the Greenhouse simulator
 * fires its webhook, the consumer reconciles it, and the assertions read the vacancy the Beamery
 * simulator stores (its admin state, under the seed's Field References).
 *
 * The stack runs with SYNC_EXCLUDE_CONFIDENTIAL_JOBS=true (the consumers read it once, at start);
 * the default (a confidential job's vacancy carries Privacy = private) is in
 * greenhouse-to-beamery.test.ts and test/integration/sync/reconcile-job.test.ts.
 */
const SECRET = 'seed-vacancies-secret';
const WAIT = 15_000;

/** A job of the default scenario's shape with everything the seed's vacancy table maps. */
const JOB = {
  id: 901,
  name: 'Streaming Platform Engineer',
  requisition_id: 'REQ-0901',
  notes: '<p>Owns the event pipeline.</p>',
  status: 'open',
  department_id: 103,
  office_ids: [201, 203],
  custom_fields: { salary: { name: 'Salary', type: 'short_text', value: 'EUR 95k' } },
  created_at: '2026-08-20T09:00:00Z',
  opened_at: '2026-08-20T09:00:00Z',
};
const STAGES = ['Application Review', 'Pairing Interview', 'Offer'];

interface StoredVacancy {
  readonly id: string;
  readonly integrations?: { greenhouse?: { id?: string } };
  readonly [field: string]: unknown;
}

interface BeameryState {
  readonly contacts: { id: string; integrations?: { greenhouse?: { id?: string } } }[];
  readonly vacancies: StoredVacancy[];
  readonly memberships: { contactId: string; vacancyId: string }[];
}

describe('the seed’s Vacancy Object, end to end on the local stack', () => {
  let e2e: E2eStack;
  let stack: LocalStack;
  let sqs: SQSClient;
  let idMap: DynamoDbIdMap;
  let beameryOrigin: string;
  const previousExclusion = process.env[ENV.syncExcludeConfidentialJobs];

  beforeAll(async () => {
    process.env[ENV.syncExcludeConfidentialJobs] = 'true';
    e2e = await startE2eStack({ webhookSecret: SECRET, greenhouseRateLimit: 5_000 });
    ({ stack, sqs, idMap, beameryOrigin } = e2e);
    // The default scenario, plus a job with two hiring managers and a sourcer (no admin route adds those).
    const scenario = JSON.parse(await readFile(new URL('../../scenarios/greenhouse/default.json', import.meta.url), 'utf8')) as Record<string, unknown[]>;
    await greenhouse('PUT', '/scenario', {
      ...scenario,
      jobs: [...scenario['jobs']!, JOB],
      job_interview_stages: [...scenario['job_interview_stages']!, ...STAGES.map((name, i) => ({ id: 9901 + i, job_id: JOB.id, name, sort_order: i, created_at: JOB.created_at }))],
      job_hiring_managers: [
        ...scenario['job_hiring_managers']!,
        { id: 9951, job_id: JOB.id, user_id: 302, responsible: false, created_at: JOB.created_at },
        { id: 9952, job_id: JOB.id, user_id: 304, responsible: true, created_at: JOB.created_at },
      ],
      job_owners: [...scenario['job_owners']!, { id: 9961, job_id: JOB.id, user_id: 303, type: 'sourcer', responsible: true, created_at: JOB.created_at }],
    });
  }, 120_000);
  afterAll(async () => {
    await e2e?.stop();
    if (previousExclusion === undefined) delete process.env[ENV.syncExcludeConfidentialJobs];
    else process.env[ENV.syncExcludeConfidentialJobs] = previousExclusion;
  });

  const greenhouse = <T = unknown>(method: string, path: string, body?: unknown) => callJson<T>(stack.greenhouse, method, `/_admin${path}`, body);
  const beameryState = () => callJson<BeameryState>(beameryOrigin, 'GET', '/_admin/state');

  async function vacancyOfJob(jobId: number, check: (v: StoredVacancy) => boolean = () => true, what = 'the vacancy'): Promise<StoredVacancy> {
    return eventually(async () => {
      const link = await idMap.byGreenhouse(`greenhouse#job#${jobId}`);
      if (link?.status !== 'active') return undefined;
      const vacancy = (await beameryState()).vacancies.find((v) => v.id === link.beameryKey.split('#')[2]);
      return vacancy && check(vacancy) ? vacancy : undefined;
    }, WAIT, `${what} of job ${jobId}`);
  }

  /** Every webhook delivered and the sync queue quiet: what Beamery holds now is what it will hold. */
  async function settled(): Promise<void> {
    await greenhouse('POST', '/webhooks/settle');
    await untilQuiet(sqs, [stack.resources.queues['greenhouse-changes'].url], 750, WAIT);
  }

  it('Create / Update Vacancy: every column of the Data Mapping Table reaches the Beamery vacancy (Requisition ID-Job ID, Job ID, Title, Department, Managed By, Sourced By, Description, Location, Privacy, Salary, Stages, Status)', async () => {
    // A recruiter's edit in Greenhouse fires job_updated; the job came from the scenario, which fires nothing.
    await greenhouse('PATCH', `/jobs/${JOB.id}`, { notes: JOB.notes });
    const vacancy = await vacancyOfJob(JOB.id);
    expect(vacancy).toMatchObject({
      requisitionId: `REQ-0901-${JOB.id}`,
      integrations: { greenhouse: { id: String(JOB.id) } },
      title: 'Streaming Platform Engineer',
      department: 'Data',
      // Hiring managers > name: the responsible one first.
      manager: 'Imogen Falk, Mira Kestrel',
      sourcer: 'Tobias Wren',
      description: '<p>Owns the event pipeline.</p>',
      location: { address: 'Berlin; Remote' },
      visibility: 'public',
      salary: 'EUR 95k',
      status: 'Open',
    });
    expect((vacancy['stages'] as { name: string }[]).map((s) => s.name)).toEqual(STAGES);
  });

  it('Users, Source, Departments: a job moved to another Greenhouse department carries the new department’s name to its vacancy', async () => {
    await greenhouse('PATCH', `/jobs/${JOB.id}`, { notes: JOB.notes });
    await vacancyOfJob(JOB.id, (v) => v['department'] === 'Data', 'the first department');
    await greenhouse('PATCH', `/jobs/${JOB.id}`, { department_id: 102 });
    const moved = await vacancyOfJob(JOB.id, (v) => v['department'] === 'Product', 'the new department');
    expect(moved).toMatchObject({ manager: 'Imogen Falk, Mira Kestrel', sourcer: 'Tobias Wren' });
  });

  it('Users, Source, Departments: the Greenhouse source of a candidate’s application becomes the Source of the contact created for it', async () => {
    const created = await greenhouse<{ candidate: { id: number } }>('POST', '/candidates', {
      first_name: 'Pilar',
      last_name: 'Okonjo',
      email_addresses: [{ value: 'pilar.okonjo@seed-vacancies.example.test', type: 'personal' }],
      application: { job_id: 801, source_id: 402 },
    });
    const link = await eventually(async () => {
      const found = await idMap.byGreenhouse(`greenhouse#candidate#${created.candidate.id}`);
      return found?.status === 'active' ? found : undefined;
    }, WAIT, 'the contact of the candidate');
    const contact = await callJson<Record<string, unknown>>(beameryOrigin, 'GET', `/_admin/contacts/${link.beameryKey.split('#')[2]}`);
    // Seed contact table: Source (`source`, enum), only on contact creation; the creation source stays Greenhouse.
    expect(contact).toMatchObject({ source: { value: 'Referral' }, creationSource: { value: 'Greenhouse' } });
  });

  it('Block Confidential (configurable): with SYNC_EXCLUDE_CONFIDENTIAL_JOBS=true a confidential job becomes no vacancy and its applicant no membership', async () => {
    expect(readConfig().sync.excludeConfidentialJobs).toBe(true);
    const job = await greenhouse<{ id: number }>('POST', '/jobs', { name: 'Stealth Acquisition Lead', confidential: true, stages: ['Application Review', 'Offer'] });
    const created = await greenhouse<{ candidate: { id: number } }>('POST', '/candidates', {
      first_name: 'Oona',
      last_name: 'Strand',
      email_addresses: [{ value: 'oona.strand@seed-vacancies.example.test', type: 'personal' }],
      application: { job_id: job.id },
    });
    await greenhouse('PATCH', `/jobs/${job.id}`, { notes: '<p>Still confidential.</p>' });
    await settled();

    const state = await beameryState();
    expect(state.vacancies.filter((v) => v.integrations?.greenhouse?.id === String(job.id))).toEqual([]);
    expect(await idMap.byGreenhouse(`greenhouse#job#${job.id}`)).toBeUndefined();
    const contactIds = state.contacts.filter((c) => c.integrations?.greenhouse?.id === String(created.candidate.id)).map((c) => c.id);
    expect(state.memberships.filter((m) => contactIds.includes(m.contactId))).toEqual([]);
  });
});
