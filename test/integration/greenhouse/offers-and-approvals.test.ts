import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collect, type GreenhouseClient } from '#adapters/greenhouse/client';
import { ActionNotConfirmed } from '#adapters/greenhouse/errors';
import { Forbidden, NotFound, ValidationFailed } from '#core/api-errors';
import { moneyOf, moneyRangeOf } from '#core/greenhouse/records';
import { OFFER_ON_951, OFFER_ON_955, offerTenant } from './offer-scenario.ts';
import { failureWithoutScope, losingFirstAnswer, startHarness, type Harness } from './support.ts';

/**
 * The Harvest v3 reads under offer checks, and the one approval call, against the simulator:
 * offer versions (`current_only`, status), pay in either ASSUMED spelling of currency values
 * (`currencyValues`), approval flows with their groups and approvers, openings and the stage history.
 * `requestApprovals` under both ASSUMED replies (`requestApprovalsReply`: the flow, or 204): it asks
 * once, never twice (a flow already started is left alone, a lost reply is looked for before a retry, a
 * 422 from a race is read back), and a 2xx the flow does not show is not taken for done.
 */
let h: Harness;
let client: GreenhouseClient;
beforeAll(async () => {
  h = await startHarness();
  client = h.client({ sub: 301 });
});
afterAll(async () => h.close());

const REQUEST_ROUTE = 'POST /v3/approval_flows/:id/request_approvals';

async function flowOf(offerId: number) {
  const [flow] = await collect(client.listApprovalFlows({ offer_ids: [offerId] }));
  if (!flow) throw new Error(`no flow for offer ${offerId}`);
  return flow;
}

async function approverStatuses(flowId: number): Promise<string[][]> {
  const groups = await collect(client.listApproverGroups({ approval_flow_ids: [flowId] }));
  groups.sort((a, b) => (a.sort_order ?? 0) - (b.sort_order ?? 0));
  const approvers = await collect(client.listApprovers({ approver_group_ids: groups.map((g) => g.id) }));
  return groups.map((g) => approvers.filter((a) => a.approver_group_id === g.id).map((a) => a.status ?? '?'));
}

const failureWithout = (scope: string, act: () => Promise<unknown>) => failureWithoutScope(h, scope, act);

describe.each(['unit', 'currency-code'] as const)('offer reads (currencyValues: %s)', (currencyValues) => {
  beforeEach(() => offerTenant(h, { currencyValues }));

  it('lists an offer with the fields offer checks read, and its pay and the job band in either spelling', async () => {
    const [offer] = await collect(client.listOffers({ application_ids: [951], current_only: true }));
    expect(offer).toMatchObject({ id: OFFER_ON_951, version: 1, application_id: 951, job_id: 801, opening_id: 861, status: 'Created', starts_on: '2027-01-11' });
    expect(moneyOf(offer!.custom_fields?.['base_salary']?.value)).toEqual({ amount: 120000, currency: 'EUR' });
    const [job] = await client.byIds('jobs', [801]);
    expect(moneyRangeOf(job!.custom_fields?.['salary_band']?.value)).toEqual({ min: 100000, max: 130000, currency: 'EUR' });
    expect(moneyOf('120000')).toBeUndefined();
  });

  it('keeps every version, and current_only lists only the latest', async () => {
    await h.admin('PATCH', `/offers/${OFFER_ON_951}`, { starts_on: '2027-01-18' });
    const all = await collect(client.listOffers({ application_ids: [951] }));
    expect(all.map((o) => [o.version, o.status])).toEqual([
      [2, 'Created'],
      [1, 'Deprecated'],
    ]);
    const current = await collect(client.listOffers({ application_ids: [951], current_only: true }));
    expect(current.map((o) => [o.version, o.starts_on])).toEqual([[2, '2027-01-18']]);
    expect(current[0]!.id).not.toBe(OFFER_ON_951);
    expect((await collect(client.listOffers({ status: 'Deprecated' }))).map((o) => o.id)).toEqual([OFFER_ON_951]);
  });

  it('reads the opening target start date and the stage history, current visit and past ones', async () => {
    const [opening] = await collect(client.listOpenings({ job_ids: [801], open: true, ids: [861] }));
    expect(opening).toMatchObject({ id: 861, job_id: 801, opening_id: 'BE-1', open: true, target_start_on: '2027-01-04' });

    const [application] = await client.byIds('applications', [951]);
    const [seeded] = await collect(client.listApplicationStages({ application_ids: [951] }));
    expect(seeded).toMatchObject({ id: application!.stage_id, job_interview_stage_id: application!.job_interview_stage_id, current: true, exited_at: null });
    await h.admin('POST', '/applications/951/move', {});
    const history = await collect(client.listApplicationStages({ application_ids: [951] }));
    expect(history.map((v) => v.current).sort()).toEqual([false, true]);
    const past = history.find((v) => !v.current);
    expect(past).toMatchObject({ id: seeded!.id, exited_at: expect.any(String), days_in_stage: expect.any(Number) });
    const [moved] = await client.byIds('applications', [951]);
    const [current] = await collect(client.listApplicationStages({ application_ids: [951], current: true }));
    expect(current).toMatchObject({ id: moved!.stage_id, job_interview_stage_id: moved!.job_interview_stage_id, entered_at: past!.exited_at });
    expect((await collect(client.listApplicationStages({ application_ids: [951], current: false }))).map((v) => v.id)).toEqual([seeded!.id]);
  });

  it('names the missing scope when the credential cannot list offers', async () => {
    const error = await failureWithout('harvest:offers:list', () => collect(client.listOffers({ application_ids: [951] })));
    expect(error).toBeInstanceOf(Forbidden);
    expect((error as Forbidden).missingScope).toBe('harvest:offers:list');
  });
});

