import { randomUUID } from 'node:crypto';
import type { ContactWriteBody, StoredContact, StoredValue, ValueInput } from './model.ts';
import type { SimulatorSettings } from './settings.ts';

/**
 * How a contact body changes a stored contact. Pure apart from id generation, so the array
 * semantics (the part of Beamery's PATCH that nobody has documented) read in one place.
 */

type ArrayModes = SimulatorSettings['patchArrays'];

const SOCIAL_SERVICES = ['linkedin', 'github', 'twitter', 'x', 'facebook', 'stackoverflow', 'dribbble', 'behance'] as const;

function serviceOf(url: string): string | undefined {
  try {
    const host = new URL(url).hostname.replace(/^www\./, '');
    return SOCIAL_SERVICES.find((s) => host === `${s}.com` || host.endsWith(`.${s}.com`));
  } catch {
    return undefined;
  }
}

const sameValue = (kind: 'emails' | 'phoneNumbers' | 'links') => (a: string, b: string) =>
  kind === 'emails' ? a.toLowerCase() === b.toLowerCase() : kind === 'phoneNumbers' ? a.replace(/[^\d+]/g, '') === b.replace(/[^\d+]/g, '') : a === b;

function toStoredValues(kind: 'emails' | 'phoneNumbers' | 'links', inputs: readonly ValueInput[]): StoredValue[] {
  return inputs.map((input) => {
    const value = typeof input === 'string' ? input : input.value;
    const type = typeof input === 'string' ? undefined : input.type;
    if (kind === 'links') {
      const service = serviceOf(value);
      return { id: randomUUID(), value, type: type ?? (service ? 'social' : 'website'), ...(service ? { service } : {}) };
    }
    return { id: randomUUID(), value, type: type ?? (kind === 'emails' ? 'personal' : 'mobile') };
  });
}

function combineValues(kind: 'emails' | 'phoneNumbers' | 'links', current: StoredValue[], incoming: StoredValue[], mode: 'append' | 'replace'): StoredValue[] {
  const same = sameValue(kind);
  const base = mode === 'append' ? [...current] : [];
  for (const value of incoming) {
    if (!base.some((v) => same(v.value, value.value))) base.push(value);
  }
  return base;
}

function ensureListed(kind: 'emails' | 'phoneNumbers', values: StoredValue[], primary: string | undefined): StoredValue[] {
  if (!primary || values.some((v) => sameValue(kind)(v.value, primary))) return values;
  return [...toStoredValues(kind, [primary]), ...values];
}

function fullNameOf(first: string | undefined, last: string | undefined): string | undefined {
  const name = [first, last].filter(Boolean).join(' ').trim();
  return name || undefined;
}

/** Copies the scalar and object fields of a body onto a contact (they always replace). */
function assignScalars(contact: StoredContact, body: ContactWriteBody): void {
  const keys = [
    'firstName', 'lastName', 'middleNames', 'fullName', 'headline', 'summary', 'location', 'status', 'assignedTo',
    'creationSource', 'source', 'consentStatus', 'lastConsentDate', 'integrations', 'doNotCampaign', 'confidential',
  ] as const;
  for (const key of keys) {
    if (body[key] !== undefined) (contact as unknown as Record<string, unknown>)[key] = structuredClone(body[key]);
  }
}

export function newContact(body: ContactWriteBody, now: string, id: string = randomUUID()): StoredContact {
  const contact: StoredContact = {
    id,
    emails: [],
    phoneNumbers: [],
    links: [],
    experience: [],
    education: [],
    skills: [],
    languages: [],
    globalTags: [],
    tags: [],
    customFields: [],
    lists: [],
    mergedWith: [],
    archivedAt: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
    anonymized: false,
  };
  applyContactBody(contact, body, 'replace');
  return contact;
}

/**
 * Applies a body. `modes` gives PATCH semantics per array field; the string 'replace' (create, and a
 * recruiter's edit through the admin API) replaces every array given.
 */
