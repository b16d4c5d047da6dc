import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Forbidden, NetworkError, NotFound, RateLimited, ServerError, ValidationFailed, WriteOutcomeUnknown } from '#core/api-errors';
import { BeameryResponseInvalid } from '#adapters/beamery/client';
import { DEFAULT_RETRY } from '#adapters/http/api-client';
import type { BeamerySimulator } from '#local/simulators/beamery/server';
import { readScenarioFile } from '#local/simulators/beamery/scenario';
import { DEFAULT_BEAMERY_SCENARIO_PATH } from '#local/simulators/beamery/paths';
import { calls, clientFor, resetSimulator, startSimulator } from './harness.ts';

const AVERY = '0b7e1c9a-0000-4000-8000-000000000001';
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e);

describe('Beamery typed errors against the simulator', () => {
  let sim: BeamerySimulator;

  beforeAll(async () => {
    sim = await startSimulator({ scenario: await readScenarioFile(DEFAULT_BEAMERY_SCENARIO_PATH) });
  });
  afterAll(() => sim.close());
  beforeEach(() => resetSimulator(sim));

  it('a 429 becomes RateLimited, retried after x-ratelimit-reset (Beamery sends no Retry-After)', async () => {
    const client = clientFor(sim);
    await client.getContact(AVERY);
    sim.overrides.add({ method: 'GET', path: '/v1/contact/:id', status: 429, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '7' } });
    const error = (await failure(client.getContact(AVERY))) as RateLimited;
    expect(error).toBeInstanceOf(RateLimited);
    expect(error.retryAfterSeconds).toBe(7);
    expect(error.source).toBe('server');
    // Not slept on or retried: the consumer hands the message back to its queue.
    expect(calls(sim, 'GET /v1/contact/:id', 429)).toBe(1);
  });

  it('the simulated tenant limit answers 429 once its window is spent', async () => {
    const client = clientFor(sim);
    await client.getContact(AVERY);
    sim.settings.update({ rateLimit: { perSecond: 3 } });
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => client.getContact(AVERY)));
    const limited = results.flatMap((r) => (r.status === 'rejected' && r.reason instanceof RateLimited ? [r.reason] : []));
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.every((e) => e.retryAfterSeconds === 1)).toBe(true);
  });

  it('a 403 becomes Forbidden', async () => {
    sim.overrides.add({ path: '/v1/contacts', status: 403 });
    expect(await failure(clientFor(sim).findContactsByEmail('someone@example.com'))).toBeInstanceOf(Forbidden);
  });

  it('a 404 on an update becomes NotFound (and on a read, null)', async () => {
    const client = clientFor(sim);
    expect(await failure(client.updateContact('missing', { lastName: 'X' }))).toBeInstanceOf(NotFound);
    expect(await client.getContact('missing')).toBeNull();
  });

  it('a 422 becomes ValidationFailed carrying Beamery\'s message', async () => {
    const error = (await failure(clientFor(sim).createContact({ firstName: 'Only' }))) as ValidationFailed;
    expect(error).toBeInstanceOf(ValidationFailed);
    expect(error.status).toBe(422);
    expect(error.messages).toEqual(['firstName and lastName are required']);
  });

  it('error messages that echo an email address or a phone number are redacted', async () => {
    sim.overrides.add({ method: 'PATCH', path: '/v1/contact/:id', status: 400, body: { code: 400, message: 'email avery.example@example.com or +351 210 000 001 is invalid' } });
    const error = (await failure(clientFor(sim).updateContact(AVERY, { lastName: 'X' }))) as ValidationFailed;
    expect(error.messages).toEqual(['email [email] or [number] is invalid']);
    expect(error.message).not.toContain('example.com');
  });

  it('5xx is retried a bounded number of times, then becomes ServerError', async () => {
    const client = clientFor(sim);
    await client.getContact(AVERY);
    sim.faults.update({ serverErrorRate: 1 });
    expect(await failure(client.getContact(AVERY))).toBeInstanceOf(ServerError);
    expect(calls(sim, 'GET /v1/contact/:id', 503)).toBe(DEFAULT_RETRY.attempts);
  });

  it('a dropped connection becomes NetworkError', async () => {
    const client = clientFor(sim);
    await client.getContact(AVERY);
    sim.faults.update({ dropRate: 1 });
    expect(await failure(client.getContact(AVERY))).toBeInstanceOf(NetworkError);
  });

  it('a 2xx of an unknown shape becomes BeameryResponseInvalid naming the fields, not the values', async () => {
    sim.overrides.add({ method: 'GET', path: '/v1/contacts', status: 200, body: { success: true, contacts: 'avery.example@example.com' } });
    const error = (await failure(clientFor(sim).findContactsByEmail('avery.example@example.com'))) as BeameryResponseInvalid;
    expect(error).toBeInstanceOf(BeameryResponseInvalid);
    expect(error.message).toContain('contacts');
    expect(error.message).not.toContain('example.com');
  });

  describe('creates that must not be repeated blindly', () => {
    const eli = { firstName: 'Eli', lastName: 'Example', primaryEmail: 'eli.example@example.com', greenhouseCandidateId: '60300777' };
    const elis = () => [...sim.state.contacts.values()].filter((c) => c.primaryEmail === eli.primaryEmail);

    it('when Beamery created the contact but the answer was lost, the contact is found by email, not created twice', async () => {
      sim.overrides.add({ method: 'POST', path: '/v1/contact', when: 'after', status: 503 });
      const { id } = await clientFor(sim).createContact(eli);
      expect(elis().map((c) => c.id)).toEqual([id]);
      expect(calls(sim, 'POST /v1/contact')).toBe(1);
      expect(calls(sim, 'GET /v1/contacts')).toBe(1);
    });

    it('when the create did not happen, it is searched for and then repeated once', async () => {
      sim.overrides.add({ method: 'POST', path: '/v1/contact', when: 'before', status: 502 });
      const { id } = await clientFor(sim).createContact(eli);
      expect(elis().map((c) => c.id)).toEqual([id]);
      expect(calls(sim, 'POST /v1/contact')).toBe(2);
    });

    it('an older contact with the same email is not mistaken for the one just created', async () => {
      const client = clientFor(sim);
      // Blake has this address; the create fails before Beamery acts.
      sim.overrides.add({ method: 'POST', path: '/v1/contact', when: 'before', status: 503 });
      const { id } = await client.createContact({ firstName: 'Other', lastName: 'Person', primaryEmail: 'blake.placeholder@example.com' });
      expect(id).not.toBe('0b7e1c9a-0000-4000-8000-000000000002');
    });

    it('without an email, the contact carrying our Greenhouse id among those updated since the attempt is ours, not created twice', async () => {
      const noEmail = { firstName: 'No', lastName: 'Email', greenhouseCandidateId: '60300888' };
      const carrying = () => [...sim.state.contacts.values()].filter((c) => JSON.stringify(c).includes('60300888'));
      sim.overrides.add({ method: 'POST', path: '/v1/contact', when: 'after', status: 503 });
      const { id } = await clientFor(sim).createContact(noEmail);
      expect(carrying().map((c) => c.id)).toEqual([id]);
      expect(calls(sim, 'POST /v1/contact')).toBe(1);
      // And when the create did not happen, nothing carries the id: it is repeated once.
      sim.overrides.add({ method: 'POST', path: '/v1/contact', when: 'before', status: 502 });
      const again = await clientFor(sim).createContact({ ...noEmail, greenhouseCandidateId: '60300999' });
      expect([...sim.state.contacts.values()].filter((c) => JSON.stringify(c).includes('60300999')).map((c) => c.id)).toEqual([again.id]);
      expect(calls(sim, 'POST /v1/contact')).toBe(3);
    });

    it('with neither an email nor a Greenhouse id to search by, an ambiguous failure is WriteOutcomeUnknown and not repeated', async () => {
      sim.overrides.add({ method: 'POST', path: '/v1/contact', when: 'after', status: 503 });
      expect(await failure(clientFor(sim).createContact({ firstName: 'No', lastName: 'Email' }))).toBeInstanceOf(WriteOutcomeUnknown);
      expect(calls(sim, 'POST /v1/contact')).toBe(1);
    });

    it('a vacancy create is checked by its Greenhouse job id', async () => {
      sim.overrides.add({ method: 'POST', path: '/v1/vacancy', when: 'after', status: 504 });
      const { id } = await clientFor(sim).createVacancy({ title: 'Data Engineer', greenhouseJobId: '4004002' });
      expect([...sim.state.vacancies.values()].filter((v) => v.title === 'Data Engineer').map((v) => v.id)).toEqual([id]);
      sim.overrides.add({ method: 'POST', path: '/v1/vacancy', when: 'after', status: 504 });
      expect(await failure(clientFor(sim).createVacancy({ title: 'No job id' }))).toBeInstanceOf(WriteOutcomeUnknown);
    });
  });
});
