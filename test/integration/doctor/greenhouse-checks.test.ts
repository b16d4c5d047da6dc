import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckResult } from '#core/doctor/report';
import { greenhouseChecks, type GreenhouseTenant } from '#adapters/doctor/greenhouse-checks';
import { httpProbe } from '#adapters/doctor/http-probe';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '#local/simulators/greenhouse/server';
import { LIST_SCOPES } from '#local/simulators/greenhouse/resources';
import { startHarness, type Harness } from '../greenhouse/support.ts';

/**
 * The doctor's read-only Greenhouse checks against the simulator: every line ok on the default
 * tenant, and each way a tenant can differ named by its check with the evidence an operator acts on.
 */
describe('bridge doctor: Greenhouse read-only checks', () => {
  let h: Harness;
  const tenant = (overrides: Partial<GreenhouseTenant> = {}): GreenhouseTenant => ({
    baseUrl: h.sim.url,
    tokenUrl: `${h.sim.url}/token`,
    credentials: async () => ({ clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET }),
    fields: [
      { nameKey: 'work_remotely', fieldType: 'candidate', valueTypes: ['yes_no', 'single_select', 'short_text'], purpose: 'Beamery consent status' },
      { nameKey: 'ai_fit_score', fieldType: 'application', valueTypes: ['number', 'short_text'], purpose: 'AI screening score' },
    ],
    ...overrides,
  });
  const run = async (overrides: Partial<GreenhouseTenant> = {}) => greenhouseChecks(tenant(overrides), httpProbe(), h.clock);
  const byId = (results: readonly CheckResult[], id: string) => results.find((r) => r.id === id);

  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h?.close());

  it('passes every check on the default tenant, one line per list endpoint the bridge reads', async () => {
    const results = await run();
    expect(results.filter((r) => r.status !== 'ok')).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(30);
    expect(byId(results, 'greenhouse.list.candidates')?.evidence).toMatch(/record shape as expected/);
    expect(byId(results, 'greenhouse.rate-limit')?.evidence).toMatch(/X-RateLimit-Limit \d+/);
    expect(byId(results, 'greenhouse.pagination')?.evidence).toMatch(/rel="next"/);
    expect(byId(results, 'greenhouse.custom-field.ai_fit_score')?.evidence).toMatch(/value_type number/);
  });

  it('fails the token check, and nothing else is tried, when the credential is refused', async () => {
    const results = await run({ credentials: async () => ({ clientId: DEFAULT_CLIENT_ID, clientSecret: 'wrong' }) });
    expect(results).toEqual([expect.objectContaining({ id: 'greenhouse.token', status: 'fail', capabilities: ['greenhouse.auth'] })]);
  });

  it('names the endpoint and the missing scope when the credential lacks one', async () => {
    await h.admin('PUT', `/credentials/${DEFAULT_CLIENT_ID}`, { scopes: LIST_SCOPES.filter((s) => s !== 'harvest:notes:list') });
    const results = await run();
    expect(byId(results, 'greenhouse.list.notes')).toMatchObject({ status: 'fail', evidence: expect.stringMatching(/403.*harvest:notes:list/) });
    expect(byId(results, 'greenhouse.list.candidates')?.status).toBe('ok');
  });

  it('says a tenant without job notes cannot use the workflows that write them, and fails nothing for it', async () => {
    await h.admin('PUT', `/credentials/${DEFAULT_CLIENT_ID}`, { scopes: LIST_SCOPES.filter((s) => s !== 'harvest:job_notes:list') });
    const results = await run();
    expect(byId(results, 'greenhouse.list.job_notes')).toMatchObject({ status: 'unknown', evidence: expect.stringMatching(/403.*rediscovery/) });
    expect(results.filter((r) => r.status === 'fail')).toEqual([]);
  });

  it('lists offers, approval flows, approvers and stage history with the configured credential, and checks their record shape', async () => {
    await h.admin('POST', '/offers', { application_id: 951, starts_on: '2027-01-04', approval: { approver_groups: [{ user_ids: [302] }] } });
    const results = await run();
    for (const resource of ['offers', 'approval_flows', 'approver_groups', 'approvers', 'application_stages', 'openings']) {
      expect(byId(results, `greenhouse.list.${resource}`), resource).toMatchObject({ status: 'ok', evidence: '200, array, record shape as expected' });
    }
  });

  it('reads a credential without the offer scopes as unknown with the evidence, never as a tenant with no offers', async () => {
    const withheld = ['harvest:offers:list', 'harvest:approval_flows:list'];
    await h.admin('PUT', `/credentials/${DEFAULT_CLIENT_ID}`, { scopes: LIST_SCOPES.filter((s) => !withheld.includes(s)) });
    const results = await run();
    expect(byId(results, 'greenhouse.list.offers')).toMatchObject({ status: 'unknown', evidence: expect.stringMatching(/403.*harvest:offers:list.*offer checks/) });
    expect(byId(results, 'greenhouse.list.approval_flows')).toMatchObject({
      status: 'unknown',
      evidence: expect.stringMatching(/403.*harvest:approval_flows:list.*offer checks/),
    });
    expect(byId(results, 'greenhouse.list.approvers')?.status).toBe('ok');
    expect(byId(results, 'greenhouse.filter.offers')).toMatchObject({ status: 'unknown', evidence: expect.stringMatching(/current_only.*403.*harvest:offers:list.*not read as "no offers"/) });
    expect(results.filter((r) => r.status === 'fail')).toEqual([]);
  });

  it('proves the offer filters, and fails a tenant that refuses one', async () => {
    expect(byId(await run(), 'greenhouse.filter.offers')).toMatchObject({ status: 'ok', evidence: expect.stringMatching(/current_only=true/) });
    const refusing: typeof fetch = async (input, init) =>
      String(input).includes('current_only') ? Response.json({ message: 'Unprocessable Content', errors: [{ current_only: 'is not a filter' }] }, { status: 422 }) : fetch(input, init);
    const results = await greenhouseChecks(tenant(), httpProbe(refusing), h.clock);
    expect(byId(results, 'greenhouse.filter.offers')).toMatchObject({ status: 'fail', evidence: expect.stringMatching(/current_only.*422/) });
  });

  it('fails an offer listing whose records lack what the bridge reads', async () => {
    await h.admin('POST', '/offers', { application_id: 951 });
    const broken: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input).includes('/v3/offers')) return response;
      const rows = (await response.json()) as Record<string, unknown>[];
      return Response.json(rows.map(({ application_id: _dropped, ...rest }) => rest), { status: 200, headers: response.headers });
    };
    const results = await greenhouseChecks(tenant(), httpProbe(broken), h.clock);
    expect(byId(results, 'greenhouse.list.offers')).toMatchObject({ status: 'fail', evidence: expect.stringMatching(/application_id/) });
  });

  it('fails a configured custom field that does not exist or has a type the bridge cannot write', async () => {
    const results = await run({
      fields: [
        { nameKey: 'no_such_field', fieldType: 'candidate', valueTypes: ['yes_no'], purpose: 'Beamery consent status' },
        { nameKey: 'desired_salary', fieldType: 'candidate', valueTypes: ['date'], purpose: 'Beamery consent date' },
      ],
    });
    expect(byId(results, 'greenhouse.custom-field.no_such_field')).toMatchObject({ status: 'fail', evidence: expect.stringMatching(/no candidate custom field/) });
    expect(byId(results, 'greenhouse.custom-field.desired_salary')).toMatchObject({ status: 'fail', evidence: expect.stringMatching(/short_text.*needs date/) });
  });

  it('fails an acting user that does not exist', async () => {
    const results = await run({ actingUserId: 987_654 });
    expect(byId(results, 'greenhouse.acting-user')).toMatchObject({ status: 'fail', evidence: expect.stringMatching(/does not exist/) });
  });
});
