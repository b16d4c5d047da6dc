import type {
  AttachmentUpload,
  BeameryAttachment,
  BeameryContact,
  BeameryMembership,
  BeameryNote,
  BeameryPage,
  BeameryUser,
  BeameryVacancy,
  ContactWrite,
  NoteWrite,
  Unsupportable,
  VacancyWrite,
} from '#core/beamery/records';

/** Features with no public API evidence; each is probed or configured, never taken for granted. */
export const BEAMERY_CAPABILITIES = ['merge', 'anonymize', 'notes', 'attachments', 'vacancyStages', 'vacancyCreate', 'vacancyUpdate'] as const;
export type BeameryCapability = (typeof BEAMERY_CAPABILITIES)[number];
export type CapabilityStatus = 'supported' | 'unsupported' | 'unknown';

/**
 * The port the sync depends on (reference §6, in our names). BeameryClient implements it against the
 * real API or the simulator; tests of the core can implement it in memory. Operations of the five
 * evidence-less features answer 'unsupported' when the tenant lacks them; everything else fails with
 * the shared typed errors (lambdas/core/api-errors.ts) or BeameryResponseInvalid/AttachmentRejected.
 */
export interface BeameryApi {
  findContactsByEmail(email: string): Promise<BeameryContact[]>;
  listContactsUpdatedSince(sinceIso: string, cursor?: { offset: number }): Promise<BeameryPage<BeameryContact>>;
  contactsUpdatedSince(sinceIso: string): AsyncIterable<BeameryContact>;
  getContact(id: string): Promise<BeameryContact | null>;
  createContact(write: ContactWrite): Promise<{ id: string }>;
  updateContact(id: string, write: ContactWrite): Promise<{ id: string }>;
  /**
   * The contact carrying this Greenhouse candidate id among those updated since `sinceIso`: how a create
   * whose outcome is unknown (an ambiguous failure, an invocation that ended after it) is found again.
   */
  findContactOfCandidate(greenhouseCandidateId: string, sinceIso: string): Promise<BeameryContact | undefined>;

  listVacancies(cursor?: { offset: number }): Promise<BeameryPage<BeameryVacancy>>;
  allVacancies(): AsyncIterable<BeameryVacancy>;
  getVacancy(id: string): Promise<BeameryVacancy | null>;
  createVacancy(write: VacancyWrite): Promise<{ id: string }>;
  updateVacancy(id: string, write: VacancyWrite): Promise<{ id: string }>;
  /** The vacancy carrying this Greenhouse job id, the same way: a create whose outcome is unknown. */
  findVacancyOfJob(greenhouseJobId: string): Promise<BeameryVacancy | undefined>;

  /** Sets the contact's membership whole: stage and rejection reason (none = not rejected). */
  addContactToVacancy(contactId: string, vacancyId: string, stage?: string, details?: { readonly rejectionReason?: string }): Promise<Unsupportable<BeameryMembership>>;
  moveContactStage(contactId: string, vacancyId: string, stage: string): Promise<Unsupportable<BeameryMembership>>;
  removeContactFromVacancy(contactId: string, vacancyId: string): Promise<Unsupportable<'done'>>;
  listContactVacancies(contactId: string): Promise<Unsupportable<BeameryMembership[]>>;

  createNote(contactId: string, note: NoteWrite): Promise<Unsupportable<{ id: string }>>;
  listNotesSince(contactId: string, sinceIso?: string): Promise<Unsupportable<BeameryNote[]>>;
  uploadAttachment(contactId: string, file: AttachmentUpload): Promise<Unsupportable<{ id: string }>>;
  listAttachments(contactId: string): Promise<Unsupportable<BeameryAttachment[]>>;

  listUsers(): Promise<BeameryUser[]>;

  mergeContacts(primaryId: string, secondaryId: string): Promise<Unsupportable<'done'>>;
  anonymizeContact(id: string): Promise<Unsupportable<'done'>>;

  /** What is known about the tenant's evidence-less features (configured or learned). */
  capabilities(): Record<BeameryCapability, CapabilityStatus>;
}
