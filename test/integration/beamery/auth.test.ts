import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Unauthorized } from '#core/api-errors';
import type { BeamerySimulator } from '#local/simulators/beamery/server';
import { readScenarioFile } from '#local/simulators/beamery/scenario';
import { DEFAULT_BEAMERY_SCENARIO_PATH } from '#local/simulators/beamery/paths';
import type { SimClock } from '#local/simulators/shared/clock';
import { calls, clientFor, CREDENTIALS, resetSimulator, startSimulator } from './harness.ts';

const AVERY = '0b7e1c9a-0000-4000-8000-000000000001';
const TOKEN = 'POST /v1/oauth/token';

describe('Beamery token exchange against the simulator', () => {
  let sim: BeamerySimulator;

  beforeAll(async () => {
    sim = await startSimulator({ scenario: await readScenarioFile(DEFAULT_BEAMERY_SCENARIO_PATH), settings: { tokenLifetimeSeconds: 600 } });
  });
  afterAll(() => sim.close());
  beforeEach(() => resetSimulator(sim));

  it('mints one token for ten concurrent first calls (single flight)', async () => {
    const client = clientFor(sim);
    await Promise.all(Array.from({ length: 10 }, () => client.getContact(AVERY)));
    expect(calls(sim, TOKEN)).toBe(1);
    expect(calls(sim, 'GET /v1/contact/:id', 200)).toBe(10);
  });

  it('shares the token between clients of one tenant in the same container (module scope)', async () => {
    await clientFor(sim).getContact(AVERY);
    await clientFor(sim).getContact(AVERY);
    expect(calls(sim, TOKEN)).toBe(1);
  });

  it('sends the JSON {clientId, clientSecret} body and a Bearer header', async () => {
    const seen: { url: string; authorization: string | null; body: unknown }[] = [];
    const client = clientFor(sim, {
      fetch: async (input, init) => {
        const headers = new Headers(init?.headers);
        seen.push({ url: String(input), authorization: headers.get('authorization'), body: init?.body ? JSON.parse(String(init.body)) : undefined });
        return fetch(input, init);
      },
    });
    await client.getContact(AVERY);
    expect(seen[0]).toEqual({ url: `${sim.url}/oauth/token`, authorization: null, body: CREDENTIALS });
    expect(seen[1]!.authorization).toMatch(/^Bearer \S+$/);
  });

  it('renews the token before expires_in runs out, without a 401', async () => {
    const client = clientFor(sim);
    await client.getContact(AVERY);
    // 600 s lifetime, renewed a minute early: at 545 s the cached one is still used, at 541+60 a new one is minted.
    (sim.clock as SimClock).advance(500_000);
    await client.getContact(AVERY);
    expect(calls(sim, TOKEN)).toBe(1);
    (sim.clock as SimClock).advance(50_000);
    await client.getContact(AVERY);
    expect(calls(sim, TOKEN)).toBe(2);
    expect(calls(sim, 'GET /v1/contact/:id', 401)).toBe(0);
  });

  it('drops a token the API refuses, mints a new one once and retries the call once', async () => {
    const client = clientFor(sim);
    await client.getContact(AVERY);
    sim.tokens.revokeAll();
    expect((await client.getContact(AVERY))?.id).toBe(AVERY);
    expect(calls(sim, TOKEN)).toBe(2);
    expect(calls(sim, 'GET /v1/contact/:id', 401)).toBe(1);
  });

  it('re-mints once for many concurrent calls refused with the same expired token', async () => {
    const client = clientFor(sim);
    await client.getContact(AVERY);
    sim.tokens.revokeAll();
    await Promise.all(Array.from({ length: 8 }, () => client.getContact(AVERY)));
    expect(calls(sim, TOKEN)).toBe(2);
  });

  it('fails with Unauthorized when the credentials are wrong, and does not loop', async () => {
    const client = clientFor(sim, { credentials: async () => ({ clientId: CREDENTIALS.clientId, clientSecret: 'wrong' }) });
    const error = await client.getContact(AVERY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Unauthorized);
    expect((error as Error).message).not.toContain('wrong');
    // The token call itself is not retried on a 401; the call that needed the token retries once, with
    // the credentials read afresh (a rotated secret): two refused mints, then the error.
    expect(calls(sim, TOKEN, 401)).toBe(2);
    expect(calls(sim, 'GET /v1/contact/:id')).toBe(0);
  });

  it('picks up rotated credentials after a 401', async () => {
    let secret: string = CREDENTIALS.clientSecret;
    const client = clientFor(sim, { credentials: async () => ({ clientId: CREDENTIALS.clientId, clientSecret: secret }) });
    await client.getContact(AVERY);
    sim.settings.update({ credentials: { clientSecret: 'rotated' } });
    sim.tokens.revokeAll();
    secret = 'rotated';
    expect((await client.getContact(AVERY))?.id).toBe(AVERY);
  });
});
