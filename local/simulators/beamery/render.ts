import type { StoredContact, StoredValue, StoredVacancy } from './model.ts';
import type { FieldSettings, WireSettings } from './settings.ts';

/**
 * Stored records → the JSON the simulated API answers, in whichever variant the settings choose.
 * The variants are the shapes the public record shows (reference §1.4, §2.2): two list envelopes,
 * two spellings of the timestamps, and three representations of the identity lists.
 */

export interface PageInfo {
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

export function renderPage(key: string, items: readonly unknown[], page: PageInfo, wire: WireSettings): Record<string, unknown> {
  if (wire.envelope === 'documented') {
    return { success: true, [key]: items, pagination: { total: page.total, limit: page.limit, offset: page.offset, hasMore: page.offset + items.length < page.total } };
  }
  return { [key]: items, total_count: page.total, last_batch: items.length };
}

/** Single objects: `{success, contact}` next to the documented envelope (ASSUMED), bare next to S4's (S4 reads `id` off the body). */
export function renderOne(key: string, item: unknown, wire: WireSettings): unknown {
  return wire.envelope === 'documented' ? { success: true, [key]: item } : item;
}

function timestamps(record: { createdAt: string; updatedAt: string }, wire: WireSettings): Record<string, string> {
  return wire.timestamps === 'updatedAt'
    ? { createdAt: record.createdAt, updatedAt: record.updatedAt }
    : { createdTime: record.createdAt, updatedTime: record.updatedAt };
}

function keyed<T extends object>(items: readonly T[], idOf: (item: T, index: number) => string) {
  const keys = items.map(idOf);
  return { keys, values: Object.fromEntries(items.map((item, index) => [keys[index], { id: keys[index], ...item }])) };
}

function renderValues(values: readonly StoredValue[], wire: WireSettings): unknown {
  if (wire.listValues === 'strings') return values.map((v) => v.value);
  if (wire.listValues === 'keyed') return keyed(values, (v) => v.id);
  return values.map((v) => ({ ...v }));
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/** Where consent is rendered (`fields.consent`): as the seed's top-level fields, or as tenant custom fields. */
function consentPlacement(contact: StoredContact, fields: FieldSettings | undefined) {
  const { consentStatus, lastConsentDate, customFields } = contact;
  if (fields?.consent !== 'custom-fields') return { consentStatus, lastConsentDate, customFields: structuredClone(customFields) };
  const consent = [
    ...(consentStatus === undefined
      ? []
      : [{ id: fields.consentStatusFieldId, value: `opt-consent-${consentStatus ? 'yes' : 'no'}`, displayName: 'Consent status', displayValue: consentStatus ? 'Yes' : 'No' }]),
    ...(lastConsentDate === undefined ? [] : [{ id: fields.consentDateFieldId, value: lastConsentDate, displayName: 'Last consent date' }]),
  ];
  const ids = new Set(consent.map((f) => f.id));
  return { consentStatus: undefined, lastConsentDate: undefined, customFields: [...structuredClone(customFields).filter((f) => !ids.has(f.id)), ...consent] };
}

export function renderContact(contact: StoredContact, settings: { readonly wire: WireSettings; readonly fields?: FieldSettings }): Record<string, unknown> {
  const { wire, fields } = settings;
  const { anonymized: _hidden, createdAt, updatedAt, emails, phoneNumbers, links, experience, tags, ...rest } = contact;
  return withoutUndefined({
    ...structuredClone(rest),
    [fields?.profileTags ?? 'tags']: [...tags],
    ...consentPlacement(contact, fields),
    emails: renderValues(emails, wire),
    phoneNumbers: renderValues(phoneNumbers, wire),
    links: renderValues(links, wire),
    experience: wire.listValues === 'keyed' ? keyed(experience, (_e, i) => `experience-${i + 1}`) : structuredClone(experience),
    ...timestamps({ createdAt, updatedAt }, wire),
  });
}

export function renderVacancy(vacancy: StoredVacancy, wire: WireSettings): Record<string, unknown> {
  const { createdAt, updatedAt, ...rest } = vacancy;
  return withoutUndefined({ ...structuredClone(rest), ...timestamps({ createdAt, updatedAt }, wire) });
}
