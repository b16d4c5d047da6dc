import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect } from '#adapters/greenhouse/client';
import { reconcileCandidate } from '#core/sync/reconcile-candidate';
import { clientFor } from '../beamery/harness.ts';
import { startSyncHarness, type SyncHarness } from '../sync/candidate-harness.ts';

/**
 * Rejection reasons through the Greenhouse → Beamery sync: a rejected application's reason reaches its
 * vacancy membership whether or not v3 applications carry `rejection_reason_id` (ASSUMED
 * `rejectionReasons`), because the sync reads it from `/v3/rejection_details`.
 */
describe.each(['on-application', 'rejection-details-only'] as const)('rejection reason sync (%s)', (rejectionReasons) => {
  let h: SyncHarness;
  beforeEach(async () => {
    h = await startSyncHarness();
    await h.greenhouse.admin('PUT', '/settings', { apiContract: { rejectionReasons } });
  });
  afterEach(async () => h.close());

  /** Job 802's vacancy, as the job sync creates it, linked in the IdMap. */
  const linkJob802 = async () => {
    const stages = await collect(h.greenhouse.client().listJobInterviewStages([802]));
    const vacancy = await clientFor(h.beamery).createVacancy({ title: 'Product Designer', greenhouseJobId: '802', stages: stages.map((s, order) => ({ name: s.name!, order })) });
    await h.idMap.put({ greenhouseKey: 'greenhouse#job#802', beameryKey: `beamery#vacancy#${vacancy.id}`, status: 'active', updatedAt: new Date().toISOString() });
    return vacancy.id;
  };

  it('carries the rejection reason to the membership', async () => {
    const vacancyId = await linkJob802();
    const result = await reconcileCandidate(h.trigger(903), h.deps);
    expect(result.outcome).toBe('created');
    if (result.outcome !== 'created') return;
    expect(h.beamery.state.memberships.get(`${result.contactId}|${vacancyId}`)).toMatchObject({ rejectionReason: 'Lacking skill(s)' });
  });

  it('reads no rejection details for a candidate with no rejected application', async () => {
    await reconcileCandidate(h.trigger(901), h.deps);
    expect(h.greenhouse.requests('GET /v3/rejection_details')).toBe(0);
  });
});