export function applyContactBody(contact: StoredContact, body: ContactWriteBody, modes: ArrayModes | 'replace'): void {
  const mode = (field: keyof ArrayModes) => (modes === 'replace' ? 'replace' : modes[field]);
  assignScalars(contact, body);
  for (const kind of ['emails', 'phoneNumbers', 'links'] as const) {
    const incoming = body[kind];
    if (incoming) contact[kind] = combineValues(kind, contact[kind], toStoredValues(kind, incoming), mode(kind));
  }
  if (body.primaryEmail !== undefined) contact.primaryEmail = body.primaryEmail;
  if (body.primaryPhoneNumber !== undefined) contact.primaryPhoneNumber = body.primaryPhoneNumber;
  contact.emails = ensureListed('emails', contact.emails, contact.primaryEmail);
  contact.phoneNumbers = ensureListed('phoneNumbers', contact.phoneNumbers, contact.primaryPhoneNumber);
  if (!contact.primaryEmail && contact.emails[0]) contact.primaryEmail = contact.emails[0].value;

  const appendOrReplace = <T>(field: keyof ArrayModes, current: T[], incoming: T[] | undefined, key: (item: T) => string): T[] => {
    if (!incoming) return current;
    if (mode(field) === 'replace') return structuredClone(incoming);
    const out = [...current];
    for (const item of incoming) {
      const index = out.findIndex((existing) => key(existing) === key(item));
      if (index >= 0) out[index] = structuredClone(item);
      else out.push(structuredClone(item));
    }
    return out;
  };
  contact.globalTags = appendOrReplace('globalTags', contact.globalTags, body.globalTags, (t) => t.id);
  contact.tags = appendOrReplace('tags', contact.tags, body.tags ?? body.profileTags, (t) => t.toLowerCase());
  contact.customFields = appendOrReplace('customFields', contact.customFields, body.customFields, (f) => f.id);
  contact.experience = appendOrReplace('experience', contact.experience, body.experience, (e) => JSON.stringify(e));
  contact.education = appendOrReplace('education', contact.education, body.education, (e) => JSON.stringify(e));
  contact.skills = appendOrReplace('skills', contact.skills, body.skills, (s) => s.toLowerCase());
  contact.languages = appendOrReplace('languages', contact.languages, body.languages, (l) => l.value.toLowerCase());

  if ((body.firstName !== undefined || body.lastName !== undefined) && body.fullName === undefined) {
    const full = fullNameOf(contact.firstName, contact.lastName);
    if (full) contact.fullName = full;
    else delete contact.fullName;
  }
}

/** Folds the secondary's identity lists into the primary and marks both (ASSUMED bookkeeping shape). */
export function mergeContactRecords(primary: StoredContact, secondary: StoredContact, now: string): void {
  for (const kind of ['emails', 'phoneNumbers', 'links'] as const) {
    primary[kind] = combineValues(kind, primary[kind], secondary[kind].map((v) => ({ ...v, id: randomUUID() })), 'append');
  }
  primary.mergedWith = [...new Set([...primary.mergedWith, secondary.id, ...secondary.mergedWith])];
  secondary.mergedIn = primary.id;
  secondary.archivedAt = now;
}

/**
 * What anonymization leaves (S10; revisions disagree on names, this follows the stricter one):
 * emails, links, integrations, status, archivedAt, updatedAt, merge bookkeeping, doNotCampaign,
 * version. Kept so Beamery can block re-adds; the simulator hides them from search.
 */
export function anonymizeRecord(contact: StoredContact, now: string): void {
  for (const key of [
    'firstName', 'lastName', 'middleNames', 'fullName', 'headline', 'summary', 'primaryPhoneNumber', 'location',
    'assignedTo', 'creationSource', 'source', 'confidential',
  ] as const) {
    delete contact[key];
  }
  contact.phoneNumbers = [];
  contact.experience = [];
  contact.education = [];
  contact.skills = [];
  contact.languages = [];
  contact.globalTags = [];
  contact.tags = [];
  contact.customFields = [];
  contact.lists = [];
  contact.archivedAt = now;
  contact.doNotCampaign = true;
  contact.anonymized = true;
}

export function hasEmail(contact: StoredContact, email: string): boolean {
  const same = sameValue('emails');
  return (contact.primaryEmail !== undefined && same(contact.primaryEmail, email)) || contact.emails.some((e) => same(e.value, email));
}
