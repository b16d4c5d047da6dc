import type { BeameryContact } from '#core/beamery/records';
import type { Candidate } from '#core/greenhouse/records';
import { isBridgeTag, normaliseTagName } from './contact.ts';
import { hashFieldGroup } from './field-groups.ts';
import { compareStrings, strip, trimmed, uniqueBy } from './values.ts';

/**
 * The common *person view* both sync directions compare (docs/architecture.md, "One agreed state per
 * linked pair"). Each side is projected into the same shape, in a compare form, so the same person
 * held by both systems gives equal groups, and a group's hash moves only when its meaning moves.
 *
 * | Group     | Greenhouse candidate (v3)                          | Beamery contact                        | Compare form                                             |
 * | --------- | -------------------------------------------------- | -------------------------------------- | -------------------------------------------------------- |
 * | name      | first_name, last_name (NAME_PLACEHOLDER = absent)  | firstName, lastName, else from fullName | trimmed                                                  |
 * | emails    | email_addresses                                    | emails (primary included)              | `emailKey`: trimmed, lower-cased; unique; sorted         |
 * | phones    | phone_numbers                                      | phoneNumbers (primary included)        | `phoneKey`: digits, a leading + kept; unique; sorted     |
 * | links     | website_addresses + social_media_addresses         | links                                  | `linkKey`: host lower-cased, no scheme/www/trailing /; unique; sorted |
 * | address   | addresses (the first)                              | location > address                     | trimmed                                                  |
 * | role      | title, company                                     | currentRole title, company             | trimmed                                                  |
 * | tags      | tags (names)                                       | global (not the bridge's) and profile tags (labels) | trimmed labels, unique and sorted by `tagKey`            |
 * | consent   | custom fields with the configured name_keys        | consentStatus, lastConsentDate         | status a string ('true'/'false' or the label); date YYYY-MM-DD |
 *
 * The list groups hold compare keys, not the values as typed: a number written `+44 20 7946 0001` on
 * one side and `+442079460001` on the other is one number, and must not look like a change (Beamery's
 * PATCH appends to these lists and de-duplicates on its own terms, so a formatting difference could
 * never be settled by writing). Writers take values from the records, never from the view.
 *
 * Unset consent keys mean consent is not synced: that part of the group is empty on both sides.
 */

export const PERSON_GROUPS = ['name', 'emails', 'phones', 'links', 'address', 'role', 'tags', 'consent'] as const;
export type PersonGroup = (typeof PERSON_GROUPS)[number];

/** Groups merged as unions in Greenhouse (Beamery's PATCH appends to them anyway): they never conflict. */
export const LIST_GROUPS: readonly PersonGroup[] = ['emails', 'phones', 'links', 'tags'];
/** Groups whose value is replaced as a whole. */
export const SCALAR_GROUPS: readonly PersonGroup[] = ['name', 'address', 'role', 'consent'];

export function isListGroup(group: PersonGroup): boolean {
  return LIST_GROUPS.includes(group);
}

export interface PersonView {
  readonly name: { readonly first?: string; readonly last?: string };
  /** Trimmed, lower-cased, unique, sorted. */
  readonly emails: readonly string[];
  /** `phoneKey`s: unique, sorted. */
  readonly phones: readonly string[];
  /** `linkKey`s: unique, sorted. */
  readonly links: readonly string[];
  /** Trimmed. */
  readonly address?: string;
  readonly role: { readonly title?: string; readonly company?: string };
  /** Trimmed labels, unique by `tagKey` (the first spelling wins), sorted by it. */
  readonly tags: readonly string[];
  /** Status as a string ('true'/'false' or the label); date as YYYY-MM-DD. */
  readonly consent: { readonly status?: string; readonly lastConsentDate?: string };
}

/** Greenhouse candidate custom field name_keys; undefined = consent not synced (group empty on both sides). */
export interface ConsentFieldKeys {
  readonly status?: string;
  readonly lastConsentDate?: string;
}

export type PersonGroupHashes = Record<PersonGroup, string>;

