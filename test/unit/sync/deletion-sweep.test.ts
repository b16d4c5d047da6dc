import { describe, expect, it } from 'vitest';
import type { Clock } from '#core/clock';
import { parseEnvelope } from '#core/envelope';
import type { OutgoingMessage } from '#core/webhooks/delivery';
import { SWEEP_CURSOR_KEY, sweepDeletions, type LinkPage, type SweptType } from '#core/sync/deletion-sweep';
import type { Link } from '#core/sync/ports';
import { InMemoryLedger } from '#adapters/store/in-memory';

/** The sweep's decisions against a fake Greenhouse (a set of ids per type) and an in-memory Ledger. */

class StepClock implements Clock {
  readonly slept: number[] = [];
  constructor(public at = Date.parse('2026-12-01T03:00:00Z')) {}
  now() {
    return this.at;
  }
  async sleep(ms: number) {
    this.slept.push(ms);
    this.at += ms;
  }
}

const link = (key: string): Link => ({ greenhouseKey: key, beameryKey: `beamery#x#${key}`, status: 'active', updatedAt: '2026-11-01T00:00:00Z' });

function setup(options: { candidates: number[]; jobs?: number[]; existing: Record<SweptType, Set<number>>; pageSize?: number; flaky?: Set<number> }) {
  const keys = [...options.candidates.map((id) => `greenhouse#candidate#${id}`), ...(options.jobs ?? []).map((id) => `greenhouse#job#${id}`)].sort();
  const pageSize = options.pageSize ?? 1000;
  const requests: { type: SweptType; ids: readonly number[] }[] = [];
  const published: OutgoingMessage[] = [];
  const flaky = new Set(options.flaky ?? []);
  const ledger = new InMemoryLedger();
  const clock = new StepClock();
  const deps = {
    ledger,
    clock,
    async *links(_prefixes: readonly string[], startAfter?: string): AsyncGenerator<LinkPage> {
      const rest = startAfter ? keys.filter((k) => k > startAfter) : keys;
      for (let i = 0; i < rest.length; i += pageSize) {
        const page = rest.slice(i, i + pageSize);
        yield { links: page.map(link), ...(i + pageSize < rest.length ? { next: page.at(-1)! } : {}) };
      }
    },
    async existing(type: SweptType, ids: readonly number[]) {
      requests.push({ type, ids });
      // A flaky id is missing from its first read only.
      const found = new Set(ids.filter((id) => options.existing[type].has(id) || flaky.has(id)));
      for (const id of ids) if (flaky.has(id) && requests.filter((r) => r.ids.includes(id)).length === 1) found.delete(id);
      return found;
    },
    async publish(messages: OutgoingMessage[]) {
      published.push(...messages);
    },
  };
  return { deps, requests, published, ledger, clock };
}

describe('the deletions sweep', () => {
  it('asks for linked ids 50 at a time and enqueues delete_candidate and a job change for confirmed absences only', async () => {
    const candidates = Array.from({ length: 120 }, (_, i) => i + 1);
    const { deps, requests, published } = setup({
      candidates,
      jobs: [7, 8],
      existing: { candidate: new Set(candidates.filter((id) => id !== 5 && id !== 99)), job: new Set([7]) },
      flaky: new Set([42]),
    });
    const summary = await sweepDeletions(deps, { paceMs: 0 });
    expect(summary).toMatchObject({ poller: 'deletions', checked: 122, candidatesDeleted: 2, jobsDeleted: 1, complete: true });
    expect(requests.filter((r) => r.ids.length > 50)).toEqual([]);
    const envelopes = published.map((m) => parseEnvelope(JSON.stringify(m.envelope)));
    expect(envelopes.map((e) => [e.entityKey, 'action' in e ? e.action : undefined])).toEqual([
      ['greenhouse#candidate#5', 'delete_candidate'],
      ['greenhouse#candidate#99', 'delete_candidate'],
      ['greenhouse#job#8', 'job_updated'],
    ]);
    expect(published[0]!.envelope).toMatchObject({ payload: { person: { id: 5 } }, refs: { candidateId: '5' } });
    expect(published.map((m) => m.queue)).toEqual(['greenhouse-changes', 'greenhouse-changes', 'greenhouse-changes']);
  });

  it('paces its requests and stops at its cap; the next run continues from the cursor and the one after starts over', async () => {
    const candidates = Array.from({ length: 200 }, (_, i) => i + 1);
    const { deps, requests, clock, ledger } = setup({ candidates, existing: { candidate: new Set(candidates), job: new Set() }, pageSize: 50 });
    // Each batch may take two requests (the second read of the missing ids): a third batch would not fit.
    const first = await sweepDeletions(deps, { maxRequests: 3, paceMs: 400 });
    expect(first).toMatchObject({ checked: 100, requests: 2, complete: false });
    expect(clock.slept).toEqual([400]);
    expect((await ledger.getSyncState(SWEEP_CURSOR_KEY))?.fieldHashes['cursor']).toBe(candidates.map((id) => `greenhouse#candidate#${id}`).sort()[99]);

    const second = await sweepDeletions(deps, { maxRequests: 10, paceMs: 400 });
    expect(second).toMatchObject({ checked: 100, complete: true });
    const checkedIds = requests.flatMap((r) => r.ids);
    expect(new Set(checkedIds).size).toBe(200);
    expect((await ledger.getSyncState(SWEEP_CURSOR_KEY))?.fieldHashes['cursor']).toBe('');

    const third = await sweepDeletions(deps, { paceMs: 0 });
    expect(third).toMatchObject({ checked: 200, complete: true });
  });
});
