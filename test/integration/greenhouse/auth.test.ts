import { afterEach, describe, expect, it } from 'vitest';
import { collect } from '#adapters/greenhouse/client';
import { clearGreenhouseTokenCache } from '#adapters/greenhouse/token-cache';
import { Forbidden, Unauthorized } from '#core/api-errors';
import { startHarness, type Harness } from './support.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const TOKEN = 'POST /token';

describe('OAuth client credentials against the simulator', () => {
  it('mints once and reuses the token for later calls', async () => {
    h = await startHarness();
    const client = h.client();
    await collect(client.listJobs());
    await collect(client.listUsers());
    await collect(client.listSources());
    expect(h.requests(TOKEN)).toBe(1);
  });

  it('mints a single token for 20 concurrent first calls (single flight)', async () => {
    h = await startHarness();
    const client = h.client();
    await Promise.all(Array.from({ length: 20 }, () => collect(client.listJobs())));
    expect(h.requests(TOKEN)).toBe(1);
    expect(h.requests('GET /v3/jobs')).toBe(20);
  });

  it('shares the cache across client instances of one credential (module scope)', async () => {
    h = await startHarness();
    await collect(h.client().listJobs());
    await collect(h.client().listJobs());
    expect(h.requests(TOKEN)).toBe(1);
  });

  it.each(['expires_at', 'expires_in'] as const)('refreshes 60 s before expiry when the token answer says %s', async (expiryField) => {
    h = await startHarness({ token: { expiryField, lifetimeSeconds: 3600 } });
    const client = h.client();
    await collect(client.listJobs());
    h.clock.advance(3600_000 - 61_000);
    await collect(client.listJobs());
    expect(h.requests(TOKEN)).toBe(1);
    h.clock.advance(2_000);
    await collect(client.listJobs());
    expect(h.requests(TOKEN)).toBe(2);
  });

  it('on a 401 drops the token, mints once and retries the call once', async () => {
    h = await startHarness();
    const client = h.client();
    await collect(client.listJobs());
    await h.admin('POST', '/tokens/revoke');
    await h.admin('DELETE', '/requests');
    const jobs = await collect(client.listJobs());
    expect(jobs.length).toBe(3);
    expect(h.requests(TOKEN)).toBe(1);
    expect(h.requests('GET /v3/jobs')).toBe(2);
  });

  it('after a token expired on the server side, 20 concurrent calls cause one new mint', async () => {
    h = await startHarness();
    const client = h.client();
    await collect(client.listJobs());
    await h.admin('POST', '/tokens/revoke');
    await h.admin('DELETE', '/requests');
    await Promise.all(Array.from({ length: 20 }, () => collect(client.listJobs())));
    expect(h.requests(TOKEN)).toBe(1);
  });

  it('gives up with Unauthorized when the credential is wrong', async () => {
    h = await startHarness();
    const client = h.client({ credentials: async () => ({ clientId: 'sim-client-1', clientSecret: 'wrong' }) });
    await expect(collect(client.listJobs())).rejects.toBeInstanceOf(Unauthorized);
    // Once, then once more after re-reading the credential (a rotated secret), then it stops.
    expect(h.requests(TOKEN)).toBe(2);
  });

  it('re-reads the credential after the token endpoint rejects it (secret rotation)', async () => {
    h = await startHarness();
    let secret = 'stale-secret';
    const client = h.client({
      credentials: async () => {
        const current = { clientId: 'sim-client-1', clientSecret: secret };
        secret = 'sim-client-secret';
        return current;
      },
    });
    expect((await collect(client.listJobs())).length).toBe(3);
  });

  it('sends sub and keeps a separate token per acting user', async () => {
    h = await startHarness();
    await collect(h.client({ sub: 301 }).listJobs());
    await collect(h.client().listJobs());
    expect(h.requests(TOKEN)).toBe(2);
  });

  it('answers 403 on lists when sub is not a Site Admin', async () => {
    h = await startHarness();
    const recruiter = h.client({ sub: 302 });
    await expect(collect(recruiter.listJobs())).rejects.toBeInstanceOf(Forbidden);
  });

  it('keeps working after the module cache is cleared (cold start)', async () => {
    h = await startHarness();
    await collect(h.client().listJobs());
    clearGreenhouseTokenCache();
    await collect(h.client().listJobs());
    expect(h.requests(TOKEN)).toBe(2);
  });
});
