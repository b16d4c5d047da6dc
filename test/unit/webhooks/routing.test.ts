import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decideDelivery, type IngestDecision } from '#core/webhooks/delivery';
import { MAX_JSON_NESTING } from '#core/webhooks/json-body';
import { GREENHOUSE_ACTIONS } from '#core/webhooks/catalogue';
import { signGreenhouseBody } from '#core/webhooks/signature';
import { parseEnvelope, SQS_MAX_MESSAGE_BYTES } from '#core/envelope';
import { greenhouseWebhookFixtures } from '../../support/fixtures.ts';

const SECRET = 'routing-test-secret';
const POLICY = { secret: SECRET, payloadCapBytes: 256 * 1024 };
const RECEIVED_AT = new Date('2026-11-23T10:00:00.000Z');

/** `null` stands for a delivery without the Greenhouse-Event-ID header. */
function deliver(raw: Buffer | string, eventId: string | null = 'event-1'): IngestDecision {
  return deciding(raw, POLICY.payloadCapBytes, eventId);
}

function deciding(raw: Buffer | string, payloadCapBytes: number, eventId: string | null = 'event-1'): IngestDecision {
  const rawBody = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
  return decideDelivery(
    { rawBody, signatureHeader: signGreenhouseBody(rawBody, SECRET), eventIdHeader: eventId ?? undefined, receivedAt: RECEIVED_AT },
    { ...POLICY, payloadCapBytes },
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
  application_updated: { queues: [G, A], group: 'greenhouse#candidate#13857579', payload: false },
  candidate_stage_change: { queues: [G, A], group: 'greenhouse#candidate#265772', payload: false },
  reject_candidate: { queues: [G], group: 'greenhouse#candidate#265788', payload: false },
  unreject_candidate: { queues: [G], group: 'greenhouse#candidate#265788', payload: false },
  hire_candidate: { queues: [G], group: 'greenhouse#candidate#35897443', payload: false },
  unhire_candidate: { queues: [G], group: 'greenhouse#candidate#265788', payload: false },
  delete_application: { queues: [G], group: 'greenhouse#candidate#37031511', payload: true },
  update_candidate: { queues: [G], group: 'greenhouse#candidate#15696179', payload: false },
  delete_candidate: { queues: [G, A], group: 'greenhouse#candidate#37031511', payload: true },
  merge_candidate: { queues: [G, A], group: 'greenhouse#candidate#457456', payload: true },
  candidate_anonymized: { queues: [G, A], group: 'greenhouse#candidate#37031511', payload: true },
  offer_created: { queues: [G, A], group: 'greenhouse#application#234556', payload: false },
  offer_approved: { queues: [G], group: 'greenhouse#application#234556', payload: false },
  offer_updated: { queues: [G, A], group: 'greenhouse#application#234556', payload: false },
  offer_deleted: { queues: [G], group: 'greenhouse#application#46194062', payload: true },
  interview_deleted: { queues: [A], group: 'greenhouse#interview#31087450', payload: true },
  scorecard_deleted: { queues: [A], group: 'greenhouse#candidate#29843272', payload: true },
  job_created: { queues: [G, A], group: 'greenhouse#job#371417', payload: false },
  job_updated: { queues: [G], group: 'greenhouse#job#100445', payload: false },
  job_approved: { queues: [G, A], group: 'greenhouse#job#100445', payload: false },
  job_deleted: { queues: [G], group: 'greenhouse#job#209256', payload: true },
  job_post_created: { queues: [G, A], group: 'greenhouse#job#1842002', payload: false },
  job_post_updated: { queues: [G, A], group: 'greenhouse#job#1842002', payload: false },
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
      const envelope = parseEnvelope(message.body);
      expect(envelope).toEqual(message.envelope);
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
    expect(message).toMatchObject({ queue: 'greenhouse-changes', deadLetter: true, deduplicationId: expect.stringMatching(/^kept:[0-9a-f]{64}$/) });
    const envelope = parseEnvelope(message!.body);
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

/** `depth` levels of arrays around a value, as a string (building it as a value would overflow the stack). */
const nested = (depth: number, inner = '1') => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;

describe('payloads that could not travel', () => {
  it('keeps a signed delete_candidate nested 5,000 levels deep as malformed instead of failing to queue it', () => {
    const raw = `{"action":"delete_candidate","payload":{"person":{"id":37031511,"history":${nested(5_000)}}}}`;
    const decision = deliver(raw);
    expect(decision).toMatchObject({ outcome: 'quarantined', reason: 'malformed', action: undefined });
    expect(decision.outcome === 'quarantined' && decision.detail).toMatch(/nest/);
    if (decision.outcome !== 'quarantined') return;
    const envelope = parseEnvelope(decision.messages[0]!.body);
    expect(envelope.kind === 'greenhouse.quarantined' && Buffer.from(envelope.rawBodyBase64, 'base64').toString()).toBe(raw);
  });

  it('routes a payload nested as deep as the limit allows, and its body parses back to the same payload', () => {
    const payload = `{"person":{"id":37031511,"history":${nested(MAX_JSON_NESTING - 3)}}}`;
    const decision = deliver(`{"action":"delete_candidate","payload":${payload}}`);
    expect(decision.outcome).toBe('routed');
    if (decision.outcome !== 'routed') return;
    const envelope = parseEnvelope(decision.messages[0]!.body);
    expect(envelope.kind === 'greenhouse.event' && envelope.payload).toEqual(JSON.parse(payload));
  });

  it('keeps a body one level deeper than the limit, whatever the action', () => {
    for (const action of ['update_candidate', 'ping', 'brand_new_event']) {
      const raw = `{"action":"${action}","payload":{"candidate":{"id":1,"x":${nested(MAX_JSON_NESTING - 2)}}}}`;
      expect(deliver(raw), action).toMatchObject({ outcome: 'quarantined', reason: 'malformed' });
    }
  });

  it('counts nesting outside strings only', () => {
    const raw = JSON.stringify({ action: 'delete_candidate', payload: { person: { id: 5, notes: '['.repeat(10_000) } } });
    expect(deliver(raw).outcome).toBe('routed');
  });

  it('writes a body SQS accepts: characters it refuses are escaped, and the payload reads back unchanged', () => {
    const payload = { person: { id: 5, first_name: 'Zoë 😀', odd: '\uffff\ufffe', lone: '\ud800', ctl: '\u0000\u001f' } };
    const decision = deliver(JSON.stringify({ action: 'delete_candidate', payload }));
    expect(decision.outcome).toBe('routed');
    if (decision.outcome !== 'routed') return;
    const body = decision.messages[0]!.body;
    expect(body).toMatch(/^[\x09\x0a\x0d\x20-\x7e\u0080-\ud7ff\ue000-\ufffd]*$/);
    expect(parseEnvelope(body)).toMatchObject({ payload });
  });

  it('keeps a routed payload whose re-encoding would not fit in one SQS message', () => {
    // A JSON number such as 1e20 re-encodes as 21 digits: 5 bytes in, 22 out.
    const numbers = Array.from({ length: 50_000 }, () => '1e20').join(',');
    const raw = `{"action":"delete_candidate","payload":{"person":{"id":5,"n":[${numbers}]}}}`;
    const decision = deciding(raw, 1024 * 1024);
    expect(decision).toMatchObject({ outcome: 'quarantined', reason: 'malformed' });
    expect(decision.outcome === 'quarantined' && decision.messages[0]!.body.length).toBeLessThan(SQS_MAX_MESSAGE_BYTES);
  });
});

describe('ids the bridge routes on', () => {
  const BAD_IDS: [string, string][] = [
    ['-5', '-5'],
    ['0', '0'],
    ['"0"', '"0"'],
    ['a leading zero', '"007"'],
    ['a 300-digit string', `"${'9'.repeat(300)}"`],
    ['a 300-digit number', '9'.repeat(300)],
    ['a fraction', '1.5'],
    ['a number past 2^53', '9007199254740993'],
    ['a string past 2^53', '"9007199254740993"'],
    ['a negative string', '"-5"'],
    ['letters', '"abc"'],
    ['true', 'true'],
    ['null', 'null'],
    ['an object', '{"id":1}'],
    ['an array', '[1]'],
  ];

  it.each(BAD_IDS)('keeps a candidate id that is %s as invalid-id, without quoting it', (_, value) => {
    const decision = deliver(`{"action":"update_candidate","payload":{"candidate":{"id":${value},"first_name":"Ada"}}}`);
    expect(decision).toMatchObject({ outcome: 'quarantined', reason: 'invalid-id', action: 'update_candidate' });
    if (decision.outcome !== 'quarantined') return;
    expect(decision.detail).toContain('candidate.id');
    expect(decision.detail).not.toContain(value.replaceAll('"', ''));
    expect(decision.detail).not.toContain('Ada');
    expect(decision.messages).toEqual([expect.objectContaining({ queue: 'greenhouse-changes', deadLetter: true })]);
  });

  it.each([
    ['a job id of -7', '{"action":"job_updated","payload":{"job":{"id":-7}}}', 'job.id'],
    ['an application job id of -7', '{"action":"application_updated","payload":{"application":{"id":1,"candidate":{"id":2},"jobs":[{"id":3},{"id":-7}]}}}', 'application.jobs.1.id'],
    ['an offer application id of 0', '{"action":"offer_updated","payload":{"id":1,"application_id":0}}', 'application_id'],
    ['an offer job id of 0', '{"action":"offer_updated","payload":{"id":1,"application_id":2,"job_id":0}}', 'job_id'],
    ['a merge winner of -1', '{"action":"merge_candidate","payload":{"person":{"id":1,"new_candidate_id":-1}}}', 'person.new_candidate_id'],
    ['an anonymized candidate of 1e300', '{"action":"candidate_anonymized","payload":{"candidate_id":1e300}}', 'candidate_id'],
    ['a department id of "x"', '{"action":"department_deleted","payload":{"department":{"id":"x"}}}', 'department.id'],
  ])('keeps %s as invalid-id, naming only the field', (_, raw, field) => {
    const decision = deliver(raw);
    expect(decision).toMatchObject({ outcome: 'quarantined', reason: 'invalid-id' });
    expect(decision.outcome === 'quarantined' && decision.detail).toContain(field);
  });

  it('still calls a missing id unroutable', () => {
    expect(deliver('{"action":"update_candidate","payload":{"candidate":{}}}')).toMatchObject({ outcome: 'quarantined', reason: 'unroutable' });
  });

  it('accepts the largest exact id, as a number and as a string', () => {
    for (const id of ['9007199254740991', '"9007199254740991"']) {
      expect(deliver(`{"action":"update_candidate","payload":{"candidate":{"id":${id}}}}`)).toMatchObject({
        outcome: 'routed',
        entityKey: 'greenhouse#candidate#9007199254740991',
      });
    }
  });

  it('keeps an action name that could not be one (spaces, symbols, too long) as malformed', () => {
    for (const action of ['has space', 'emoji😀', 'x'.repeat(200), '\u0000', '']) {
      expect(deliver(JSON.stringify({ action, payload: {} })), action).toMatchObject({ outcome: 'quarantined', reason: 'malformed' });
    }
  });

  it('reads a ping\'s web_hook_id only when it is an id', () => {
    expect(deliver(`{"action":"ping","payload":{"web_hook_id":{"toString":"x"}}}`)).toMatchObject({ outcome: 'ping', webHookId: undefined });
  });
});

describe('deduplication of kept deliveries', () => {
  const keptId = (raw: string, eventId: string | null = 'same-event') => {
    const decision = deliver(raw, eventId);
    if (decision.outcome !== 'quarantined') throw new Error(`expected quarantined, got ${decision.outcome}`);
    return decision.messages[0]!.deduplicationId;
  };

  it('gives two different bodies under one Greenhouse-Event-ID two ids, so both are kept', () => {
    expect(keptId('not json, first')).not.toBe(keptId('not json, second'));
  });

  it('gives a redelivery (same bytes, same event id) the same id, so it is kept once', () => {
    expect(keptId('not json')).toBe(keptId('not json'));
  });

  it('gives the same bytes under another event id another id', () => {
    expect(keptId('not json', 'a')).not.toBe(keptId('not json', 'b'));
  });

  it('keeps every id within SQS limits', () => {
    for (const eventId of ['x'.repeat(128), null, 'évé']) {
      for (const id of [keptId('not json', eventId), keptId('{"action":"x_y"}', eventId)]) expect(id).toMatch(/^[\x21-\x7e]{1,128}$/);
    }
  });
});