/**
 * What Greenhouse holds where Beamery has no first or last name. Greenhouse requires both names on a
 * candidate, Beamery does not (a sourced contact may have only an email); rather than invent a name,
 * the candidate gets this marker, which the Greenhouse projection reads back as "no name", so the two
 * sides still agree and the marker never travels to Beamery as a name.
 */
export const NAME_PLACEHOLDER = '(unknown)';

// ---------------------------------------------------------------------------------------------
// Compare keys: what makes two list items "the same item", for the views, the unions and the reconcilers
// ---------------------------------------------------------------------------------------------

export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/** The digits, with a leading + kept (`+44 (20) 7946-0001` → `+442079460001`); a value with no digits compares lower-cased. */
export function phoneKey(phone: string): string {
  const t = phone.trim();
  const digits = t.replace(/\D/g, '');
  if (!digits) return t.toLowerCase();
  return (t.startsWith('+') ? '+' : '') + digits;
}

/**
 * A web link without what does not change where it points: the scheme (http/https), the host's case,
 * a leading `www.`, trailing slashes. `https://www.LinkedIn.com/in/noor/` → `linkedin.com/in/noor`.
 * Path, query and fragment keep their case. A value that is not an http(s) URL compares trimmed,
 * without trailing slashes.
 */
export function linkKey(url: string): string {
  const t = url.trim();
  const parsed = parseWebLink(t);
  if (!parsed) return t.replace(/\/+$/, '');
  return `${parsed.host.replace(/^www\./, '')}${parsed.pathname.replace(/\/+$/, '')}${parsed.search}${parsed.hash}`;
}

/** The lower-cased host of an http(s) link (a bare `example.com/x` counts as https), without `www.` and port. */
export function linkHost(url: string): string | undefined {
  return parseWebLink(url.trim())?.hostname.replace(/^www\./, '');
}

/** Tag names compare trimmed and case-insensitively (the same rule as the Greenhouse → Beamery mapping). */
export const tagKey = normaliseTagName;

