import { NotFound } from '#core/api-errors';
import type { BeameryTransport } from './transport.ts';
import type { BeameryContact, BeameryPage, ContactWrite } from '#core/beamery/records';
import { contactBody } from './wire/bodies.ts';
import { parseContact } from './wire/contact.ts';
import { idOf, parsePage, unwrapOne } from './wire/envelope.ts';
import { offsetPaged } from './offset-paging.ts';

/**
 * Contacts: search by email, poll by `updated_at`, get, create, update. Evidence per call is in
 * operations.ts (MED for all but get, which is ASSUMED).
 */

/** How far the server's clock may be from ours when deciding whether a found contact is one we just created. */
const CREATE_SKEW_MS = 30_000;

const contactsPage = (t: BeameryTransport, request: { offset: number; limit: number }) => (body: unknown) =>
  parsePage(body, 'contacts', (raw) => parseContact(raw, t.contactParsing), request);

/**
 * Contacts holding `email` (MED: `GET /contacts?email=`, S4). Beamery's matching rules (case,
 * secondary addresses) are undocumented, so results are kept only if one of their addresses equals
 * `email` ignoring case; a result with no readable address is kept, since it cannot be judged.
 */
export async function findContactsByEmail(t: BeameryTransport, email: string): Promise<BeameryContact[]> {
  const request = { offset: 0, limit: t.pageSize };
  const page = await t.call('findContactsByEmail', { query: { email, limit: request.limit }, parse: contactsPage(t, request) });
  const wanted = email.trim().toLowerCase();
  return page.items.filter((c) => c.emails.length === 0 || c.emails.some((e) => e.toLowerCase() === wanted));
}

/**
 * One page of contacts updated at or after `sinceIso` (MED, S4). Sorted by `createdAt` ascending,
 * as S4 does: with a `>=` filter on `updatedAt`, a contact edited mid-scan keeps its place (its
 * creation time does not move) and a newly matching one only pushes later pages right, which gives
 * duplicates (removed by `contactsUpdatedSince`) rather than gaps. Sorting on `updatedAt` would move
 * edited contacts to the end and make offset paging skip others.
 */
export async function listContactsUpdatedSince(t: BeameryTransport, sinceIso: string, cursor: { offset: number } = { offset: 0 }): Promise<BeameryPage<BeameryContact>> {
  const request = { offset: cursor.offset, limit: t.pageSize };
  return t.call('listContactsUpdatedSince', {
    query: { updated_at: sinceIso, updated_at_op: 'gte', sort_field: 'createdAt', sort_order: 'asc', limit: request.limit, offset: request.offset },
    parse: contactsPage(t, request),
  });
}

/**
 * Every contact updated since `sinceIso`, page after page, each (id, updatedAt) yielded once. A
 * poller should take its next watermark from when this scan started (minus an overlap for clock
 * skew), not from the newest `updatedAt` seen: a contact passed early in the scan and edited before
 * the scan ends has an `updatedAt` older than later ones.
 */
export async function* contactsUpdatedSince(t: BeameryTransport, sinceIso: string): AsyncGenerator<BeameryContact> {
  const seen = new Set<string>();
  for await (const contact of offsetPaged(t.pageSize, (request) => listContactsUpdatedSince(t, sinceIso, { offset: request.offset }))) {
    const key = `${contact.id}@${contact.updatedAt ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    yield contact;
  }
}

/**
 * ASSUMED `GET /contact/{id}`. Null only when the contact is gone and the read path is shown to work
 * (contact-read-check.ts); a 404 from a path that 404s for listed contacts is CapabilityBroken.
 */
export async function getContact(t: BeameryTransport, id: string): Promise<BeameryContact | null> {
  let contact: BeameryContact;
  try {
    contact = await t.call('getContact', { params: { id }, parse: (body) => parseContact(unwrapOne(body, 'contact'), t.contactParsing) });
  } catch (error) {
    if (!(error instanceof NotFound)) throw error;
    await t.contactRead.corroborateNotFound(t, id);
    return null;
  }
  t.contactRead.confirm();
  return contact;
}

/**
 * MED `POST /contact` (singular, S4). A create is not repeated blindly: after an ambiguous failure
 * (5xx, dropped connection) the contact is searched by email, and one that carries our Greenhouse id,
 * or was created since this attempt began, is taken as ours. Without an email, a contact carrying our
 * Greenhouse id among those updated since the attempt began (ASSUMED: a create counts as an update, as
 * the Beamery poller also relies on) is ours. With neither the outcome cannot be checked and the
 * failure surfaces as WriteOutcomeUnknown.
 */
export async function createContact(t: BeameryTransport, write: ContactWrite): Promise<{ id: string }> {
  const startedAt = t.clock.now();
  const email = write.primaryEmail ?? write.emails?.[0];
  const { greenhouseCandidateId } = write;
  return t.call('createContact', {
    json: contactBody(write, t.greenhouseIdField, undefined, t.profileTagsField),
    parse: (body) => ({ id: idOf(body, 'contact') }),
    verifyWrite: email
      ? async () => {
          const found = await findContactsByEmail(t, email);
          const ours = found.find((c) =>
            greenhouseCandidateId !== undefined && c.greenhouseCandidateId !== undefined
              ? c.greenhouseCandidateId === greenhouseCandidateId
              : c.createdAt !== undefined && Date.parse(c.createdAt) >= startedAt - CREATE_SKEW_MS,
          );
          return ours ? { id: ours.id } : undefined;
        }
      : greenhouseCandidateId !== undefined
        ? async () => {
            const ours = await findContactOfCandidate(t, greenhouseCandidateId, new Date(startedAt - CREATE_SKEW_MS).toISOString());
            return ours ? { id: ours.id } : undefined;
          }
        : undefined,
  });
}

/**
 * The contact carrying our Greenhouse candidate id among those updated since `sinceIso` (the listing
 * filters by no field, so the window is read; ASSUMED: a create counts as an update in it, as the
 * Beamery poller also relies on).
 */
export async function findContactOfCandidate(t: BeameryTransport, greenhouseCandidateId: string, sinceIso: string): Promise<BeameryContact | undefined> {
  for await (const contact of contactsUpdatedSince(t, sinceIso)) if (contact.greenhouseCandidateId === greenhouseCandidateId) return contact;
  return undefined;
}

/**
 * MED `PATCH /contact/{id}` (S4). Array semantics differ per field and are unverified (reference §7
 * q10; docs/beamery-assumptions.md). When the Greenhouse id lives in a custom field and the caller
 * sends no custom fields, the current ones are read first, because Beamery replaces the whole list.
 */
export async function updateContact(t: BeameryTransport, id: string, write: ContactWrite): Promise<{ id: string }> {
  let current: BeameryContact['customFields'] | undefined;
  if (write.greenhouseCandidateId !== undefined && t.greenhouseIdField.kind === 'custom-field' && !write.customFields) {
    const contact = await getContact(t, id);
    if (!contact) throw new NotFound('beamery', `PATCH /contact/${id}`);
    current = contact.customFields;
  }
  const body = contactBody(write, t.greenhouseIdField, current?.map((f) => ({ id: f.id, value: f.value })), t.profileTagsField);
  return t.call('updateContact', { params: { id }, json: body, parse: (response) => ({ id: response === undefined ? id : idOf(response, 'contact') }) });
}
