import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, type GreenhouseClient } from '#adapters/greenhouse/client';
import { between } from '#core/greenhouse/time-window';
import { startHarness, type Harness } from './support.ts';

/**
 * Interview feedback through the real client: Greenhouse has no scorecard or interview webhook, so
 * the bridge tells "a stage's scorecards are all in" from polled interviews and resolves a
 * scorecard's stage through kit → job interview → stage. Users 302 and 304 are in the default scenario.
 */
let h: Harness;
let client: GreenhouseClient;

interface Created {
  id: number;
}
interface Interview extends Created {
  status: string;
  application_id: number;
  job_interview_id: number;
}
interface Scorecard extends Created {
  status: string;
  interview_kit_id: number | null;
  submitter_id: number | null;
  submitted_at: string | null;
}

let jobId: number;
let applicationId: number;

beforeAll(async () => {
  h = await startHarness();
  client = h.client();
  jobId = (await h.admin<Created>('POST', '/jobs', { name: 'Interview Plan Engineer' })).id;
  const { application } = await h.admin<{ application: Created }>('POST', '/candidates', {
    first_name: 'Ines',
    last_name: 'Panel',
    application: { job_id: jobId },
  });
  applicationId = application.id;
});
afterAll(() => h.close());

async function planOf(job: number) {
  const stages = await collect(client.listJobInterviewStages([job]));
  const slots = await collect(client.listJobInterviews({ job_ids: [job] }));
  const kits = await collect(client.listInterviewKits({ job_interview_ids: slots.map((s) => s.id) }));
  return { stages, slots, kits };
}

async function faceToFace() {
  const { stages, slots } = await planOf(jobId);
  const stage = stages.find((s) => s.name === 'Face to Face')!;
  return { stage, slot: slots.find((s) => s.job_interview_stage_id === stage.id)! };
}

describe('a new job has an interview plan', () => {
  it('one job interview named after each stage but Application Review, each with one kit', async () => {
    const { stages, slots, kits } = await planOf(jobId);
    // Lists come newest id first; the plan's order is sort_order.
    const later = stages.filter((s) => s.name !== 'Application Review').sort((a, b) => a.sort_order! - b.sort_order!);
    expect(later.map((s) => s.name)).toEqual(['Preliminary Phone Screen', 'Face to Face', 'Offer']);
    expect(slots.map((s) => [s.job_interview_stage_id, s.name]).sort()).toEqual(later.map((s) => [s.id, s.name]).sort());
    expect(slots.every((s) => s.job_id === jobId)).toBe(true);
    expect(kits.map((k) => k.job_interview_id).sort()).toEqual(slots.map((s) => s.id).sort());
    // The filters the bridge's chain uses, one id at a time.
    const slot = slots[0]!;
    expect((await collect(client.listJobInterviews({ job_interview_stage_ids: [slot.job_interview_stage_id!] }))).map((s) => s.id)).toEqual([slot.id]);
    const kit = kits.find((k) => k.job_interview_id === slot.id)!;
    expect((await collect(client.listInterviewKits({ ids: [kit.id] }))).map((k) => k.job_interview_id)).toEqual([slot.id]);
  });

  it('generated jobs get the same plan', async () => {
    const created = await h.admin<{ minId: number }>('POST', '/generate/jobs', { count: 3, seed: 4 });
    const jobs = (await collect(client.listJobs())).filter((j) => j.id >= created.minId);
    for (const job of jobs) {
      const { stages, slots, kits } = await planOf(job.id);
      expect(slots).toHaveLength(stages.length - 1);
      expect(kits).toHaveLength(slots.length);
    }
  });
});

