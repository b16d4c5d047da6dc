import type { IdMapStore } from '#core/sync/ports';
import { entityIdOf, entityKey } from '#core/envelope';

/**
 * Live edits during a backfill: a recruiter's change must not wait behind the backfill's work. Every
 * `intervalMs` one candidate's title is changed in the Greenhouse simulator, which sends its signed
 * `update_candidate` webhook to the local stack's ingest, as Greenhouse would; the edit has landed
 * when the candidate's Beamery contact shows the new title. The latencies say how long a live change
 * waited while the backfill held the queue and the rate budgets.
 */
export interface LiveEditResult {
  readonly intervalMs: number;
  readonly edits: number;
  readonly landed: number;
  readonly p50Seconds: number;
  readonly p95Seconds: number;
  readonly maxSeconds: number;
}

type Admin = (method: string, path: string, body?: unknown) => Promise<unknown>;

export interface LiveEditOptions {
  readonly greenhouse: Admin;
  readonly beamery: Admin;
  readonly idMap: IdMapStore;
  /** Candidates that may be edited (non-private), used in turn. */
  readonly candidateIds: readonly number[];
  readonly intervalMs: number;
}

export function startLiveEdits(options: LiveEditOptions): { stop(): void; settle(timeoutMs: number): Promise<LiveEditResult> } {
  const pending = new Map<number, { title: string; startedAt: number }>();
  const latencies: number[] = [];
  let edits = 0;
  let injecting = true;

  const inject = setInterval(() => {
    if (!injecting) return;
    // Spread over the data: some edits meet candidates already synced, some candidates still queued.
    const id = options.candidateIds[(edits * 97) % options.candidateIds.length]!;
    if (pending.has(id)) return;
    const title = `Live edit ${++edits}`;
    pending.set(id, { title, startedAt: performance.now() });
    void options.greenhouse('PATCH', `/candidates/${id}`, { title }).catch(() => pending.delete(id));
  }, options.intervalMs);

  async function check(): Promise<void> {
    for (const [id, edit] of pending) {
      const link = await options.idMap.byGreenhouse(entityKey('greenhouse', 'candidate', id));
      if (link?.status !== 'active') continue;
      const contact = await options.beamery('GET', `/contacts/${entityIdOf(link.beameryKey)}`);
      if (!JSON.stringify(contact).includes(edit.title)) continue;
      latencies.push((performance.now() - edit.startedAt) / 1000);
      pending.delete(id);
    }
  }
  let checking = true;
  const checker = (async () => {
    while (checking) {
      await check().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  })();

  return {
    stop() {
      injecting = false;
      clearInterval(inject);
    },
    async settle(timeoutMs) {
      injecting = false;
      clearInterval(inject);
      const deadline = performance.now() + timeoutMs;
      while (pending.size > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
      checking = false;
      await checker;
      // An edit that never landed counts as the slowest of all, not as absent.
      const sorted = [...latencies, ...[...pending.keys()].map(() => Number.POSITIVE_INFINITY)].sort((a, b) => a - b);
      const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : Number.NaN);
      const round = (n: number) => Number(n.toFixed(1));
      return { intervalMs: options.intervalMs, edits, landed: latencies.length, p50Seconds: round(at(0.5)), p95Seconds: round(at(0.95)), maxSeconds: round(sorted.at(-1) ?? Number.NaN) };
    },
  };
}
