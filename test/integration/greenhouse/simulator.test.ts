import { afterEach, describe, expect, it } from 'vitest';
import { collect } from '#core/async-iterables';
import { verifyGreenhouseSignature } from '#core/webhooks/signature';
import { MAX_ATTEMPTS, RETRY_GAPS_MINUTES, type WebhookDelivery } from '#local/simulators/greenhouse/webhooks/sender';
import { startHarness, startWebhookReceiver, type Harness } from './support.ts';

let h: Harness | undefined;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>> | undefined;
afterEach(async () => {
  await h?.close();
  await receiver?.close();
  h = undefined;
  receiver = undefined;
});

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function inject(harness: Harness, method: 'GET' | 'POST', url: string, headers: Record<string, string> = {}, payload?: string) {
  return harness.sim.app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
}

describe('the Greenhouse simulator itself', () => {
  describe('token endpoint', () => {
    it('answers the documented error bodies', async () => {
      h = await startHarness();
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const none = await inject(h, 'POST', '/token', form, 'grant_type=client_credentials');
      expect(none.statusCode).toBe(401);
      expect(none.json()).toMatchObject({ message: 'Unauthorized' });
      const wrong = await inject(h, 'POST', '/token', { ...form, authorization: basic('sim-client-1', 'nope') }, 'grant_type=client_credentials');
      expect([wrong.statusCode, wrong.json()]).toEqual([401, { error: 'invalid_client' }]);
      const grant = await inject(h, 'POST', '/token', { ...form, authorization: basic('sim-client-1', 'sim-client-secret') }, 'grant_type=password');
      expect(grant.statusCode).toBe(400);
      expect(grant.json().message).toContain('client_credentials');
    });

    it('is metered on its own 60-second window', async () => {
      h = await startHarness({ rateLimit: { limit: 1000, tokenLimit: 2 } });
      const mint = () =>
        inject(h!, 'POST', '/token', { authorization: basic('sim-client-1', 'sim-client-secret'), 'content-type': 'application/x-www-form-urlencoded' }, 'grant_type=client_credentials');
      expect((await mint()).statusCode).toBe(200);
      expect((await mint()).statusCode).toBe(200);
      const third = await mint();
      expect(third.statusCode).toBe(429);
      expect(Number(third.headers['retry-after'])).toBeLessThanOrEqual(60);
    });
  });

  describe('v3 API', () => {
    it('sends the rate-limit headers on errors too, and 404s unknown routes before authenticating', async () => {
      h = await startHarness({ rateLimit: { limit: 75 } });
      const unauthorized = await inject(h, 'GET', '/v3/candidates');
      expect(unauthorized.statusCode).toBe(401);
      expect(unauthorized.headers['x-ratelimit-limit']).toBe('75');
      expect(unauthorized.headers['x-ratelimit-remaining']).toBe('74');
      expect(Number(unauthorized.headers['x-ratelimit-reset'])).toBeGreaterThan(h.clock.now() / 1000);
      const unknown = await inject(h, 'GET', '/v3/no_such_resource');
      expect([unknown.statusCode, unknown.json()]).toEqual([404, { message: 'Resource not found' }]);
    });

    it('counts in 30-second windows, or in the window a scenario sets, and says so in X-RateLimit-Reset', async () => {
      h = await startHarness({ rateLimit: { limit: 1 } });
      const resetIn = async () => {
        const reply = await inject(h!, 'GET', '/v3/candidates');
        return { status: reply.statusCode, seconds: Number(reply.headers['x-ratelimit-reset']) - Math.floor(h!.clock.now() / 1000) };
      };
      // Just after a window starts (windows are aligned to multiples of their length).
      const toNextWindow = (ms: number) => h!.clock.advance(ms - (h!.clock.now() % ms) + 5);
      toNextWindow(30_000);
      expect(await resetIn()).toEqual({ status: 401, seconds: 30 });
      expect(await h.admin('PUT', '/rate-limit', { windowSeconds: 3 })).toMatchObject({ limit: 1, windowSeconds: 3 });
      toNextWindow(3_000);
      expect(await resetIn()).toEqual({ status: 401, seconds: 3 });
      expect(await resetIn()).toMatchObject({ status: 429 });
      toNextWindow(3_000);
      expect(await resetIn()).toMatchObject({ status: 401 });
    });

    it('never rate-limits or faults the admin API', async () => {
      h = await startHarness({ rateLimit: { limit: 1 }, faults: { serverErrorRate: 1 } });
      for (let i = 0; i < 5; i++) expect((await inject(h, 'GET', '/_admin/state/counts')).statusCode).toBe(200);
    });
  });

  describe('webhooks', () => {
    it('retries a failed delivery on the documented schedule with the same event id', async () => {
      h = await startHarness();
      receiver = await startWebhookReceiver(h.clock, [500, 502]);
      await h.admin('PUT', '/webhooks', [{ url: receiver.url, secret: 'retry-secret' }]);
      await h.admin('PATCH', '/candidates/901', { title: 'Principal Engineer' });
      await h.sim.webhooks.settled();
      expect(receiver.received).toHaveLength(1);

      h.clock.advance(RETRY_GAPS_MINUTES[0] * 60_000);
      await h.sim.webhooks.settled();
      expect(receiver.received).toHaveLength(2);
      h.clock.advance(RETRY_GAPS_MINUTES[1] * 60_000 - 1_000);
      await h.sim.webhooks.settled();
      expect(receiver.received).toHaveLength(2);
      h.clock.advance(1_000);
      await h.sim.webhooks.settled();
      expect(receiver.received).toHaveLength(3);

      const ids = receiver.received.map((r) => r.headers['greenhouse-event-id']);
      expect(new Set(ids).size).toBe(1);
      for (const r of receiver.received) expect(verifyGreenhouseSignature(r.raw, r.headers['signature'] as string, 'retry-secret')).toEqual({ ok: true });
      const [delivery] = await h.admin<WebhookDelivery[]>('GET', '/webhooks/deliveries?action=update_candidate');
      expect(delivery?.state).toBe('delivered');
      expect(delivery?.attempts.map((a) => a.status)).toEqual([500, 502, 200]);
    });

    it('gives up after 7 attempts over about 15 hours', async () => {
      h = await startHarness();
      receiver = await startWebhookReceiver(h.clock, Array(10).fill(503));
      await h.admin('PUT', '/webhooks', [{ url: receiver.url, secret: 's', actions: ['candidate_anonymized'] }]);
      await h.admin('POST', '/candidates/903/anonymize', { fields: ['full_name'] });
      await h.sim.webhooks.settled();
      for (const gap of RETRY_GAPS_MINUTES) {
        h.clock.advance(gap * 60_000);
        await h.sim.webhooks.settled();
      }
      h.clock.advance(24 * 3600_000);
      await h.sim.webhooks.settled();
      expect(receiver.received).toHaveLength(MAX_ATTEMPTS);
      const span = receiver.received.at(-1)!.at - receiver.received[0]!.at;
      expect(span).toBeGreaterThanOrEqual((15 * 60 + 16) * 60_000);
      const [delivery] = await h.admin<WebhookDelivery[]>('GET', '/webhooks/deliveries');
      expect(delivery?.state).toBe('failed');
    });

    it('sends only the actions an endpoint is registered for, and merge_candidate instead of delete_candidate', async () => {
      h = await startHarness();
      receiver = await startWebhookReceiver(h.clock);
      await h.admin('PUT', '/webhooks', [{ url: receiver.url, secret: 's', actions: ['merge_candidate', 'delete_candidate'] }]);
      await h.admin('PATCH', '/candidates/901', { title: 'ignored by this endpoint' });
      await h.admin('POST', '/candidates/901/merge', { duplicate_candidate_id: 902 });
      await h.sim.webhooks.settled();
      expect(receiver.received.map((r) => JSON.parse(r.raw.toString()).action)).toEqual(['merge_candidate']);
    });
  });

  describe('bulk generators (the backfill benchmark)', () => {
    it('generates jobs with stages, an opening, a recruiter and a hiring manager, readable through v3', async () => {
      h = await startHarness();
      const created = await h.admin<{ created: number; minId: number; maxId: number }>('POST', '/generate/jobs', { count: 20, seed: 3 });
      expect(created.created).toBe(20);
      const client = h.client();
      const jobs = (await collect(client.listJobs())).filter((j) => j.id >= created.minId);
      expect(jobs).toHaveLength(20);
      const ids = jobs.map((j) => j.id);
      const stages = await collect(client.listJobInterviewStages(ids));
      const owners = await collect(client.listJobOwners(ids));
      const managers = await collect(client.listJobHiringManagers(ids));
      for (const job of jobs) {
        expect(job.name).not.toBe('');
        expect(stages.filter((s) => s.job_id === job.id).length).toBeGreaterThanOrEqual(3);
        expect(owners.filter((o) => o.job_id === job.id && o.type === 'recruiter')).toHaveLength(1);
        expect(managers.filter((m) => m.job_id === job.id)).toHaveLength(1);
      }
      expect(new Set(jobs.map((j) => j.status)).has('open')).toBe(true);
      const state = await h.admin<{ job_id: number }[]>('GET', '/state?table=openings');
      expect(state.filter((o) => o.job_id >= created.minId)).toHaveLength(20);
    });

    it('generates a candidate mix: applicants at a stage of an open job, prospects, private ones, notes and resumes', async () => {
      h = await startHarness();
      await h.admin('POST', '/generate/jobs', { count: 10, seed: 3 });
      const mix = { prospects: 0.2, rejected: 0.2, private: 0.1, notes: 0.5, resumes: 0.5 };
      const created = await h.admin<{ created: number; minId: number; maxId: number }>('POST', '/generate/candidates', { count: 200, seed: 5, mix });
      expect(created.created).toBe(200);

      const client = h.client();
      const candidates = (await collect(client.listCandidates({ private: true }))).filter((c) => c.id >= created.minId);
      expect(candidates).toHaveLength(200);
      const ids = candidates.map((c) => c.id);
      const applications = await collect(client.listApplications({ candidate_ids: ids }));
      // Everyone has exactly one application, as in Greenhouse.
      expect(applications.map((a) => a.candidate_id).sort()).toEqual([...ids].sort());
      const openJobs = new Set((await collect(client.listJobs({ status: 'open' }))).map((j) => j.id));
      const stages = new Map((await collect(client.listJobInterviewStages([...openJobs]))).map((s) => [s.id, s]));
      const prospects = applications.filter((a) => a.prospect);
      const applicants = applications.filter((a) => !a.prospect);
      for (const a of applicants) {
        expect(openJobs.has(a.job_id!)).toBe(true);
        expect(stages.get(a.job_interview_stage_id ?? -1)?.job_id).toBe(a.job_id);
        expect(a.stage_name).toBe(stages.get(a.job_interview_stage_id!)?.name);
      }
      for (const p of prospects) expect(p.job_id).toBeNull();
      const share = (n: number) => n / 200;
      expect(share(prospects.length)).toBeGreaterThan(0.1);
      expect(share(prospects.length)).toBeLessThan(0.3);
      expect(applicants.filter((a) => a.status === 'rejected' && a.rejection_reason_id !== null).length).toBeGreaterThan(0);
      expect(share(candidates.filter((c) => c.private).length)).toBeGreaterThan(0.03);
      expect(share(candidates.filter((c) => c.private).length)).toBeLessThan(0.2);

      const notes = await collect(client.listNotes({ candidate_ids: ids }));
      expect(share(new Set(notes.map((n) => n.candidate_id)).size)).toBeGreaterThan(0.35);
      expect(notes.every((n) => n.type === 'NOTE' && n.user_id !== null)).toBe(true);
      const attachments = await collect(client.listAttachments({ candidate_ids: ids }));
      expect(share(attachments.length)).toBeGreaterThan(0.35);
      expect(attachments.every((a) => a.type === 'resume' && a.filename?.endsWith('.txt'))).toBe(true);
      const file = await client.downloadAttachment(attachments[0]!);
      expect(Buffer.from(file.bytes).toString()).toContain('(fictional)');
    });

    it('keeps the names a seed gives with or without a mix, and refuses a mix without open jobs', async () => {
      h = await startHarness({ scenario: { name: 'no jobs' } });
      await expect(h.admin('POST', '/generate/candidates', { count: 5, mix: { notes: 1 } })).rejects.toThrow(/422/);
      const plain = await h.admin<{ minId: number }>('POST', '/generate/candidates', { count: 20, seed: 9 });
      await h.admin('POST', '/generate/jobs', { count: 2 });
      const mixed = await h.admin<{ minId: number }>('POST', '/generate/candidates', { count: 20, seed: 9, mix: { notes: 1 } });
      const names = (from: number) =>
        h!.sim.state
          .all('candidates')
          .filter((c) => c.id >= from)
          .slice(0, 20)
          .map((c) => `${c.first_name} ${c.last_name}`);
      expect(names(mixed.minId)).toEqual(names(plain.minId));
      expect(h.sim.state.all('applications')).toHaveLength(20);
    });
  });
});
