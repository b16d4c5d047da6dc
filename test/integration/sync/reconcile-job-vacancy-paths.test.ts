import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconcileJob, type JobSyncDependencies, type JobTrigger } from '#core/sync/reconcile-job';
import type { GreenhouseEventEnvelope } from '#core/envelope';
import { CapabilityBroken } from '#adapters/beamery/client';
import { InMemoryAudit, InMemoryIdMap, InMemoryLedger } from '#adapters/store/in-memory';
import { SimClock } from '#local/simulators/shared/clock';
import type { BeamerySimulator } from '#local/simulators/beamery/server';
import { startHarness, type Harness } from '../greenhouse/support.ts';
import { clientFor, startSimulator } from '../beamery/harness.ts';

/**
 * The job sync against a Beamery whose vacancy routes are not the ASSUMED `/vacancy…` but the plural
 * `/vacancies…` (simulator switch `paths.vacancy`): the sync fails with CapabilityBroken naming the
 * capability, writes no link, does not hold its create claim, and never reads the 404 as "vacancy gone".
 */
describe('reconcile a Greenhouse job when the ASSUMED vacancy paths are wrong', () => {
  let gh: Harness;
  let beamery: BeamerySimulator;
  let idMap: InMemoryIdMap;
  let audit: InMemoryAudit;
  let deps: JobSyncDependencies;

  beforeEach(async () => {
    gh = await startHarness({ clock: new SimClock(1) });
    beamery = await startSimulator();
    idMap = new InMemoryIdMap();
    audit = new InMemoryAudit();
    deps = { greenhouse: gh.client(), beamery: clientFor(beamery), idMap, ledger: new InMemoryLedger(), audit, clock: gh.clock, options: {} };
  });
  afterEach(async () => {
    await gh.close();
    await beamery.close();
  });

  const now = () => new Date(gh.clock.now()).toISOString();
  const trigger = (jobId: number): JobTrigger => ({ jobId: String(jobId), observedAt: now() });
  const deleted = (jobId: number): GreenhouseEventEnvelope => ({
    v: 1,
    kind: 'greenhouse.event',
    entityKey: `greenhouse#job#${jobId}`,
    origin: 'webhook',
    observedAt: now(),
    deliveryId: `delivery-${jobId}-deleted`,
    action: 'job_deleted',
    refs: {},
  });

  it('fails a create with CapabilityBroken naming vacancyCreate, links nothing and gives its claim back', async () => {
    beamery.settings.update({ paths: { vacancy: '/vacancies' } });

    await expect(reconcileJob(trigger(801), deps)).rejects.toMatchObject({ name: 'CapabilityBroken', capability: 'vacancyCreate', operation: 'POST /vacancy' });
    expect(await idMap.byGreenhouse('greenhouse#job#801')).toBeUndefined();
    expect(beamery.state.vacancies.size).toBe(0);
    // The claim was returned: a retry meets the same clear error, not "being created by another reconcile".
    await gh.clock.advance(1_000);
    await expect(reconcileJob(trigger(801), deps)).rejects.toBeInstanceOf(CapabilityBroken);
  });

  it('does not close a linked vacancy as "not found" when the update path 404s for it', async () => {
    const created = await reconcileJob(trigger(801), deps);
    await gh.admin('PATCH', '/jobs/801', { status: 'closed' });
    await gh.admin('DELETE', '/jobs/801');
    await gh.clock.advance(1_000);
    beamery.settings.update({ paths: { vacancy: '/vacancies' } });
    deps = { ...deps, beamery: clientFor(beamery) };

    await expect(reconcileJob(deleted(801), deps)).rejects.toMatchObject({ name: 'CapabilityBroken', capability: 'vacancyUpdate' });
    expect(await idMap.byGreenhouse('greenhouse#job#801')).toMatchObject({ beameryKey: `beamery#vacancy#${created.vacancyId}`, status: 'active' });
    expect(await audit.list('greenhouse#job#801')).toEqual([]);
  });
});
