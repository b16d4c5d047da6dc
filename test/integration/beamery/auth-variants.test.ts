import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CapabilityBroken, tryBeameryAuth } from '#adapters/beamery/client';
import type { BeamerySimulator } from '#local/simulators/beamery/server';
import { readScenarioFile } from '#local/simulators/beamery/scenario';
import { DEFAULT_BEAMERY_SCENARIO_PATH } from '#local/simulators/beamery/paths';
import { calls, clientFor, CREDENTIALS, resetSimulator, startSimulator } from './harness.ts';

/**
 * Beamery's official Swagger shows `GET /v1/auth` with Basic `username:password` (MED, S1 older
 * render), the newer docs and real code `POST /v1/oauth/token` (HIGH). The simulator serves one, the
 * other or both (`auth`); the client mints with the configured variant only, and a variant the tenant
 * does not serve fails as CapabilityBroken naming the setting, never as "gone".
 */

const AVERY = '0b7e1c9a-0000-4000-8000-000000000001';
const BASIC = { username: CREDENTIALS.clientId, password: CREDENTIALS.clientSecret };
const OAUTH_MINT = 'POST /v1/oauth/token';
const BASIC_MINT = 'GET /v1/auth';

describe('Beamery auth variants against the simulator', () => {
  let sim: BeamerySimulator;

  beforeAll(async () => {
    sim = await startSimulator({ scenario: await readScenarioFile(DEFAULT_BEAMERY_SCENARIO_PATH) });
  });
  afterAll(() => sim.close());
  beforeEach(() => resetSimulator(sim));

  it('today\'s oauth client fails as CapabilityBroken (not as a missing contact) on a tenant that serves only GET /v1/auth', async () => {
    sim.settings.update({ auth: 'basic' });
    const error = await clientFor(sim).getContact(AVERY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CapabilityBroken);
    expect((error as CapabilityBroken).capability).toBe('auth');
    expect((error as Error).message).toContain('BEAMERY_AUTH');
    expect(calls(sim, OAUTH_MINT, 404)).toBeGreaterThan(0);
    // No contact read was attempted, so nothing could conclude "gone".
    expect(calls(sim, 'GET /v1/contact/:id')).toBe(0);
    expect(calls(sim, 'GET /v1/contacts')).toBe(0);
  });

  it('a basic client logs in with GET /v1/auth and Basic username:password, then sends the token as Bearer', async () => {
    sim.settings.update({ auth: 'basic' });
    const seen: { url: string; method: string; authorization: string | null }[] = [];
    const client = clientFor(sim, {
      auth: 'basic',
      credentials: async () => BASIC,
      fetch: async (input, init) => {
        seen.push({ url: String(input), method: init?.method ?? 'GET', authorization: new Headers(init?.headers).get('authorization') });
        return fetch(input, init);
      },
    });
    expect((await client.getContact(AVERY))?.id).toBe(AVERY);
    expect(seen[0]).toEqual({ url: `${sim.url}/auth`, method: 'GET', authorization: `Basic ${Buffer.from(`${BASIC.username}:${BASIC.password}`).toString('base64')}` });
    expect(seen[1]!.authorization).toMatch(/^Bearer \S+$/);
    expect(calls(sim, BASIC_MINT, 200)).toBe(1);
    expect(calls(sim, OAUTH_MINT)).toBe(0);
  });

  it('a basic client also takes the {clientId, clientSecret} secret (clientId as the username)', async () => {
    sim.settings.update({ auth: 'basic' });
    expect((await clientFor(sim, { auth: 'basic' }).getContact(AVERY))?.id).toBe(AVERY);
  });

  it('a basic client fails as CapabilityBroken on a tenant that serves only the oauth token call', async () => {
    const error = await clientFor(sim, { auth: 'basic', credentials: async () => BASIC }).getContact(AVERY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CapabilityBroken);
    expect((error as Error).message).toContain('GET /v1/auth');
    expect(calls(sim, 'GET /v1/contact/:id')).toBe(0);
  });

  it('both variants work on a tenant that serves both', async () => {
    sim.settings.update({ auth: 'both' });
    expect((await clientFor(sim).getContact(AVERY))?.id).toBe(AVERY);
    expect((await clientFor(sim, { auth: 'basic', credentials: async () => BASIC }).getContact(AVERY))?.id).toBe(AVERY);
  });

  it('an oauth client refuses a {username, password} secret with a message naming the shape, not the values', async () => {
    const error = await clientFor(sim, { credentials: async () => BASIC }).getContact(AVERY).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/clientId/);
    expect((error as Error).message).not.toContain(BASIC.password);
    expect(calls(sim, OAUTH_MINT)).toBe(0);
  });

  describe('tryBeameryAuth (for bridge doctor): one uncached attempt, status and evidence', () => {
    it.each([
      ['oauth', 'oauth', 'ok'],
      ['oauth', 'basic', 'fail'],
      ['basic', 'oauth', 'fail'],
      ['basic', 'basic', 'ok'],
      ['both', 'oauth', 'ok'],
      ['both', 'basic', 'ok'],
    ] as const)('simulator %s, variant %s → %s', async (served, variant, status) => {
      sim.settings.update({ auth: served });
      const result = await tryBeameryAuth(variant, sim.url, variant === 'basic' ? BASIC : CREDENTIALS, fetch);
      expect(result.status).toBe(status);
      expect(result.evidence).toContain(variant === 'basic' ? 'GET /v1/auth' : 'POST /v1/oauth/token');
      expect(result.evidence).toMatch(status === 'ok' ? /→ 200/ : /→ 404/);
    });

    it('hands back the Authorization header of an ok attempt (kept out of the evidence), and the API takes it', async () => {
      sim.settings.update({ auth: 'basic' });
      const result = await tryBeameryAuth('basic', sim.url, BASIC, fetch);
      expect(result.authorization).toMatch(/^Bearer \S+$/);
      expect(result.evidence).not.toContain(result.authorization!.slice('Bearer '.length));
      expect((await fetch(`${sim.url}/users`, { headers: { authorization: result.authorization! } })).status).toBe(200);
    });

    it('reports refused credentials as fail with the status, never the secret or the token', async () => {
      const result = await tryBeameryAuth('oauth', sim.url, { clientId: CREDENTIALS.clientId, clientSecret: 'not-the-secret' }, fetch);
      expect(result).toMatchObject({ status: 'fail' });
      expect(result.evidence).toMatch(/→ 401/);
      expect(result.evidence).not.toContain('not-the-secret');
    });

    it('caches nothing: each attempt mints', async () => {
      await tryBeameryAuth('oauth', sim.url, CREDENTIALS, fetch);
      await tryBeameryAuth('oauth', sim.url, CREDENTIALS, fetch);
      expect(calls(sim, OAUTH_MINT, 200)).toBe(2);
    });

    it('says unknown (not fail) when the host cannot be reached', async () => {
      const result = await tryBeameryAuth('oauth', 'http://127.0.0.1:9/v1', CREDENTIALS, fetch);
      expect(result.status).toBe('unknown');
    });
  });
});
