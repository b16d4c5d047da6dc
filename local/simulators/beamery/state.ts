import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '#core/clock';
import { anonymizeRecord, applyContactBody, hasEmail, mergeContactRecords, newContact } from './contact-records.ts';
import {
  ATTACHMENT_EXTENSIONS,
  ATTACHMENT_MAX_BYTES,
  type ContactWriteBody,
  type StoredAttachment,
  type StoredContact,
  type StoredMembership,
  type StoredNote,
  type StoredStage,
  type StoredUser,
  type StoredVacancy,
  type VacancyWriteBody,
} from './model.ts';
import type { SimulatorSettings } from './settings.ts';
import { SimError } from './sim-error.ts';

/**
 * The simulated tenant's data, in memory. Routes and the admin API both go through these methods,
 * so a recruiter's edit made by a test (`editContact`) bumps `updatedAt` exactly like an API write.
 */

export type TimeOp = 'gte' | 'gt' | 'lte' | 'lt';

export interface ContactQuery {
  readonly email?: string;
  readonly updatedAt?: { readonly op: TimeOp; readonly at: number };
  readonly createdAt?: { readonly op: TimeOp; readonly at: number };
  readonly sortField: 'createdAt' | 'updatedAt';
  readonly sortOrder: 'asc' | 'desc';
}

export interface AttachmentUpload {
  readonly fileName: string;
  readonly contentType?: string;
  readonly bytes: Uint8Array;
}

const compare = (op: TimeOp, value: number, at: number) =>
  op === 'gte' ? value >= at : op === 'gt' ? value > at : op === 'lte' ? value <= at : value < at;

export const COMPANY_ID = 'sim-company';

export class BeameryState {
  readonly contacts = new Map<string, StoredContact>();
  readonly vacancies = new Map<string, StoredVacancy>();
  readonly memberships = new Map<string, StoredMembership>();
  readonly notes: StoredNote[] = [];
  readonly attachments: StoredAttachment[] = [];
  readonly users = new Map<string, StoredUser>();

  constructor(private readonly clock: Clock) {}

  clear(): void {
    this.contacts.clear();
    this.vacancies.clear();
    this.memberships.clear();
    this.notes.length = 0;
    this.attachments.length = 0;
    this.users.clear();
  }

  nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  /** `updatedAt` strictly increases per record, so two edits within one millisecond stay two changes for a poller. */
  private touch(record: { updatedAt: string }): string {
    const now = this.clock.now();
    const previous = Date.parse(record.updatedAt);
    record.updatedAt = new Date(Math.max(now, previous + 1)).toISOString();
    return record.updatedAt;
  }

  // --- contacts ---

  requireContact(id: string): StoredContact {
    const contact = this.contacts.get(id);
    if (!contact) throw new SimError(404, 'Not Found');
    return contact;
  }

  createContact(body: ContactWriteBody, stamps: { id?: string; createdAt?: string; updatedAt?: string } = {}): StoredContact {
    // The seed's mapping marks first and last name as required on a Beamery contact.
    if (!body.firstName || !body.lastName) throw new SimError(422, 'firstName and lastName are required');
    const now = this.nowIso();
    const contact = newContact(body, stamps.createdAt ?? now, stamps.id);
    if (this.contacts.has(contact.id)) throw new SimError(409, 'a contact with this id exists');
    contact.updatedAt = stamps.updatedAt ?? contact.createdAt;
    this.contacts.set(contact.id, contact);
    return contact;
  }

  /** An API PATCH: array fields follow the tenant's semantics. Merged-away and anonymized contacts refuse (ASSUMED). */
  patchContact(id: string, body: ContactWriteBody, modes: SimulatorSettings['patchArrays']): StoredContact {
    const contact = this.requireContact(id);
    if (contact.anonymized) throw new SimError(409, 'contact is anonymized');
    if (contact.mergedIn) throw new SimError(409, 'contact was merged into another contact');
    if (body.id !== undefined && body.id !== id) throw new SimError(400, 'id in body does not match the path');
    applyContactBody(contact, body, modes);
    contact.version++;
    this.touch(contact);
    return contact;
  }

