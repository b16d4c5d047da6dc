import { afterEach, describe, expect, it } from 'vitest';
import { collect } from '#adapters/greenhouse/client';
import { Forbidden, NetworkError, NotFound, RateLimited, ServerError, ValidationFailed } from '#core/api-errors';
import { ALL_SCOPES } from '#local/simulators/greenhouse/server';
import { startHarness, type Harness } from './support.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Fetch that lets requests to `path` through but loses their answers, the way a timeout after the server acted does. */
function losingAnswersTo(method: string, path: string, times: number): typeof fetch {
  let left = times;
  return async (input, init) => {
    const response = await fetch(input, init);
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (left > 0 && init?.method === method && url.pathname === path) {
      left--;
      await response.body?.cancel();
      throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    }
    return response;
  };
}

describe('Greenhouse errors as typed errors', () => {
  it('403 names the missing scope', async () => {
    h = await startHarness({
      credentials: [{ clientId: 'sim-client-1', clientSecret: 'sim-client-secret', scopes: ALL_SCOPES.filter((s) => s !== 'harvest:notes:create') }],
    });
    const error = await h.client().createNote({ candidate_id: 901, body: 'Screened.', visibility: 'private' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Forbidden);
    expect((error as Forbidden).missingScope).toBe('harvest:notes:create');
  });

  it('404 for an unknown candidate', async () => {
    h = await startHarness();
    await expect(h.client().updateCandidate(424242, { title: 'x' })).rejects.toBeInstanceOf(NotFound);
  });

  it('422 carries the field messages, without echoing values', async () => {
    h = await startHarness();
    const client = h.client();
    // The client checks fields against the definitions it read; one archived since then gets past it to the API.
    await client.customFieldDefinitions('application');
    h.sim.state.get('custom_fields', 512)!.active = false;
    const error = await client.updateApplicationCustomFields(951, [{ name_key: 'ai_screening_rationale', value: 'x' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).status).toBe(422);
    expect((error as ValidationFailed).messages).toEqual(['custom_fields: unknown application custom field ai_screening_rationale']);
  });

  it('429 becomes RateLimited with the server retry time, without sleeping', async () => {
    h = await startHarness({ rateLimit: { limit: 2 } });
    const client = h.client();
    await collect(client.listJobs());
    await collect(client.listJobs());
    const error = await collect(client.listJobs()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimited);
    const seconds = (error as RateLimited).retryAfterSeconds;
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(30);
    expect(h.requests('GET /v3/jobs')).toBe(3);
  });

  it('5xx is retried a bounded number of times, then ServerError', async () => {
    h = await startHarness();
    const client = h.client();
    await collect(client.listJobs());
    h.sim.faults.update({ serverErrorRate: 1 });
    await h.admin('DELETE', '/requests');
    const error = await collect(client.listJobs()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).status).toBe(503);
    expect(h.requests('GET /v3/jobs')).toBe(3);
  });

  it('a dropped connection is a NetworkError after bounded retries', async () => {
    h = await startHarness();
    const client = h.client();
    await collect(client.listJobs());
    h.sim.faults.update({ dropRate: 1 });
    await expect(collect(client.listJobs())).rejects.toBeInstanceOf(NetworkError);
  });

  it('a note whose answer was lost is found, not posted twice', async () => {
    h = await startHarness();
    const client = h.client({ fetch: losingAnswersTo('POST', '/v3/notes', 1) });
    const note = await client.createNote({ candidate_id: 902, body: 'AI screening summary (advice).', visibility: 'private', user_id: 302 });
    expect(note.body).toBe('AI screening summary (advice).');
    const notes = await collect(h.client().listNotes({ candidate_ids: [902] }));
    expect(notes.filter((n) => n.body === 'AI screening summary (advice).')).toHaveLength(1);
    expect(h.requests('POST /v3/notes')).toBe(1);
  });

  it('a note refused with a 503 (nothing written) is looked for, then posted again', async () => {
    h = await startHarness();
    let refused = 0;
    const refuseFirstPost: typeof fetch = async (input, init) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      if (init?.method === 'POST' && url.pathname === '/v3/notes' && refused++ === 0) {
        return new Response('{"message":"Service Unavailable"}', { status: 503, headers: { 'content-type': 'application/json' } });
      }
      return fetch(input, init);
    };
    const note = await h.client({ fetch: refuseFirstPost }).createNote({ candidate_id: 901, body: 'Retry me.', visibility: 'public' });
    expect(note.visibility).toBe('publicly_visible');
    expect(h.requests('GET /v3/notes')).toBe(1);
    expect(h.requests('POST /v3/notes')).toBe(1);
    expect((await collect(h.client().listNotes({ candidate_ids: [901] }))).filter((n) => n.body === 'Retry me.')).toHaveLength(1);
  });

  it('a create whose answer was lost and whose read-back fails is not posted again', async () => {
    h = await startHarness();
    const losing = losingAnswersTo('POST', '/v3/candidates', 1);
    const readsFail: typeof fetch = async (input, init) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      if (init?.method === 'GET' && url.pathname === '/v3/candidates') throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
      return losing(input, init);
    };
    const error = await h
      .client({ fetch: readsFail })
      .createCandidate({ first_name: 'Ines', last_name: 'Fable' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(h.requests('POST /v3/candidates')).toBe(1);
    const created = (await collect(h.client().listCandidates())).filter((c) => c.first_name === 'Ines' && c.last_name === 'Fable');
    expect(created).toHaveLength(1);
  });
});
