import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GreenhouseClient } from '#adapters/greenhouse/client';
import { InMemoryAiMemory } from '#adapters/store/ai-memory';
import { InMemoryAudit } from '#adapters/store/in-memory';
import { entityKey } from '#core/envelope';
import { checkOfferForApproval, type OfferChecksDependencies } from '#core/ai/offers/workflow';
import { offerSettingsSchema, payTransparencySchema } from '#core/ai/settings';
import { OFFER_ON_951, OFFER_ON_955, offerTenant } from '../greenhouse/offer-scenario.ts';
import { startHarness, type Harness } from '../greenhouse/support.ts';

/**
 * Offer checks below the queue: the real Greenhouse client against the simulator's offers, approval
 * flows and openings (test/integration/greenhouse/offer-scenario.ts), in-memory AI memory and Audit.
 * Offer 1101 (job 801, Engineering, Berlin and Remote) pays EUR 120,000 from 2027-01-11, its opening's
 * target being 2027-01-04; offer 1102 is on job 802.
 */
let h: Harness;
let client: GreenhouseClient;
let memory: InMemoryAiMemory;
let audit: InMemoryAudit;

beforeAll(async () => {
  h = await startHarness();
  client = h.client({ sub: 301 });
});
afterAll(async () => h.close());
beforeEach(async () => {
  await offerTenant(h);
  memory = new InMemoryAiMemory();
  audit = new InMemoryAudit();
});

function deps(settings: Record<string, unknown> = {}): OfferChecksDependencies {
  return {
    greenhouse: client,
    memory,
    audit,
    clock: { now: () => Date.parse('2026-12-04T12:00:00Z'), sleep: async () => undefined },
    settings: offerSettingsSchema.parse({
      enabled: true,
      mode: 'assist',
      scope: { jobIds: [801] },
      payField: 'base_salary',
      requestApprovals: true,
      bands: [{ departmentIds: [101], currency: 'EUR', min: 100_000, max: 130_000 }],
      ...settings,
    }),
    payTransparency: payTransparencySchema.parse({ rules: [{ match: { officeNames: ['Berlin'] }, jurisdiction: 'Germany' }], jobPayRangeField: 'salary_band' }),
  };
}

const writes = () => Object.keys(h.sim.counts.snapshot()).filter((route) => !route.startsWith('GET ') && route !== 'POST /token');
const auditOf951 = () => audit.list(entityKey('greenhouse', 'application', 951));

describe('checkOfferForApproval', () => {
  it('assist: every check passes for an in-band offer; one private note, and its approvals requested once', async () => {
    const outcome = await checkOfferForApproval(OFFER_ON_951, deps());
    expect(outcome).toMatchObject({ outcome: 'checked', mode: 'assist', noteWritten: true, approvals: { kind: 'requested' } });
    expect(outcome.outcome === 'checked' && outcome.checks.every((c) => c.passed)).toBe(true);
    expect(writes().sort()).toEqual(['POST /v3/approval_flows/:id/request_approvals', 'POST /v3/notes']);
    // The same offer again (a redelivery): nothing written, nothing asked.
    h.sim.counts.reset();
    expect(await checkOfferForApproval(OFFER_ON_951, deps())).toEqual({ outcome: 'already-checked', offerId: OFFER_ON_951 });
    expect(writes()).toEqual([]);
    expect(await auditOf951()).toHaveLength(1);
  });

  it('shadow mode writes only the Audit: no note, no approval request', async () => {
    const outcome = await checkOfferForApproval(OFFER_ON_951, deps({ mode: 'shadow' }));
    expect(outcome).toMatchObject({ outcome: 'checked', mode: 'shadow', noteWritten: false, approvals: { kind: 'not-requested', reason: 'shadow' } });
    expect(writes()).toEqual([]);
    expect(await auditOf951()).toEqual([expect.objectContaining({ kind: 'offer-check', detail: expect.objectContaining({ mode: 'shadow', approvals: 'not-requested', noteWritten: false }) })]);
  });

  it('with requesting approvals off, the note says so and nothing is asked', async () => {
    const outcome = await checkOfferForApproval(OFFER_ON_951, deps({ requestApprovals: false }));
    expect(outcome).toMatchObject({ approvals: { kind: 'not-requested', reason: 'setting-off' } });
    expect(writes()).toEqual(['POST /v3/notes']);
  });

  it('a start date before the opening’s target fails, and no approval is requested', async () => {
    // A new start date makes a new version of the offer.
    const { offer } = await h.admin<{ offer: { id: number } }>('PATCH', `/offers/${OFFER_ON_951}`, { starts_on: '2027-01-01' });
    h.sim.counts.reset();
    const outcome = await checkOfferForApproval(offer.id, deps());
    expect(outcome.outcome === 'checked' && outcome.checks.find((c) => c.check === 'start-date')).toMatchObject({
      passed: false,
      findings: [{ severity: 'fail', message: "The start date 2027-01-01 is before the opening's target start date 2027-01-04." }],
    });
    expect(outcome).toMatchObject({ approvals: { kind: 'not-requested', reason: 'checks-failed' } });
    expect(writes()).toEqual(['POST /v3/notes']);
  });

  it('skips a job out of scope, a superseded version and an unknown offer, reading no further and writing nothing', async () => {
    expect(await checkOfferForApproval(OFFER_ON_955, deps())).toEqual({ outcome: 'skipped', reason: 'out-of-scope' });
    const { offer } = await h.admin<{ offer: { id: number } }>('PATCH', `/offers/${OFFER_ON_951}`, { custom_fields: { base_salary: { amount: 125000, unit: 'EUR' } } });
    expect(offer.id).not.toBe(OFFER_ON_951);
    expect(await checkOfferForApproval(OFFER_ON_951, deps())).toEqual({ outcome: 'skipped', reason: 'offer-superseded' });
    expect(await checkOfferForApproval(999_999, deps())).toEqual({ outcome: 'skipped', reason: 'offer-not-found' });
    expect(writes().filter((w) => !w.includes('_admin'))).toEqual([]);
  });
});
