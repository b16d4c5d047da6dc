import { runScheduled, startE2eStack } from '../test/support/e2e-stack.ts';
import { callJson } from '../test/support/http.ts';
import { eventually, queueDepth } from '../test/support/queues.ts';

/**
 * What the bridge's own writes cost when they come back (bench section `echo`), on the local stack:
 *
 * - **Greenhouse echo**: a Beamery edit the bridge writes to Greenhouse comes back as an
 *   `update_candidate` webhook. Measured as the Greenhouse reads of a round of Beamery edits with the
 *   simulator's webhooks on, less those of the same round with them off (no echo at all), per write.
 * - **Beamery echo**: a Greenhouse edit the bridge writes to Beamery is listed by the next Beamery poll
 *   (Beamery has no webhooks). Measured as the reads that poll's messages cost, per contact written.
 *
 * Target: at most one read per echo. Before: the Greenhouse echo was a full reconcile (the candidate,
 * its applications, attachments and notes: 6 reads with the reference data, 8 calls per push).
 */
export const ECHO_BASELINE = { greenhouseReadsPerEcho: 6 } as const;
const TARGET_READS = 1;
const SECRET = 'echo-bench-secret';

export interface EchoBenchResult {
  readonly contacts: number;
  /** Greenhouse reads per Beamery → Greenhouse write, with and without its webhook coming back. */
  readonly greenhouse: { readonly withoutEcho: number; readonly withEcho: number; readonly perEcho: number };
  /** What the Beamery poll after a round of Greenhouse → Beamery writes cost, per contact written. */
  readonly beamery: { readonly queued: number; readonly beameryReadsPerEcho: number; readonly greenhouseReadsPerEcho: number };
}

type Counts = Record<string, number | { total: number }>;
/** API reads a simulator logged (GET on its API; admin routes and token mints aside). */
function reads(counts: Counts): number {
  return Object.entries(counts)
    .filter(([route]) => route.startsWith('GET ') && !route.includes('/_admin') && !route.includes('/token'))
    .reduce((sum, [, n]) => sum + (typeof n === 'number' ? n : n.total), 0);
}

export async function benchEcho({ contacts = 40, log = (line: string) => process.stderr.write(`${line}\n`) } = {}): Promise<EchoBenchResult> {
  const e2e = await startE2eStack({ webhookSecret: SECRET, pollIntervalMs: 0, greenhouseRateLimit: 50_000 });
  const { stack, sqs } = e2e;
  const greenhouse = <T = unknown>(method: string, path: string, body?: unknown) => callJson<T>(stack.greenhouse, method, `/_admin${path}`, body);
  const beamery = <T = unknown>(method: string, path: string, body?: unknown) => callJson<T>(e2e.beameryOrigin, method, `/_admin${path}`, body);
  const readsOf = async () => ({ greenhouse: reads(await greenhouse<Counts>('GET', '/requests')), beamery: reads(await beamery<Counts>('GET', '/requests')) });
  const settled = async () =>
    eventually(async () => {
      await greenhouse('POST', '/webhooks/settle');
      for (const queue of [stack.resources.queues['greenhouse-changes'].url, stack.resources.queues['beamery-changes'].url]) {
        const depth = await queueDepth(sqs, queue);
        if (depth.visible + depth.inFlight > 0) return undefined;
      }
      await greenhouse('POST', '/webhooks/settle');
      return true;
    }, 10 * 60_000, 'the sync to go quiet');
  const poll = async () => {
    const outcome = await runScheduled(stack.schedules, 'beamery');
    if (!outcome.ok) throw new Error(`the Beamery poll failed: ${String(outcome.error)}`);
    return (outcome.summary as { queued?: number }).queued ?? 0;
  };
  try {
    const generated = await greenhouse<{ minId: number; maxId: number }>('POST', '/generate/candidates', { count: contacts, seed: 7 });
    const ids = Array.from({ length: generated.maxId - generated.minId + 1 }, (_, i) => generated.minId + i);
    // Each candidate edited once: its webhook creates and links its contact.
    for (const id of ids) await greenhouse('PATCH', `/candidates/${id}`, { title: `Echo ${id}` });
    await settled();
    const state = await beamery<{ contacts: { id: string; integrations?: { greenhouse?: { id?: string } } }[] }>('GET', '/state');
    const contactIds = state.contacts.filter((c) => ids.includes(Number(c.integrations?.greenhouse?.id))).map((c) => c.id);
    if (contactIds.length !== ids.length) throw new Error(`echo bench: ${contactIds.length} of ${ids.length} candidates reached Beamery`);
    log(`echo: ${contactIds.length} contacts linked; measuring`);
    await poll(); // the contacts the set-up wrote: out of the way of the rounds below
    await settled();

    /** A round of Beamery edits the bridge writes to Greenhouse: the Greenhouse reads it cost. */
    const beameryRound = async (title: string) => {
      for (const id of contactIds) await beamery('PATCH', `/contacts/${id}`, { experience: [{ role: title, organisationName: 'Northwind', current: true }] });
      const before = await readsOf();
      await poll();
      await settled();
      return (await readsOf()).greenhouse - before.greenhouse;
    };
    // With the echo first: a write is taken for an echo only when it was the one change Greenhouse →
    // Beamery had not seen, and the round without webhooks leaves its writes unseen by that direction.
    const withEcho = await beameryRound('Echoed Analyst');
    await greenhouse('PUT', '/webhooks', []);
    const withoutEcho = await beameryRound('Quiet Analyst');
    await greenhouse('PUT', '/webhooks', [{ url: stack.webhookUrl, secret: SECRET }]);

    // A round of Greenhouse edits the bridge writes to Beamery, then the poll that lists them again.
    for (const id of ids) await greenhouse('PATCH', `/candidates/${id}`, { title: `Echo again ${id}` });
    await settled();
    const before = await readsOf();
    const queued = await poll();
    await settled();
    const after = await readsOf();
    const per = (n: number, of: number) => Number((n / Math.max(1, of)).toFixed(2));
    const result: EchoBenchResult = {
      contacts: contactIds.length,
      greenhouse: { withoutEcho: per(withoutEcho, contactIds.length), withEcho: per(withEcho, contactIds.length), perEcho: per(withEcho - withoutEcho, contactIds.length) },
      beamery: { queued, beameryReadsPerEcho: per(after.beamery - before.beamery, contactIds.length), greenhouseReadsPerEcho: per(after.greenhouse - before.greenhouse, contactIds.length) },
    };
    return result;
  } finally {
    await e2e.stop();
  }
}

export function describeEcho(r: EchoBenchResult): string[] {
  const met = (reads: number) => (reads <= TARGET_READS ? 'met' : 'MISSED');
  return [
    `echo: ${r.contacts} contacts, each written by the bridge and seen again`,
    `echo target: Greenhouse echo of a Beamery → Greenhouse write: ${r.greenhouse.perEcho} reads (${r.greenhouse.withEcho} per write with its webhook, ${r.greenhouse.withoutEcho} without) ` +
      `(before: ${ECHO_BASELINE.greenhouseReadsPerEcho}; target ≤ ${TARGET_READS}: ${met(r.greenhouse.perEcho)})`,
    `echo target: Beamery echo of a Greenhouse → Beamery write (the next poll queued ${r.beamery.queued}): ${r.beamery.beameryReadsPerEcho} Beamery + ${r.beamery.greenhouseReadsPerEcho} Greenhouse reads ` +
      `(target ≤ ${TARGET_READS}: ${met(r.beamery.beameryReadsPerEcho + r.beamery.greenhouseReadsPerEcho)})`,
  ];
}
