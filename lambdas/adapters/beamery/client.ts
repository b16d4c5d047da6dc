import { Unsupported } from '#core/api-errors';
import { anonymizeContact, mergeContacts } from './lifecycle.ts';
import { createNote, listAttachments, listNotesSince, uploadAttachment } from './activity.ts';
import type { BeameryApi, BeameryCapability, CapabilityStatus } from '#core/ports/beamery-api';
import type { ContactReadPath } from './contact-read-check.ts';
import type { ConsentFields } from './field-locations.ts';
import type { GreenhouseIdField } from './wire/greenhouse-id.ts';
import { contactsUpdatedSince, createContact, findContactOfCandidate, findContactsByEmail, getContact, listContactsUpdatedSince, updateContact } from './contacts.ts';
import { BeameryTransport, type BeameryClientOptions } from './transport.ts';
import { UNSUPPORTED, type AttachmentUpload, type ContactWrite, type NoteWrite, type Unsupportable, type VacancyWrite } from '#core/beamery/records';
import { listUsers } from './users.ts';
import {
  allVacancies,
  findVacancyOfJob,
  createVacancy,
  getVacancy,
  listContactVacancies,
  listVacancies,
  removeContactFromVacancy,
  setContactVacancyStage,
  updateVacancy,
  type MembershipDetails,
} from './vacancies.ts';

export type { BeameryClientOptions } from './transport.ts';
export { BEAMERY_BUDGET_POLICY } from './transport.ts';
export { BEAMERY_OPERATIONS, type Evidence } from './operations.ts';
export { clearBeameryTokenCache } from './token-cache.ts';
export { AttachmentRejected, BeameryResponseInvalid, CapabilityBroken, CAPABILITY_BROKEN_METRIC } from './errors.ts';
export type { ContactReadPath } from './contact-read-check.ts';
export { BEAMERY_AUTH_VARIANTS, DEFAULT_BEAMERY_AUTH, tryBeameryAuth, type AuthAttempt, type BeameryAuthVariant } from './auth.ts';
export { consentLocationCheck, greenhouseIdLocationCheck, probeConsentLocation, probeGreenhouseIdLocation } from './probes.ts';
export type { ConsentFields, FieldLocation } from './field-locations.ts';
export type { GreenhouseIdField } from './wire/greenhouse-id.ts';

/**
 * The Beamery adapter. Construct once per container (module scope) with explicit options; it reads
 * no environment. Every Beamery wire detail lives under this folder; see operations.ts for the
 * evidence behind each call and docs/beamery-assumptions.md for what to verify in a sandbox.
 */
export class BeameryClient implements BeameryApi {
  private readonly t: BeameryTransport;

  constructor(options: BeameryClientOptions) {
    this.t = new BeameryTransport(options);
  }

  findContactsByEmail(email: string) {
    return findContactsByEmail(this.t, email);
  }
  listContactsUpdatedSince(sinceIso: string, cursor?: { offset: number }) {
    return listContactsUpdatedSince(this.t, sinceIso, cursor);
  }
  contactsUpdatedSince(sinceIso: string) {
    return contactsUpdatedSince(this.t, sinceIso);
  }
  getContact(id: string) {
    return getContact(this.t, id);
  }
  createContact(write: ContactWrite) {
    return createContact(this.t, write);
  }
  updateContact(id: string, write: ContactWrite) {
    return updateContact(this.t, id, write);
  }
  findContactOfCandidate(greenhouseCandidateId: string, sinceIso: string) {
    return findContactOfCandidate(this.t, greenhouseCandidateId, sinceIso);
  }

  listVacancies(cursor?: { offset: number }) {
    return listVacancies(this.t, cursor);
  }
  allVacancies() {
    return allVacancies(this.t);
  }
  getVacancy(id: string) {
    return getVacancy(this.t, id);
  }
  createVacancy(write: VacancyWrite) {
    return createVacancy(this.t, write);
  }
  updateVacancy(id: string, write: VacancyWrite) {
    return updateVacancy(this.t, id, write);
  }
  findVacancyOfJob(greenhouseJobId: string) {
    return findVacancyOfJob(this.t, greenhouseJobId);
  }

  addContactToVacancy(contactId: string, vacancyId: string, stage?: string, details?: MembershipDetails) {
    return setContactVacancyStage(this.t, contactId, vacancyId, stage, details);
  }
  moveContactStage(contactId: string, vacancyId: string, stage: string) {
    return setContactVacancyStage(this.t, contactId, vacancyId, stage);
  }
  removeContactFromVacancy(contactId: string, vacancyId: string) {
    return removeContactFromVacancy(this.t, contactId, vacancyId);
  }
  listContactVacancies(contactId: string) {
    return listContactVacancies(this.t, contactId);
  }

  createNote(contactId: string, note: NoteWrite) {
    return createNote(this.t, contactId, note);
  }
  listNotesSince(contactId: string, sinceIso?: string) {
    return listNotesSince(this.t, contactId, sinceIso);
  }
  uploadAttachment(contactId: string, file: AttachmentUpload) {
    return uploadAttachment(this.t, contactId, file);
  }
  listAttachments(contactId: string) {
    return listAttachments(this.t, contactId);
  }

  listUsers() {
    return listUsers(this.t);
  }

  mergeContacts(primaryId: string, secondaryId: string) {
    return mergeContacts(this.t, primaryId, secondaryId);
  }
  anonymizeContact(id: string) {
    return anonymizeContact(this.t, id);
  }

  capabilities(): Record<BeameryCapability, CapabilityStatus> {
    return this.t.capabilities.report();
  }

  /** Where this client writes the Greenhouse id and reads consent (configuration; see field-locations.ts). */
  fieldLocations(): { readonly greenhouseId: GreenhouseIdField; readonly consent: ConsentFields } {
    return { greenhouseId: this.t.greenhouseIdField, consent: this.t.consentFields };
  }

  /** What is known about the ASSUMED `GET /contact/{id}` path: verified by a read, broken, or not yet judged. */
  contactReadPath(): ContactReadPath {
    return this.t.contactRead.status;
  }
}

/** For callers that would rather fail than fall back: 'unsupported' becomes the shared Unsupported error. */
export function orThrowUnsupported<T>(result: Unsupportable<T>, operation: string, capability: BeameryCapability): T {
  if (result === UNSUPPORTED) throw new Unsupported('beamery', operation, capability);
  return result;
}
