import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, type GreenhouseClient } from '#adapters/greenhouse/client';
import { startHarness, type Harness } from './support.ts';

let h: Harness;
let client: GreenhouseClient;

beforeAll(async () => {
  h = await startHarness();
  client = h.client();
});
afterAll(() => h.close());

describe('typed reads of every resource the bridge uses', () => {
  it('candidates, with fields the schema does not name passed through', async () => {
    const [lena] = await client.byIds('candidates', [901]);
    expect(lena).toMatchObject({ id: 901, first_name: 'Lena', private: false, tags: ['Python', 'Beamery'] });
    expect(lena?.custom_fields?.['desired_salary']?.value).toBe('EUR 85k');
    const byEmail = await collect(client.listCandidates({ email: 'OMAR.QUILL@example.test' }));
    expect(byEmail.map((c) => c.id)).toEqual([902]);
  });

  it('applications, filtered with the filter vocabulary (active = in_process)', async () => {
    const active = await collect(client.listApplications({ status: 'active' }));
    expect(active.every((a) => a.status === 'in_process')).toBe(true);
    expect(active.map((a) => a.id).sort()).toEqual([951, 952, 954, 955]);
    // `answers` and `location_address` are not in the client's schema: tolerated and kept.
    expect(active[0]).toHaveProperty('answers');
    expect(active[0]).toHaveProperty('location_address');
  });

  it('jobs, stages, owners, hiring managers and posts', async () => {
    expect((await collect(client.listJobs({ status: 'open' }))).map((j) => j.id).sort()).toEqual([801, 802]);
    expect((await collect(client.listJobInterviewStages([801]))).map((s) => s.name)).toEqual(
      expect.arrayContaining(['Application Review', 'Offer']),
    );
    expect((await collect(client.listJobOwners([801]))).map((o) => [o.user_id, o.type])).toEqual(
      expect.arrayContaining([[302, 'recruiter'], [303, 'coordinator']]),
    );
    expect((await collect(client.listJobHiringManagers([801, 802]))).map((m) => m.user_id)).toEqual([304, 304]);
    expect((await collect(client.listJobPosts({ job_ids: [801] }))).map((p) => p.id)).toEqual([871]);
  });

  it('users hide service accounts unless asked', async () => {
    expect((await collect(client.listUsers())).map((u) => u.id)).not.toContain(305);
    expect((await collect(client.listUsers({ includeServiceAccounts: true }))).map((u) => u.id)).toContain(305);
  });

  it('sources, departments and offices', async () => {
    expect((await collect(client.listSources())).length).toBe(4);
    expect((await collect(client.listDepartments())).find((d) => d.id === 103)?.parent_id).toBe(101);
    expect((await collect(client.listOffices())).map((o) => o.name).sort()).toEqual(['Berlin', 'Lisbon', 'Remote']);
  });

  it('notes, attachments and scorecards of an application', async () => {
    expect((await collect(client.listNotes({ candidate_ids: [901] })))[0]?.visibility).toBe('publicly_visible');
    expect((await collect(client.listAttachments({ application_ids: [951] })))[0]).toMatchObject({ type: 'resume', filename: 'lena-marsh-resume.txt' });
    expect((await collect(client.listScorecards({ application_ids: [951] })))[0]?.candidate_rating).toBe('yes');
  });

  it('tag definitions and applied tags', async () => {
    expect((await collect(client.listCandidateTags())).map((t) => t.name)).toEqual(['Beamery', 'Referral', 'Python']);
    expect((await collect(client.listAppliedCandidateTags({ candidate_ids: [901] }))).length).toBe(2);
  });

  it('custom fields and their options, by field or by key', async () => {
    expect((await collect(client.listCustomFields({ field_type: 'application' }))).map((f) => f.name_key).sort()).toEqual([
      'ai_fit_score',
      'ai_screening_rationale',
    ]);
    const byKey = await collect(client.listCustomFieldOptions({ custom_field_key: 'employment_type' }));
    const byId = await collect(client.listCustomFieldOptions({ custom_field_ids: [521] }));
    expect(byKey.map((o) => o.name)).toEqual(['Contract', 'Part-time', 'Full-time']);
    expect(byId).toEqual(byKey);
  });

  it('rejection reasons leave out Greenhouse defaults unless included', async () => {
    expect((await collect(client.listRejectionReasons())).map((r) => r.id)).toEqual([602, 601]);
    expect((await collect(client.listRejectionReasons({ includeDefaults: true }))).map((r) => r.id)).toEqual([692, 691, 602, 601]);
  });
});
