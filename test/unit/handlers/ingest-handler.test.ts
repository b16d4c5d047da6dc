import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeIngestHandler } from '#handlers/make-ingest-handler';
import type { MetricsSink } from '#adapters/metrics-sink';
import type { QueuePublisher } from '#core/ports/queue-publisher';
import type { OutgoingMessage } from '#core/webhooks/delivery';
import { signGreenhouseBody } from '#core/webhooks/signature';
import { INGEST_METRICS } from '#core/metrics';
import { publishEveryTime } from '#adapters/store/delivery-once';
import { WeakSecretError } from '#adapters/secrets/string-secrets';
import { greenhouseWebhookFixtures, signatureTestVector } from '../../support/fixtures.ts';

const SECRET = 'handler-test-secret';

/** Records what would be sent; `fail` makes the next publish reject as SQS would when unavailable. */
class RecordingPublisher implements QueuePublisher {
  readonly sent: OutgoingMessage[] = [];
  fail = false;
  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (this.fail) throw Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable' });
    this.sent.push(...messages);
  }
}

function proxyEvent(body: Buffer, headers: Record<string, string>, base64 = false): APIGatewayProxyEvent {
  return {
    body: base64 ? body.toString('base64') : body.toString('utf8'),
    isBase64Encoded: base64,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    httpMethod: 'POST',
    path: '/webhooks/greenhouse',
    resource: '/webhooks/greenhouse',
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {} as APIGatewayProxyEvent['requestContext'],
  };
}

const signed = (body: Buffer, secret = SECRET, eventId = 'evt-1') =>
  proxyEvent(body, { 'Content-Type': 'application/json', Signature: signGreenhouseBody(body, secret), 'Greenhouse-Event-ID': eventId });

const fixture = (action: string) => greenhouseWebhookFixtures().find((f) => f.action === action)!;

