import { afterEach, describe, expect, it } from 'vitest';
import { basicAuthorization, clearGreenhouseTokenCache, TokenSource } from '#adapters/greenhouse/token-cache';
import { systemClock } from '#adapters/system-clock';

/** What `bridge doctor` learns from a token reply, and the two Basic encodings. */
afterEach(() => clearGreenhouseTokenCache());

const sourceAnswering = (reply: object) =>
  new TokenSource({
    tokenUrl: 'https://auth.greenhouse.example/token',
    credentials: async () => ({ clientId: 'id', clientSecret: 'secret' }),
    clock: systemClock,
    fetch: async () => new Response(JSON.stringify(reply), { status: 200, headers: { 'content-type': 'application/json' } }),
  });

describe('token reply', () => {
  it('exposes the granted scopes when the reply names them', async () => {
    const minted = await sourceAnswering({ access_token: 't1', expires_in: 3600, scope: 'harvest:jobs:list  harvest:candidates:list' }).current();
    expect(minted).toMatchObject({ accessToken: 't1', scopes: ['harvest:jobs:list', 'harvest:candidates:list'], basicAuth: 'raw' });
  });

  it('leaves scopes out when the reply has none', async () => {
    expect(await sourceAnswering({ access_token: 't2' }).current()).not.toHaveProperty('scopes');
  });
});

describe('Basic client credentials', () => {
  const decoded = (header: string) => Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8');

  it('raw keeps reserved characters as they are', () => {
    expect(decoded(basicAuthorization({ clientId: 'id', clientSecret: 'a+b/c=d%e:f' }, 'raw'))).toBe('id:a+b/c=d%e:f');
  });

  it('form-urlencoded escapes them as RFC 6749 §2.3.1 asks (a space as +)', () => {
    expect(decoded(basicAuthorization({ clientId: 'my id', clientSecret: 'a+b/c=d%e:f' }, 'form-urlencoded'))).toBe('my+id:a%2Bb%2Fc%3Dd%25e%3Af');
  });
});
