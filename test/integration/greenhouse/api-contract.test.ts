import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collect, type GreenhouseClient } from '#adapters/greenhouse/client';
import { ActionNotConfirmed } from '#adapters/greenhouse/errors';
import { Forbidden, ServerError, Unauthorized } from '#core/api-errors';
import { startHarness, type Harness } from './support.ts';

/**
 * The client where v3's contract is unsettled: rejection reasons read from rejection_details, merge and
 * anonymize taken on any 2xx and confirmed by reading, attachment links that may want the bearer token.
 * Each runs against the simulator's default readings and their plausible alternatives
 * (api-contract.ts). Token Basic auth is in token-basic-auth.test.ts.
 */
let h: Harness;
let client: GreenhouseClient;
beforeAll(async () => {
  h = await startHarness();
  client = h.client();
});
afterAll(async () => h.close());


describe.each(['on-application', 'rejection-details-only'] as const)('rejection reasons (%s)', (rejectionReasons) => {
  beforeEach(() => h.freshTenant({ rejectionReasons }));

  it('reads the reason of a rejected application from rejection_details, a row of its own', async () => {
    const details = await collect(client.listRejectionDetails({ application_ids: [953] }));
    expect(details).toHaveLength(1);
    expect(details[0]).toMatchObject({ application_id: 953, rejection_reason_id: 601 });
    expect(details[0]!.id).not.toBe(953);
    expect(await collect(client.listRejectionDetails({ application_ids: [951] }))).toEqual([]);
  });

  it('shows rejection_reason_id on the application only in the on-application reading', async () => {
    const [application] = await client.byIds('applications', [953]);
    expect(application?.status).toBe('rejected');
    if (rejectionReasons === 'on-application') expect(application?.rejection_reason_id).toBe(601);
    else expect(application).not.toHaveProperty('rejection_reason_id');
  });
});

describe.each(['candidate', 'no-content', 'message'] as const)('merge and anonymize answering %s', (lifecycleReply) => {
  beforeEach(() => h.freshTenant({ lifecycleReply }));

  it('merges, confirmed by reading both back: the primary as read, the duplicate gone', async () => {
    const dup = await client.createCandidate({ first_name: 'Omar', last_name: 'Quill' });
    const primary = await client.mergeCandidates(902, dup.id);
    expect(primary).toMatchObject({ id: 902, first_name: 'Omar' });
    expect(await client.getCandidate(dup.id)).toBeUndefined();
  });

  it('anonymizes, confirmed by reading the candidate back', async () => {
    const after = await client.anonymizeCandidate(903, ['full_name', 'emails', 'phone_numbers', 'notes']);
    expect(after).toMatchObject({ id: 903, first_name: 'Anonymized', email_addresses: [], phone_numbers: [] });
  });
});

describe('merge and anonymize after an ambiguous failure', () => {
  beforeEach(() => h.freshTenant({}));

  /** A client whose matching writes reach the simulator (or not) and then come back as a 502; `sent` counts them. */
  let sent = 0;
  const failing = (pattern: RegExp, delivered: boolean) => {
    sent = 0;
    return h.client({
      fetch: async (input, init) => {
        if (!pattern.test(String(input)) || init?.method === 'GET') return fetch(input, init);
        sent++;
        if (delivered) await fetch(input, init);
        return new Response('Bad Gateway', { status: 502 });
      },
    });
  };

  it('a merge that happened is confirmed by reading, not sent again', async () => {
    const dup = await client.createCandidate({ first_name: 'Omar', last_name: 'Quill' });
    const primary = await failing(/\/merge$/, true).mergeCandidates(902, dup.id);
    expect(primary.id).toBe(902);
    expect([sent, h.requests('POST /v3/candidates/:id/merge')]).toEqual([1, 1]);
  });

  it('a merge that did not happen fails once, never repeated blindly', async () => {
    const dup = await client.createCandidate({ first_name: 'Omar', last_name: 'Quill' });
    await expect(failing(/\/merge$/, false).mergeCandidates(902, dup.id)).rejects.toBeInstanceOf(ServerError);
    expect(sent).toBe(1);
    expect(await client.getCandidate(dup.id)).toBeDefined();
  });

  it('an anonymize that happened is confirmed by reading, not sent again', async () => {
    const after = await failing(/\/anonymize$/, true).anonymizeCandidate(903, ['full_name']);
    expect(after.first_name).toBe('Anonymized');
    expect([sent, h.requests('PATCH /v3/candidates/:id/anonymize')]).toEqual([1, 1]);
  });

  it('an anonymize that did not happen fails after one attempt', async () => {
    await expect(failing(/\/anonymize$/, false).anonymizeCandidate(903, ['full_name'])).rejects.toBeInstanceOf(ServerError);
    expect(sent).toBe(1);
    expect((await client.getCandidate(903))?.first_name).toBe('Noor');
  });

  it('a 2xx whose effect the read-back does not show is an error naming the field', async () => {
    const c = h.client({
      fetch: async (input, init) => (/\/anonymize$/.test(String(input)) ? new Response(null, { status: 204 }) : fetch(input, init)),
    });
    const error = await c.anonymizeCandidate(903, ['full_name', 'notes']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionNotConfirmed);
    expect((error as ActionNotConfirmed).unconfirmed).toEqual(['full_name']);
  });
});

