import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OFFER_ON_951, offerTenant } from './offer-scenario.ts';
import { startHarness, startWebhookReceiver, type Harness } from './support.ts';

/**
 * The simulator's offers as Greenhouse's UI works them, and the web hooks each step fires (reference
 * §5.5–5.6 [H]): a new offer fires offer_created (flat payload); a new version fires offer_updated on
 * the old one, now Deprecated, plus offer_created for the new one; a change that makes no version is
 * one offer_updated; the final approval, only after approvals were requested, fires offer_approved;
 * hiring accepts the offer (offer_updated); a deletion fires offer_deleted under `payload.offer`.
 */
let h: Harness;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
beforeAll(async () => {
  h = await startHarness();
  receiver = await startWebhookReceiver(h.clock);
});
afterAll(async () => {
  await h.close();
  await receiver.close();
});

type Offer = { id: number; version: number; status: string; starts_on: string | null; resolved_at: string | null };
type Flow = { id: number; offer_id: number; approval_status: string; requested_by_id: number | null; version: number };
type Answer = { offer: Offer; approval_flow: Flow | null };

beforeEach(async () => {
  await offerTenant(h);
  await h.admin('PUT', '/webhooks', [{ url: receiver.url, secret: 'offer-secret' }]);
  await h.admin('DELETE', '/webhooks/deliveries');
});

/** What was sent since the last call, as `[action, payload]`, in order. */
async function sent(): Promise<[string, Record<string, unknown>][]> {
  await h.sim.webhooks.settled();
  const out = h.sim.webhooks.deliveries().map((d) => {
    const body = JSON.parse(d.body) as { action: string; payload: Record<string, unknown> };
    return [body.action, body.payload] as [string, Record<string, unknown>];
  });
  await h.admin('DELETE', '/webhooks/deliveries');
  return out;
}

const list = <T>(resource: string) => h.admin<T[]>('GET', `/state?table=${resource}`);

