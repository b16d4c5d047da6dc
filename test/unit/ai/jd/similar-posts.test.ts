import { describe, expect, it } from 'vitest';
import { MAX_CANDIDATE_POSTS, findSimilarPosts } from '#core/ai/jd/similar-posts';
import { payRangeOf, requiredJurisdictions } from '#core/ai/jd/pay-range';
import { offlineEmbedder } from '#core/ai/rediscovery/offline-embedder';
import type { Embedder } from '#core/ai/rediscovery/ports';
import type { JobPost } from '#core/greenhouse/records';
import { BACKEND_POST_HTML, NURSE_POST_HTML } from './support.ts';

const post = (id: number, jobId: number, title: string, content: string): JobPost => ({ id, job_id: jobId, title, live: false, content });
const greenhouseOf = (posts: JobPost[]) => ({
  async *listJobPosts() {
    yield* posts;
  },
});
const job = { id: 701, name: 'Senior Backend Engineer', department: 'Platform Engineering' };

describe('findSimilarPosts', () => {
  const posts = [
    post(801, 701, 'Senior Backend Engineer', BACKEND_POST_HTML),
    post(901, 702, 'Backend Engineer', BACKEND_POST_HTML),
    post(905, 706, 'Backend Engineer', BACKEND_POST_HTML),
    post(902, 703, 'Registered Nurse', NURSE_POST_HTML),
    post(903, 704, 'Platform Engineer', '<h3>Requirements</h3><ul><li>Terraform and Kubernetes</li></ul>'),
    post(904, 705, 'Backend Engineer (draft)', ''),
  ];

  it('ranks other jobs\' posts by similarity to the job, leaving out its own, empty and repeated posts and unrelated ones', async () => {
    const found = await findSimilarPosts(job, 3, { greenhouse: greenhouseOf(posts), embedder: offlineEmbedder });
    // 905 repeats 901 word for word (one job on two boards); the nurse post shares no word with the job.
    expect(found.map((p) => p.id).sort()).toEqual([901, 903]);
    expect(found[0]!.score).toBeGreaterThanOrEqual(found[1]!.score);
    expect(found.find((p) => p.id === 901)!.sections.find((s) => s.heading === 'Requirements')!.items).toContain('Production experience with PostgreSQL');
  });

  it('keeps the best k', async () => {
    const [best] = await findSimilarPosts(job, 3, { greenhouse: greenhouseOf(posts), embedder: offlineEmbedder });
    expect(await findSimilarPosts(job, 1, { greenhouse: greenhouseOf(posts), embedder: offlineEmbedder })).toEqual([best]);
  });

  it('reads and embeds nothing when k is 0, and at most MAX_CANDIDATE_POSTS posts otherwise', async () => {
    const embedded: number[] = [];
    const counting: Embedder = { provenance: offlineEmbedder.provenance, embed: async (texts, purpose) => (embedded.push(texts.length), offlineEmbedder.embed(texts, purpose)) };
    const many = Array.from({ length: MAX_CANDIDATE_POSTS + 20 }, (_, i) => post(2000 + i, 3000 + i, `Backend Engineer ${i}`, `<p>Backend services number ${i}.</p>`));
    expect(await findSimilarPosts(job, 0, { greenhouse: greenhouseOf(many), embedder: counting })).toEqual([]);
    expect(embedded).toEqual([]);
    let read = 0;
    const counted = { async *listJobPosts() { for (const p of many) { read++; yield p; } } };
    await findSimilarPosts(job, 3, { greenhouse: counted, embedder: counting });
    expect(embedded).toEqual([1, MAX_CANDIDATE_POSTS]);
    expect(read).toBe(MAX_CANDIDATE_POSTS);
  });
});

describe('pay-range rules and values', () => {
  const offices = [{ id: 21, name: 'Denver, CO' }, { id: 22, name: 'Lisbon' }];
  it('require a range where an office matches a required rule by id or by part of its name, each jurisdiction once', () => {
    expect(
      requiredJurisdictions(
        [
          { match: { officeNames: ['denver'] }, jurisdiction: 'Colorado', required: true },
          { match: { officeIds: [21] }, jurisdiction: 'Colorado', required: true },
          { match: { officeIds: [22] }, jurisdiction: 'Portugal', required: false },
          { match: { officeNames: ['New York'] }, jurisdiction: 'New York', required: true },
        ],
        offices,
      ),
    ).toEqual(['Colorado']);
  });

  it('read Greenhouse\'s currency range in either spelling, and nothing from an empty, partial or upside-down one', () => {
    expect(payRangeOf({ min_value: '140000', max_value: 175000, unit: 'usd' })).toEqual({ min: 140000, max: 175000, currency: 'USD' });
    expect(payRangeOf({ min_amount: 50, max_amount: 60, currency_code: 'EUR' })).toEqual({ min: 50, max: 60, currency: 'EUR' });
    for (const bad of [null, 'USD 1-2', { min_value: '', max_value: '2', unit: 'USD' }, { min_value: 3, max_value: 2, unit: 'USD' }, { min_value: 1, max_value: 2 }, { min_value: 1, max_value: 2, unit: 'dollars' }]) {
      expect(payRangeOf(bad)).toBeUndefined();
    }
  });
});
