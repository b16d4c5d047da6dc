import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_ROUTES, isKnownAction } from '#core/webhooks/catalogue';
import { verifyGreenhouseSignature } from '#core/webhooks/signature';
import { DEFAULT_SCENARIO_PATH, startGreenhouseSimulator, type GreenhouseSimulator } from '#local/simulators/greenhouse/server';
import { SIMULATED_ACTIONS } from '#local/simulators/greenhouse/webhooks/payloads';
import { greenhouseWebhookFixtures } from '../../support/fixtures.ts';
import { shapeMismatches } from './shape.ts';

const SECRET = 'contract-test-secret';

interface Received {
  readonly raw: Buffer;
  readonly signature: string | undefined;
  readonly eventId: string | undefined;
  readonly json: { action: string; payload: never };
}

let sim: GreenhouseSimulator;
let receiver: Server;
const received: Received[] = [];

async function admin<T = unknown>(method: 'POST' | 'PATCH' | 'DELETE', path: string, payload?: object): Promise<T> {
  const response = await sim.app.inject({ method, url: `/_admin${path}`, ...(payload ? { payload } : {}) });
  if (response.statusCode >= 300) throw new Error(`${method} ${path}: ${response.statusCode} ${response.body}`);
  return (response.body ? response.json() : undefined) as T;
}

type OfferAnswer = { offer: { id: number }; approval_flow: { id: number } };

/** Every change the simulator turns into a webhook, one after the other, on the default scenario. */
async function triggerEveryAction(): Promise<void> {
  await admin('POST', '/candidates', { first_name: 'Ines', last_name: 'Fable', tags: ['Python'], application: { job_id: 801, source_id: 401 } });
  await admin('POST', '/candidates', { first_name: 'Pavel', last_name: 'Tern', application: { prospect: true, job_ids: [802] } });
  await admin('PATCH', '/applications/951', { custom_fields: [{ name_key: 'ai_fit_score', value: 90 }] });
  await admin('POST', '/applications/951/move', {});
  await admin('POST', '/applications/952/reject', { rejection_reason_id: 601 });
  await admin('POST', '/applications/952/unreject');
  const first = await admin<OfferAnswer>('POST', '/offers', { application_id: 951, starts_on: '2026-12-01', user_id: 301, approval: { approver_groups: [{ user_ids: [302] }] } });
  const second = await admin<OfferAnswer>('PATCH', `/offers/${first.offer.id}`, { starts_on: '2027-01-04' });
  await admin('POST', `/approval_flows/${second.approval_flow.id}/request_approvals`, { user_id: 301 });
  await admin('POST', `/offers/${second.offer.id}/approve`);
  await admin('POST', '/applications/951/hire', { opening_id: 861 });
  await admin('DELETE', `/offers/${first.offer.id}`);
  await admin('POST', '/applications/951/unhire');
  await admin('DELETE', '/applications/955');
  await admin('PATCH', '/candidates/901', { title: 'Staff Engineer' });
  await admin('POST', '/candidates/903/anonymize', { fields: ['full_name', 'emails'] });
  await admin('POST', '/candidates/901/merge', { duplicate_candidate_id: 902 });
  await admin('DELETE', '/candidates/904');
  await admin('POST', '/jobs', { name: 'Site Reliability Engineer', department_id: 101, office_ids: [201] });
  await admin('PATCH', '/jobs/802', { notes: '<p>Now hybrid & remote</p>' });
  await admin('POST', '/jobs/802/approve');
  await admin('DELETE', '/jobs/803');
  await admin('POST', '/job_posts', { title: 'Data Analyst (Porto)', job_id: 802 });
  await admin('PATCH', '/job_posts/872', { location: 'Porto, Portugal' });
  await admin('PATCH', '/job_posts/872', { live: false });
  await admin('DELETE', '/job_posts/872');
  await admin('DELETE', '/job_interview_stages/832');
  await admin('DELETE', '/departments/101');
  await admin('DELETE', '/offices/203');
  await admin('DELETE', '/scorecards/981');
  await admin('POST', '/webhooks/ping', { event: 'Candidate Updated' });
  await sim.webhooks.settled();
}

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      received.push({
        raw,
        signature: request.headers['signature'] as string | undefined,
        eventId: request.headers['greenhouse-event-id'] as string | undefined,
        json: JSON.parse(raw.toString('utf8')) as Received['json'],
      });
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/greenhouse`;
  sim = await startGreenhouseSimulator({ scenario: DEFAULT_SCENARIO_PATH, webhooks: [{ url, secret: SECRET }] });
  await triggerEveryAction();
});

afterAll(async () => {
  await sim?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

const fixtures = new Map(greenhouseWebhookFixtures().map((f) => [f.action, f.json.payload]));

describe('simulated Greenhouse webhooks match the official examples', () => {
  it('emits every action the simulator declares, and only documented ones', () => {
    const emitted = new Set(received.map((r) => r.json.action));
    expect([...emitted].sort()).toEqual([...SIMULATED_ACTIONS].sort());
    for (const action of emitted) expect(action === 'ping' || isKnownAction(action), action).toBe(true);
  });

  it.each([...SIMULATED_ACTIONS])('%s: every payload has the key structure of the official example', (action) => {
    const example = fixtures.get(action);
    expect(example, `fixture for ${action}`).toBeDefined();
    const deliveries = received.filter((r) => r.json.action === action);
    expect(deliveries.length).toBeGreaterThan(0);
    for (const delivery of deliveries) {
      expect(Object.keys(delivery.json)).toEqual(['action', 'payload']);
      expect(shapeMismatches(delivery.json.payload, example as never)).toEqual([]);
    }
  });

  it('every payload routes through the ingest catalogue (the ids it reads are there)', () => {
    for (const r of received) {
      if (r.json.action === 'ping') continue;
      expect(isKnownAction(r.json.action)).toBe(true);
      const subject = ACTION_ROUTES[r.json.action as keyof typeof ACTION_ROUTES].subject(r.json.payload);
      expect(subject.entityKey).toMatch(/^greenhouse#/);
    }
  });

  it('signs each body as sent and gives each event its own Greenhouse-Event-ID', () => {
    for (const r of received) expect(verifyGreenhouseSignature(r.raw, r.signature, SECRET)).toEqual({ ok: true });
    const ids = received.map((r) => r.eventId);
    expect(new Set(ids).size).toBe(received.length);
  });

  it('escapes <, > and & in the body bytes the way Greenhouse does', () => {
    const jobUpdated = received.find((r) => r.json.action === 'job_updated' && r.raw.includes('hybrid'));
    expect(jobUpdated?.raw.toString()).toContain('\\u003cp\\u003eNow hybrid \\u0026 remote\\u003c/p\\u003e');
  });
});

describe('the shape comparison itself', () => {
  const example = { a: 1, b: { c: 'x', custom_fields: { k: { name: 'K', type: 'short_text', value: null } } }, d: [{ e: true }] } as const;

  it('accepts nulls either way, empty arrays and any custom field slugs', () => {
    expect(shapeMismatches({ a: null, b: { c: 'y', custom_fields: { other: { name: 'O', type: 'number', value: 3 } } }, d: [] }, example as never)).toEqual([]);
  });

  it('reports missing keys, extra keys and type changes', () => {
    expect(shapeMismatches({ a: '1', b: { c: 'x', custom_fields: {}, z: 1 }, d: [{ f: true }] }, example as never)).toEqual([
      '$.a: string where the example has number',
      '$.b.z: not in the example',
      '$.d[0].e: missing',
      '$.d[0].f: not in the example',
    ]);
  });
});
