import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Greenhouse signs every delivery with `Signature: sha256 <hex>`: lowercase hex HMAC-SHA256 of the
 * entire raw request body, keyed with the webhook's secret key (reference §5.2). Greenhouse
 * JSON-escapes `<`, `>` and `&` before signing, so only the bytes as received may be hashed, never a
 * re-serialised body.
 */
export type SignatureCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'missing' | 'malformed' | 'unsupported-algorithm' | 'mismatch' };

const HEADER = /^(\S+) ([0-9a-fA-F]+)$/;
const SHA256_HEX_LENGTH = 64;

export function signGreenhouseBody(rawBody: Uint8Array, secret: string): string {
  return `sha256 ${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

export function verifyGreenhouseSignature(
  rawBody: Uint8Array,
  header: string | undefined,
  secret: string,
): SignatureCheck {
  if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing' };
  const match = HEADER.exec(header.trim());
  if (!match) return { ok: false, reason: 'malformed' };
  const [, algorithm, hex] = match as unknown as [string, string, string];
  if (algorithm !== 'sha256') return { ok: false, reason: 'unsupported-algorithm' };
  if (hex.length !== SHA256_HEX_LENGTH) return { ok: false, reason: 'malformed' };
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(hex, 'hex');
  return timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: 'mismatch' };
}