describe('simulated offers', () => {
  it('fires offer_created with the flat payload for a new offer, its start date as the webhooks write it', async () => {
    await h.admin('DELETE', `/offers/${OFFER_ON_951}`);
    await sent();
    const { offer, approval_flow } = await h.admin<Answer>('POST', '/offers', {
      application_id: 951,
      starts_on: '2027-03-01',
      user_id: 301,
      notes: 'Fictional offer',
      custom_fields: { base_salary: { amount: 118000, unit: 'EUR' } },
      approval: { approver_groups: [{ user_ids: [302] }] },
    });
    expect(offer).toMatchObject({ version: 1, status: 'Created' });
    expect(approval_flow).toMatchObject({ offer_id: offer.id, approval_status: 'pending', requested_by_id: null });
    const [[action, payload], ...rest] = (await sent()) as [[string, Record<string, unknown>], ...unknown[]];
    expect(rest).toEqual([]);
    expect(action).toBe('offer_created');
    expect(payload).toMatchObject({
      id: offer.id,
      application_id: 951,
      job_id: 801,
      user_id: 301,
      version: 1,
      start_date: '03/01/2027',
      notes: 'Fictional offer',
      offer_status: 'Created',
      custom_fields: { base_salary: { name: 'Base Salary', type: 'currency', value: { amount: 118000, unit: 'EUR' } } },
    });
  });

  it('refuses a second offer on an application that has one: a change makes a new version instead', async () => {
    const response = await h.sim.app.inject({ method: 'POST', url: '/_admin/offers', payload: { application_id: 951 } });
    expect(response.statusCode).toBe(422);
    expect(await sent()).toEqual([]);
  });

  it('makes a new version for a new start date: offer_updated on the old one (Deprecated), offer_created for the new', async () => {
    const { offer, approval_flow } = await h.admin<Answer>('PATCH', `/offers/${OFFER_ON_951}`, { starts_on: '2027-01-18' });
    expect(offer).toMatchObject({ version: 2, status: 'Created', starts_on: '2027-01-18' });
    expect(offer.id).not.toBe(OFFER_ON_951);
    const events = await sent();
    expect(events.map(([a, p]) => [a, p['id'], p['version'], p['offer_status']])).toEqual([
      ['offer_updated', OFFER_ON_951, 1, 'Deprecated'],
      ['offer_created', offer.id, 2, 'Created'],
    ]);
    // The approval flow follows the new version, to be approved anew (ASSUMED).
    expect(approval_flow).toMatchObject({ offer_id: offer.id, version: 2, approval_status: 'pending', requested_by_id: null });
    const changed = await h.sim.app.inject({ method: 'PATCH', url: `/_admin/offers/${OFFER_ON_951}`, payload: { notes: 'late' } });
    expect(changed.statusCode).toBe(422);
  });

  it('makes a new version for a pay change (trigger_new_version), and edits in place for one that is not', async () => {
    const versioned = await h.admin<Answer>('PATCH', `/offers/${OFFER_ON_951}`, { custom_fields: { base_salary: { amount: 125000, unit: 'EUR' } } });
    expect(versioned.offer.version).toBe(2);
    expect((await sent()).map(([a]) => a)).toEqual(['offer_updated', 'offer_created']);
    const inPlace = await h.admin<Answer>('PATCH', `/offers/${versioned.offer.id}`, { custom_fields: { offer_notes: 'Relocation covered (fictional)' } });
    expect(inPlace.offer).toMatchObject({ id: versioned.offer.id, version: 2 });
    const [[action, payload]] = (await sent()) as [[string, Record<string, unknown>]];
    expect([action, payload['id'], payload['offer_status']]).toEqual(['offer_updated', versioned.offer.id, 'Created']);
    expect((await list<Offer>('offers')).filter((o) => o.status !== 'Deprecated').map((o) => o.id)).toContain(versioned.offer.id);
  });

  it('fires offer_approved only for a final approval after the approvals were requested', async () => {
    const early = await h.sim.app.inject({ method: 'POST', url: `/_admin/offers/${OFFER_ON_951}/approve` });
    expect([early.statusCode, early.json().errors]).toEqual([422, ['Approvals have not been requested for this offer.']]);
    const { approval_flow } = await h.admin<Answer>('PATCH', `/offers/${OFFER_ON_951}`, { notes: 'unchanged terms' });
    await h.admin('POST', `/approval_flows/${approval_flow!.id}/request_approvals`, { user_id: 301 });
    await sent();
    const approved = await h.admin<Answer>('POST', `/offers/${OFFER_ON_951}/approve`);
    expect(approved.approval_flow).toMatchObject({ approval_status: 'approved', requested_by_id: 301 });
    expect((await list<{ status: string }>('approvers')).filter((a) => a.status !== 'approved')).toEqual([
      expect.objectContaining({ status: 'waiting' }), // the other offer's flow, not requested
      expect.objectContaining({ status: 'waiting' }),
    ]);
    const [[action, payload], ...rest] = (await sent()) as [[string, Record<string, unknown>], ...unknown[]];
    expect(rest).toEqual([]);
    expect([action, payload['id'], payload['offer_status']]).toEqual(['offer_approved', OFFER_ON_951, 'Created']);
    const again = await h.sim.app.inject({ method: 'POST', url: `/_admin/offers/${OFFER_ON_951}/approve` });
    expect(again.statusCode).toBe(422);
  });

  it('refuses a second request for approvals on the v3 route (422), as v1 documented', async () => {
    const [flow] = (await list<Flow>('approval_flows')).filter((f) => f.offer_id === OFFER_ON_951);
    const token = await h.sim.app.inject({
      method: 'POST',
      url: '/token',
      headers: { authorization: `Basic ${Buffer.from('sim-client-1:sim-client-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials&sub=301',
    });
    const bearer = { authorization: `Bearer ${token.json().access_token as string}` };
    const first = await h.sim.app.inject({ method: 'POST', url: `/v3/approval_flows/${flow!.id}/request_approvals`, headers: bearer });
    expect([first.statusCode, first.json()]).toEqual([200, expect.objectContaining({ id: flow!.id, requested_by_id: 301 })]);
    const second = await h.sim.app.inject({ method: 'POST', url: `/v3/approval_flows/${flow!.id}/request_approvals`, headers: bearer });
    expect(second.statusCode).toBe(422);
    // Asking fires no web hook: Greenhouse has none for it.
    expect(await sent()).toEqual([]);
  });

  it('accepts the current offer when the candidate is hired: offer_updated, then hire_candidate showing that offer', async () => {
    await h.admin('POST', '/applications/951/hire', { opening_id: 861 });
    const events = await sent();
    expect(events.map(([a]) => a)).toEqual(['offer_updated', 'hire_candidate']);
    expect(events[0]![1]).toMatchObject({ id: OFFER_ON_951, offer_status: 'Accepted', resolved_at: expect.any(String) });
    expect((events[1]![1]['application'] as { offer: { id: number } }).offer.id).toBe(OFFER_ON_951);
  });

  it('resolves an offer in place when the candidate declines, and fires offer_deleted under payload.offer on deletion', async () => {
    const declined = await h.admin<Answer>('PATCH', `/offers/${OFFER_ON_951}`, { status: 'Rejected' });
    expect(declined.offer).toMatchObject({ id: OFFER_ON_951, status: 'Rejected', resolved_at: expect.any(String) });
    expect((await sent()).map(([a, p]) => [a, p['offer_status']])).toEqual([['offer_updated', 'Rejected']]);
    await h.admin('DELETE', `/offers/${OFFER_ON_951}`);
    const [[action, payload]] = (await sent()) as [[string, Record<string, unknown>]];
    expect(action).toBe('offer_deleted');
    expect(payload['offer']).toMatchObject({ id: OFFER_ON_951, application_id: 951, job_id: 801, offer_status: 'Rejected', version: 1 });
    expect((await list<Flow>('approval_flows')).some((f) => f.offer_id === OFFER_ON_951)).toBe(false);
  });

  it('anonymizing all_offer_versions destroys every version with one offer_deleted each; deleting the application fires none', async () => {
    const { offer: second } = await h.admin<Answer>('PATCH', `/offers/${OFFER_ON_951}`, { starts_on: '2027-01-18' });
    await sent();
    await h.admin('POST', '/candidates/901/anonymize', { fields: ['all_offer_versions'] });
    const events = await sent();
    expect(events.filter(([a]) => a === 'offer_deleted').map(([, p]) => (p['offer'] as { id: number }).id).sort()).toEqual([OFFER_ON_951, second.id].sort());
    expect(events.map(([a]) => a)).toContain('candidate_anonymized');
    expect((await list<Offer & { application_id: number }>('offers')).filter((o) => o.application_id === 951)).toEqual([]);
    expect((await list<Flow>('approval_flows')).filter((f) => f.offer_id === second.id)).toEqual([]);

    await h.admin('DELETE', '/applications/955');
    expect((await sent()).map(([a]) => a)).toEqual(['delete_application']);
    expect((await list<Offer & { application_id: number }>('offers')).filter((o) => o.application_id === 955)).toEqual([]);
    expect((await list<{ application_id: number }>('application_stages')).filter((v) => v.application_id === 955)).toEqual([]);
  });
});
