import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NotFound, Unsupported } from '#core/api-errors';
import { CapabilityBroken, CAPABILITY_BROKEN_METRIC } from '#adapters/beamery/client';
import type { BeamerySimulator } from '#local/simulators/beamery/server';
import { readScenarioFile } from '#local/simulators/beamery/scenario';
import { DEFAULT_BEAMERY_SCENARIO_PATH } from '#local/simulators/beamery/paths';
import { calls, clientFor, resetSimulator, startSimulator } from './harness.ts';

/**
 * The ASSUMED contact read and vacancy write paths, against both simulator variants: the path we
 * guessed, and the plural alternative (where our guess 404s for everything). A wrong guess must
 * surface as CapabilityBroken, never as "contact gone" or a bare NotFound.
 */

const AVERY = '0b7e1c9a-0000-4000-8000-000000000001';
const BLAKE = '0b7e1c9a-0000-4000-8000-000000000002';
const NOBODY = '0b7e1c9a-0000-4000-8000-0000000000ff';
const VACANCY = '8f0c1e2a-0000-4000-8000-000000000001';
const NO_VACANCY = '8f0c1e2a-0000-4000-8000-0000000000ff';
const JOB = { title: 'Fictional Platform Engineer', greenhouseJobId: '40900001' };

const errorOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('ASSUMED Beamery paths against both simulator variants', () => {
  let sim: BeamerySimulator;

  beforeAll(async () => {
    sim = await startSimulator({ scenario: await readScenarioFile(DEFAULT_BEAMERY_SCENARIO_PATH) });
  });
  afterAll(() => sim.close());
  beforeEach(() => resetSimulator(sim));

  describe('contact read, guessed path served (GET /contact/{id})', () => {
    it('reads a contact and marks the path verified', async () => {
      const client = clientFor(sim);
      expect((await client.getContact(AVERY))?.id).toBe(AVERY);
      expect(client.contactReadPath()).toBe('verified');
    });

    it('reports a contact gone only after a listed contact reads on the same path', async () => {
      const client = clientFor(sim);
      expect(await client.getContact(NOBODY)).toBeNull();
      expect(calls(sim, 'GET /v1/contacts', 200)).toBe(1);
      expect(calls(sim, 'GET /v1/contact/:id', 200)).toBe(1);
      expect(client.contactReadPath()).toBe('verified');
      // Once verified, a 404 is about the record: no more corroboration.
      expect(await client.getContact(NOBODY)).toBeNull();
      expect(calls(sim, 'GET /v1/contacts')).toBe(1);
    });
  });

  it('does not convict a working path by a listed contact that is anonymized and reads as 404', async () => {
    sim.settings.update({ behaviour: { anonymizedRead: 'not-found' } });
    await clientFor(sim).anonymizeContact(BLAKE);
    const client = clientFor(sim);
    expect(await client.getContact(BLAKE)).toBeNull();
    expect(client.contactReadPath()).toBe('verified');
  });

  describe('contact read, alternative served (GET /contacts/{id})', () => {
    beforeEach(() => {
      sim.settings.update({ paths: { contactRead: '/contacts/{id}' } });
    });

    it('raises CapabilityBroken for an existing contact instead of calling it gone', async () => {
      const client = clientFor(sim);
      const error = await errorOf(client.getContact(AVERY));
      expect(error).toBeInstanceOf(CapabilityBroken);
      expect(error).toMatchObject({ capability: 'contactRead', metric: CAPABILITY_BROKEN_METRIC, operation: 'GET /contact/{id}' });
      expect(String((error as Error).message)).toContain('lists');
      expect(client.contactReadPath()).toBe('broken');
    });

    it('does not report an unknown contact gone either, and stops corroborating once broken', async () => {
      const client = clientFor(sim);
      expect(await errorOf(client.getContact(NOBODY))).toBeInstanceOf(CapabilityBroken);
      const listed = calls(sim, 'GET /v1/contacts');
      const reads = calls(sim, 'GET /v1/contact/:id');
      expect(await errorOf(client.getContact(NOBODY))).toBeInstanceOf(CapabilityBroken);
      expect(calls(sim, 'GET /v1/contacts')).toBe(listed);
      expect(calls(sim, 'GET /v1/contact/:id')).toBe(reads + 1);
    });

    it('fails an update that needs the current custom fields with CapabilityBroken, not NotFound', async () => {
      const client = clientFor(sim, { greenhouseIdField: { kind: 'custom-field', fieldId: 'f-gh-id' } });
      const error = await errorOf(client.updateContact(AVERY, { greenhouseCandidateId: '60300001' }));
      expect(error).toBeInstanceOf(CapabilityBroken);
      expect(calls(sim, 'PATCH /v1/contact/:id')).toBe(0);
    });

    it('leaves the documented calls working', async () => {
      const client = clientFor(sim);
      await errorOf(client.getContact(AVERY));
      expect((await client.findContactsByEmail('avery.example@example.com')).map((c) => c.id)).toEqual([AVERY]);
    });
  });

  describe('vacancy writes, guessed paths served (/vacancy)', () => {
    it('creates and updates, and marks both capabilities supported', async () => {
      const client = clientFor(sim);
      const { id } = await client.createVacancy(JOB);
      await client.updateVacancy(id, { title: 'Fictional Staff Engineer' });
      expect((await client.getVacancy(id))?.title).toBe('Fictional Staff Engineer');
      expect(client.capabilities()).toMatchObject({ vacancyCreate: 'supported', vacancyUpdate: 'supported' });
    });

    it('reports a vacancy missing from the listing as NotFound', async () => {
      const client = clientFor(sim);
      expect(await errorOf(client.updateVacancy(NO_VACANCY, { title: 'Fictional' }))).toBeInstanceOf(NotFound);
      expect(client.capabilities().vacancyUpdate).toBe('unknown');
    });
  });

  describe('vacancy writes, alternative served (/vacancies)', () => {
    beforeEach(() => {
      sim.settings.update({ paths: { vacancy: '/vacancies' } });
    });

    it('names the capability and operation of a create, and stops calling the missing route', async () => {
      const client = clientFor(sim);
      const error = await errorOf(client.createVacancy(JOB));
      expect(error).toBeInstanceOf(CapabilityBroken);
      expect(error).toMatchObject({ capability: 'vacancyCreate', operation: 'POST /vacancy', metric: CAPABILITY_BROKEN_METRIC });
      expect(await errorOf(client.createVacancy(JOB))).toBeInstanceOf(CapabilityBroken);
      expect(calls(sim, 'POST /v1/vacancy')).toBe(1);
      expect(client.capabilities().vacancyCreate).toBe('unsupported');
    });

    it('names the capability of an update for a vacancy the listing holds', async () => {
      const client = clientFor(sim);
      const error = await errorOf(client.updateVacancy(VACANCY, { title: 'Fictional' }));
      expect(error).toMatchObject({ name: 'CapabilityBroken', capability: 'vacancyUpdate', operation: 'PATCH /vacancy/{id}' });
    });

    it('keeps a vacancy absent from the listing a NotFound, and the capability unjudged', async () => {
      const client = clientFor(sim);
      expect(await errorOf(client.updateVacancy(NO_VACANCY, { title: 'Fictional' }))).toBeInstanceOf(NotFound);
      expect(client.capabilities().vacancyUpdate).toBe('unknown');
    });

    it('answers Unsupported without a call when an operator configured vacancy writes off', async () => {
      const client = clientFor(sim, { capabilities: { vacancyCreate: false } });
      expect(await errorOf(client.createVacancy(JOB))).toMatchObject({ name: 'Unsupported', capability: 'vacancyCreate' });
      expect(await errorOf(client.createVacancy(JOB))).toBeInstanceOf(Unsupported);
      expect(calls(sim, 'POST /v1/vacancy')).toBe(0);
    });

    it('leaves contact work untouched', async () => {
      const client = clientFor(sim);
      await errorOf(client.createVacancy(JOB));
      expect((await client.getContact(AVERY))?.id).toBe(AVERY);
      expect(await client.listVacancies()).toMatchObject({ items: expect.arrayContaining([expect.objectContaining({ id: VACANCY })]) });
    });
  });
});
