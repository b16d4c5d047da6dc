import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect } from '#adapters/greenhouse/client';
import { ForeignNextLink } from '#adapters/greenhouse/errors';
import { between } from '#core/greenhouse/time-window';
import { parseNextLink } from '#adapters/greenhouse/link-header';
import { ValidationFailed } from '#core/api-errors';
import { CURSOR_WITH_PARAMS_MESSAGE } from '#local/simulators/greenhouse/pagination';
import { startHarness, type Harness } from './support.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.admin('POST', '/generate/candidates', { count: 1234 });
});
afterAll(() => h.close());

describe('Harvest v3 cursor pagination', () => {
  it('reads 1,234 candidates in 13 pages of 100, newest id first, each once', async () => {
    const client = h.client({ perPage: 100 });
    await h.admin('DELETE', '/requests');
    const pages: number[] = [];
    const ids: number[] = [];
    for await (const page of client.pages('candidates')) {
      pages.push(page.length);
      ids.push(...page.map((c) => c.id));
    }
    // 1,234 generated + 5 in the default scenario.
    expect(pages).toEqual([...Array(12).fill(100), 39]);
    expect(new Set(ids).size).toBe(1239);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(h.requests('GET /v3/candidates')).toBe(13);
  });

  it('follows the next link verbatim; the same link with any parameter added is a 422', async () => {
    const client = h.client({ perPage: 100 });
    const token = await tokenFor(h);
    const first = await fetch(`${h.sim.url}/v3/candidates?per_page=100`, { headers: { authorization: `Bearer ${token}` } });
    const next = parseNextLink(first.headers.get('link'));
    expect(next).toMatch(/\?cursor=[A-Za-z0-9_-]+$/);

    const trap = await fetch(`${next}&per_page=100`, { headers: { authorization: `Bearer ${token}` } });
    expect(trap.status).toBe(422);
    expect(await trap.json()).toEqual({ message: 'Unprocessable Content', errors: [CURSOR_WITH_PARAMS_MESSAGE] });

    // The client's own crawl never trips it (the previous test read every page).
    expect((await collect(client.listCandidates({ private: true }))).length).toBe(1239);
  });

  it('refuses a next link on a foreign host instead of sending it the token', async () => {
    await h.admin('PUT', '/settings', { linkOrigin: 'https://harvest.evil.example' });
    try {
      const client = h.client({ perPage: 100 });
      const seen: number[] = [];
      const crawl = async () => {
        for await (const page of client.pages('candidates')) seen.push(page.length);
      };
      await expect(crawl()).rejects.toBeInstanceOf(ForeignNextLink);
      expect(seen).toEqual([100]);
    } finally {
      await h.admin('PUT', '/settings', { linkOrigin: null });
    }
  });

  it('splits more than 50 ids into batches of 50', async () => {
    const client = h.client();
    const all = await collect(client.listCandidates());
    const wanted = all.slice(0, 120).map((c) => c.id);
    await h.admin('DELETE', '/requests');
    const found = await client.byIds('candidates', wanted);
    expect(found.map((c) => c.id).sort()).toEqual([...wanted].sort());
    expect(h.requests('GET /v3/candidates')).toBe(3);
  });

  it('answers 422 to more than 50 ids in one request (what the batching avoids)', async () => {
    const token = await tokenFor(h);
    const ids = Array.from({ length: 51 }, (_, i) => i + 1).join(',');
    const response = await fetch(`${h.sim.url}/v3/candidates?ids=${ids}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(422);
  });

  it('reads a two-sided updated_at window', async () => {
    const client = h.client();
    const all = await collect(client.listCandidates());
    const times = all.map((c) => Date.parse(c.updated_at!)).sort((a, b) => a - b);
    const from = times[100]!;
    const to = times[199]!;
    const inWindow = await collect(client.listCandidates({ updated_at: between(from, to) }));
    expect(inWindow.length).toBe(times.filter((t) => t >= from && t <= to).length);
    expect(inWindow.every((c) => Date.parse(c.updated_at!) >= from && Date.parse(c.updated_at!) <= to)).toBe(true);
  });

  it('rejects per_page over 500 with 422, and the client never sends more than 500', async () => {
    const token = await tokenFor(h);
    const response = await fetch(`${h.sim.url}/v3/candidates?per_page=600`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ message: 'Unprocessable Content', errors: [{ per_page: '`600` number is greater than: 500' }] });

    await h.admin('DELETE', '/requests');
    const client = h.client({ perPage: 10_000 });
    expect((await collect(client.listCandidates())).length).toBe(1239);
    expect(h.requests('GET /v3/candidates')).toBe(3);
  });

  it('surfaces the status vocabulary trap as ValidationFailed', async () => {
    const client = h.client();
    await expect(collect(client.list('applications', { status: 'in_process' }))).rejects.toBeInstanceOf(ValidationFailed);
  });
});

async function tokenFor(harness: Harness): Promise<string> {
  const response = await fetch(`${harness.sim.url}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from('sim-client-1:sim-client-secret').toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  return ((await response.json()) as { access_token: string }).access_token;
}
