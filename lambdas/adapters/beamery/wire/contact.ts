import * as z from '#core/zod-mini';
import type { BeameryContact, BeameryCustomFieldValue, BeameryExperience } from '#core/beamery/records';
import { greenhouseIdFromIntegrations } from './greenhouse-id.ts';
import { asList, flag, id, label, labelOrFlag, listOf, location, parseOrThrow, reader, reference, stringList, tag, text, time, uniqueStrings, withRaw } from './values.ts';

/**
 * A contact as Beamery sends it → BeameryContact. Names of fields are from reference §2.2 (HIGH for
 * names: S2, S4, S10); representations vary and all known ones are accepted:
 * - `createdAt/updatedAt` (S2, S10) or `createdTime/updatedTime` (S4);
 * - emails, phoneNumbers, links as `[{value}]` (S2 read), `["…"]` (S4), or `{keys, values}` (S5/S6);
 * - `primaryEmail` (S4, S10), or `email` (the S2 pagination example);
 * - experience as an array or keyed map, with `primaryExperience` as a read-only fallback (S4, S5).
 */

const experienceItem = z.pipe(
  z.looseObject({ organisationName: text, organization: text, company: text, role: text, title: text, current: flag, startDate: text, endDate: text }),
  z.transform((e): BeameryExperience => strip({ company: e.organisationName ?? e.organization ?? e.company, title: e.role ?? e.title, current: e.current, startDate: e.startDate, endDate: e.endDate })),
);

const customField = z.pipe(
  z.looseObject({ id, value: z.optional(z.unknown()), displayName: text, label: text }),
  z.transform((f): BeameryCustomFieldValue => strip({ id: f.id, value: f.value, label: f.displayName ?? f.label })),
);

const contactWire = z.looseObject({
  id,
  firstName: text,
  lastName: text,
  fullName: text,
  primaryEmail: text,
  email: text,
  emails: stringList(true),
  primaryPhoneNumber: text,
  phoneNumbers: stringList(false),
  links: stringList(false),
  location,
  experience: listOf(experienceItem),
  primaryExperience: z.catch(z.optional(experienceItem), undefined),
  globalTags: listOf(tag),
  customFields: listOf(customField),
  status: label,
  assignedTo: reference,
  creationSource: label,
  // ASSUMED: `source` read like creationSource; consent as the seed names them (no API evidence).
  source: label,
  consentStatus: labelOrFlag,
  lastConsentDate: time,
  integrations: z.optional(z.unknown()),
  integration: z.optional(z.unknown()),
  mergedWith: z._default(z.pipe(z.unknown(), z.transform((v) => uniqueStrings(asList(v).map((item) => reference.parse(item)), false))), []),
  mergedIn: reader((v) => reference.parse(asList(v)[0])),
  archivedAt: time,
  doNotCampaign: flag,
  confidential: flag,
  createdAt: time,
  createdTime: time,
  updatedAt: time,
  updatedTime: time,
});

export interface ContactParseOptions {
  /** The custom field that holds the Greenhouse candidate id, when the tenant uses one. */
  readonly greenhouseIdCustomFieldId?: string;
  /** Custom fields that hold consent, when the tenant keeps it there; the top-level fields are then not read. */
  readonly consentStatusCustomFieldId?: string;
  readonly consentDateCustomFieldId?: string;
  /** The contact field of the seed's profile tags (default DEFAULT_PROFILE_TAGS_FIELD). */
  readonly profileTagsField?: string;
}

/**
 * The seed's "Profile Tags" field reference is `tags` (an array), beside "Global Tag" `globalTag`; no
 * public code or API document names it, so the name is ASSUMED and configurable (`profileTags` is the
 * plausible alternative the simulator can switch to).
 */
export const DEFAULT_PROFILE_TAGS_FIELD = 'tags';
/** A top-level contact field name (letters and digits, starting with a letter). */
export const PROFILE_TAGS_FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** A custom field's value as sent: a select's label (`displayValue`, S4 read shape) before its option id. */
export function customFieldValue(raw: unknown, fieldId: string): unknown {
  const fields = raw && typeof raw === 'object' ? asList((raw as { customFields?: unknown }).customFields) : [];
  const field = fields.find((f): f is Record<string, unknown> => !!f && typeof f === 'object' && (f as { id?: unknown }).id === fieldId);
  return field ? (field['displayValue'] ?? field['value']) : undefined;
}

export function parseContact(raw: unknown, options: ContactParseOptions = {}): BeameryContact {
  const c = parseOrThrow(contactWire, raw);
  const primaryEmail = c.primaryEmail ?? c.email ?? c.emails[0];
  const current = c.experience.find((e) => e.current) ?? c.primaryExperience;
  const fromCustomField = options.greenhouseIdCustomFieldId
    ? c.customFields.find((f) => f.id === options.greenhouseIdCustomFieldId)?.value
    : undefined;
  const greenhouseCandidateId =
    greenhouseIdFromIntegrations(c.integrations) ??
    greenhouseIdFromIntegrations(c.integration) ??
    (typeof fromCustomField === 'string' && fromCustomField !== '' ? fromCustomField : typeof fromCustomField === 'number' ? String(fromCustomField) : undefined);
  const contact = strip({
    id: c.id,
    firstName: c.firstName,
    lastName: c.lastName,
    fullName: c.fullName ?? ([c.firstName, c.lastName].filter(Boolean).join(' ') || undefined),
    primaryEmail,
    emails: uniqueStrings([primaryEmail, ...c.emails], true),
    primaryPhoneNumber: c.primaryPhoneNumber ?? c.phoneNumbers[0],
    phoneNumbers: uniqueStrings([c.primaryPhoneNumber, ...c.phoneNumbers], false),
    links: c.links,
    location: c.location,
    currentRole: current && (current.title || current.company) ? strip({ title: current.title, company: current.company }) : undefined,
    experience: c.experience,
    tags: c.globalTags,
    profileTags: stringList(true).parse((raw as Record<string, unknown>)[options.profileTagsField ?? DEFAULT_PROFILE_TAGS_FIELD]),
    customFields: c.customFields,
    assignedToUserId: c.assignedTo,
    statusLabel: c.status,
    creationSource: c.creationSource,
    source: c.source,
    consentStatus: options.consentStatusCustomFieldId ? labelOrFlag.parse(customFieldValue(raw, options.consentStatusCustomFieldId)) : c.consentStatus,
    lastConsentDate: options.consentDateCustomFieldId ? time.parse(customFieldValue(raw, options.consentDateCustomFieldId)) : c.lastConsentDate,
    greenhouseCandidateId,
    mergedIntoId: c.mergedIn,
    mergedFromIds: c.mergedWith,
    archivedAt: c.archivedAt,
    // ASSUMED detection (reference §3.6): anonymization archives the contact and deletes its names.
    // Beamery publishes no flag; if a tenant keeps names (one revision of S10 says so) this reads false.
    anonymized: Boolean(c.archivedAt) && !c.firstName && !c.lastName && !c.fullName && !c.mergedIn,
    doNotCampaign: c.doNotCampaign,
    confidential: c.confidential,
    createdAt: c.createdAt ?? c.createdTime,
    updatedAt: c.updatedAt ?? c.updatedTime,
  });
  return withRaw(contact as Omit<BeameryContact, 'raw'>, raw);
}

/** Drops keys whose value is undefined, so records compare and serialise cleanly. */
export function strip<T extends Record<string, unknown>>(record: T): T {
  for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
  return record;
}
