import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decideDelivery, type IngestDecision } from '#core/webhooks/delivery';
import { GREENHOUSE_ACTIONS } from '#core/webhooks/catalogue';
import { signGreenhouseBody } from '#core/webhooks/signature';
import { parseEnvelope } from '#core/envelope';
import { greenhouseWebhookFixtures } from '../../support/fixtures.ts';

const SECRET = 'routing-test-secret';
const POLICY = { secret: SECRET, payloadCapBytes: 256 * 1024 };
const RECEIVED_AT = new Date('2026-11-23T10:00:00.000Z');

/** `null` stands for a delivery without the Greenhouse-Event-ID header. */
function deliver(raw: Buffer | string, eventId: string | null = 'event-1'): IngestDecision {
  const rawBody = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
  return decideDelivery(
    { rawBody, signatureHeader: signGreenhouseBody(rawBody, SECRET), eventIdHeader: eventId ?? undefined, receivedAt: RECEIVED_AT },
    POLICY,
  );
}

const G = 'greenhouse-changes';
const A = 'ai-tasks';

/**
 * The routing rule of every documented action, read off the official example payloads:
 * the queues, the FIFO group (the entity it concerns) and whether the payload travels along.
 */
const EXPECTED: Record<string, { queues: string[]; group: string; payload: boolean }> = {
  new_candidate_application: { queues: [G, A], group: 'greenhouse#candidate#60304594', payload: false },
  new_prospect_application: { queues: [G], group: 'greenhouse#candidate#968190', payload: false },
  application_updated: { queues: [G], group: 'greenhouse#candidate#13857579', payload: false },
  candidate_stage_change: { queues: [G, A], group: 'greenhouse#candidate#265772', payload: false },
  reject_candidate: { queues: [G], group: 'greenhouse#candidate#265788', payload: false },
  unreject_candidate: { queues: [G], group: 'greenhouse#candidate#265788', payload: false },
  hire_candidate: { queues: [G], group: 'greenhouse#candidate#35897443', payload: false },
  unhire_candidate: { queues: [G], group: 'greenhouse#candidate#265788', payload: false },
  delete_application: { queues: [G], group: 'greenhouse#candidate#37031511', payload: true },
  update_candidate: { queues: [G], group: 'greenhouse#candidate#15696179', payload: false },
  delete_candidate: { queues: [G], group: 'greenhouse#candidate#37031511', payload: true },
  merge_candidate: { queues: [G], group: 'greenhouse#candidate#457456', payload: true },
  candidate_anonymized: { queues: [G], group: 'greenhouse#candidate#37031511', payload: true },
  offer_created: { queues: [G], group: 'greenhouse#application#234556', payload: false },
  offer_approved: { queues: [G], group: 'greenhouse#application#234556', payload: false },
  offer_updated: { queues: [G], group: 'greenhouse#application#234556', payload: false },
  offer_deleted: { queues: [G], group: 'greenhouse#application#46194062', payload: true },
  interview_deleted: { queues: [A], group: 'greenhouse#interview#31087450', payload: true },
  scorecard_deleted: { queues: [A], group: 'greenhouse#candidate#29843272', payload: true },
  job_created: { queues: [G, A], group: 'greenhouse#job#371417', payload: false },
  job_updated: { queues: [G], group: 'greenhouse#job#100445', payload: false },
  job_approved: { queues: [G], group: 'greenhouse#job#100445', payload: false },
  job_deleted: { queues: [G], group: 'greenhouse#job#209256', payload: true },
  job_post_created: { queues: [G], group: 'greenhouse#job#1842002', payload: false },
  job_post_updated: { queues: [G], group: 'greenhouse#job#1842002', payload: false },
  job_post_deleted: { queues: [G], group: 'greenhouse#job#284999', payload: true },
  job_interview_stage_deleted: { queues: [G], group: 'greenhouse#job#60453', payload: true },
  department_deleted: { queues: [G], group: 'greenhouse#department#106', payload: true },
  office_deleted: { queues: [G], group: 'greenhouse#office#16492', payload: true },
};

const fixtures = greenhouseWebhookFixtures().filter((f) => f.action !== 'ping');

describe('routing of the documented webhook actions', () => {
  it('knows exactly the 29 documented actions, one official example each', () => {
    expect(GREENHOUSE_ACTIONS).toHaveLength(29);
    expect(fixtures.map((f) => f.action).sort()).toEqual([...GREENHOUSE_ACTIONS].sort());
    expect(Object.keys(EXPECTED).sort()).toEqual([...GREENHOUSE_ACTIONS].sort());
  });

  it.each(fixtures.map((f) => [f.action, f] as const))('routes %s to its queues, grouped by its entity', (action, fixture) => {
    const decision = deliver(fixture.raw);
    const expected = EXPECTED[action]!;
    expect(decision.outcome).toBe('routed');
    if (decision.outcome !== 'routed') return;
    expect(decision.messages.map((m) => m.queue)).toEqual(expected.queues);
    for (const message of decision.messages) {
      expect(message.deadLetter).toBe(false);
      expect(message.groupId).toBe(expected.group);
      expect(message.deduplicationId).toBe('event-1');
      const envelope = parseEnvelope(JSON.stringify(message.envelope));
      expect(envelope).toMatchObject({ v: 1, kind: 'greenhouse.event', action, entityKey: expected.group, origin: 'webhook' });
      expect(envelope.observedAt).toBe(RECEIVED_AT.toISOString());
      expect('payload' in envelope && envelope.payload !== undefined).toBe(expected.payload);
      if (expected.payload && envelope.kind === 'greenhouse.event') expect(envelope.payload).toEqual(fixture.json.payload);
    }
  });

  it('names the application and the candidate of an application event', () => {
    const fixture = fixtures.find((f) => f.action === 'new_candidate_application')!;
    const decision = deliver(fixture.raw);
    expect(decision.outcome === 'routed' && decision.messages[0]!.envelope).toMatchObject({
      refs: { candidateId: '60304594', applicationId: '71980812', jobIds: ['274075'] },
    });
  });

  it('names both candidates of a merge', () => {
    const fixture = fixtures.find((f) => f.action === 'merge_candidate')!;
    const decision = deliver(fixture.raw);
    expect(decision.outcome === 'routed' && decision.messages[0]!.envelope).toMatchObject({
      refs: { candidateId: '37031511', winnerCandidateId: '457456' },
    });
  });

  it('groups a job post without a job (a prospect post) by the post itself', () => {
    const decision = deliver(JSON.stringify({ action: 'job_post_updated', payload: { id: 77, job_id: null, title: 'Pool' } }));
    expect(decision.outcome === 'routed' && decision.entityKey).toBe('greenhouse#job_post#77');
  });
});