  /** A recruiter's edit in the Beamery UI: whatever is given replaces, and `updatedAt` moves. */
  editContact(id: string, body: ContactWriteBody): StoredContact {
    const contact = this.requireContact(id);
    applyContactBody(contact, body, 'replace');
    contact.version++;
    this.touch(contact);
    return contact;
  }

  /** Moves a contact's `updatedAt` without changing it (what an unrelated system edit looks like to a poller). */
  touchContact(id: string): StoredContact {
    const contact = this.requireContact(id);
    contact.version++;
    this.touch(contact);
    return contact;
  }

  queryContacts(query: ContactQuery, behaviour: SimulatorSettings['behaviour']): StoredContact[] {
    const found = [...this.contacts.values()].filter((c) => {
      if (query.email !== undefined) {
        // Anonymized and merged-away contacts leave search (S10); the email lookup is a search.
        if (c.anonymized || c.mergedIn || !hasEmail(c, query.email)) return false;
      } else if (c.anonymized && !behaviour.anonymizedInPolling) {
        return false;
      }
      if (query.updatedAt && !compare(query.updatedAt.op, Date.parse(c.updatedAt), query.updatedAt.at)) return false;
      if (query.createdAt && !compare(query.createdAt.op, Date.parse(c.createdAt), query.createdAt.at)) return false;
      return true;
    });
    const direction = query.sortOrder === 'asc' ? 1 : -1;
    return found.sort((a, b) => {
      const byField = Date.parse(a[query.sortField]) - Date.parse(b[query.sortField]);
      return (byField || a.id.localeCompare(b.id)) * direction;
    });
  }

  /**
   * `fromUi`: a recruiter merging duplicates in Beamery's UI, which the seed says works with contacts
   * that both carry Greenhouse ids ("Merge Duplicates"); S11's refusal is about merges by integrations.
   */
  mergeContacts(primaryId: string, secondaryId: string, { fromUi = false }: { fromUi?: boolean } = {}): StoredContact {
    if (primaryId === secondaryId) throw new SimError(422, 'cannot merge a contact into itself');
    const primary = this.requireContact(primaryId);
    const secondary = this.requireContact(secondaryId);
    if (primary.anonymized || secondary.anonymized) throw new SimError(409, 'cannot merge an anonymized contact');
    if (primary.mergedIn || secondary.mergedIn) throw new SimError(409, 'contact was already merged');
    // Two contacts with different ATS ids are never merged (S11).
    const atsA = greenhouseIdOf(primary);
    const atsB = greenhouseIdOf(secondary);
    if (!fromUi && atsA && atsB && atsA !== atsB) throw new SimError(409, 'contacts with different ATS ids cannot be merged');
    const now = this.nowIso();
    mergeContactRecords(primary, secondary, now);
    if (!primary.integrations && secondary.integrations) primary.integrations = structuredClone(secondary.integrations);
    for (const membership of [...this.memberships.values()].filter((m) => m.contactId === secondaryId)) {
      this.memberships.delete(membershipKey(secondaryId, membership.vacancyId));
      if (!this.memberships.has(membershipKey(primaryId, membership.vacancyId))) {
        this.memberships.set(membershipKey(primaryId, membership.vacancyId), { ...membership, contactId: primaryId });
      }
    }
    for (const c of [primary, secondary]) {
      c.version++;
      this.touch(c);
    }
    return primary;
  }

  anonymizeContact(id: string): StoredContact {
    const contact = this.requireContact(id);
    if (!contact.anonymized) {
      anonymizeRecord(contact, this.nowIso());
      removeWhere(this.notes, (n) => n.contactId === id);
      removeWhere(this.attachments, (a) => a.contactId === id);
      for (const key of [...this.memberships.keys()]) if (key.startsWith(`${id}|`)) this.memberships.delete(key);
      contact.version++;
      this.touch(contact);
    }
    return contact;
  }

  // --- vacancies ---

  requireVacancy(id: string): StoredVacancy {
    const vacancy = this.vacancies.get(id);
    if (!vacancy) throw new SimError(404, 'Not Found');
    return vacancy;
  }

