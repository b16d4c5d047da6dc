import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildBeamerySimulator, type BuiltBeamerySimulator } from '#local/simulators/beamery/server';
import { parseScenario, readScenarioFile } from '#local/simulators/beamery/scenario';
import { DEFAULT_BEAMERY_SCENARIO_PATH, MANY_CONTACTS_SCENARIO_PATH } from '#local/simulators/beamery/paths';
import { SimClock } from '#local/simulators/shared/clock';

const CREDENTIALS = { clientId: 'local-beamery-client', clientSecret: 'local-beamery-secret' };
const AVERY = '0b7e1c9a-0000-4000-8000-000000000001';

/** The simulator through `app.inject`, on a clock that barely moves: windows and expiry move only when a test says so. */
describe('Beamery simulator', () => {
  let sim: BuiltBeamerySimulator;
  let clock: SimClock;
  let token: string;

  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown, auth = true) =>
    sim.app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }), headers: auth ? { authorization: `Bearer ${token}` } : {} });

  beforeEach(async () => {
    clock = new SimClock(1e-6);
    sim = buildBeamerySimulator({ clock, scenario: await readScenarioFile(DEFAULT_BEAMERY_SCENARIO_PATH) });
    token = (await sim.app.inject({ method: 'POST', url: '/v1/oauth/token', payload: CREDENTIALS })).json().access_token;
    clock.advance(1_000);
  });
  afterEach(() => sim.app.close());

  it('mints tokens only for the configured client and limits the token endpoint to 30 a second', async () => {
    expect((await sim.app.inject({ method: 'POST', url: '/v1/oauth/token', payload: { ...CREDENTIALS, clientSecret: 'x' } })).json()).toEqual({ code: 401, message: 'invalid client credentials' });
    const statuses = [];
    for (let i = 0; i < 31; i++) statuses.push((await sim.app.inject({ method: 'POST', url: '/v1/oauth/token', payload: CREDENTIALS })).statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(29);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
  });

  it('answers 401 without a token, with an unknown one, and once the token has expired', async () => {
    expect((await call('GET', '/v1/users', undefined, false)).statusCode).toBe(401);
    expect((await sim.app.inject({ method: 'GET', url: '/v1/users', headers: { authorization: 'Bearer nope' } })).statusCode).toBe(401);
    expect((await call('GET', '/v1/users')).statusCode).toBe(200);
    clock.advance(3_600_000);
    expect((await call('GET', '/v1/users')).json()).toEqual({ code: 401, message: 'token expired' });
  });

  it('allows 40 requests per one-second window and answers the 41st with 429 and no Retry-After', async () => {
    const responses = [];
    for (let i = 0; i < 41; i++) responses.push(await call('GET', '/v1/users'));
    expect(responses.slice(0, 40).every((r) => r.statusCode === 200)).toBe(true);
    const last = responses[40]!;
    expect(last.statusCode).toBe(429);
    expect(last.json()).toEqual({ code: 429, message: 'Too Many Requests' });
    expect(last.headers).toMatchObject({ 'x-ratelimit-limit': '40;w=1', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' });
    expect(last.headers['retry-after']).toBeUndefined();
    clock.advance(1_000);
    expect((await call('GET', '/v1/users')).statusCode).toBe(200);
  });

  it('refuses an API merge of two contacts carrying different Greenhouse ids, and lets a merge in the UI (admin) through', async () => {
    const create = async (id: string) =>
      (await sim.app.inject({ method: 'POST', url: '/_admin/contacts', payload: { firstName: 'Dup', lastName: id, primaryEmail: `dup${id}@example.test`, integrations: { greenhouse: { id } } } })).json().id as string;
    const [a, b] = [await create('71'), await create('72')];
    const api = await call('POST', '/v1/contacts/merge', { primaryId: a, secondaryId: b });
    expect(api.statusCode).toBe(409);
    const ui = await sim.app.inject({ method: 'POST', url: '/_admin/contacts/merge', payload: { primaryId: a, secondaryId: b } });
    expect(ui.statusCode).toBe(200);
    expect((await sim.app.inject({ method: 'GET', url: `/_admin/contacts/${b}` })).json()).toMatchObject({ mergedIn: a });
  });

  it('never limits, faults or authenticates the admin API', async () => {
    sim.settings.update({ rateLimit: { perSecond: 1 } });
    sim.faults.update({ serverErrorRate: 1 });
    for (let i = 0; i < 5; i++) expect((await sim.app.inject({ method: 'GET', url: '/_admin/settings' })).statusCode).toBe(200);
  });

  it('pages with limit (default 50, max 100) and offset', async () => {
    sim.state.clear();
    await sim.app.inject({ method: 'POST', url: '/_admin/seed', payload: { generate: { contacts: 120 } } });
    expect((await call('GET', '/v1/contacts')).json().contacts).toHaveLength(50);
    const last = (await call('GET', '/v1/contacts?limit=100&offset=100')).json();
    expect(last.contacts).toHaveLength(20);
    expect(last.pagination).toEqual({ total: 120, limit: 100, offset: 100, hasMore: false });
    expect((await call('GET', '/v1/contacts?limit=101')).json()).toEqual({ code: 400, message: 'limit: limit must be at most 100' });
  });

  it('refuses query parameters it does not know, to catch client typos', async () => {
    expect((await call('GET', '/v1/contacts?updatedAt=2026-01-01T00:00:00Z')).statusCode).toBe(400);
  });

  it('answers in the S4 envelope and spellings when switched', async () => {
    sim.settings.update({ wire: { envelope: 'code', timestamps: 'updatedTime', listValues: 'strings' } });
    const page = (await call('GET', '/v1/contacts?email=avery.example@example.com')).json();
    expect(Object.keys(page).sort()).toEqual(['contacts', 'last_batch', 'total_count']);
    expect(page.contacts[0]).toMatchObject({ emails: ['avery.example@example.com'], updatedTime: '2026-11-12T10:00:00.000Z' });
    expect(page.contacts[0].updatedAt).toBeUndefined();
    expect((await call('GET', `/v1/contact/${AVERY}`)).json().id).toBe(AVERY);
  });

  it('filters on updated_at with gte and sorts on the field asked for', async () => {
    const page = (await call('GET', '/v1/contacts?updated_at=2026-11-05T00:00:00.000Z&updated_at_op=gte&sort_field=updatedAt&sort_order=desc')).json();
    expect(page.contacts.map((c: { id: string }) => c.id.slice(-1))).toEqual(['1', '5', '4']);
  });

  it('applies PATCH array semantics per field, switchable', async () => {
    await call('PATCH', `/v1/contact/${AVERY}`, { phoneNumbers: ['+351 210 000 002'] });
    expect(sim.state.contacts.get(AVERY)!.phoneNumbers.map((p) => p.value)).toEqual(['+351 210 000 001', '+351 210 000 002']);
    sim.settings.update({ patchArrays: { phoneNumbers: 'replace', customFields: 'append' } });
    await call('PATCH', `/v1/contact/${AVERY}`, { phoneNumbers: ['+351 210 000 003'], customFields: [{ id: 'a', value: 1 }] });
    await call('PATCH', `/v1/contact/${AVERY}`, { customFields: [{ id: 'b', value: 2 }] });
    const avery = sim.state.contacts.get(AVERY)!;
    expect(avery.phoneNumbers.map((p) => p.value)).toEqual(['+351 210 000 003']);
    expect(avery.customFields).toEqual([{ id: 'a', value: 1 }, { id: 'b', value: 2 }]);
  });

  it('rejects unknown body fields and malformed JSON with {code, message}', async () => {
    expect((await call('PATCH', `/v1/contact/${AVERY}`, { nickname: 'x' })).statusCode).toBe(400);
    const malformed = await sim.app.inject({ method: 'PATCH', url: `/v1/contact/${AVERY}`, payload: '{"a":', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
    expect(malformed.json()).toEqual({ code: 400, message: 'JSON parse error' });
  });

  it('answers a switched-off capability exactly like a route that does not exist', async () => {
    const unknown = await call('GET', '/v1/no-such-route');
    await sim.app.inject({ method: 'PUT', url: '/_admin/capabilities', payload: { notes: false } });
    const off = await call('GET', `/v1/contact/${AVERY}/notes`);
    expect([off.statusCode, off.json()]).toEqual([unknown.statusCode, unknown.json()]);
    expect(off.json()).toEqual({ code: 404, message: 'Not Found' });
  });

  it('enforces the attachment limits itself too (25 MB, listed types)', async () => {
    const exe = await call('POST', `/v1/contact/${AVERY}/attachments`, { fileName: 'x.exe', content: Buffer.from('x').toString('base64') });
    expect(exe.statusCode).toBe(415);
    const big = await call('POST', `/v1/contact/${AVERY}/attachments`, { fileName: 'x.pdf', content: Buffer.alloc(25 * 1024 * 1024 + 1).toString('base64') });
    expect(big.statusCode).toBe(413);
  });

  it('keeps a rejection reason on a vacancy membership, and drops it when a PUT leaves it out', async () => {
    const vacancy = '8f0c1e2a-0000-4000-8000-000000000001';
    const rejected = await call('PUT', `/v1/contact/${AVERY}/vacancies/${vacancy}`, { stage: 'Onsite', rejectionReason: 'Lacking skill(s)' });
    expect(rejected.json()).toMatchObject({ success: true, membership: { stage: { name: 'Onsite' }, rejectionReason: 'Lacking skill(s)' } });
    const unrejected = await call('PUT', `/v1/contact/${AVERY}/vacancies/${vacancy}`, { stage: 'Onsite' });
    expect(unrejected.json().membership).not.toHaveProperty('rejectionReason');
    expect(sim.state.memberships.get(`${AVERY}|${vacancy}`)).not.toHaveProperty('rejectionReason');
  });

  it('lets a recruiter edit through the admin API, which moves updatedAt', async () => {
    const before = sim.state.contacts.get(AVERY)!.updatedAt;
    const edited = await sim.app.inject({ method: 'PATCH', url: `/_admin/contacts/${AVERY}`, payload: { headline: 'Now a lead' } });
    expect(edited.json()).toMatchObject({ headline: 'Now a lead' });
    expect(edited.json().updatedAt > before).toBe(true);
  });

  it('advances its clock, counts requests per route, and resets to the start scenario', async () => {
    const now = clock.now();
    await sim.app.inject({ method: 'POST', url: '/_admin/clock/advance', payload: { seconds: 90 } });
    expect(clock.now() - now).toBeGreaterThanOrEqual(90_000);
    await call('GET', `/v1/contact/${AVERY}`);
    await call('GET', `/v1/contact/${AVERY}`);
    expect((await sim.app.inject({ method: 'GET', url: '/_admin/requests' })).json()['GET /v1/contact/:id']).toEqual({ total: 2, byStatus: { 200: 2 } });
    await call('POST', '/v1/contact', { firstName: 'New', lastName: 'Person' });
    expect(sim.state.contacts.size).toBe(6);
    await sim.app.inject({ method: 'POST', url: '/_admin/reset' });
    expect(sim.state.contacts.size).toBe(5);
  });

  it('loads the shipped scenarios, and refuses a scenario with a typo', async () => {
    expect((await readScenarioFile(MANY_CONTACTS_SCENARIO_PATH)).generate?.contacts).toBe(1000);
    expect(() => parseScenario({ contacts: [{ firstName: 'A', lastName: 'B', emial: 'x' }] })).toThrow('invalid Beamery scenario');
    expect(() => parseScenario({ settings: { capabilites: {} } })).toThrow();
  });
});
