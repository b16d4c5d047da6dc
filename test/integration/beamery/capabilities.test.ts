import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NotFound, Unsupported } from '#core/api-errors';
import { UNSUPPORTED } from '#core/beamery/records';
import { orThrowUnsupported, type BeameryClient } from '#adapters/beamery/client';
import type { BeamerySimulator } from '#local/simulators/beamery/server';
import type { Capability } from '#local/simulators/beamery/settings';
import { readScenarioFile } from '#local/simulators/beamery/scenario';
import { DEFAULT_BEAMERY_SCENARIO_PATH } from '#local/simulators/beamery/paths';
import { calls, clientFor, resetSimulator, startSimulator } from './harness.ts';

const AVERY = '0b7e1c9a-0000-4000-8000-000000000001';
const BLAKE = '0b7e1c9a-0000-4000-8000-000000000002';
const VACANCY = '8f0c1e2a-0000-4000-8000-000000000001';
const PDF = { fileName: 'resume.pdf', bytes: new TextEncoder().encode('%PDF-1.4 fictional') };

/** Each evidence-less operation, the capability it needs, and the simulator route it calls. */
const GATED: [string, Capability, string, (c: BeameryClient) => Promise<unknown>][] = [
  ['mergeContacts', 'merge', 'POST /v1/contacts/merge', (c) => c.mergeContacts(AVERY, BLAKE)],
  ['anonymizeContact', 'anonymize', 'POST /v1/contact/:id/anonymize', (c) => c.anonymizeContact(BLAKE)],
  ['createNote', 'notes', 'POST /v1/contact/:id/notes', (c) => c.createNote(AVERY, { text: 'Fictional note', isPrivate: false })],
  ['listNotesSince', 'notes', 'GET /v1/contact/:id/notes', (c) => c.listNotesSince(AVERY)],
  ['uploadAttachment', 'attachments', 'POST /v1/contact/:id/attachments', (c) => c.uploadAttachment(AVERY, PDF)],
  ['listAttachments', 'attachments', 'GET /v1/contact/:id/attachments', (c) => c.listAttachments(AVERY)],
  ['addContactToVacancy', 'vacancyStages', 'PUT /v1/contact/:id/vacancies/:vacancyId', (c) => c.addContactToVacancy(BLAKE, VACANCY, 'Onsite')],
  ['listContactVacancies', 'vacancyStages', 'GET /v1/contact/:id/vacancies', (c) => c.listContactVacancies(AVERY)],
];

describe('Beamery capability discovery against the simulator', () => {
  let sim: BeamerySimulator;

  beforeAll(async () => {
    sim = await startSimulator({ scenario: await readScenarioFile(DEFAULT_BEAMERY_SCENARIO_PATH) });
  });
  afterAll(() => sim.close());
  beforeEach(() => resetSimulator(sim));

  describe.each(GATED)('%s', (_name, capability, route, run) => {
    it('works, and marks the capability supported, on a tenant that has it', async () => {
      const client = clientFor(sim);
      expect(await run(client)).not.toBe(UNSUPPORTED);
      expect(client.capabilities()[capability]).toBe('supported');
    });

    it('answers unsupported on a tenant without it, and stops calling the missing route', async () => {
      sim.settings.update({ capabilities: { [capability]: false } });
      const client = clientFor(sim);
      expect(await run(client)).toBe(UNSUPPORTED);
      expect(await run(client)).toBe(UNSUPPORTED);
      expect(calls(sim, route)).toBe(1);
      expect(client.capabilities()[capability]).toBe('unsupported');
    });

    it('makes no call at all when configured off', async () => {
      const client = clientFor(sim, { capabilities: { [capability]: false } });
      expect(await run(client)).toBe(UNSUPPORTED);
      expect(calls(sim, route)).toBe(0);
    });

    it('reports NotFound, not unsupported, when configured on and the route is missing', async () => {
      sim.settings.update({ capabilities: { [capability]: false } });
      expect(await run(clientFor(sim, { capabilities: { [capability]: true } })).catch((e: unknown) => e)).toBeInstanceOf(NotFound);
    });
  });

  it('a 404 for a contact that does not exist is NotFound and teaches nothing about the capability', async () => {
    const client = clientFor(sim);
    const error = await client.createNote('no-such-contact', { text: 'x', isPrivate: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFound);
    expect(client.capabilities().notes).toBe('unknown');
  });

  it('once a capability answered, a later 404 means a missing record', async () => {
    const client = clientFor(sim);
    await client.listNotesSince(AVERY);
    sim.settings.update({ capabilities: { notes: false } });
    expect(await client.listNotesSince(AVERY).catch((e: unknown) => e)).toBeInstanceOf(NotFound);
  });

  it('orThrowUnsupported turns the fallback into the shared Unsupported error', async () => {
    sim.settings.update({ capabilities: { merge: false } });
    const result = await clientFor(sim).mergeContacts(AVERY, BLAKE);
    expect(() => orThrowUnsupported(result, 'mergeContacts', 'merge')).toThrow(Unsupported);
  });

  it('reports every capability as unknown before use', () => {
    expect(clientFor(sim).capabilities()).toEqual({ merge: 'unknown', anonymize: 'unknown', notes: 'unknown', attachments: 'unknown', vacancyStages: 'unknown', vacancyCreate: 'unknown', vacancyUpdate: 'unknown' });
  });
});