  createVacancy(body: VacancyWriteBody, stamps: { id?: string; createdAt?: string; updatedAt?: string } = {}): StoredVacancy {
    if (!body.title) throw new SimError(422, 'title is required');
    const now = stamps.createdAt ?? this.nowIso();
    const vacancy: StoredVacancy = { id: stamps.id ?? randomUUID(), companyId: COMPANY_ID, title: body.title, globalTags: [], stages: [], createdAt: now, updatedAt: stamps.updatedAt ?? now };
    if (this.vacancies.has(vacancy.id)) throw new SimError(409, 'a vacancy with this id exists');
    applyVacancyBody(vacancy, body);
    this.vacancies.set(vacancy.id, vacancy);
    return vacancy;
  }

  patchVacancy(id: string, body: VacancyWriteBody): StoredVacancy {
    const vacancy = this.requireVacancy(id);
    if (body.id !== undefined && body.id !== id) throw new SimError(400, 'id in body does not match the path');
    applyVacancyBody(vacancy, body);
    for (const m of this.memberships.values()) {
      if (m.vacancyId === id && m.stageId && !vacancy.stages.some((s) => s.id === m.stageId)) m.stageId = null;
    }
    this.touch(vacancy);
    return vacancy;
  }

  queryVacancies(updatedAt?: { op: TimeOp; at: number }): StoredVacancy[] {
    return [...this.vacancies.values()]
      .filter((v) => !updatedAt || compare(updatedAt.op, Date.parse(v.updatedAt), updatedAt.at))
      .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id.localeCompare(b.id));
  }

  // --- vacancy membership and stage (ASSUMED) ---

  setMembership(contactId: string, vacancyId: string, stage: string | undefined, bumpContact = true, rejectionReason?: string): StoredMembership {
    const contact = this.requireContact(contactId);
    if (contact.anonymized) throw new SimError(409, 'contact is anonymized');
    const vacancy = this.requireVacancy(vacancyId);
    let stageId: string | null = null;
    if (stage !== undefined) {
      const found = vacancy.stages.find((s) => s.id === stage || s.name.toLowerCase() === stage.toLowerCase());
      if (!found) throw new SimError(422, 'unknown stage for this vacancy');
      stageId = found.id;
    } else {
      stageId = [...vacancy.stages].sort((a, b) => a.order - b.order)[0]?.id ?? null;
    }
    const now = this.nowIso();
    const key = membershipKey(contactId, vacancyId);
    const existing = this.memberships.get(key);
    // A PUT states the whole membership: a reason left out is no reason (an unrejected application).
    const membership: StoredMembership = {
      contactId,
      vacancyId,
      stageId,
      ...(rejectionReason !== undefined ? { rejectionReason } : {}),
      addedAt: existing?.addedAt ?? now,
      updatedAt: now,
    };
    this.memberships.set(key, membership);
    // A stage move shows on the contact's timeline; assumed to bump the contact like any edit.
    if (bumpContact) {
      contact.version++;
      this.touch(contact);
    }
    return membership;
  }

  removeMembership(contactId: string, vacancyId: string): void {
    this.requireContact(contactId);
    if (!this.memberships.delete(membershipKey(contactId, vacancyId))) throw new SimError(404, 'Not Found');
  }

  membershipsOf(contactId: string): StoredMembership[] {
    this.requireContact(contactId);
    return [...this.memberships.values()].filter((m) => m.contactId === contactId);
  }

  stageOf(membership: StoredMembership): StoredStage | undefined {
    return this.vacancies.get(membership.vacancyId)?.stages.find((s) => s.id === membership.stageId);
  }

  // --- notes (ASSUMED) ---

  addNote(contactId: string, input: { text: string; private: boolean; authorId?: string; createdAt?: string }, bumpContact: boolean): StoredNote {
    const contact = this.requireContact(contactId);
    if (contact.anonymized) throw new SimError(409, 'contact is anonymized');
    if (input.authorId !== undefined && !this.users.has(input.authorId)) throw new SimError(422, 'unknown authorId');
    const note: StoredNote = { id: randomUUID(), contactId, text: input.text, private: input.private, createdAt: input.createdAt ?? this.nowIso(), ...(input.authorId ? { authorId: input.authorId } : {}) };
    this.notes.push(note);
    if (bumpContact) {
      contact.version++;
      this.touch(contact);
    }
    return note;
  }

  notesOf(contactId: string, createdAt?: { op: TimeOp; at: number }): StoredNote[] {
    this.requireContact(contactId);
    return this.notes
      .filter((n) => n.contactId === contactId && (!createdAt || compare(createdAt.op, Date.parse(n.createdAt), createdAt.at)))
      .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id.localeCompare(b.id));
  }

  // --- attachments (ASSUMED API; limits from the product, S12) ---

  addAttachment(contactId: string, upload: AttachmentUpload): StoredAttachment {
    const contact = this.requireContact(contactId);
    if (contact.anonymized) throw new SimError(409, 'contact is anonymized');
    const extension = upload.fileName.slice(upload.fileName.lastIndexOf('.')).toLowerCase();
    if (!upload.fileName.includes('.') || !(ATTACHMENT_EXTENSIONS as readonly string[]).includes(extension)) {
      throw new SimError(415, `file type not allowed; allowed: ${ATTACHMENT_EXTENSIONS.join(' ')}`);
    }
    if (upload.bytes.byteLength > ATTACHMENT_MAX_BYTES) throw new SimError(413, 'attachment exceeds 25 MB');
    if (upload.bytes.byteLength === 0) throw new SimError(422, 'attachment is empty');
    const attachment: StoredAttachment = {
      id: randomUUID(),
      contactId,
      fileName: upload.fileName,
      contentType: upload.contentType ?? 'application/octet-stream',
      size: upload.bytes.byteLength,
      sha256: createHash('sha256').update(upload.bytes).digest('hex'),
      createdAt: this.nowIso(),
    };
    this.attachments.push(attachment);
    return attachment;
  }

  attachmentsOf(contactId: string): StoredAttachment[] {
    this.requireContact(contactId);
    return this.attachments.filter((a) => a.contactId === contactId);
  }

  // --- users ---

  addUser(user: Omit<StoredUser, 'id'> & { id?: string }): StoredUser {
    // Beamery user ids look like 20-hex strings (S4).
    const stored: StoredUser = { ...user, id: user.id ?? randomBytes(10).toString('hex') };
    this.users.set(stored.id, stored);
    return stored;
  }

  snapshot() {
    return {
      contacts: [...this.contacts.values()],
      vacancies: [...this.vacancies.values()],
      memberships: [...this.memberships.values()],
      notes: [...this.notes],
      attachments: [...this.attachments],
      users: [...this.users.values()],
    };
  }
}

