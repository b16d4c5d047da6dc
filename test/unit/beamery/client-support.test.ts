import { beforeEach, describe, expect, it } from 'vitest';
import { AttachmentRejected } from '#adapters/beamery/errors';
import { BEAMERY_ATTACHMENT_MAX_BYTES } from '#core/beamery/records';
import { checkAttachment } from '#adapters/beamery/attachment-limits';
import { Capabilities } from '#adapters/beamery/capabilities';
import { BEAMERY_CAPABILITIES } from '#core/ports/beamery-api';
import { BEAMERY_OPERATIONS, operationUrl } from '#adapters/beamery/operations';
import { authorizationHeader, clearBeameryTokenCache, dropRejectedToken, refreshAtFor } from '#adapters/beamery/token-cache';
import { BEAMERY_BASE_URLS } from '#adapters/beamery/connection';
import { BeameryClient } from '#adapters/beamery/client';
import { SimClock } from '#local/simulators/shared/clock';

describe('the operations table', () => {
  it('gives every operation an evidence level, and every evidence-less feature a capability', () => {
    for (const [name, op] of Object.entries(BEAMERY_OPERATIONS)) {
      expect(['HIGH', 'MED', 'LOW', 'ASSUMED'], name).toContain(op.evidence);
      if ('capability' in op) expect(op.evidence, name).toBe('ASSUMED');
    }
    const gated = new Set(Object.values(BEAMERY_OPERATIONS).flatMap((op) => ('capability' in op ? [op.capability] : [])));
    expect([...gated].sort()).toEqual([...BEAMERY_CAPABILITIES].sort());
  });

  it('builds URLs from the table, encoding path segments', () => {
    expect(operationUrl('https://frontier.beamery.com/v1/', 'getContact', { id: 'a/b c' })).toBe('https://frontier.beamery.com/v1/contact/a%2Fb%20c');
    expect(operationUrl(BEAMERY_BASE_URLS.eu, 'findContactsByEmail', {}, { email: 'a+b@example.com', offset: undefined })).toBe('https://frontier.beamery.eu/v1/contacts?email=a%2Bb%40example.com');
    expect(() => operationUrl('https://x/v1', 'getContact')).toThrow('missing path parameter id');
  });

  it('takes its base URL from the region, or an explicit one, and needs one of them', () => {
    expect(() => new BeameryClient({ credentials: async () => ({ clientId: 'a', clientSecret: 'b' }) })).toThrow('region or a baseUrl');
    expect(BEAMERY_BASE_URLS['us-sandbox']).toBe('https://frontier.sandbox.beamery.com/v1');
  });
});

describe('the token cache', () => {
  beforeEach(() => clearBeameryTokenCache());

  it('renews a minute before expiry, or a tenth early for short lifetimes', () => {
    expect(refreshAtFor(0, 3600)).toBe(3_540_000);
    expect(refreshAtFor(0, 100)).toBe(90_000);
    // No expires_in: a short assumed life, with the 401 path as the backstop.
    expect(refreshAtFor(0, undefined)).toBe(840_000);
  });

  it('mints once for concurrent callers and reuses the token until it is due', async () => {
    const clock = new SimClock(1e-6);
    let minted = 0;
    const mint = async () => ({ accessToken: `t${++minted}`, tokenType: 'bearer', expiresInSeconds: 600 });
    const headers = await Promise.all(Array.from({ length: 5 }, () => authorizationHeader('k', mint, clock)));
    expect(new Set(headers)).toEqual(new Set(['Bearer t1']));
    clock.advance(539_000);
    expect(await authorizationHeader('k', mint, clock)).toBe('Bearer t1');
    clock.advance(2_000);
    expect(await authorizationHeader('k', mint, clock)).toBe('Bearer t2');
  });

  it('drops only the token that was refused, not one minted since', async () => {
    const clock = new SimClock(1e-6);
    let minted = 0;
    const mint = async () => ({ accessToken: `t${++minted}`, tokenType: 'Bearer', expiresInSeconds: 600 });
    await authorizationHeader('k', mint, clock);
    dropRejectedToken('Bearer t1');
    expect(await authorizationHeader('k', mint, clock)).toBe('Bearer t2');
    dropRejectedToken('Bearer t1');
    expect(await authorizationHeader('k', mint, clock)).toBe('Bearer t2');
  });

  it('lets the next caller try again after a failed mint', async () => {
    const clock = new SimClock(1e-6);
    let attempt = 0;
    const mint = async () => {
      if (++attempt === 1) throw new Error('boom');
      return { accessToken: 'ok', tokenType: 'Bearer', expiresInSeconds: 60 };
    };
    await expect(authorizationHeader('k', mint, clock)).rejects.toThrow('boom');
    expect(await authorizationHeader('k', mint, clock)).toBe('Bearer ok');
  });
});

describe('capabilities', () => {
  it('configured values win over what is learned', () => {
    const caps = new Capabilities({ merge: false, notes: true });
    caps.learn('merge', true);
    caps.learn('notes', false);
    expect(caps.report()).toEqual({ merge: 'unsupported', notes: 'supported', anonymize: 'unknown', attachments: 'unknown', vacancyStages: 'unknown', vacancyCreate: 'unknown', vacancyUpdate: 'unknown' });
  });

  it('probes only while unknown', () => {
    const caps = new Capabilities();
    expect(caps.mayBeMissing('attachments')).toBe(true);
    caps.learn('attachments', true);
    expect(caps.mayBeMissing('attachments')).toBe(false);
  });
});

describe('attachment limits (S12)', () => {
  const file = (fileName: string, size: number) => ({ fileName, bytes: new Uint8Array(size) });

  it.each(['.txt', '.doc', '.docx', '.pdf', '.jpg', '.jpeg', '.tif', '.png'])('allows %s, whatever its case', (ext) => {
    expect(() => checkAttachment(file(`resume${ext.toUpperCase()}`, 1), 'op')).not.toThrow();
  });

  it('allows exactly 25 MB and refuses a byte more', () => {
    expect(checkAttachment(file('a.pdf', BEAMERY_ATTACHMENT_MAX_BYTES), 'op')).toBe('application/pdf');
    expect(() => checkAttachment(file('a.pdf', BEAMERY_ATTACHMENT_MAX_BYTES + 1), 'op')).toThrow(AttachmentRejected);
  });

  it('refuses other types, names without an extension, and empty files', () => {
    for (const [name, size, reason] of [['a.exe', 1, 'type-not-allowed'], ['a.tiff', 1, 'type-not-allowed'], ['README', 1, 'type-not-allowed'], ['a.txt', 0, 'empty']] as const) {
      const error = (() => {
        try {
          checkAttachment(file(name, size), 'op');
        } catch (e) {
          return e as AttachmentRejected;
        }
      })();
      expect(error?.reason, name).toBe(reason);
    }
  });

  it('keeps a content type the caller gives', () => {
    expect(checkAttachment({ fileName: 'a.doc', contentType: 'application/x-custom', bytes: new Uint8Array(1) }, 'op')).toBe('application/x-custom');
  });
});
