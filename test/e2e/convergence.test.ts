import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signGreenhouseBody } from '#core/webhooks/signature';
import { startLocalStack, type LocalStack } from '#local/stack';
import { localDynamoDbClient, localSqsClient } from '#local/sdk-clients';
import { untilQuiet, queueDepth } from '../support/queues.ts';

/**
 * The sync's promise under real conditions. Both simulators fail 10% of requests with 5xx and
 * Beamery's rate limit is cut to a quarter. 200 webhooks from the Greenhouse simulator's own changes
 * must end in exactly what a clean delivery gives: one contact per candidate (no duplicate from a
 * retried create), the latest values, the right vacancy. Then the same 200 arrive again, shuffled and
 * with new event ids (as Greenhouse's retries hours later would): the Beamery state must not move,
 * with zero further Beamery writes, and nothing may be left on a dead-letter queue.
 */
const SECRET = 'convergence-secret';
const CANDIDATES = 40;
const UPDATES = 160;

describe('convergence: the same event stream twice, shuffled, under faults and rate-limit pressure', () => {
  let stack: LocalStack;
  let dynamodb: DynamoDBClient;
  let replayed = 0;

  const admin = async (base: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}/_admin${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? undefined : res.json();
  };

  /** Every write route Beamery saw (token requests aside). */
  const beameryWrites = async () => {
    const counts = (await admin(stack.beamery.replace(/\/v1$/, ''), 'GET', '/requests')) as Record<string, { total: number }>;
    return Object.entries(counts)
      .filter(([route]) => /^(POST|PATCH|PUT|DELETE) /.test(route) && !route.includes('/oauth/token'))
      .reduce((sum, [, e]) => sum + e.total, 0);
  };

  const beameryStatus = async (status: number) => {
    const counts = (await admin(stack.beamery.replace(/\/v1$/, ''), 'GET', '/requests')) as Record<string, { byStatus: Record<string, number> }>;
    return Object.values(counts).reduce((sum, e) => sum + (e.byStatus[String(status)] ?? 0), 0);
  };
  const greenhouseReads = async () => {
    const counts = (await admin(stack.greenhouse, 'GET', '/requests')) as Record<string, number>;
    return Object.entries(counts).reduce((sum, [route, n]) => (route.startsWith('GET /v3/') ? sum + n : sum), 0);
  };

  /** Beamery's records without their timestamps, in a stable order. */
  const beameryState = async () => {
    const state = (await admin(stack.beamery.replace(/\/v1$/, ''), 'GET', '/state')) as Record<string, unknown[]>;
    const strip = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(strip)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).filter(([k]) => !/(At|Time)$/.test(k)).map(([k, x]) => [k, strip(x)]))
          : v;
    const sorted = (items: unknown[]) => (strip(items) as unknown[]).map((i) => JSON.stringify(i)).sort();
    return { contacts: sorted(state['contacts']!), vacancies: sorted(state['vacancies']!), memberships: sorted(state['memberships']!), notes: sorted(state['notes']!), attachments: sorted(state['attachments']!) };
  };

  async function settled(): Promise<void> {
    await admin(stack.greenhouse, 'POST', '/webhooks/settle');
    const sqs = localSqsClient(stack.sqsEndpoint);
    try {
      await untilQuiet(sqs, [stack.resources.queues['greenhouse-changes'].url], 1_500, 120_000);
    } finally {
      sqs.destroy();
    }
  }

  beforeAll(async () => {
    // The Lambdas run in this process: keep their logs and metrics out of the test output.
    process.env['POWERTOOLS_LOG_LEVEL'] = 'ERROR';
    process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
    stack = await startLocalStack({ webhookSecret: SECRET, visibilityTimeoutSeconds: 2 });
    dynamodb = localDynamoDbClient(stack.dynamodbEndpoint);
    await admin(stack.greenhouse, 'PUT', '/rate-limit', { limit: 5_000 });
  }, 120_000);
  afterAll(async () => {
    dynamodb?.destroy();
    await stack?.stop();
  });

  it('syncs 200 events under faults to what a clean delivery gives, and a shuffled replay writes nothing', async () => {
    const beameryAdmin = stack.beamery.replace(/\/v1$/, '');
    await admin(stack.greenhouse, 'PUT', '/faults', { serverErrorRate: 0.1, seed: 7 });
    await admin(beameryAdmin, 'PUT', '/faults', { serverErrorRate: 0.1, seed: 11 });
    await admin(beameryAdmin, 'PATCH', '/settings', { rateLimit: { perSecond: 10 } });

    const ids: number[] = [];
    for (let i = 0; i < CANDIDATES; i++) {
      const created = (await admin(stack.greenhouse, 'POST', '/candidates', {
        first_name: `Person${i}`,
        last_name: 'Convergence',
        company: 'Example Co',
        email_addresses: [{ value: `person${i}@convergence.example.test`, type: 'personal' }],
        application: { job_id: 801 + (i % 2) },
      })) as { candidate: { id: number } };
      ids.push(created.candidate.id);
    }
    const lastTitle = new Map<number, string>();
    for (let i = 0; i < UPDATES; i++) {
      const id = ids[i % CANDIDATES]!;
      await admin(stack.greenhouse, 'PATCH', `/candidates/${id}`, { title: `Title ${i}` });
      lastTitle.set(id, `Title ${i}`);
    }
    await settled();
    const deliveries = (await admin(stack.greenhouse, 'GET', '/webhooks/deliveries?state=delivered')) as { body: string; action: string }[];
    const events = deliveries.filter((d) => d.action !== 'ping');
    expect(events).toHaveLength(CANDIDATES + UPDATES);
    expect(await beameryStatus(503)).toBeGreaterThan(0);

    // What a clean delivery gives: one contact per candidate, with its latest title, on its job's vacancy.
    const state = (await admin(beameryAdmin, 'GET', '/state')) as {
      contacts: { id: string; emails?: unknown; experience?: { role?: string; title?: string }[]; integrations?: { greenhouse?: { id?: string } } }[];
      memberships: { contactId: string; vacancyId: string }[];
      vacancies: { id: string; greenhouseJobId?: string; integrations?: unknown }[];
    };
    for (const [i, id] of ids.entries()) {
      const mine = state.contacts.filter((c) => JSON.stringify(c.emails).includes(`person${i}@convergence.example.test`));
      expect(mine, `contacts of candidate ${id}`).toHaveLength(1);
      expect(JSON.stringify(mine[0])).toContain(lastTitle.get(id)!);
      expect(JSON.stringify(mine[0])).toContain(String(id));
      expect(state.memberships.filter((m) => m.contactId === mine[0]!.id)).toHaveLength(1);
    }
    const clean = await beameryState();
    const cleanWrites = await beameryWrites();
    const readsBefore = await greenhouseReads();

    const shuffled = [...events].sort(() => Math.random() - 0.5);
    for (const [i, delivery] of shuffled.entries()) {
      const body = Buffer.from(delivery.body);
      const res = await fetch(stack.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', signature: signGreenhouseBody(body, SECRET), 'greenhouse-event-id': `replay-${i}` },
        body,
      });
      expect(res.status).toBe(200);
      replayed++;
    }
    await settled();

    expect(replayed).toBe(CANDIDATES + UPDATES);
    // The replay was really processed: every candidate was read again.
    expect(await greenhouseReads()).toBeGreaterThan(readsBefore + CANDIDATES);
    expect(await beameryState()).toEqual(clean);
    expect(await beameryWrites()).toBe(cleanWrites);
    const sqs = localSqsClient(stack.sqsEndpoint);
    try {
      for (const queue of Object.values(stack.resources.queues)) {
        const depth = await queueDepth(sqs, queue.deadLetter.url);
        expect(depth.visible + depth.inFlight, `${queue.deadLetter.name}`).toBe(0);
      }
    } finally {
      sqs.destroy();
    }
  }, 240_000);
});
