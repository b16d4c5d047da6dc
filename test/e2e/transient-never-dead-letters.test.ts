import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callJson } from '../support/http.ts';
import { startE2eStack, type E2eStack } from '../support/e2e-stack.ts';
import { drain, eventually, untilQuiet } from '../support/queues.ts';

/**
 * End to end: rate limits used to burn SQS receives, so a healthy Greenhouse change reached
 * greenhouse-changes-dlq after five hand-backs and Beamery kept the old value. Here the real webhook
 * path and consumers run against the simulators, and the only thing that may happen to a change that
 * meets a rate limit is that it waits.
 */
const SECRET = 'transient-secret';
/** How long the queue must stay empty to count as drained. */
const QUIET_MS = 2_000;

interface StoredContact {
  readonly experience: { role?: string; current?: boolean }[];
  readonly integrations?: { greenhouse?: { id?: string } };
}

describe('transient outcomes never dead-letter a healthy change', () => {
  let e2e: E2eStack;

  const greenhouse = (method: string, path: string, body?: unknown) => callJson(e2e.stack.greenhouse, method, `/_admin${path}`, body);
  const beamery = (method: string, path: string, body?: unknown) => callJson(e2e.beameryOrigin, method, `/_admin${path}`, body);

  async function roleInBeamery(candidateId: number): Promise<string | undefined> {
    const state = (await beamery('GET', '/state')) as { contacts: StoredContact[] };
    const contact = state.contacts.find((c) => c.integrations?.greenhouse?.id === String(candidateId));
    return contact?.experience.find((e) => e.current)?.role ?? contact?.experience[0]?.role;
  }

  const deadLetters = async () => {
    const queues = e2e.stack.resources.queues;
    return [
      ...(await drain(e2e.sqs, queues['greenhouse-changes'].deadLetter.url)),
      ...(await drain(e2e.sqs, queues['beamery-changes'].deadLetter.url)),
    ];
  };

  beforeAll(async () => {
    // The deployed redrive policy and visibility timeout: nothing here shortens a wait or raises a limit SQS would apply.
    e2e = await startE2eStack({ webhookSecret: SECRET, greenhouseRateLimit: 10_000, pollIntervalMs: 0 });
  });
  afterAll(async () => e2e?.stop());

  it('applies a Greenhouse update whose contact reads meet six 429s in a row (five used to dead-letter it)', async () => {
    await greenhouse('PATCH', '/candidates/902', { title: 'Platform Lead' });
    await eventually(async () => ((await roleInBeamery(902)) === 'Platform Lead' ? true : undefined), 30_000, 'the first sync of 902');

    const contactId = ((await beamery('GET', '/state')) as { contacts: (StoredContact & { id: string })[] }).contacts.find(
      (c) => c.integrations?.greenhouse?.id === '902',
    )!.id;
    await beamery('POST', '/overrides', { method: 'GET', path: `/v1/contact/${contactId}`, status: 429, headers: { 'x-ratelimit-reset': '1' }, times: 6 });
    await greenhouse('PATCH', '/candidates/902', { title: 'Principal Platform Engineer' });

    await eventually(async () => ((await roleInBeamery(902)) === 'Principal Platform Engineer' ? true : undefined), 90_000, 'the update to reach Beamery');
    const overrides = (await beamery('GET', '/overrides')) as unknown[];
    expect(overrides).toEqual([]);
    expect(await deadLetters()).toEqual([]);
  });

  it('a bulk edit many rate windows long reaches Beamery in full, with nothing dead-lettered', async () => {
    // Small scale of the 500-candidate bulk edit (`npx tsx bench/run.ts bulk-edit` runs the full size at
    // Greenhouse's documented limit): one request a window. The consumer reads a batch of candidates in
    // one call per resource (about five calls for ten edits), so 12 edits still wait ten windows or more
    // and each waiting message is handed back more than the five receives that used to dead-letter it.
    // The window is 2 seconds instead of Greenhouse's 30 so the test waits seconds, not minutes: the
    // bridge takes window ends from X-RateLimit-Reset, and SQS counts a hand-back as a receive however
    // short the wait.
    const count = 12;
    const windowSeconds = 2;
    const generated = (await greenhouse('POST', '/generate/candidates', { count, seed: 11 })) as { minId: number; maxId: number };
    const ids = Array.from({ length: generated.maxId - generated.minId + 1 }, (_, i) => generated.minId + i);
    expect(ids).toHaveLength(count);
    await greenhouse('PUT', '/rate-limit', { limit: 1, windowSeconds });
    const started = Date.now();
    try {
      for (const id of ids) await greenhouse('PATCH', `/candidates/${id}`, { title: `Bulk Title ${id}` });
      await greenhouse('POST', '/webhooks/settle');
      await untilQuiet(e2e.sqs, [e2e.stack.resources.queues['greenhouse-changes'].url], QUIET_MS, 300_000);
    } finally {
      await greenhouse('PUT', '/rate-limit', { limit: 10_000, windowSeconds: 30 });
    }
    // The premise: the work spanned more windows than the five receives that used to dead-letter it.
    expect((Date.now() - started - QUIET_MS) / 1000).toBeGreaterThan(6 * windowSeconds);
    const stale = [];
    for (const id of ids) if ((await roleInBeamery(id)) !== `Bulk Title ${id}`) stale.push(id);
    expect(stale).toEqual([]);
    expect(await deadLetters()).toEqual([]);
  }, 360_000);
});
