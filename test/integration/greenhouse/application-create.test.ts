import { afterEach, describe, expect, it } from 'vitest';
import { collect } from '#adapters/greenhouse/client';
import { ValidationFailed } from '#core/api-errors';
import { startHarness, type Harness } from './support.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Fetch that lets a request through but loses its answer, the way a timeout after the server acted does. */
function losingFirstAnswerTo(method: string, path: string): typeof fetch {
  let lost = false;
  return async (input, init) => {
    const response = await fetch(input, init);
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (!lost && init?.method === method && url.pathname === path) {
      lost = true;
      await response.body?.cancel();
      throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    }
    return response;
  };
}

describe('GreenhouseClient.createApplication (POST /v3/applications)', () => {
  it('puts the candidate on the job at its first stage', async () => {
    h = await startHarness();
    const client = h.client();
    const candidate = await client.createCandidate({ first_name: 'Ada', last_name: 'Apply' });
    const application = await client.createApplication({ candidate_id: candidate.id, job_id: 802 });
    expect(application).toMatchObject({ candidate_id: candidate.id, job_id: 802, prospect: false });
    const [firstStage] = (await collect(client.listJobInterviewStages([802]))).sort((a, b) => (a.sort_order ?? 0) - (b.sort_order ?? 0));
    expect(application.job_interview_stage_id).toBe(firstStage!.id);
  });

  it('an application whose answer was lost is found, not posted twice', async () => {
    h = await startHarness();
    const candidate = await h.client().createCandidate({ first_name: 'Lou', last_name: 'Lost' });
    const application = await h.client({ fetch: losingFirstAnswerTo('POST', '/v3/applications') }).createApplication({ candidate_id: candidate.id, job_id: 802 });
    expect(application.job_id).toBe(802);
    expect(h.requests('POST /v3/applications')).toBe(1);
    expect(await collect(h.client().listApplications({ candidate_ids: [candidate.id] }))).toHaveLength(1);
  });

  it('a second application of one candidate on one job is refused', async () => {
    h = await startHarness();
    const client = h.client();
    const candidate = await client.createCandidate({ first_name: 'Tia', last_name: 'Twice' });
    await client.createApplication({ candidate_id: candidate.id, job_id: 802 });
    await expect(client.createApplication({ candidate_id: candidate.id, job_id: 802 })).rejects.toBeInstanceOf(ValidationFailed);
  });
});
