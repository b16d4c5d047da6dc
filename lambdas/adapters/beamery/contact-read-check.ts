import { NotFound } from '#core/api-errors';
import { CapabilityBroken } from './errors.ts';
import { BEAMERY_OPERATIONS } from './operations.ts';
import type { BeameryTransport } from './transport.ts';
import type { BeameryContact } from '#core/beamery/records';
import { parseContact } from './wire/contact.ts';
import { parsePage, unwrapOne } from './wire/envelope.ts';

/**
 * `GET /contact/{id}` is ASSUMED, and a wrong path answers 404 for every id, exactly as a deleted
 * contact does. So a 404 alone never means "gone": the read path is checked against contacts that the
 * documented listing (MED, S4: `GET /contacts?updated_at=…`) shows to exist. If one of them reads, the
 * path works and the 404 was about the record; if the listing holds the very id that 404'd, or none of
 * the listed contacts reads either, the path is broken (CapabilityBroken). The verdict lasts for the
 * client's life, like a learned capability; a listing with no other contact proves nothing (null, and
 * the next 404 asks again).
 */
export type ContactReadPath = 'unknown' | 'verified' | 'broken';

/** How many listed contacts are fetched to judge the path (merged or anonymized ones may 404 by themselves). */
const SAMPLE_SIZE = 5;
const MAX_PROBES = 3;

const OPERATION = `${BEAMERY_OPERATIONS.getContact.method} ${BEAMERY_OPERATIONS.getContact.path}`;

export class ContactReadCheck {
  private verdict: ContactReadPath = 'unknown';

  get status(): ContactReadPath {
    return this.verdict;
  }

  /** A read that answered with a contact: the path exists. */
  confirm(): void {
    this.verdict = 'verified';
  }

  /** After a 404 for `id`: resolves if the contact is truly gone, throws CapabilityBroken if the path is. */
  async corroborateNotFound(t: BeameryTransport, id: string): Promise<void> {
    if (this.verdict === 'verified') return;
    if (this.verdict === 'broken') throw this.broken('the read path was found broken earlier in this container');
    const listed = await sampleContacts(t);
    // A merged-away or anonymized contact may 404 on a working path, so only a live one convicts it.
    const live = (c: BeameryContact) => !c.mergedIntoId && !c.anonymized && !c.archivedAt;
    const self = listed.find((c) => c.id === id);
    if (self && live(self)) throw this.learnBroken('404 for a contact that GET /contacts lists');
    const others = listed.filter((c) => c.id !== id);
    const probes = [...others.filter(live), ...others.filter((c) => !live(c))].slice(0, MAX_PROBES);
    for (const contact of probes) {
      if (await readable(t, contact.id)) {
        this.confirm();
        return;
      }
    }
    if (!probes.some(live)) return;
    throw this.learnBroken(`404 for ${probes.length} contact(s) that GET /contacts lists`);
  }

  private learnBroken(evidence: string): CapabilityBroken {
    this.verdict = 'broken';
    return this.broken(evidence);
  }

  private broken(evidence: string): CapabilityBroken {
    return new CapabilityBroken(OPERATION, 'contactRead', evidence);
  }
}

async function sampleContacts(t: BeameryTransport): Promise<BeameryContact[]> {
  const request = { offset: 0, limit: SAMPLE_SIZE };
  const page = await t.call('listContactsUpdatedSince', {
    query: { updated_at: new Date(0).toISOString(), updated_at_op: 'gte', sort_field: 'createdAt', sort_order: 'asc', limit: request.limit, offset: 0 },
    parse: (body) => parsePage(body, 'contacts', (raw) => parseContact(raw, t.contactParsing), request),
  });
  return page.items;
}

async function readable(t: BeameryTransport, id: string): Promise<boolean> {
  try {
    await t.call('getContact', { params: { id }, parse: (body) => unwrapOne(body, 'contact') });
    return true;
  } catch (error) {
    if (error instanceof NotFound) return false;
    throw error;
  }
}