function parseWebLink(t: string): URL | undefined {
  if (!t) return undefined;
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(t) && !/^[^:/]+:\d/.test(t);
  try {
    const u = new URL(hasScheme ? t : `https://${t}`);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname ? u : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Projections
// ---------------------------------------------------------------------------------------------

/** The Greenhouse side. Consent from the candidate custom fields with the configured name_keys. */
export function personFromCandidate(c: Candidate, consentKeys: ConsentFieldKeys): PersonView {
  const address = values(c.addresses)[0];
  const custom = (key: string | undefined) => (key ? c.custom_fields?.[key]?.value : undefined);
  return {
    name: strip({ first: greenhouseName(c.first_name), last: greenhouseName(c.last_name) }),
    emails: keyedList(values(c.email_addresses), emailKey),
    phones: keyedList(values(c.phone_numbers), phoneKey),
    links: keyedList([...values(c.website_addresses), ...values(c.social_media_addresses)], linkKey),
    ...(address ? { address } : {}),
    role: strip({ title: trimmed(c.title), company: trimmed(c.company) }),
    tags: tagList(c.tags ?? []),
    consent: strip({ status: consentStatusText(custom(consentKeys.status)), lastConsentDate: consentDate(custom(consentKeys.lastConsentDate)) }),
  };
}

/**
 * The Beamery side. `consentKeys` says which consent fields are synced; omitted, both are (pass the
 * same keys as to `personFromCandidate`, or a tenant without consent keys sees a consent difference
 * that nothing can write).
 */
export function personFromContact(c: BeameryContact, consentKeys?: ConsentFieldKeys): PersonView {
  const address = trimmed(c.location?.address);
  const synced = (key: keyof ConsentFieldKeys) => !consentKeys || consentKeys[key] !== undefined;
  return {
    name: contactNames(c),
    emails: keyedList(c.emails, emailKey),
    phones: keyedList(c.phoneNumbers, phoneKey),
    links: keyedList(c.links, linkKey),
    ...(address ? { address } : {}),
    role: strip({ title: trimmed(c.currentRole?.title), company: trimmed(c.currentRole?.company) }),
    // Seed: Beamery global and profile tags → Greenhouse tags; Greenhouse tags → profile tags only.
    tags: tagList([...c.tags.filter((t) => !isBridgeTag(t)).map((t) => t.label), ...(c.profileTags ?? [])]),
    consent: strip({
      status: synced('status') ? consentStatusText(c.consentStatus) : undefined,
      lastConsentDate: synced('lastConsentDate') ? consentDate(c.lastConsentDate) : undefined,
    }),
  };
}

/** One hash per group (field-groups.ts `hashFieldGroup`), in PERSON_GROUPS order. */
export function personGroupHashes(p: PersonView): PersonGroupHashes {
  const hashes = {} as PersonGroupHashes;
  for (const group of PERSON_GROUPS) hashes[group] = hashFieldGroup(p[group]);
  return hashes;
}

/**
 * A contact's first and last name as Greenhouse would hold them: Beamery's own, else split from
 * `fullName` (both missing: the first word and the rest; one missing: what `fullName` has beyond the
 * other). Used by both the Beamery projection and the candidate writes, so they agree.
 */
export function contactNames(c: Pick<BeameryContact, 'firstName' | 'lastName' | 'fullName'>): { first?: string; last?: string } {
  let first = oneLine(c.firstName);
  let last = oneLine(c.lastName);
  const full = oneLine(c.fullName);
  if (full && !first && !last) {
    const space = full.indexOf(' ');
    first = space < 0 ? full : full.slice(0, space);
    last = space < 0 ? undefined : full.slice(space + 1);
  } else if (full && first && !last) {
    if (full.toLowerCase().startsWith(`${first.toLowerCase()} `)) last = trimmed(full.slice(first.length));
  } else if (full && last && !first) {
    if (full.toLowerCase().endsWith(` ${last.toLowerCase()}`)) first = trimmed(full.slice(0, full.length - last.length));
  }
  return strip({ first, last });
}

/** Yes/no answers as either side may spell them: a Greenhouse yes_no boolean, a Beamery select label. */
const YES_NO: Readonly<Record<string, string>> = { true: 'true', yes: 'true', false: 'false', no: 'false' };

/**
 * A consent status as the view holds it: booleans and yes/no labels as 'true'/'false' (so a Beamery
 * select answering "Yes" equals a Greenhouse yes_no `true`), other labels trimmed; `{name}`/`{value}`
 * (select options) unwrapped.
 */
export function consentStatusText(value: unknown): string | undefined {
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'string') {
    const text = trimmed(value);
    return text === undefined ? undefined : (YES_NO[text.toLowerCase()] ?? text);
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    return consentStatusText(o.name ?? o.value ?? o.label);
  }
  return undefined;
}

/** A consent date as YYYY-MM-DD (a timestamp gives its UTC date); a value that is no date compares trimmed. */
export function consentDate(value: unknown): string | undefined {
  const text = typeof value === 'string' ? value.trim() : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value < 1e12 ? value * 1000 : value).toISOString().slice(0, 10);
  if (!text) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? text : new Date(ms).toISOString().slice(0, 10);
}

/**
 * When the person consented, as an ISO instant for the anonymization block (LedgerStore.recordConsent),
 * from a consent status and date as either side holds them; undefined when they record no consent:
 * no date, a date that is no date, or a status other than yes (a "no" is a refusal or a withdrawal, an
 * unknown label is not evidence). An absent status with a date counts (a tenant may sync only the
 * date). A date without a time counts from the start of its UTC day: a consent dated the day of an
 * anonymization may have come before it, so only the next day's lifts the block.
 */
