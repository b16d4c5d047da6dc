import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ActionNotConfirmed } from '#adapters/greenhouse/errors';
import { collect, JOB_NOTES, JOB_POST_CONTENT, JobPostLive, type GreenhouseClient } from '#adapters/greenhouse/client';
import { Forbidden, Unsupported, ValidationFailed } from '#core/api-errors';
import type { JobNoteCreate } from '#core/ports/greenhouse-api';
import type { JobPost } from '#core/greenhouse/records';
import { failureWithoutScope, losingFirstAnswer, startHarness, type Harness } from './support.ts';

/**
 * The job's own records the bridge writes. Private job notes (`/v3/job_notes`): written and listed
 * back, paged and filtered like every list, a refused body as a ValidationFailed naming the field, and
 * a tenant without job notes (ASSUMED `jobNotes: absent`) as Unsupported, never as a job with no notes.
 * Job post content, written only where applicants cannot be reading it: the client refuses a live post
 * (or one whose `live` it was not shown) before sending anything, the simulator refuses one that went
 * live after the caller's read (422, ASSUMED), and a tenant that takes no post writes (ASSUMED
 * `jobPostWrites: read-only`) is Unsupported rather than a missing post.
 */
let h: Harness;
let client: GreenhouseClient;
beforeAll(async () => {
  h = await startHarness();
  client = h.client();
});
afterAll(async () => h.close());


/** The error `act` fails with while the credential lacks `scope`. */
const failureWithout = (scope: string, act: () => Promise<unknown>) => failureWithoutScope(h, scope, act);



const note = (overrides: Partial<JobNoteCreate> = {}): JobNoteCreate => ({
  job_id: 801,
  body: 'Rediscovery: three past finalists worth a second look (fictional).',
  visibility: 'admin_only_visible',
  ...overrides,
});

describe('job notes on a tenant that has them', () => {
  beforeEach(() => h.freshTenant({ jobNotes: 'available' }));

  it('creates a note and lists it back on its job, with author and visibility as written', async () => {
    const created = await client.createJobNote(note({ user_id: 301 }));
    expect(created).toMatchObject({ job_id: 801, user_id: 301, visibility: 'admin_only_visible', body: note().body });
    const listed = await collect(client.listJobNotes({ job_ids: [801] }));
    expect(listed.map((n) => n.id)).toEqual([created.id]);
    expect(listed[0]).toMatchObject({ body: note().body, visibility: 'admin_only_visible', user_id: 301 });
    expect(await collect(client.listJobNotes({ job_ids: [802] }))).toEqual([]);
  });

  it('filters by visibility and author as the list parameters say', async () => {
    const a = await client.createJobNote(note({ user_id: 301 }));
    const b = await client.createJobNote(note({ user_id: 302, visibility: 'privately_visible' }));
    expect((await collect(client.listJobNotes({ job_ids: [801], visibility: 'privately_visible' }))).map((n) => n.id)).toEqual([b.id]);
    expect((await collect(client.listJobNotes({ user_ids: [301] }))).map((n) => n.id)).toEqual([a.id]);
  });

  it('follows every page of a long listing', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await client.createJobNote(note({ body: `Note ${i} (fictional)` }))).id);
    await h.admin('DELETE', '/requests');
    const listed = await collect(h.client({ perPage: 2 }).listJobNotes({ job_ids: [801] }));
    expect(listed.map((n) => n.id).sort((x, y) => x - y)).toEqual(ids);
    expect(h.requests('GET /v3/job_notes')).toBe(3);
  });

  it('surfaces a refused body as ValidationFailed naming the field', async () => {
    const blank = await client.createJobNote(note({ body: '   ' })).catch((e: unknown) => e);
    expect(blank).toBeInstanceOf(ValidationFailed);
    expect((blank as ValidationFailed).status).toBe(422);
    expect((blank as ValidationFailed).messages.join(' ')).toMatch(/body/);
    const badVisibility = await client.createJobNote(note({ visibility: 'publicly_visible' as never })).catch((e: unknown) => e);
    expect((badVisibility as ValidationFailed).messages.join(' ')).toMatch(/visibility/);
    const noJob = await client.createJobNote(note({ job_id: 999_999 })).catch((e: unknown) => e);
    expect(noJob).toBeInstanceOf(ValidationFailed);
    expect((noJob as ValidationFailed).messages.join(' ')).toMatch(/job_id/);
    expect(await collect(client.listJobNotes({ job_ids: [801] }))).toEqual([]);
  });

  it('does not write a note twice when the answer to the create is lost', async () => {
    const losing = losingFirstAnswer('POST', '/v3/job_notes');
    const created = await h.client({ fetch: losing }).createJobNote(note({ user_id: 301 }));
    expect(losing.lost()).toBe(true);
    expect(h.requests('POST /v3/job_notes')).toBe(1);
    expect((await collect(client.listJobNotes({ job_ids: [801] }))).map((n) => n.id)).toEqual([created.id]);
  });

  it('names the missing scope when the credential cannot create job notes', async () => {
    const error = await failureWithout('harvest:job_notes:create', () => client.createJobNote(note()));
    expect(error).toBeInstanceOf(Forbidden);
    expect((error as Forbidden).missingScope).toBe('harvest:job_notes:create');
  });
});

