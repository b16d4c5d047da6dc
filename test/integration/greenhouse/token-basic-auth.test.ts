import { afterEach, describe, expect, it } from 'vitest';
import { collect } from '#adapters/greenhouse/client';
import { TokenSource } from '#adapters/greenhouse/token-cache';
import { Unauthorized } from '#core/api-errors';
import { FAST_RETRY, startHarness, type Harness } from './support.ts';

/**
 * The token request sends the client id and secret raw in Basic auth, as the public clients do;
 * RFC 6749 §2.3.1 would form-urlencode them. Against both readings of the simulator (ASSUMED
 * `tokenBasicAuth`), with a secret whose two encodings differ.
 */
const CLIENT_ID = 'bridge-client';
const SECRET = 'a+b/c=d%e:f';
const TOKEN = 'POST /token';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const start = async (tokenBasicAuth: 'raw' | 'form-urlencoded') => {
  h = await startHarness({ credentials: [{ clientId: CLIENT_ID, clientSecret: SECRET }], apiContract: { tokenBasicAuth } });
  return h;
};
const credentials = async () => ({ clientId: CLIENT_ID, clientSecret: SECRET });

describe.each(['raw', 'form-urlencoded'] as const)('token Basic auth read as %s', (tokenBasicAuth) => {
  it('mints with a secret holding reserved characters, and says which encoding was accepted', async () => {
    const harness = await start(tokenBasicAuth);
    const source = new TokenSource({ tokenUrl: `${harness.sim.url}/token`, credentials, clock: harness.clock, retry: FAST_RETRY });
    const minted = await source.current();
    expect(minted.basicAuth).toBe(tokenBasicAuth);
    expect(minted.accessToken).toBe(await source.get());
    // Raw first; the other reading only after raw was refused (each refusal re-reads the credential once).
    expect(harness.requests(TOKEN)).toBe(tokenBasicAuth === 'raw' ? 1 : 3);
  });

  it('the client lists with that credential, and a later mint goes straight to the accepted encoding', async () => {
    const harness = await start(tokenBasicAuth);
    const client = harness.client({ credentials });
    expect((await collect(client.listJobs())).length).toBeGreaterThan(0);
    await harness.admin('POST', '/tokens/revoke');
    await harness.admin('DELETE', '/requests');
    await collect(client.listJobs());
    expect(harness.requests(TOKEN)).toBe(1);
  });
});

describe('token Basic auth', () => {
  it('sends the credential raw first: a raw reading accepts it at once', async () => {
    const harness = await start('raw');
    const seen: string[] = [];
    const client = harness.client({
      credentials,
      fetch: async (input, init) => {
        if (String(input).endsWith('/token')) seen.push(new Headers(init?.headers).get('authorization') ?? '');
        return fetch(input, init);
      },
    });
    await collect(client.listJobs());
    expect(seen).toEqual([`Basic ${Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64')}`]);
  });

  it('a wrong secret is still refused under either reading', async () => {
    const harness = await start('form-urlencoded');
    const client = harness.client({ credentials: async () => ({ clientId: CLIENT_ID, clientSecret: 'a+b/c=d%e:wrong' }) });
    await expect(collect(client.listJobs())).rejects.toBeInstanceOf(Unauthorized);
    expect(harness.requests(TOKEN)).toBe(4);
  });
});