export function consentGivenAt(status: unknown, date: unknown): string | undefined {
  const said = consentStatusText(status);
  if (said !== undefined && said !== 'true') return undefined;
  const text = typeof date === 'string' ? date.trim() : undefined;
  if (!text) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : /T\d{2}:\d{2}.*(Z|[+-]\d{2}:?\d{2})$/.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function greenhouseName(value: string | null | undefined): string | undefined {
  const name = oneLine(value);
  return name === NAME_PLACEHOLDER ? undefined : name;
}

function oneLine(value: string | null | undefined): string | undefined {
  return trimmed(value?.replace(/\s+/g, ' '));
}

function values(list: readonly { readonly value: string }[] | null | undefined): string[] {
  return (list ?? []).map((item) => item.value.trim()).filter(Boolean);
}

function keyedList(items: readonly string[], key: (item: string) => string): string[] {
  const keys = items.map((item) => item.trim()).filter(Boolean).map(key).filter(Boolean);
  return [...new Set(keys)].sort(compareStrings);
}

function tagList(labels: readonly (string | null | undefined)[]): string[] {
  const clean = labels.map((label) => trimmed(label)).filter((label): label is string => label !== undefined);
  return uniqueBy(clean, tagKey).sort((a, b) => compareStrings(tagKey(a), tagKey(b)));
}

// ---------------------------------------------------------------------------------------------
// The three-way rule
// ---------------------------------------------------------------------------------------------

export interface GroupDiff {
  /** Groups to write to the target: the source moved, the target did not (or a list group: written as a union). */
  readonly write: PersonGroup[];
  /** Scalar groups both sides moved away from the base: Greenhouse wins (B→GH leaves Greenhouse; G→B writes); Audit `sync-conflict`. */
  readonly conflicts: PersonGroup[];
  /** The source moved, and the target already holds the same value (our own write read back): nothing to write. */
  readonly alreadyEqual: PersonGroup[];
  /**
   * Scalar groups with no base that differ: nobody can tell which side moved, so nothing is written,
   * the target keeps its value (nothing is lost) and it is not reported as a conflict.
   */
  readonly targetKept: PersonGroup[];
}

/**
 * The design's three-way rule, for the groups the source changed since the base (a group whose
 * source hash equals its base hash is in no list):
 * - the target already holds the source's value → `alreadyEqual` (this is what stops echo loops);
 * - scalar group, the target also moved away from the base → `conflicts`;
 * - list group, the target also moved → `write`: lists are unions, so writing one overwrites nothing;
 * - else → `write`.
 *
 * No base for a group (a first link, or a base stored before the group existed): there is no telling
 * which side moved, so no conflict can be detected. Differing list groups are written (as unions:
 * nothing is lost on either side); differing scalar groups are `targetKept`: not written, the target
 * wins. With `nextBase` storing the source's hashes, the other direction then sees its side as
 * changed and carries the target's value over: after a first link from Beamery, Greenhouse's
 * scalars reach Beamery, as "Greenhouse wins" asks.
 *
 * Caveat of unions: an item removed in Greenhouse comes back by a later union while Beamery still
 * holds it (Beamery's lists are grow-only through the API, docs/beamery-assumptions.md).
 */
export function diffGroups(
  base: Readonly<Record<string, string>> | undefined,
  source: Readonly<Record<PersonGroup, string>>,
  target: Readonly<Record<PersonGroup, string>>,
): GroupDiff {
  const diff: GroupDiff = { write: [], conflicts: [], alreadyEqual: [], targetKept: [] };
  for (const group of PERSON_GROUPS) {
    const was = base?.[group];
    const now = source[group];
    if (was !== undefined && now === was) continue;
    if (now === target[group]) diff.alreadyEqual.push(group);
    else if (was === undefined) (isListGroup(group) ? diff.write : diff.targetKept).push(group);
    else if (target[group] !== was && !isListGroup(group)) diff.conflicts.push(group);
    else diff.write.push(group);
  }
  return diff;
}

/**
 * The base to store after a reconcile in either direction: the source's hashes, for every group.
 * - written or already equal: the target now holds the source's value (a list: at least its items);
 * - unchanged (source = base): the same hash;
 * - conflict or target kept: storing the source's (the losing) value makes the target's value a
 *   change for the other direction, which then carries it over: Greenhouse wins in both directions.
 * For a list written as a union, the target holds more than the source: the other direction sees
 * that as its change and appends it, so both sides settle on the union.
 * Keys of `base` that are not person groups are kept.
 */
export function nextBase(base: Readonly<Record<string, string>> | undefined, source: Readonly<Record<PersonGroup, string>>): Record<string, string> {
  const next: Record<string, string> = { ...base };
  for (const group of PERSON_GROUPS) next[group] = source[group];
  return next;
}
