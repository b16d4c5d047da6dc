import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect } from '#core/async-iterables';
import { largestRemainder } from '#local/simulators/greenhouse/admin/eeoc';
import { DEFAULT_API_CONTRACT } from '#local/simulators/greenhouse/api-contract';
import { failureWithoutScope, startHarness, type Harness } from './support.ts';

/**
 * `GET /v3/eeoc` through the client against the simulator: the generator's shares dealt out in the
 * order of the ids, both readings of a skipped question (ASSUMED `eeocSkipped`), the filters, and the
 * scope it needs.
 */
let h: Harness;
let applicationIds: number[];

beforeAll(async () => {
  h = await startHarness();
  const apps = await h.admin<{ id: number; prospect: boolean }[]>('GET', '/state?table=applications');
  applicationIds = apps.filter((a) => !a.prospect).map((a) => a.id).slice(0, 4);
});
afterAll(() => h?.close());

async function generate(): Promise<void> {
  await h.admin('POST', '/generate/eeoc', {
    application_ids: applicationIds,
    cells: [
      { gender: 'Female', race: 'Asian', share: 3 },
      { gender: null, race: 'Decline To Self Identify', share: 1 },
    ],
    submitted_at: '2026-11-02T10:00:00Z',
  });
}

describe('GET /v3/eeoc', () => {
  it('lists one answer per application, as generated, with a skipped question null', async () => {
    await h.freshTenant(DEFAULT_API_CONTRACT);
    await generate();
    const rows = await collect(h.client().listEeoc({ application_ids: applicationIds }));
    expect(rows.map((r) => r.application_id).sort()).toEqual([...applicationIds].sort());
    const byApp = new Map(rows.map((r) => [r.application_id, r]));
    for (const id of applicationIds.slice(0, 3)) expect(byApp.get(id)).toMatchObject({ gender: { id: 2, description: 'Female' }, race: { id: 2, description: 'Asian' } });
    const last = byApp.get(applicationIds[3]!)!;
    expect(last.gender).toBeNull();
    expect(last.race).toEqual({ id: 8, description: 'Decline To Self Identify' });
    expect(await collect(h.client().listEeoc({ application_ids: [applicationIds[0]!] }))).toHaveLength(1);
  });

  it('reads a skipped question left out (the other assumed reading) as unanswered too', async () => {
    await h.freshTenant({ ...DEFAULT_API_CONTRACT, eeocSkipped: 'absent' });
    await generate();
    const rows = await collect(h.client().listEeoc({ application_ids: [applicationIds[3]!] }));
    expect(rows).toHaveLength(1);
    expect('gender' in rows[0]!).toBe(false);
    expect(rows[0]!.gender?.description).toBeUndefined();
    await h.freshTenant(DEFAULT_API_CONTRACT);
  });

  it('needs the harvest:eeoc:list scope', async () => {
    const error = await failureWithoutScope(h, 'harvest:eeoc:list', () => collect(h.client().listEeoc({ application_ids: applicationIds })));
    expect(error).toMatchObject({ status: 403 });
  });

  it('refuses a category outside Greenhouse’s EEOC reference and an unknown application', async () => {
    await expect(h.admin('POST', '/generate/eeoc', { application_ids: applicationIds, cells: [{ gender: 'Robot', share: 1 }] })).rejects.toThrow(/422/);
    await expect(h.admin('POST', '/generate/eeoc', { application_ids: [999_999], cells: [{ gender: 'Male', share: 1 }] })).rejects.toThrow(/422/);
  });
});

describe('largestRemainder', () => {
  it('turns shares into counts that sum to the total, remainders to the largest fractions first', () => {
    expect(largestRemainder([16, 8, 6, 4, 1, 1], 36)).toEqual([16, 8, 6, 4, 1, 1]);
    expect(largestRemainder([1, 1, 1], 10)).toEqual([4, 3, 3]);
    expect(largestRemainder([0.5, 0.3, 0.2], 7)).toEqual([4, 2, 1]);
  });
});