describe('interviews, scorecards and the feedback state', () => {
  let interview: Interview;

  it('schedules an interview with a panel of two; the panel stays out of the API', async () => {
    const { slot } = await faceToFace();
    interview = await h.admin<Interview>('POST', '/interviews', { application_id: applicationId, job_interview_id: slot.id, interviewer_ids: [302, 304] });
    expect(interview).toMatchObject({ application_id: applicationId, job_interview_id: slot.id, status: 'scheduled' });
    expect(interview).not.toHaveProperty('sim_interviewer_ids');
    const [listed] = await collect(client.listInterviews({ application_ids: [applicationId] }));
    expect(listed).toMatchObject({ id: interview.id, status: 'scheduled', job_id: jobId });
    expect(listed).not.toHaveProperty('sim_interviewer_ids');
    expect(listed?.starts_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('refuses a job interview of another job and an unknown interviewer', async () => {
    const other = (await h.admin<Created>('POST', '/jobs', { name: 'Other' })).id;
    const [otherSlot] = await collect(client.listJobInterviews({ job_ids: [other] }));
    await expect(h.admin('POST', '/interviews', { application_id: applicationId, job_interview_id: otherSlot!.id, interviewer_ids: [302] })).rejects.toThrow(/422/);
    const { slot } = await faceToFace();
    await expect(h.admin('POST', '/interviews', { application_id: applicationId, job_interview_id: slot.id, interviewer_ids: [999_999] })).rejects.toThrow(/422/);
  });

  it('after it took place and one of two scorecards is in, the interview awaits feedback', async () => {
    expect((await h.admin<Interview>('POST', `/interviews/${interview.id}/conclude`)).status).toBe('awaiting_feedback');
    const first = await h.admin<Scorecard>('POST', '/scorecards', { interview_id: interview.id, interviewer_id: 302, candidate_rating: 'yes', public_notes: 'Solid.' });
    expect(first).toMatchObject({ status: 'complete', submitter_id: 302 });
    expect(first.submitted_at).not.toBeNull();
    expect((await collect(client.listInterviews({ ids: [interview.id] })))[0]?.status).toBe('awaiting_feedback');
    expect(await collect(client.listInterviews({ application_ids: [applicationId], status: 'awaiting_feedback' }))).toHaveLength(1);
  });

  it('a draft and then its submission are one scorecard; the last one in completes the interview', async () => {
    h.clock.advance(60_000);
    const draft = await h.admin<Scorecard>('POST', '/scorecards', { interview_id: interview.id, interviewer_id: 304, candidate_rating: 'no_decision', status: 'draft' });
    expect(draft).toMatchObject({ status: 'draft', submitted_at: null });
    expect((await collect(client.listInterviews({ ids: [interview.id] })))[0]?.status).toBe('awaiting_feedback');

    const before = h.clock.now();
    h.clock.advance(60_000);
    const done = await h.admin<Scorecard>('POST', '/scorecards', { interview_id: interview.id, interviewer_id: 304, candidate_rating: 'strong_yes' });
    expect(done.id).toBe(draft.id);
    expect(done.status).toBe('complete');
    const [after] = await collect(client.listInterviews({ ids: [interview.id] }));
    expect(after?.status).toBe('complete');
    // The change is visible to a poller's updated_at window, interviews and scorecards alike.
    const window = between(before, h.clock.now() + 1000);
    expect((await collect(client.listInterviews({ updated_at: window }))).map((i) => i.id)).toContain(interview.id);
    const recent = await collect(client.listScorecards({ updated_at: window }));
    expect(recent.map((s) => s.id)).toEqual([draft.id]);
    expect(recent[0]).not.toHaveProperty('sim_interview_id');
    // A submitted scorecard cannot go back to draft.
    await expect(h.admin('POST', '/scorecards', { interview_id: interview.id, interviewer_id: 304, candidate_rating: 'no', status: 'draft' })).rejects.toThrow(/422/);
  });

  it('a scorecard resolves to its stage: kit → job interview → stage', async () => {
    const { stage } = await faceToFace();
    const scorecards = await collect(client.listScorecards({ application_ids: [applicationId] }));
    expect(scorecards).toHaveLength(2);
    const kitIds = [...new Set(scorecards.map((s) => s.interview_kit_id!))];
    expect(kitIds).toHaveLength(1);
    expect((await collect(client.listScorecards({ interview_kit_ids: kitIds }))).map((s) => s.id).sort()).toEqual(scorecards.map((s) => s.id).sort());
    const [kit] = await collect(client.listInterviewKits({ ids: kitIds }));
    const [slot] = await collect(client.listJobInterviews({ ids: [kit!.job_interview_id!] }));
    const [resolved] = (await collect(client.listJobInterviewStages([jobId]))).filter((s) => s.id === slot!.job_interview_stage_id);
    expect(resolved).toMatchObject({ id: stage.id, name: 'Face to Face' });
  });

  it('only an interviewer of the interview can submit for it', async () => {
    await expect(h.admin('POST', '/scorecards', { interview_id: interview.id, interviewer_id: 303, candidate_rating: 'yes' })).rejects.toThrow(/422/);
  });
});

describe('interviews go with their candidate', () => {
  it('anonymizing scorecards_and_interviews and deleting a candidate remove the interviews', async () => {
    const { slot } = await faceToFace();
    const make = async (last: string) => {
      const { candidate, application } = await h.admin<{ candidate: Created; application: Created }>('POST', '/candidates', {
        first_name: 'Temp',
        last_name: last,
        application: { job_id: jobId },
      });
      const i = await h.admin<Interview>('POST', '/interviews', { application_id: application.id, job_interview_id: slot.id, interviewer_ids: [302] });
      await h.admin('POST', '/scorecards', { interview_id: i.id, interviewer_id: 302, candidate_rating: 'no' });
      return { candidate, application };
    };
    const a = await make('Anonymized');
    await h.admin('POST', `/candidates/${a.candidate.id}/anonymize`, { fields: ['scorecards_and_interviews'] });
    expect(await collect(client.listInterviews({ application_ids: [a.application.id] }))).toEqual([]);
    expect(await collect(client.listScorecards({ application_ids: [a.application.id] }))).toEqual([]);

    const d = await make('Deleted');
    await h.admin('DELETE', `/candidates/${d.candidate.id}`);
    expect(await collect(client.listInterviews({ application_ids: [d.application.id] }))).toEqual([]);
  });
});
