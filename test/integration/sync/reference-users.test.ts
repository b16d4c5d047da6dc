import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { matchUsersByEmail, syncUsers, type BeameryUserEmail, type GreenhouseUserEmails, type UserSyncDependencies } from '#core/sync/reference-users';
import type { IdMapStore, Link } from '#core/sync/ports';
import { InMemoryIdMap } from '#adapters/store/in-memory';
import { SimClock } from '#local/simulators/shared/clock';
import type { BeamerySimulator } from '#local/simulators/beamery/server';
import { readScenarioFile } from '#local/simulators/beamery/scenario';
import { DEFAULT_BEAMERY_SCENARIO_PATH } from '#local/simulators/beamery/paths';
import { startHarness, type Harness } from '../greenhouse/support.ts';
import { clientFor, startSimulator } from '../beamery/harness.ts';

describe('matchUsersByEmail', () => {
  const gh = (id: number, primary_email?: string | null, emails?: string[]): GreenhouseUserEmails => ({ id, primary_email, ...(emails ? { emails } : {}) });
  const bm = (id: string, email?: string): BeameryUserEmail => ({ id, ...(email !== undefined ? { email } : {}) });

  const cases: { name: string; greenhouse: GreenhouseUserEmails[]; beamery: BeameryUserEmail[]; matches: [number, string][]; unmatched: number[] }[] = [
    { name: 'same email', greenhouse: [gh(1, 'a@x.test')], beamery: [bm('b1', 'a@x.test')], matches: [[1, 'b1']], unmatched: [] },
    { name: 'case and spaces ignored', greenhouse: [gh(1, ' Ann.Lee@X.Test ')], beamery: [bm('b1', 'ann.lee@x.TEST')], matches: [[1, 'b1']], unmatched: [] },
    { name: 'any of emails', greenhouse: [gh(1, 'work@x.test', ['old@x.test', 'Alias@X.test'])], beamery: [bm('b1', 'alias@x.test')], matches: [[1, 'b1']], unmatched: [] },
    { name: 'same Beamery user through two emails', greenhouse: [gh(1, 'a@x.test', ['b@x.test'])], beamery: [bm('b1', 'a@x.test')], matches: [[1, 'b1']], unmatched: [] },
    { name: 'no email in common', greenhouse: [gh(1, 'a@x.test')], beamery: [bm('b1', 'z@x.test')], matches: [], unmatched: [1] },
    { name: 'two Beamery users, same email: ambiguous', greenhouse: [gh(1, 'a@x.test')], beamery: [bm('b1', 'a@x.test'), bm('b2', 'A@x.test')], matches: [], unmatched: [1] },
    { name: 'emails reaching two Beamery users: ambiguous', greenhouse: [gh(1, 'a@x.test', ['b@x.test'])], beamery: [bm('b1', 'a@x.test'), bm('b2', 'b@x.test')], matches: [], unmatched: [1] },
    { name: 'two Greenhouse users on one Beamery user: ambiguous', greenhouse: [gh(1, 'a@x.test'), gh(2, null, ['A@x.test'])], beamery: [bm('b1', 'a@x.test')], matches: [], unmatched: [1, 2] },
    { name: 'empty and missing emails never match', greenhouse: [gh(1, ''), gh(2, null), gh(3)], beamery: [bm('b1', ''), bm('b2')], matches: [], unmatched: [1, 2, 3] },
    {
      name: 'several at once',
      greenhouse: [gh(1, 'a@x.test'), gh(2, 'b@x.test'), gh(3, 'c@x.test')],
      beamery: [bm('b3', 'C@x.test'), bm('b1', 'a@x.test'), bm('bx', 'b@x.test'), bm('by', 'b@x.test')],
      matches: [[1, 'b1'], [3, 'b3']],
      unmatched: [2],
    },
  ];

  it.each(cases)('$name', ({ greenhouse, beamery, matches, unmatched }) => {
    const result = matchUsersByEmail(greenhouse, beamery);
    expect(result.matches).toEqual(matches.map(([greenhouseId, beameryId]) => ({ greenhouseId, beameryId })));
    expect(result.unmatched).toEqual(unmatched);
  });
});

/**
 * Both simulators in this process, the default scenarios, and Beamery users seeded through the
 * Beamery admin API (the default scenarios share no email): 301-303 match (302 and 303 in another
 * case), 304's email belongs to two Beamery users, 305 is a service account (hidden).
 */