export function greenhouseIdOf(record: { integrations?: Record<string, unknown> }): string | undefined {
  const greenhouse = record.integrations?.['greenhouse'];
  if (greenhouse && typeof greenhouse === 'object' && 'id' in greenhouse) {
    const id = (greenhouse as { id: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number') return String(id);
  }
  return undefined;
}

function membershipKey(contactId: string, vacancyId: string): string {
  return `${contactId}|${vacancyId}`;
}

function removeWhere<T>(items: T[], predicate: (item: T) => boolean): void {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i]!)) items.splice(i, 1);
}

function applyVacancyBody(vacancy: StoredVacancy, body: VacancyWriteBody): void {
  const { stages, globalTags, id: _id, ...scalars } = body;
  for (const [key, value] of Object.entries(scalars)) {
    if (value !== undefined) (vacancy as unknown as Record<string, unknown>)[key] = structuredClone(value);
  }
  if (globalTags) vacancy.globalTags = structuredClone(globalTags);
  if (stages) {
    // Stages keep their ids across updates when their name stays, so memberships survive a re-sync.
    vacancy.stages = stages.map((s, index) => ({
      id: s.id ?? vacancy.stages.find((old) => old.name.toLowerCase() === s.name.toLowerCase())?.id ?? randomUUID(),
      name: s.name,
      order: s.order ?? index + 1,
    }));
  }
}
