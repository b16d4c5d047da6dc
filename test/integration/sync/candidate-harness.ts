import { SimClock } from '#local/simulators/shared/clock';
import { InMemoryAudit, InMemoryIdMap, InMemoryLedger } from '#adapters/store/in-memory';
import type { CandidateSyncDependencies, CandidateTrigger } from '#core/sync/reconcile-candidate';
import type { ContactTrigger } from '#core/sync/reconcile-contact';
import type { BeamerySimulator } from '#local/simulators/beamery/server';
import { readScenarioFile } from '#local/simulators/beamery/scenario';
import { DEFAULT_BEAMERY_SCENARIO_PATH } from '#local/simulators/beamery/paths';
import { startHarness, type Harness } from '../greenhouse/support.ts';
import { clientFor, startSimulator } from '../beamery/harness.ts';

/**
 * Both simulators in this process, clients on them, in-memory stores: what the Greenhouse-changes
 * consumer is given, minus DynamoDB (the stores have their own contract test on DynamoDB Local).
 */
export interface SyncHarness {
  readonly greenhouse: Harness;
  readonly beamery: BeamerySimulator;
  readonly deps: CandidateSyncDependencies;
  readonly idMap: InMemoryIdMap;
  readonly ledger: InMemoryLedger;
  readonly audit: InMemoryAudit;
  /** Requests Beamery saw that change something (token requests aside). */
  beameryWrites(): number;
  greenhouseReads(): number;
  trigger(candidateId: number, origin?: CandidateTrigger['origin']): CandidateTrigger;
  /** A Beamery contact change as the poller (or a push request) hands it to reconcileContact. */
  contactTrigger(contactId: string, pushRequested?: boolean): ContactTrigger;
  /** The Beamery simulator's admin API; a status of 300 or more fails. */
  beameryAdmin<T = unknown>(method: 'POST' | 'PATCH', url: string, payload: object): Promise<T>;
  close(): Promise<void>;
}

export const IDENTITY_KEY = 'test-identity-key';

export async function startSyncHarness(): Promise<SyncHarness> {
  const greenhouse = await startHarness({ clock: new SimClock(1) });
  const beamery = await startSimulator({ scenario: await readScenarioFile(DEFAULT_BEAMERY_SCENARIO_PATH) });
  const idMap = new InMemoryIdMap();
  const ledger = new InMemoryLedger();
  const audit = new InMemoryAudit();
  const deps: CandidateSyncDependencies = {
    greenhouse: greenhouse.client(),
    beamery: clientFor(beamery),
    idMap,
    ledger,
    audit,
    clock: greenhouse.clock,
    options: { identityKey: IDENTITY_KEY },
  };
  const countWhere = (counts: Record<string, number>, keep: (route: string) => boolean) =>
    Object.entries(counts).reduce((sum, [route, n]) => (keep(route) ? sum + n : sum), 0);
  return {
    greenhouse,
    beamery,
    deps,
    idMap,
    ledger,
    audit,
    beameryWrites: () =>
      countWhere(
        Object.fromEntries(Object.entries(beamery.requests.snapshot()).map(([route, e]) => [route, e.total])),
        (route) => /^(POST|PATCH|PUT|DELETE) /.test(route) && !route.includes('/oauth/token'),
      ),
    greenhouseReads: () => countWhere(greenhouse.sim.counts.snapshot(), (route) => route.startsWith('GET /v3/')),
    // Observed now: after any earlier reconcile of this test, so never covered by it by accident.
    trigger: (candidateId, origin = 'webhook') => ({ candidateId: String(candidateId), observedAt: new Date(greenhouse.clock.now()).toISOString(), origin }),
    contactTrigger: (contactId, pushRequested = false) => ({
      contactId,
      observedAt: new Date(greenhouse.clock.now()).toISOString(),
      origin: pushRequested ? 'push' : 'poll',
      pushRequested,
    }),
    beameryAdmin: async <T>(method: 'POST' | 'PATCH', url: string, payload: object): Promise<T> => {
      const response = await beamery.app.inject({ method, url: `/_admin${url}`, payload });
      if (response.statusCode >= 300) throw new Error(`beamery admin ${method} ${url}: ${response.statusCode} ${response.body}`);
      return response.json() as T;
    },
    close: async () => {
      await greenhouse.close();
      await beamery.close();
    },
  };
}
