import { beforeEach, describe, expect, it } from 'vitest';
import { ApiClient, type ApiClientOptions } from '#adapters/http/api-client';
import { NetworkError, NotFound, RateLimited } from '#core/api-errors';
import type { ApiSystem } from '#core/api-errors';
import { ANNOTATION_KEYS, SPAN_NAMES } from '#core/ports/trace-spans';
import { annotationKeys, annotationValues, recordingSpans, XRAY_ANNOTATION_KEY, type RecordedSpan } from './recording-spans.ts';

/** What a request carries that no annotation may: the candidate's id, name and email. */
const CANDIDATE_ID = '48213377';
const NAME = 'Lena Marsh';
const EMAIL = 'lena.marsh@example.test';

type Answer = Response | Error;

/** The client's fetch, answering from a script (then 500): the spans are the subject here, not the wire. */
function scriptedFetch(script: Answer[], seen: string[]): typeof fetch {
  return async (input) => {
    seen.push(String(input));
    const next = script.shift() ?? new Response(JSON.stringify({ message: 'unscripted' }), { status: 500 });
    if (next instanceof Error) throw next;
    return next;
  };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const connectionReset = () => Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });

describe('the TraceSpans port', () => {
  it('allows only annotation keys X-Ray indexes, and names spans for the three systems', () => {
    for (const key of ANNOTATION_KEYS) expect(key).toMatch(XRAY_ANNOTATION_KEY);
    expect(SPAN_NAMES).toEqual(['Greenhouse', 'Beamery', 'Bedrock']);
  });
});