describe('ingest handler', () => {
  let publisher: RecordingPublisher;
  let metrics: MetricsSink;
  let counted: Record<string, number>;
  let output: string[];
  let handler: ReturnType<typeof makeIngestHandler>;
  let readSecret: () => Promise<string>;

  beforeEach(() => {
    publisher = new RecordingPublisher();
    counted = {};
    metrics = {
      addMetric: (name, _unit, value) => {
        counted[name] = (counted[name] ?? 0) + value;
      },
      publishStoredMetrics: () => undefined,
    };
    output = [];
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk) => {
        output.push(String(chunk));
        return true;
      });
    }
    readSecret = async () => SECRET;
    handler = makeIngestHandler({
      readSecret: () => readSecret(),
      publisher,
      // Deduplication is the adapter's, tested on DynamoDB Local (test/integration/store/delivery-once.test.ts).
      deliveries: publishEveryTime,
      payloadCapBytes: 64 * 1024,
      logger: new Logger({ serviceName: 'ingest' }),
      metrics,
    });
  });

  afterEach(() => vi.restoreAllMocks());

  it('answers 200 once the event is queued, and counts it', async () => {
    const res = await handler(signed(fixture('new_candidate_application').raw));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'queued', deliveryId: 'evt-1' });
    expect(publisher.sent.map((m) => m.queue)).toEqual(['greenhouse-changes', 'ai-tasks']);
    expect(counted).toEqual({ [INGEST_METRICS.verified]: 1, [INGEST_METRICS.messagesQueued]: 2 });
  });

  it('answers 401 to a wrong signature, queues nothing and counts the rejection', async () => {
    const res = await handler(signed(fixture('update_candidate').raw, 'wrong-secret'));
    expect(res.statusCode).toBe(401);
    expect(publisher.sent).toEqual([]);
    expect(counted).toEqual({ [INGEST_METRICS.signatureRejected]: 1 });
  });

  it('answers 401 to a delivery with no Signature header', async () => {
    const res = await handler(proxyEvent(fixture('update_candidate').raw, { 'Content-Type': 'application/json' }));
    expect(res.statusCode).toBe(401);
    expect(counted).toEqual({ [INGEST_METRICS.signatureRejected]: 1 });
  });

  it('reads headers whatever their case, as REST APIs pass them through', async () => {
    const body = fixture('update_candidate').raw;
    const res = await handler(proxyEvent(body, { signature: signGreenhouseBody(body, SECRET), 'greenhouse-event-id': 'lower' }));
    expect(res.statusCode).toBe(200);
    expect(publisher.sent[0]!.deduplicationId).toBe('lower');
  });

  it('verifies a base64-encoded body over its decoded bytes', async () => {
    const vector = signatureTestVector();
    readSecret = async () => vector.secret_key;
    const body = Buffer.from(vector.raw_body);
    const res = await handler(proxyEvent(body, { Signature: vector.expected_signature_header_value }, true));
    expect(res.statusCode).toBe(200);
  });

  it('answers a ping with 200 and queues nothing', async () => {
    const res = await handler(signed(fixture('ping').raw));
    expect(res.statusCode).toBe(200);
    expect(publisher.sent).toEqual([]);
    expect(counted).toEqual({ [INGEST_METRICS.verified]: 1, [INGEST_METRICS.ping]: 1 });
  });

  it('answers 400 to a signed body that is not JSON, after keeping it', async () => {
    const res = await handler(signed(Buffer.from('this is not json')));
    expect(res.statusCode).toBe(400);
    expect(publisher.sent).toHaveLength(1);
    expect(publisher.sent[0]).toMatchObject({ deadLetter: true, envelope: { reason: 'malformed' } });
    expect(counted[INGEST_METRICS.malformed]).toBe(1);
  });

  it('answers 400 to a signed body with no action', async () => {
    const res = await handler(signed(Buffer.from('{"payload":{}}')));
    expect(res.statusCode).toBe(400);
  });

  it('answers 200 to an unknown action so Greenhouse stops retrying, having kept it', async () => {
    const res = await handler(signed(Buffer.from('{"action":"brand_new_event","payload":{}}')));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'kept', reason: 'unknown-action' });
    expect(publisher.sent[0]).toMatchObject({ queue: 'greenhouse-changes', deadLetter: true });
    expect(counted[INGEST_METRICS.quarantined]).toBe(1);
  });

  it('answers 400 to an id that is not a Greenhouse id, having kept it, and says which field without its value', async () => {
    const res = await handler(signed(Buffer.from('{"action":"update_candidate","payload":{"candidate":{"id":-5,"first_name":"Ada"}}}')));
    expect(res.statusCode).toBe(400);
    const answer = JSON.parse(res.body) as { reason: string; message: string };
    expect(answer).toMatchObject({ reason: 'invalid-id', deliveryId: 'evt-1' });
    expect(answer.message).toContain('payload.candidate.id');
    expect(answer.message).not.toMatch(/-5|Ada/);
    expect(publisher.sent).toEqual([expect.objectContaining({ queue: 'greenhouse-changes', deadLetter: true })]);
    expect(counted[INGEST_METRICS.malformed]).toBe(1);
    expect(output.join('')).not.toContain('Ada');
  });

  it('answers 400 to a known action whose payload lacks its ids, having kept it', async () => {
    const res = await handler(signed(Buffer.from('{"action":"update_candidate","payload":{"candidate":{"first_name":"Ada"}}}')));
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ reason: 'unroutable' });
    expect(publisher.sent).toEqual([expect.objectContaining({ deadLetter: true })]);
  });

  it('answers 400 to a delete_candidate nested 5,000 levels deep, having kept it', async () => {
    const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
    const res = await handler(signed(Buffer.from(`{"action":"delete_candidate","payload":{"person":{"id":1,"x":${deep}}}}`)));
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ reason: 'malformed' });
  });

  it('answers 413 over the payload cap', async () => {
    const res = await handler(signed(Buffer.from(JSON.stringify({ action: 'update_candidate', pad: 'x'.repeat(64 * 1024) }))));
    expect(res.statusCode).toBe(413);
    expect(publisher.sent).toEqual([]);
    expect(counted).toEqual({ [INGEST_METRICS.tooLarge]: 1 });
  });

  it('answers 503 when SQS fails, so that Greenhouse retries', async () => {
    publisher.fail = true;
    const res = await handler(signed(fixture('update_candidate').raw));
    expect(res.statusCode).toBe(503);
    expect(counted[INGEST_METRICS.enqueueFailed]).toBe(1);
  });

  it('answers 503 when an unknown action cannot be kept either', async () => {
    publisher.fail = true;
    const res = await handler(signed(Buffer.from('{"action":"brand_new_event","payload":{}}')));
    expect(res.statusCode).toBe(503);
  });

  it('answers 200 to a delivery queued while the idempotency table failed, and counts it (fail open)', async () => {
    handler = makeIngestHandler({
      readSecret: async () => SECRET,
      publisher,
      // Labelled fake: the table failed, the delivery was published anyway.
      deliveries: { publishOnce: async (_key, publish) => (await publish(), { outcome: 'unrecorded', storeError: Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }) }) },
      payloadCapBytes: 64 * 1024,
      logger: new Logger({ serviceName: 'ingest' }),
      metrics,
    });
    const res = await handler(signed(fixture('update_candidate').raw));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'queued', deliveryId: 'evt-1' });
    expect(publisher.sent).toHaveLength(1);
    expect(counted[INGEST_METRICS.dedupUnavailable]).toBe(1);
    expect(output.join('')).toContain('"errorName":"ProvisionedThroughputExceededException"');
  });

  it('answers 503 when the secret cannot be read', async () => {
    readSecret = async () => {
      throw new Error('AccessDenied');
    };
    const res = await handler(signed(fixture('update_candidate').raw));
    expect(res.statusCode).toBe(503);
    expect(publisher.sent).toEqual([]);
  });

  it('answers 503 to a weak secret as to a missing one, counts WebhookSecretWeak and logs the reason only', async () => {
    readSecret = async () => {
      throw new WeakSecretError('the secret in GREENHOUSE_WEBHOOK_SECRET_ARN is too weak (shorter than 32 characters)');
    };
    const res = await handler(signed(fixture('update_candidate').raw));
    expect(res.statusCode).toBe(503);
    expect(publisher.sent).toEqual([]);
    expect(counted).toEqual({ [INGEST_METRICS.secretWeak]: 1 });
    expect(output.join('')).toContain('too weak (shorter than 32 characters)');
    expect(output.join('')).not.toContain(SECRET);
  });

  it('never answers 5xx to bad input', async () => {
    const bad = [
      proxyEvent(Buffer.from(''), {}),
      proxyEvent(Buffer.from('{}'), { Signature: 'sha256' }),
      proxyEvent(Buffer.from('{}'), { Signature: 'md5 abc' }),
      signed(Buffer.from('')),
      signed(Buffer.from('null')),
      signed(Buffer.from('{"action":"update_candidate","payload":null}')),
      signed(Buffer.from('{"action":"ping","payload":{"web_hook_id":{"toString":1}}}')),
      signed(Buffer.from(`{"action":"ping","payload":{"web_hook_id":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`)),
    ];
    for (const event of bad) expect((await handler(event)).statusCode).toBeLessThan(500);
  });

  it('logs ids only: no name, email or body of any official example reaches a log line', async () => {
    for (const f of greenhouseWebhookFixtures()) await handler(signed(f.raw, SECRET, `evt-${f.action}`));
    await handler(signed(fixture('update_candidate').raw, 'wrong-secret'));
    const logs = output.join('');
    expect(logs).toContain('webhook queued');
    expect(logs).toContain('webhook rejected: signature');
    const candidate = (fixture('update_candidate').json.payload as { candidate: { first_name: string; last_name: string; email_addresses: { value: string }[] } }).candidate;
    const person = (fixture('delete_candidate').json.payload as { person: { first_name: string; last_name: string } }).person;
    for (const pii of [candidate.first_name, candidate.last_name, candidate.email_addresses[0]!.value, person.first_name, person.last_name]) {
      expect(logs).not.toContain(pii);
    }
  });
});
