import { describe, expect, it } from 'vitest';
import { signGreenhouseBody, verifyGreenhouseSignature } from '#core/webhooks/signature';
import { signatureTestVector } from '../../support/fixtures.ts';

const vector = signatureTestVector();
const body = Buffer.from(vector.raw_body, 'utf8');

describe('Greenhouse webhook signature (Signature: sha256 <hex>, HMAC-SHA256 over the raw body)', () => {
  it('accepts the real delivery of the published test vector', () => {
    expect(verifyGreenhouseSignature(body, vector.expected_signature_header_value, vector.secret_key)).toEqual({ ok: true });
  });

  it('produces the same header value as Greenhouse did for that delivery', () => {
    expect(signGreenhouseBody(body, vector.secret_key)).toBe(vector.expected_signature_header_value);
  });

  it('rejects the vector with one byte of the body changed', () => {
    const tampered = Buffer.from(body);
    tampered[tampered.indexOf('4001693002')] = '5'.charCodeAt(0);
    expect(verifyGreenhouseSignature(tampered, vector.expected_signature_header_value, vector.secret_key)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('rejects a body signed with another key', () => {
    const header = signGreenhouseBody(body, 'not-the-secret');
    expect(verifyGreenhouseSignature(body, header, vector.secret_key)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('rejects a right digest under another algorithm name', () => {
    const header = `sha1 ${vector.expected_hex_digest}`;
    expect(verifyGreenhouseSignature(body, header, vector.secret_key)).toEqual({
      ok: false,
      reason: 'unsupported-algorithm',
    });
  });

  it('rejects a missing or empty header', () => {
    expect(verifyGreenhouseSignature(body, undefined, vector.secret_key)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyGreenhouseSignature(body, '  ', vector.secret_key)).toEqual({ ok: false, reason: 'missing' });
  });

  it.each([
    ['the digest alone', vector.expected_hex_digest],
    ['a truncated digest', `sha256 ${vector.expected_hex_digest.slice(0, 40)}`],
    ['a non-hex digest', `sha256 ${'z'.repeat(64)}`],
    ['two spaces', `sha256  ${vector.expected_hex_digest}`],
  ])('rejects a malformed header: %s', (_, header) => {
    expect(verifyGreenhouseSignature(body, header, vector.secret_key)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('verifies a body with \\u003c-style escapes as sent, and not once re-serialised', () => {
    const sent = Buffer.from('{"action":"job_post_updated","payload":{"content":"\\u003cp\\u003eHello \\u0026 welcome\\u003c/p\\u003e"}}');
    const header = signGreenhouseBody(sent, 'secret');
    expect(verifyGreenhouseSignature(sent, header, 'secret')).toEqual({ ok: true });
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(sent.toString('utf8'))));
    expect(reserialised.equals(sent)).toBe(false);
    expect(verifyGreenhouseSignature(reserialised, header, 'secret')).toEqual({ ok: false, reason: 'mismatch' });
  });
});