describe('syncUsers through both simulators', () => {
  let gh: Harness;
  let beamery: BeamerySimulator;
  let idMap: InMemoryIdMap;
  let puts: Link[];
  let deps: UserSyncDependencies;

  beforeEach(async () => {
    gh = await startHarness({ clock: new SimClock(1) });
    beamery = await startSimulator({ scenario: await readScenarioFile(DEFAULT_BEAMERY_SCENARIO_PATH) });
    const seeded = await beamery.app.inject({
      method: 'POST',
      url: '/_admin/seed',
      payload: {
        users: [
          { id: 'e0000000000000000301', email: 'rowan.ashby@example.test' },
          { id: 'e0000000000000000302', email: 'Mira.Kestrel@Example.TEST' },
          { id: 'e0000000000000000303', email: 'TOBIAS.WREN@example.test' },
          { id: 'e0000000000000003041', email: 'imogen.falk@example.test' },
          { id: 'e0000000000000003042', email: 'imogen.falk@example.test' },
        ],
      },
    });
    expect(seeded.statusCode).toBe(200);
    idMap = new InMemoryIdMap();
    puts = [];
    // Counts every write the sync makes.
    const counted: IdMapStore = {
      byGreenhouse: (key) => idMap.byGreenhouse(key),
      byBeamery: (key) => idMap.byBeamery(key),
      put: async (link) => {
        puts.push(link);
        await idMap.put(link);
      },
    };
    deps = { greenhouse: gh.client(), beamery: clientFor(beamery), idMap: counted, clock: gh.clock };
  });

  afterEach(async () => {
    await gh.close();
    await beamery.close();
  });

  const link = (greenhouseId: number) => idMap.byGreenhouse(`greenhouse#user#${greenhouseId}`);

  it('links the users with a unique email match, then writes nothing on the next run', async () => {
    expect(await syncUsers(deps)).toEqual({ linked: 3, unchanged: 0, unmatched: 1, unlinked: 0 });
    expect(puts).toHaveLength(3);
    expect(await link(301)).toMatchObject({ beameryKey: 'beamery#user#e0000000000000000301', status: 'active' });
    expect(await link(302)).toMatchObject({ beameryKey: 'beamery#user#e0000000000000000302', status: 'active' });
    expect(await link(303)).toMatchObject({ beameryKey: 'beamery#user#e0000000000000000303', status: 'active' });
    expect(await link(304)).toBeUndefined();
    expect(await link(305)).toBeUndefined();
    expect(await idMap.byBeamery('beamery#user#e0000000000000000302')).toHaveLength(1);

    puts.length = 0;
    expect(await syncUsers(deps)).toEqual({ linked: 0, unchanged: 3, unmatched: 1, unlinked: 0 });
    expect(puts).toHaveLength(0);
  });

  it('marks the link deleted when the Greenhouse user is deactivated or the Beamery user is gone', async () => {
    await syncUsers(deps);
    puts.length = 0;

    // A deactivation in Greenhouse (no admin route for users: a state change, as the UI would make it).
    const mira = gh.sim.state.get('users', 302);
    if (!mira) throw new Error('scenario user 302 missing');
    mira.deactivated = true;
    // The Beamery user of 301 removed from the tenant.
    beamery.state.users.delete('e0000000000000000301');

    expect(await syncUsers(deps)).toEqual({ linked: 0, unchanged: 1, unmatched: 2, unlinked: 2 });
    expect(puts.map((p) => [p.greenhouseKey, p.status])).toEqual([
      ['greenhouse#user#301', 'deleted'],
      ['greenhouse#user#302', 'deleted'],
    ]);
    expect(await link(302)).toMatchObject({ beameryKey: 'beamery#user#e0000000000000000302', status: 'deleted' });
    expect(await link(303)).toMatchObject({ status: 'active' });

    // Already deleted: not written again.
    puts.length = 0;
    expect(await syncUsers(deps)).toEqual({ linked: 0, unchanged: 1, unmatched: 2, unlinked: 0 });
    expect(puts).toHaveLength(0);

    // Reactivated: linked again.
    mira.deactivated = false;
    expect(await syncUsers(deps)).toEqual({ linked: 1, unchanged: 1, unmatched: 2, unlinked: 0 });
    expect(await link(302)).toMatchObject({ status: 'active' });
  });
});