describe.each(['flow', 'no-content'] as const)('requestApprovals (requestApprovalsReply: %s)', (requestApprovalsReply) => {
  beforeEach(() => offerTenant(h, { requestApprovalsReply }));

  it('asks the first group of a sequential flow, as the acting user', async () => {
    const flow = await flowOf(OFFER_ON_951);
    expect(flow).toMatchObject({ approval_type: 'offer_candidate', approval_status: 'pending', requested_by_id: null, sequential: true, job_id: 801 });
    const result = await client.requestApprovals(flow.id);
    expect(result).toMatchObject({ outcome: 'requested', flow: { id: flow.id, requested_by_id: 301, approval_status: 'pending' } });
    expect(await approverStatuses(flow.id)).toEqual([['due'], ['waiting', 'waiting']]);
    const due = await collect(client.listApprovers({ status: 'due' }));
    expect(due.map((a) => [a.user_id, typeof a.request_sent_at])).toEqual([[302, 'string']]);
    expect(h.requests(REQUEST_ROUTE)).toBe(1);
  });

  it('asks every group at once when the flow is not sequential', async () => {
    const flow = await flowOf(OFFER_ON_955);
    await client.requestApprovals(flow.id);
    expect(await approverStatuses(flow.id)).toEqual([['due'], ['due']]);
  });

  it('does not ask again: a flow already requested answers already-requested without a request', async () => {
    const flow = await flowOf(OFFER_ON_951);
    await client.requestApprovals(flow.id);
    const again = await client.requestApprovals(flow.id);
    expect(again).toMatchObject({ outcome: 'already-requested', flow: { requested_by_id: 301 } });
    expect(h.requests(REQUEST_ROUTE)).toBe(1);
  });

  it('looks for the request after a lost reply instead of repeating it', async () => {
    const flow = await flowOf(OFFER_ON_951);
    const losing = losingFirstAnswer('POST', '/request_approvals');
    const result = await h.client({ sub: 301, fetch: losing }).requestApprovals(flow.id);
    expect(losing.lost()).toBe(true);
    expect(result.outcome).toBe('requested');
    expect(h.requests(REQUEST_ROUTE)).toBe(1);
    expect(await approverStatuses(flow.id)).toEqual([['due'], ['waiting', 'waiting']]);
  });

  it('repeats a request that failed before reaching Greenhouse, once the flow shows it was not started', async () => {
    const flow = await flowOf(OFFER_ON_951);
    let failed = false;
    const failing: typeof fetch = async (input, init) => {
      if (!failed && init?.method === 'POST' && String(input).endsWith('/request_approvals')) {
        failed = true;
        return new Response('', { status: 503 });
      }
      return fetch(input, init);
    };
    const result = await h.client({ sub: 301, fetch: failing }).requestApprovals(flow.id);
    expect([failed, result.outcome, h.requests(REQUEST_ROUTE)]).toEqual([true, 'requested', 1]);
  });

  it('reads a 422 from a race with a recruiter as already-requested', async () => {
    const flow = await flowOf(OFFER_ON_951);
    const racing: typeof fetch = async (input, init) => {
      if (init?.method === 'POST' && String(input).endsWith('/request_approvals')) {
        await h.admin('POST', `/approval_flows/${flow.id}/request_approvals`, { user_id: 302 });
      }
      return fetch(input, init);
    };
    const result = await h.client({ sub: 301, fetch: racing }).requestApprovals(flow.id);
    expect(result).toMatchObject({ outcome: 'already-requested', flow: { requested_by_id: 302 } });
    expect(h.requests(REQUEST_ROUTE)).toBe(1);
  });

  it('surfaces a flow that cannot be started as ValidationFailed, and an unknown flow as NotFound', async () => {
    await h.admin('PUT', '/scenario', { name: 'bare flow', users: [{ id: 301, first_name: 'R', last_name: 'A', site_admin: true }], approval_flows: [{ id: 77, job_id: 801 }] });
    const refused = await client.requestApprovals(77).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationFailed);
    expect((refused as ValidationFailed).messages.join(' ')).toMatch(/approver groups/);
    expect(await client.requestApprovals(78).catch((e: unknown) => e)).toBeInstanceOf(NotFound);
  });

  it('does not take a 2xx for done when the flow does not show it', async () => {
    const flow = await flowOf(OFFER_ON_951);
    const ignoring: typeof fetch = async (input, init) =>
      init?.method === 'POST' && String(input).endsWith('/request_approvals') ? new Response(null, { status: 204 }) : fetch(input, init);
    const error = await h.client({ sub: 301, fetch: ignoring }).requestApprovals(flow.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionNotConfirmed);
    expect((await flowOf(OFFER_ON_951)).requested_by_id).toBeNull();
  });

  it('names the missing scope when the credential cannot request approvals', async () => {
    const flow = await flowOf(OFFER_ON_951);
    const error = await failureWithout('harvest:approval_flows:request_approvals', () => client.requestApprovals(flow.id));
    expect(error).toBeInstanceOf(Forbidden);
    expect((error as Forbidden).missingScope).toBe('harvest:approval_flows:request_approvals');
    expect((await flowOf(OFFER_ON_951)).requested_by_id).toBeNull();
  });
});