describe('a tenant without job notes (ASSUMED jobNotes: absent)', () => {
  beforeEach(() => h.freshTenant({ jobNotes: 'absent' }));

  it('listing is Unsupported, never an empty list', async () => {
    const error = await collect(client.listJobNotes({ job_ids: [801] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Unsupported);
    expect(error).toMatchObject({ system: 'greenhouse', capability: JOB_NOTES, operation: 'GET /v3/job_notes' });
  });

  it('creating is Unsupported, and nothing is retried', async () => {
    const error = await client.createJobNote(note()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Unsupported);
    expect(error).toMatchObject({ capability: JOB_NOTES });
    expect(h.requests('POST /v3/job_notes')).toBe(1);
  });
});


const PATCH = 'PATCH /v3/job_posts/:id';
const DRAFT = '<p>Draft from the bridge (fictional).</p>';


/** A post that is not live on job 801, as the client reads it. */
async function unpublishedPost(): Promise<JobPost> {
  const { id } = await h.admin<{ id: number }>('POST', '/job_posts', { job_id: 801, title: 'Platform Engineer', content: '<p>Old copy.</p>', live: false });
  const [post] = await collect(client.listJobPosts({ ids: [id] }));
  return post!;
}

describe('job post writes (jobPostWrites: not-live)', () => {
  beforeEach(() => h.freshTenant({ jobPostWrites: 'not-live' }));

  it('refuses a live post before sending anything', async () => {
    const [live] = await collect(client.listJobPosts({ ids: [871] }));
    expect(live?.live).toBe(true);
    const error = await client.updateJobPost(871, { content: DRAFT }, live!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobPostLive);
    expect(error).toMatchObject({ reason: 'live', operation: 'PATCH /v3/job_posts/871' });
    expect(h.requests(PATCH)).toBe(0);
    expect((await collect(client.listJobPosts({ ids: [871] })))[0]?.content).not.toBe(DRAFT);
  });

  it('refuses a post whose read did not say it is unpublished', async () => {
    const post = await unpublishedPost();
    const { live: _live, ...withoutLive } = post;
    const error = await client.updateJobPost(post.id, { content: DRAFT }, withoutLive as JobPost).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'JobPostLive', reason: 'live unknown' });
    expect(h.requests(PATCH)).toBe(0);
  });

  it('writes the content and title of a post that is not live, and returns it as read back', async () => {
    const post = await unpublishedPost();
    const updated = await client.updateJobPost(post.id, { content: DRAFT, title: 'Platform Engineer (Berlin)' }, post);
    expect(updated).toMatchObject({ id: post.id, content: DRAFT, title: 'Platform Engineer (Berlin)', live: false });
    expect(h.requests(PATCH)).toBe(1);
    expect((await collect(client.listJobPosts({ ids: [post.id] })))[0]?.content).toBe(DRAFT);
  });

  it('does not take a 2xx that changed nothing for a written post', async () => {
    const post = await unpublishedPost();
    // A tenant whose v3 body ignores `content`: 200, and the post as it was.
    const ignoring: typeof fetch = async (input, init) =>
      init?.method === 'PATCH' ? new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } }) : fetch(input, init);
    const error = await h.client({ fetch: ignoring }).updateJobPost(post.id, { content: DRAFT }, post).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionNotConfirmed);
    expect((error as ActionNotConfirmed).unconfirmed).toEqual(['content']);
  });

  it('surfaces the server refusing a post that went live after the read', async () => {
    const post = await unpublishedPost();
    await h.admin('PATCH', `/job_posts/${post.id}`, { live: true });
    const error = await client.updateJobPost(post.id, { content: DRAFT }, post).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).messages.join(' ')).toMatch(/live/);
    expect((await collect(client.listJobPosts({ ids: [post.id] })))[0]?.content).toBe('<p>Old copy.</p>');
  });

  it('surfaces a refused body as ValidationFailed', async () => {
    const post = await unpublishedPost();
    const error = await client.updateJobPost(post.id, { content: '' }, post).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).messages.join(' ')).toMatch(/content/);
  });

  it('names the missing scope when the credential cannot update job posts', async () => {
    const post = await unpublishedPost();
    const error = await failureWithout('harvest:job_posts:update', () => client.updateJobPost(post.id, { content: DRAFT }, post));
    expect(error).toBeInstanceOf(Forbidden);
    expect((error as Forbidden).missingScope).toBe('harvest:job_posts:update');
  });
});

describe('a tenant that takes no job post writes (ASSUMED jobPostWrites: read-only)', () => {
  beforeEach(() => h.freshTenant({ jobPostWrites: 'read-only' }));

  it('is Unsupported for a post that still lists, and the post is unchanged', async () => {
    const post = await unpublishedPost();
    const error = await client.updateJobPost(post.id, { content: DRAFT }, post).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Unsupported);
    expect(error).toMatchObject({ capability: JOB_POST_CONTENT });
    expect((await collect(client.listJobPosts({ ids: [post.id] })))[0]?.content).toBe('<p>Old copy.</p>');
  });

  it('stays NotFound for a post deleted since the read', async () => {
    const post = await unpublishedPost();
    await h.admin('DELETE', `/job_posts/${post.id}`);
    const error = await client.updateJobPost(post.id, { content: DRAFT }, post).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'NotFound', status: 404 });
  });
});
