import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseContact } from '#adapters/beamery/wire/contact';
import { parsePage } from '#adapters/beamery/wire/envelope';
import { DEFAULT_BEAMERY_SCENARIO_PATH } from '#local/simulators/beamery/paths';
import { readScenarioFile } from '#local/simulators/beamery/scenario';
import { buildBeamerySimulator, type BuiltBeamerySimulator } from '#local/simulators/beamery/server';
import { SimClock } from '#local/simulators/shared/clock';

const CREDENTIALS = { clientId: 'local-beamery-client', clientSecret: 'local-beamery-secret' };
const AVERY = '0b7e1c9a-0000-4000-8000-000000000001';

/** The contact fields the Beamery → Greenhouse mapping reads (seed: source, consentStatus, lastConsentDate; ASSUMED shapes). */
describe('Beamery simulator: source and consent on a contact', () => {
  let sim: BuiltBeamerySimulator;
  let token: string;

  const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    sim.app.inject({ method, url, ...(payload ? { payload } : {}), headers: { authorization: `Bearer ${token}` } });

  beforeEach(async () => {
    const clock = new SimClock(1e-6);
    sim = buildBeamerySimulator({ clock, scenario: await readScenarioFile(DEFAULT_BEAMERY_SCENARIO_PATH) });
    token = (await sim.app.inject({ method: 'POST', url: '/v1/oauth/token', payload: CREDENTIALS })).json().access_token;
  });
  afterEach(() => sim.app.close());

  it('stores what a recruiter sets and returns it, read by the wire parser', async () => {
    const edited = await sim.app.inject({
      method: 'PATCH',
      url: `/_admin/contacts/${AVERY}`,
      payload: { source: { value: 'LinkedIn' }, consentStatus: true, lastConsentDate: '2026-09-01' },
    });
    expect(edited.statusCode).toBe(200);
    const answer = (await call('GET', `/v1/contact/${AVERY}`)).json();
    expect(answer.contact).toMatchObject({ source: { value: 'LinkedIn' }, consentStatus: true, lastConsentDate: '2026-09-01' });
    expect(parseContact(answer.contact)).toMatchObject({ source: 'LinkedIn', consentStatus: 'true', lastConsentDate: '2026-09-01T00:00:00.000Z' });
  });

  it('takes them on create and PATCH, and lists them', async () => {
    const created = (await call('POST', '/v1/contact', { firstName: 'Rae', lastName: 'Okoro', emails: ['rae@example.test'], source: { value: 'Event' }, consentStatus: false })).json();
    const id = created.contact.id as string;
    await call('PATCH', `/v1/contact/${id}`, { consentStatus: true, lastConsentDate: '2026-10-02T08:00:00Z' });
    const page = parsePage((await call('GET', '/v1/contacts?email=rae@example.test')).json(), 'contacts', (raw) => parseContact(raw), { offset: 0, limit: 50 });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ source: 'Event', consentStatus: 'true', lastConsentDate: '2026-10-02T08:00:00.000Z' });
  });

  it('refuses a consent status that is not a boolean and a date that is not one', async () => {
    expect((await call('PATCH', `/v1/contact/${AVERY}`, { consentStatus: 'yes' })).statusCode).toBe(400);
    expect((await call('PATCH', `/v1/contact/${AVERY}`, { lastConsentDate: 'soon' })).statusCode).toBe(400);
  });
});
