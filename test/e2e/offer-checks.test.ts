import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entityKey } from '#core/envelope';
import { AI_NOTE_PREFIX } from '#core/ai/ai-notes';
import { callJson } from '../support/http.ts';
import { startE2eStack, type E2eStack } from '../support/e2e-stack.ts';
import { eventually, untilQuiet } from '../support/queues.ts';
import { offerScenario } from '../integration/greenhouse/offer-scenario.ts';

/**
 * Offer checks end to end on the local stack, in assist mode with approvals requested: a recruiter
 * makes an offer in the Greenhouse simulator → `offer_created` → ingest → ai-tasks.fifo → the AI
 * consumer → a private note on the application and, when every check passes, the offer's approvals
 * requested. Job 801 (Engineering, Berlin and Remote) has a band of EUR 100,000–130,000 here and
 * shows EUR 100,000–130,000 (its `salary_band` field); Berlin's rule requires the range shown.
 */
const SECRET = 'offer-checks-secret';
const WAIT = 30_000;

interface NoteRow {
  readonly application_id: number | null;
  readonly body: string;
  readonly visibility: string;
}
interface FlowRow {
  readonly id: number;
  readonly offer_id: number | null;
  readonly requested_by_id: number | null;
  readonly approval_status: string | null;
}
interface Answer {
  readonly offer: { readonly id: number };
  readonly approval_flow: FlowRow | null;
}

let e2e: E2eStack;
const greenhouse = () => e2e.stack.greenhouse;
const table = <T>(name: string) => callJson<T[]>(greenhouse(), 'GET', `/_admin/state?table=${name}`);
const checksNote = async (applicationId: number) => (await table<NoteRow>('notes')).filter((n) => n.application_id === applicationId && n.body.startsWith(AI_NOTE_PREFIX.offers));
const flowOf = async (offerId: number) => (await table<FlowRow>('approval_flows')).find((f) => f.offer_id === offerId);
const quiet = () => untilQuiet(e2e.sqs, Object.values(e2e.stack.resources.queues).map((q) => q.url), 1_500, WAIT);
const salary = (amount: number) => ({ base_salary: { amount, unit: 'EUR' } });
/** Writes the bridge must never make: an offer created, changed or sent, or an approval given, through the API. */
const decisionWrites = async () =>
  Object.entries(await callJson<Record<string, number>>(greenhouse(), 'GET', '/_admin/requests'))
    .filter(([route]) => /^(POST|PATCH|PUT|DELETE) \/v3\/offers|approve|\/send/.test(route))
    .map(([route]) => route);

beforeAll(async () => {
  e2e = await startE2eStack({
    webhookSecret: SECRET,
    greenhouseRateLimit: 5_000,
    pollIntervalMs: 0,
    ai: {
      provider: 'offline',
      offers: {
        enabled: true,
        mode: 'assist',
        scope: { allJobs: true },
        payField: 'base_salary',
        requestApprovals: true,
        bands: [{ departmentIds: [101], currency: 'EUR', min: 100_000, max: 130_000 }],
      },
      payTransparency: { rules: [{ match: { officeNames: ['Berlin'] }, jurisdiction: 'Germany (EU pay transparency)' }], jobPayRangeField: 'salary_band' },
    },
  });
  await callJson(greenhouse(), 'PUT', '/_admin/scenario', offerScenario());
}, 60_000);

afterAll(async () => {
  await e2e?.stop();
});

const newOffer = (applicationId: number, amount: number) =>
  callJson<Answer>(greenhouse(), 'POST', '/_admin/offers', {
    application_id: applicationId,
    opening_id: 861,
    starts_on: '2027-02-01',
    custom_fields: salary(amount),
    approval: { approver_groups: [{ user_ids: [302] }] },
  });

describe('offer checks', () => {
  it('an in-band offer gets a passing checks note and its approvals requested', async () => {
    const { offer } = await newOffer(952, 120_000);
    const [note] = await eventually(async () => {
      const notes = await checksNote(952);
      return notes.length ? notes : undefined;
    }, WAIT, 'the offer checks note');
    await quiet();
    expect(note!.visibility).toMatch(/private/);
    expect(note!.body).toMatch(new RegExp(`^AI offer checks for offer ${offer.id}.*: 5 of 5 checks passed · advisory, not a decision`));
    expect(note!.body).toContain('✓ Pay within band — offer EUR 120,000 · band EUR 100,000–130,000');
    expect(note!.body).toContain('Approvals requested from approval flow');
    expect((await flowOf(offer.id))?.requested_by_id).not.toBeNull();
    const [audit] = await e2e.audit.list(entityKey('greenhouse', 'application', 952));
    expect(audit).toMatchObject({ kind: 'offer-check', detail: { offerId: offer.id, passed: 5, failed: 0, approvals: 'requested' } });
  });

  it('an out-of-band offer (a new version of one) gets a failing note that says by how much, and no approval request', async () => {
    // Pay makes a new version: offer_updated for the old one (superseded, not checked), offer_created for the new.
    const { offer } = await callJson<Answer>(greenhouse(), 'PATCH', '/_admin/offers/1101', { custom_fields: salary(150_000) });
    expect(offer.id).not.toBe(1101);
    const [note] = await eventually(async () => {
      const notes = await checksNote(951);
      return notes.length ? notes : undefined;
    }, WAIT, 'the failing offer checks note');
    await quiet();
    expect(await checksNote(951)).toHaveLength(1);
    expect(note!.body).toMatch(new RegExp(`^AI offer checks for offer ${offer.id}`));
    expect(note!.body).toContain('✗ Pay within band');
    expect(note!.body).toContain('EUR 150,000 is 15.4 % above the maximum of the band (EUR 130,000).');
    expect(note!.body).toContain('Approvals not requested: 2 checks failed.');
    expect((await flowOf(offer.id))?.requested_by_id ?? null).toBeNull();
  });

  it('never approves, changes or sends an offer: it only read offers and asked for approvals', async () => {
    expect(await decisionWrites()).toEqual([]);
    const routes = Object.keys(await callJson<Record<string, number>>(greenhouse(), 'GET', '/_admin/requests'));
    expect(routes.filter((route) => route.includes('request_approvals') && !route.includes('_admin'))).toHaveLength(1);
    expect(routes).toContain('GET /v3/offers');
  });
});
