import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { probeConsentLocation, probeGreenhouseIdLocation } from '#adapters/beamery/client';
import type { BeamerySimulator } from '#local/simulators/beamery/server';
import { readScenarioFile } from '#local/simulators/beamery/scenario';
import { DEFAULT_BEAMERY_SCENARIO_PATH } from '#local/simulators/beamery/paths';
import { clientFor, resetSimulator, startSimulator } from './harness.ts';

/**
 * No public source shows `integrations.greenhouse.id` to be writable by API clients, and the only
 * public code keeps consent in tenant custom fields. The simulator can ignore `integrations` on API
 * writes (as the native integration's own field would be) and keep consent in custom fields; today's
 * configuration then loses the id and reads no consent, the other works.
 */

const AVERY = '0b7e1c9a-0000-4000-8000-000000000001';
const GH_ID_FIELD = 'cf-greenhouse-candidate-id';
const STATUS_FIELD = 'cf-consent-status';
const DATE_FIELD = 'cf-consent-date';
const NEW_CONTACT = { firstName: 'Fictional', lastName: 'Person', primaryEmail: 'fictional.person@example.com', greenhouseCandidateId: '60300777' };
const CUSTOM_ID = { greenhouseIdField: { kind: 'custom-field', fieldId: GH_ID_FIELD } } as const;
const CUSTOM_CONSENT = { consentFields: { status: { kind: 'custom-field', fieldId: STATUS_FIELD }, date: { kind: 'custom-field', fieldId: DATE_FIELD } } } as const;

describe('where the Greenhouse id and consent live on a Beamery contact', () => {
  let sim: BeamerySimulator;

  beforeAll(async () => {
    sim = await startSimulator({ scenario: await readScenarioFile(DEFAULT_BEAMERY_SCENARIO_PATH) });
  });
  afterAll(() => sim.close());
  beforeEach(() => resetSimulator(sim));

  async function consentOnAvery(): Promise<void> {
    const edit = await sim.app.inject({ method: 'PATCH', url: `/_admin/contacts/${AVERY}`, payload: { consentStatus: true, lastConsentDate: '2026-10-01' } });
    expect(edit.statusCode).toBe(200);
  }

  describe('Greenhouse id', () => {
    it('integrations writable (simulator default): today\'s configuration keeps the id', async () => {
      const client = clientFor(sim);
      const { id } = await client.createContact(NEW_CONTACT);
      expect((await client.getContact(id))?.greenhouseCandidateId).toBe('60300777');
    });

    it('integrations ignored on API writes: today\'s configuration loses the id on create and on update', async () => {
      sim.settings.update({ fields: { greenhouseId: 'ignored' } });
      const client = clientFor(sim);
      const { id } = await client.createContact(NEW_CONTACT);
      expect((await client.getContact(id))?.greenhouseCandidateId).toBeUndefined();
      await client.updateContact(id, { greenhouseCandidateId: '60300777' });
      expect((await client.getContact(id))?.greenhouseCandidateId).toBeUndefined();
    });

    it('integrations ignored: a custom-field configuration keeps the id, and the other custom fields', async () => {
      sim.settings.update({ fields: { greenhouseId: 'ignored' } });
      const client = clientFor(sim, CUSTOM_ID);
      const { id } = await client.createContact({ ...NEW_CONTACT, customFields: [{ id: 'cf-other', value: 'kept' }] });
      const created = await client.getContact(id);
      expect(created?.greenhouseCandidateId).toBe('60300777');
      await client.updateContact(id, { greenhouseCandidateId: '60300778' });
      const updated = await client.getContact(id);
      expect(updated?.greenhouseCandidateId).toBe('60300778');
      expect(updated?.customFields).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'cf-other', value: 'kept' })]));
    });

    it('probeGreenhouseIdLocation: ok where contacts carry the id at the configured location, unknown where they carry it only in integrations (still read)', async () => {
      // The scenario's linked contact carries integrations.greenhouse.id (as the native integration would).
      const today = await probeGreenhouseIdLocation(clientFor(sim));
      expect(today.status).toBe('ok');
      expect(today.evidence).toMatch(/1 of \d+ listed contacts carry a Greenhouse id at integrations\.greenhouse\.id/);

      const custom = await probeGreenhouseIdLocation(clientFor(sim, CUSTOM_ID));
      expect(custom.status).toBe('unknown');
      expect(custom.evidence).toContain(`customFields[${GH_ID_FIELD}]`);
      expect(custom.evidence).toMatch(/integrations\.greenhouse\.id on 1, which the bridge also reads/);

      sim.settings.update({ fields: { greenhouseId: 'ignored' } });
      await clientFor(sim, CUSTOM_ID).createContact(NEW_CONTACT);
      expect((await probeGreenhouseIdLocation(clientFor(sim, CUSTOM_ID))).status).toBe('ok');
    });

    it('probeGreenhouseIdLocation: unknown on a tenant where no contact carries an id anywhere', async () => {
      await sim.app.inject({ method: 'POST', url: '/_admin/reset', payload: { contacts: [] } });
      const result = await probeGreenhouseIdLocation(clientFor(sim));
      expect(result.status).toBe('unknown');
      expect(result.evidence).toMatch(/0 listed contacts/);
    });
  });

  describe('consent', () => {
    it('top-level (simulator default): today\'s configuration reads status and date', async () => {
      await consentOnAvery();
      expect(await clientFor(sim).getContact(AVERY)).toMatchObject({ consentStatus: 'true', lastConsentDate: '2026-10-01T00:00:00.000Z' });
    });

    it('in custom fields: today\'s configuration reads no consent; the custom-field configuration reads the option label and the date', async () => {
      sim.settings.update({ fields: { consent: 'custom-fields', consentStatusFieldId: STATUS_FIELD, consentDateFieldId: DATE_FIELD } });
      await consentOnAvery();
      const today = await clientFor(sim).getContact(AVERY);
      expect(today?.consentStatus).toBeUndefined();
      expect(today?.lastConsentDate).toBeUndefined();
      const configured = await clientFor(sim, CUSTOM_CONSENT).getContact(AVERY);
      expect(configured).toMatchObject({ consentStatus: 'Yes', lastConsentDate: '2026-10-01T00:00:00.000Z' });
    });

    it('probeConsentLocation tells the two apart', async () => {
      await consentOnAvery();
      expect((await probeConsentLocation(clientFor(sim))).status).toBe('ok');
      expect((await probeConsentLocation(clientFor(sim, CUSTOM_CONSENT))).status).toBe('fail');

      sim.settings.update({ fields: { consent: 'custom-fields', consentStatusFieldId: STATUS_FIELD, consentDateFieldId: DATE_FIELD } });
      const today = await probeConsentLocation(clientFor(sim));
      expect(today.status).toBe('fail');
      expect(today.evidence).toMatch(/consent/i);
      expect(today.evidence).toContain(STATUS_FIELD);
      const configured = await probeConsentLocation(clientFor(sim, CUSTOM_CONSENT));
      expect(configured.status).toBe('ok');
      expect(configured.evidence).toContain(`customFields[${STATUS_FIELD}]`);
    });
  });
});
