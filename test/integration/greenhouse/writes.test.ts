import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, GreenhouseClient } from '#adapters/greenhouse/client';
import { Forbidden } from '#core/api-errors';
import { startHarness, startWebhookReceiver, type Harness } from './support.ts';

let h: Harness;
let client: GreenhouseClient;
let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  h = await startHarness();
  hooks = await startWebhookReceiver(h.clock);
  await h.admin('PUT', '/webhooks', [{ url: hooks.url, secret: 'writes-test' }]);
  client = h.client({ sub: 305 });
});
afterAll(async () => {
  await h.close();
  await hooks.close();
});

const actionsReceived = async () => {
  await h.sim.webhooks.settled();
  return hooks.received.map((r) => (JSON.parse(r.raw.toString()) as { action: string }).action);
};

describe('writes the bridge makes', () => {
  it('adding an email keeps the others (read-modify-write of a replaced collection)', async () => {
    const before = (await client.getCandidate(901))!;
    expect(before.email_addresses).toHaveLength(2);
    const after = await client.addEmailAddress(901, 'lena.m@example.test', 'other');
    expect(after.email_addresses?.map((e) => e.value)).toEqual([
      'lena.marsh@example.test',
      'lena@quillfeather.example.test',
      'lena.m@example.test',
    ]);
  });

  it('adding an email the candidate already has writes nothing', async () => {
    await h.admin('DELETE', '/requests');
    await client.addEmailAddress(901, 'LENA.MARSH@example.test');
    expect(h.requests('PATCH /v3/candidates/:id')).toBe(0);
  });

  it('removing an email keeps the others', async () => {
    const after = await client.removeEmailAddress(901, 'lena.m@example.test');
    expect(after.email_addresses?.map((e) => e.value)).toEqual(['lena.marsh@example.test', 'lena@quillfeather.example.test']);
  });

  it('adding a link keeps the other links', async () => {
    const after = await client.addWebsite(901, 'https://blog.lena-marsh.example.test', 'blog');
    expect(after.website_addresses?.map((w) => w.value)).toEqual(['https://lena-marsh.example.test', 'https://blog.lena-marsh.example.test']);
    const social = await client.addSocialMediaLink(901, 'https://code.example.test/lmarsh');
    expect(social.social_media_addresses).toHaveLength(2);
  });

  it('a bare PATCH of a collection replaces it (the trap the helpers avoid)', async () => {
    const after = await client.updateCandidate(902, { phone_numbers: [{ value: '+1 555 0102', type: 'mobile' }] });
    expect(after.phone_numbers).toEqual([{ value: '+1 555 0102', type: 'mobile' }]);
    const replaced = await client.updateCandidate(902, { phone_numbers: [{ value: '+1 555 0199', type: 'work' }] });
    expect(replaced.phone_numbers).toEqual([{ value: '+1 555 0199', type: 'work' }]);
  });

  it('adding a tag keeps the other tags; an unknown tag is created first', async () => {
    await client.addTag(901, 'AI screened');
    expect((await client.getCandidate(901))!.tags?.sort()).toEqual(['AI screened', 'Beamery', 'Python']);
    const again = await client.addTag(901, 'ai screened');
    expect(again.candidate_id).toBe(901);
    expect((await client.getCandidate(901))!.tags).toHaveLength(3);
  });

  it('removing a tag deletes its applied row and nothing else', async () => {
    await client.removeTag(901, 'Beamery');
    expect((await client.getCandidate(901))!.tags?.sort()).toEqual(['AI screened', 'Python']);
    await client.removeTag(901, 'Never applied');
  });

  it('writes the privacy flag as is_private and reads it back as private', async () => {
    const after = await client.updateCandidate(902, { is_private: true });
    expect(after['private']).toBe(true);
  });

  it('creates a candidate with a first application, which Greenhouse announces by webhook', async () => {
    const candidate = await client.createCandidate({
      first_name: 'Ines',
      last_name: 'Fable',
      email_addresses: [{ value: 'ines.fable@example.test', type: 'personal' }],
      application: { job_id: 801, source_id: 404 },
    });
    const [application] = await collect(client.listApplications({ candidate_ids: [candidate.id] }));
    expect(application).toMatchObject({ job_id: 801, status: 'in_process', job_interview_stage_id: 811 });
    expect(await actionsReceived()).toContain('new_candidate_application');
  });

  it('creates a prospect', async () => {
    const candidate = await client.createCandidate({ first_name: 'Pavel', last_name: 'Tern', application: { prospect: true, job_ids: [802] } });
    const [application] = await collect(client.listApplications({ candidate_ids: [candidate.id] }));
    expect(application).toMatchObject({ prospect: true, job_id: null, prospective_job_ids: [802] });
  });

  it('creates notes with each visibility, read back in the read spelling, authored by the acting user', async () => {
    const pub = await client.createNote({ candidate_id: 901, body: 'Public note', visibility: 'public' });
    const priv = await client.createNote({ candidate_id: 901, body: 'Private note', visibility: 'private', user_id: 302 });
    const admin = await client.createNote({ candidate_id: 901, body: 'Admin note', visibility: 'admin_only' });
    expect([pub.visibility, priv.visibility, admin.visibility]).toEqual(['publicly_visible', 'privately_visible', 'admin_only_visible']);
    expect(pub.user_id).toBe(305);
    expect(priv.user_id).toBe(302);
  });

  it('writes application custom fields by name_key and keeps the others', async () => {
    const app = await client.updateApplicationCustomFields(951, [{ name_key: 'ai_screening_rationale', value: 'Matches 4 of 5 must-haves.' }]);
    expect(app.custom_fields?.['ai_screening_rationale']?.value).toBe('Matches 4 of 5 must-haves.');
    expect(app.custom_fields?.['ai_fit_score']?.value).toBe(82);
  });

  it('uploads an attachment and downloads it from its signed URL without an Authorization header', async () => {
    const seen: Headers[] = [];
    const recording: typeof fetch = async (input, init) => {
      if (String(input).includes('/s3/')) seen.push(new Headers(init?.headers));
      return fetch(input, init);
    };
    const c = h.client({ fetch: recording });
    const content = new TextEncoder().encode('Cover letter (fictional)');
    const uploaded = await c.uploadAttachment({ application_id: 952, filename: 'cover.txt', type: 'cover_letter', content, content_type: 'text/plain' });
    const [listed] = await collect(c.listAttachments({ application_ids: [952] }));
    expect(listed?.id).toBe(uploaded.id);
    const file = await c.downloadAttachment(listed!);
    expect(new TextDecoder().decode(file.bytes)).toBe('Cover letter (fictional)');
    // The first request carries no token; only a link that refuses it (ASSUMED attachmentAuth `bearer`) gets a second with it.
    expect(seen[0]!.has('authorization')).toBe(false);
    const { apiContract } = await h.admin<{ apiContract: { attachmentAuth: string } }>('GET', '/settings');
    expect(seen).toHaveLength(apiContract.attachmentAuth === 'bearer' ? 2 : 1);
  });

  it('an attachment URL kept past its expiry is refused', async () => {
    const [attachment] = await collect(client.listAttachments({ candidate_ids: [901] }));
    h.clock.advance(7 * 24 * 3600_000 + 1_000);
    await expect(client.downloadAttachment(attachment!)).rejects.toBeInstanceOf(Forbidden);
  });

  it('merges a duplicate into the primary', async () => {
    const dup = await client.createCandidate({ first_name: 'Omar', last_name: 'Quill', email_addresses: [{ value: 'o.quill@example.test', type: 'work' }] });
    const primary = await client.mergeCandidates(902, dup.id);
    expect(primary.id).toBe(902);
    expect(await client.getCandidate(dup.id)).toBeUndefined();
    expect(await actionsReceived()).toContain('merge_candidate');
  });

  it('anonymizes a candidate', async () => {
    const after = await client.anonymizeCandidate(903, ['full_name', 'emails', 'phone_numbers']);
    expect(after).toMatchObject({ first_name: 'Anonymized', last_name: '903', email_addresses: [] });
    expect(await actionsReceived()).toContain('candidate_anonymized');
  });

  it('has no way to move, reject or hire an application, and never called those routes', () => {
    const words = Object.getOwnPropertyNames(GreenhouseClient.prototype).flatMap((m) => m.split(/(?=[A-Z])/).map((w) => w.toLowerCase()));
    for (const verb of ['move', 'reject', 'hire', 'advance', 'unreject', 'transfer', 'stage']) expect(words).not.toContain(verb);
    const counts = h.sim.counts.snapshot();
    expect(counts['POST /v3/applications/:id/move'] ?? 0).toBe(0);
    expect(counts['POST /v3/applications/:id/reject'] ?? 0).toBe(0);
    expect(counts['POST /v3/applications/:id/hire'] ?? 0).toBe(0);
  });
});