describe('delivery ids', () => {
  const raw = greenhouseWebhookFixtures().find((f) => f.action === 'update_candidate')!.raw;
  const bodyHash = `sha256:${createHash('sha256').update(raw).digest('hex')}`;

  it('deduplicates on Greenhouse-Event-ID', () => {
    const decision = deliver(raw, 'b3c7c1a6-9f0e-4a7e-8a9e-6d6f3d1b8c21');
    expect(decision.outcome === 'routed' && decision.messages[0]!.deduplicationId).toBe('b3c7c1a6-9f0e-4a7e-8a9e-6d6f3d1b8c21');
  });

  it('falls back to the body hash without an event id', () => {
    const decision = deliver(raw, null);
    expect(decision.outcome === 'routed' && decision.messages[0]!.deduplicationId).toBe(bodyHash);
  });

  it('falls back to the body hash when the event id cannot be an SQS deduplication id', () => {
    expect(deliver(raw, 'has spaces')).toMatchObject({ deliveryId: bodyHash });
    expect(deliver(raw, 'x'.repeat(129))).toMatchObject({ deliveryId: bodyHash });
  });
});

describe('deliveries that are not routed', () => {
  it('answers a ping without queuing it', () => {
    const ping = greenhouseWebhookFixtures().find((f) => f.action === 'ping')!;
    expect(deliver(ping.raw)).toEqual({ outcome: 'ping', deliveryId: 'event-1', webHookId: '4001693002' });
  });

  it('keeps an unknown action, body and all, on the sync queue\'s dead-letter queue', () => {
    const raw = '{"action":"candidate_teleported","payload":{"candidate":{"id":1}}}';
    const decision = deliver(raw);
    expect(decision).toMatchObject({ outcome: 'quarantined', reason: 'unknown-action', action: 'candidate_teleported' });
    if (decision.outcome !== 'quarantined') return;
    expect(decision.messages).toHaveLength(1);
    const [message] = decision.messages;
    expect(message).toMatchObject({ queue: 'greenhouse-changes', deadLetter: true, deduplicationId: 'event-1' });
    const envelope = parseEnvelope(JSON.stringify(message!.envelope));
    expect(envelope.kind === 'greenhouse.quarantined' && Buffer.from(envelope.rawBodyBase64, 'base64').toString()).toBe(raw);
  });

  it('keeps a known action whose payload lacks its ids, and says so without quoting it', () => {
    const decision = deliver('{"action":"update_candidate","payload":{"candidate":{"first_name":"Ada"}}}');
    expect(decision).toMatchObject({ outcome: 'quarantined', reason: 'unroutable', action: 'update_candidate' });
    expect(decision.outcome === 'quarantined' && decision.detail).not.toContain('Ada');
  });

  it.each([
    ['not JSON', 'action=ping'],
    ['a JSON array', '[{"action":"ping"}]'],
    ['no action', '{"payload":{}}'],
    ['an action that is not a string', '{"action":42,"payload":{}}'],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d])],
  ])('keeps a signed body with %s as malformed', (_, raw) => {
    const decision = deliver(raw);
    expect(decision).toMatchObject({ outcome: 'quarantined', reason: 'malformed' });
    const rawBody = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
    expect(decision.outcome === 'quarantined' && decision.messages[0]!.envelope).toMatchObject({
      rawBodyBase64: rawBody.toString('base64'),
    });
  });

  it('refuses a body over the cap before anything else, and accepts one exactly at it', () => {
    const small = { ...POLICY, payloadCapBytes: 64 };
    const atCap = Buffer.from(`{"action":"ping","payload":{"pad":"${'x'.repeat(64 - 38)}"}}`);
    expect(atCap.byteLength).toBe(64);
    const sign = (b: Buffer) => ({ rawBody: b, signatureHeader: signGreenhouseBody(b, SECRET), eventIdHeader: 'e', receivedAt: RECEIVED_AT });
    expect(decideDelivery(sign(atCap), small).outcome).toBe('ping');
    const over = Buffer.concat([atCap, Buffer.from(' ')]);
    expect(decideDelivery(sign(over), small)).toEqual({ outcome: 'too-large', bytes: 65 });
  });

  it('rejects a wrong signature before reading the body', () => {
    const decision = decideDelivery(
      { rawBody: Buffer.from('not even json'), signatureHeader: 'sha256 ' + '0'.repeat(64), eventIdHeader: 'e', receivedAt: RECEIVED_AT },
      POLICY,
    );
    expect(decision).toEqual({ outcome: 'signature-rejected', reason: 'mismatch' });
  });
});
