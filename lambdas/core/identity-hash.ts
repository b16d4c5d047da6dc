import { createHmac } from 'node:crypto';

/**
 * The keyed hash that stands for a person's email where the bridge must remember them without
 * keeping the address: anonymized people who must not be re-created until they consent (the seed's
 * rule). Keyed (HMAC), so a leaked Ledger cannot be matched against a list of addresses without the
 * key, which lives in Secrets Manager.
 */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function identityHash(email: string, key: string): string {
  return createHmac('sha256', key).update(normaliseEmail(email)).digest('hex');
}