describe('ApiClient spans', () => {
  let script: Answer[];
  let seen: string[];
  let recorded: ReturnType<typeof recordingSpans>;
  let tokens: number;

  const client = (system: ApiSystem, overrides: Partial<ApiClientOptions> = {}) =>
    new ApiClient({
      system,
      authorize: async () => `Bearer token-${tokens}`,
      onUnauthorized: () => tokens++,
      readRateLimit: (response) => ({ status: response.status }),
      errorDetail: () => ({ messages: [] }),
      clock: { now: () => Date.now(), sleep: async () => undefined },
      fetch: scriptedFetch(script, seen),
      spans: recorded.port,
      ...overrides,
    });

  beforeEach(() => {
    script = [];
    seen = [];
    tokens = 0;
    recorded = recordingSpans();
  });

  /** Nothing from the request in any annotation, and only keys X-Ray can index. */
  function expectNoRequestValues(spans: readonly RecordedSpan[]): void {
    for (const value of annotationValues(spans)) {
      expect(value).not.toContain(CANDIDATE_ID);
      expect(value).not.toContain(EMAIL);
      expect(value).not.toContain('@');
      expect(value.toLowerCase()).not.toContain('lena');
      expect(value.toLowerCase()).not.toContain('marsh');
    }
    for (const key of annotationKeys(spans)) expect(key).toMatch(XRAY_ANNOTATION_KEY);
  }

  it('opens one Greenhouse span per request, annotated with the route template, the status and the attempts only', async () => {
    script.push(json(200, { id: Number(CANDIDATE_ID), first_name: 'Lena', last_name: 'Marsh' }));
    const url = `https://harvest.greenhouse.io/v3/candidates/${CANDIDATE_ID}?email=${encodeURIComponent(EMAIL)}`;
    await client('greenhouse').request({ method: 'GET', url, parse: (body) => body });

    expect(seen).toEqual([url]);
    expect(recorded.spans).toEqual([{ name: 'Greenhouse', annotations: { operation: 'GET /v3/candidates/{id}', status: 200, attempts: 1 } }]);
    expectNoRequestValues(recorded.spans);
  });

  it('keeps retries inside the one span: attempts counts every request sent, status is the last one received', async () => {
    script.push(json(503, {}), connectionReset(), json(200, []));
    await client('greenhouse').request({ method: 'GET', url: `https://harvest.greenhouse.io/v3/applications?candidate_ids=${CANDIDATE_ID}`, parse: (body) => body });

    expect(seen).toHaveLength(3);
    expect(recorded.spans).toEqual([{ name: 'Greenhouse', annotations: { operation: 'GET /v3/applications', status: 200, attempts: 3 } }]);
  });

  it('counts the request sent again after a refused token', async () => {
    script.push(json(401, {}), json(200, {}));
    await client('greenhouse').request({ method: 'GET', url: `https://harvest.greenhouse.io/v3/candidates/${CANDIDATE_ID}`, parse: (body) => body });

    expect(recorded.spans).toEqual([{ name: 'Greenhouse', annotations: { operation: 'GET /v3/candidates/{id}', status: 200, attempts: 2 } }]);
  });

  it('annotates a failed request too, and lets its error through unchanged', async () => {
    script.push(json(404, { message: `no candidate ${CANDIDATE_ID}` }));
    await expect(client('greenhouse').request({ method: 'GET', url: `https://harvest.greenhouse.io/v3/candidates/${CANDIDATE_ID}`, parse: (body) => body })).rejects.toBeInstanceOf(
      NotFound,
    );
    expect(recorded.spans).toEqual([{ name: 'Greenhouse', annotations: { operation: 'GET /v3/candidates/{id}', status: 404, attempts: 1 } }]);

    script.push(json(429, {}));
    await expect(client('greenhouse').request({ method: 'GET', url: 'https://harvest.greenhouse.io/v3/jobs', parse: (body) => body })).rejects.toBeInstanceOf(RateLimited);
    expect(recorded.spans[1]).toEqual({ name: 'Greenhouse', annotations: { operation: 'GET /v3/jobs', status: 429, attempts: 1 } });
  });

  it('has no status when nothing answered', async () => {
    script.push(connectionReset(), connectionReset(), connectionReset());
    await expect(client('beamery').request({ method: 'GET', url: 'https://frontier.beamery.com/v1/vacancies', parse: (body) => body })).rejects.toBeInstanceOf(NetworkError);

    expect(recorded.spans).toEqual([{ name: 'Beamery', annotations: { operation: 'GET /v1/vacancies', attempts: 3 } }]);
  });

  it('names Beamery spans for Beamery, with neither the email of a lookup nor the body of a write', async () => {
    script.push(json(200, { contacts: [] }), json(201, { id: '0b7e1c9a-0000-4000-8000-000000000001' }), json(200, {}));
    const beamery = client('beamery');
    await beamery.request({ method: 'GET', url: `https://frontier.beamery.com/v1/contacts?email=${encodeURIComponent(EMAIL)}`, parse: (body) => body });
    await beamery.request({
      method: 'POST',
      url: 'https://frontier.beamery.com/v1/contact',
      json: { firstName: 'Lena', lastName: 'Marsh', primaryEmail: EMAIL, integrations: { greenhouse: { id: CANDIDATE_ID } } },
      parse: (body) => body,
    });
    await beamery.request({ method: 'PATCH', url: `https://frontier.beamery.com/v1/contact/0b7e1c9a-0000-4000-8000-000000000001`, json: { lastName: 'Marsh' }, parse: (body) => body });

    expect(recorded.spans).toEqual([
      { name: 'Beamery', annotations: { operation: 'GET /v1/contacts', status: 200, attempts: 1 } },
      { name: 'Beamery', annotations: { operation: 'POST /v1/contact', status: 201, attempts: 1 } },
      { name: 'Beamery', annotations: { operation: 'PATCH /v1/contact/{id}', status: 200, attempts: 1 } },
    ]);
    expectNoRequestValues(recorded.spans);
  });

  it('runs untraced without a TraceSpans, as the CLI and tests build it', async () => {
    script.push(json(200, {}));
    const untraced = client('greenhouse', { spans: undefined });
    await expect(untraced.request({ method: 'GET', url: 'https://harvest.greenhouse.io/v3/jobs', parse: (body) => body })).resolves.toMatchObject({ status: 200 });
    expect(recorded.spans).toEqual([]);
  });
});