describe.each(['presigned', 'bearer'] as const)('attachment downloads (%s)', (attachmentAuth) => {
  beforeEach(() => h.freshTenant({ attachmentAuth }));

  /** Every download request: its URL's host as the client sent it, and whether it carried a token. */
  const sent: { host: string; bearer: boolean }[] = [];
  /** A client whose requests to `host` are served by the simulator's /s3 links, as if that host served them. */
  const clientVia = (host: string) => {
    sent.length = 0;
    return h.client({
      fetch: async (input, init) => {
        const url = new URL(String(input));
        if (!url.pathname.startsWith('/s3/')) return fetch(input, init);
        sent.push({ host: url.host, bearer: new Headers(init?.headers).get('authorization')?.startsWith('Bearer ') ?? false });
        return fetch(new URL(`${url.pathname}${url.search}`, h.sim.url), init);
      },
    });
  };
  const onHost = async (host: string | undefined) => {
    const [attachment] = await collect(client.listAttachments({ candidate_ids: [901] }));
    if (!host) return attachment!;
    const url = new URL(attachment!.url);
    return { ...attachment!, url: `https://${host}${url.pathname}${url.search}` };
  };

  it('downloads from the API host, adding the token only when the link asks for it, then at once', async () => {
    const c = clientVia('');
    const host = new URL(h.sim.url).host;
    const file = await c.downloadAttachment(await onHost(undefined));
    expect(new TextDecoder().decode(file.bytes)).toContain('Lena');
    if (attachmentAuth === 'presigned') {
      expect(sent).toEqual([{ host, bearer: false }]);
    } else {
      expect(sent).toEqual([{ host, bearer: false }, { host, bearer: true }]);
      sent.length = 0;
      await c.downloadAttachment(await onHost(undefined));
      expect(sent).toEqual([{ host, bearer: true }]);
    }
  });

  it('retries with the token for a *.greenhouse.io host', async () => {
    const c = clientVia('');
    const file = await c.downloadAttachment(await onHost('files.greenhouse.io'));
    expect(file.bytes.length).toBeGreaterThan(0);
    expect(sent.at(-1)).toEqual({ host: 'files.greenhouse.io', bearer: attachmentAuth === 'bearer' });
  });

  it('never sends the token to another host', async () => {
    const c = clientVia('');
    const download = c.downloadAttachment(await onHost('storage.example.net'));
    if (attachmentAuth === 'presigned') await expect(download).resolves.toBeDefined();
    else await expect(download).rejects.toBeInstanceOf(Unauthorized);
    expect(sent).toEqual([{ host: 'storage.example.net', bearer: false }]);
  });

  it('an expired link stays refused, with or without the token', async () => {
    const c = clientVia('');
    const attachment = await onHost(undefined);
    h.clock.advance(7 * 24 * 3600_000 + 1_000);
    await expect(c.downloadAttachment(attachment)).rejects.toBeInstanceOf(Forbidden);
    expect(sent.filter((s) => s.bearer).length).toBeLessThanOrEqual(1);
  });
});
