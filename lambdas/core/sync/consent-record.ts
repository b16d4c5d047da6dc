import { identityHash } from '#core/identity-hash';
import type { LedgerStore } from './ports.ts';

/**
 * Consent read on either side, kept under each of the person's keyed email hashes: the anonymization
 * block (seed: "Contacts that have been re-added in Greenhouse will NOT be added to Beamery until
 * consent is received") lifts only for consent dated after the anonymization (ledger.ts `isBlocked`).
 * The write is forward-only, so reading the same consent again changes nothing.
 */
export async function recordConsentOf(
  emails: readonly string[],
  consentAt: string | undefined,
  ledger: Pick<LedgerStore, 'recordConsent'>,
  identityKey: string,
): Promise<void> {
  if (consentAt === undefined) return;
  for (const email of new Set(emails)) await ledger.recordConsent(identityHash(email, identityKey), consentAt);
}
