import { getContact } from './contacts.ts';
import type { BeameryTransport } from './transport.ts';
import type { Unsupportable } from '#core/beamery/records';

/**
 * Merge and anonymize: product features (S10, S11) with no public API, so both are ASSUMED and gated.
 * 'unsupported' tells the sync to fall back (raise an operator task; keep the IdMap link as
 * merged-into / anonymized on our side).
 */

/**
 * ASSUMED `POST /contacts/merge` `{primaryId, secondaryId}`; the survivor is `primaryId`, and the
 * merged-away contact then reads with `mergedIn` = the survivor. After an ambiguous failure, that
 * bookkeeping is what tells whether the merge happened.
 */
export async function mergeContacts(t: BeameryTransport, primaryId: string, secondaryId: string): Promise<Unsupportable<'done'>> {
  return t.gated(
    'merge',
    () =>
      t.call('mergeContacts', {
        json: { primaryId, secondaryId },
        parse: () => 'done' as const,
        verifyWrite: async () => ((await getContact(t, secondaryId))?.mergedIntoId === primaryId ? 'done' : undefined),
      }),
    async () => (await getContact(t, primaryId)) !== null && (await getContact(t, secondaryId)) !== null,
  );
}

/** ASSUMED `POST /contact/{id}/anonymize` (no body). Repeating it is harmless; a contact that reads as anonymized (or is gone) counts as done. */
export async function anonymizeContact(t: BeameryTransport, id: string): Promise<Unsupportable<'done'>> {
  return t.gated(
    'anonymize',
    () =>
      t.call('anonymizeContact', {
        params: { id },
        parse: () => 'done' as const,
        verifyWrite: async () => {
          const contact = await getContact(t, id);
          return contact === null || contact.anonymized ? 'done' : undefined;
        },
      }),
    async () => (await getContact(t, id)) !== null,
  );
}
