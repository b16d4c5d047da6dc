import type { BeameryContact } from '#core/beamery/records';
import { currentCollection, type TypedValueWrite, type UntypedValueWrite } from '#core/greenhouse/collections';
import type { CandidateCreate, CandidateWrite, CustomFieldWrite, FirstApplication } from '#core/ports/greenhouse-api';
import type { Candidate } from '#core/greenhouse/records';
import {
  consentDate,
  consentStatusText,
  emailKey,
  linkHost,
  linkKey,
  NAME_PLACEHOLDER,
  personFromContact,
  phoneKey,
  tagKey,
  type ConsentFieldKeys,
  type PersonGroup,
  type PersonView,
} from './person.ts';
import { strip, trimmed, uniqueBy } from './values.ts';

/**
 * Beamery contact → Greenhouse candidate (Harvest v3): the seed's "Contact Data Mapping" table,
 * column "Beamery to Greenhouse".
 *
 * | Beamery                              | Greenhouse                                                          |
 * | ------------------------------------ | ------------------------------------------------------------------- |
 * | firstName / lastName (required)      | first_name / last_name; missing: split from fullName, else NAME_PLACEHOLDER |
 * | emails (primary first)               | email_addresses: the primary `personal`, the others `other`         |
 * | phoneNumbers (primary first)         | phone_numbers: the primary `mobile`, the others `other`             |
 * | links                                | social_media_addresses (known social hosts) / website_addresses `personal` |
 * | location > address                   | addresses: `home` (an update replaces the first address only)       |
 * | location > country, post code        | — (Greenhouse has no such field)                                    |
 * | primary role title / company         | title / company                                                     |
 * | profile / global tags                | tags (labels)                                                       |
 * | consentStatus                        | candidate custom field, name_key configured (`consentKeys.status`)  |
 * | lastConsentDate                      | candidate custom field, name_key configured (`consentKeys.lastConsentDate`), YYYY-MM-DD |
 * | source (only on contact creation)    | first application source_id (`sourceIdFor`)                         |
 * | assigned to (only on creation)       | first application referrer_id ("credited to")                      |
 * | vacancy linked to a Greenhouse job   | first application job_id; none: a prospect application              |
 * | attachments, rejection reason, ATS URL | — (Greenhouse → Beamery only)                                     |
 *
 * Updates (`candidateWriteForGroups`) set the scalar groups from Beamery and merge the list groups
 * into what the candidate holds (v3 PATCH replaces a whole collection, so every current item is
 * sent back with its type). Notes are mapped elsewhere; stage moves, rejections and hires never.
 *
 * Consent values are written as the person view holds them (a status `'true'`/`'false'` or Beamery's
 * label, a date YYYY-MM-DD), so a read-back compares equal: the Greenhouse fields should be a short
 * text field, or a single select whose option names are those values (ASSUMED: v3's write format of
 * select values is undocumented).
 */

export interface CandidateCreateOptions {
  readonly consentKeys: ConsentFieldKeys;
  /** The Greenhouse job of the vacancy the contact is on; none: the candidate is created as a prospect. */
  readonly jobId?: number;
  /** From the contact's source through `sourceIdFor` (creation only, per the seed). */
  readonly sourceId?: number;
  /**
   * Written as the first application's `referrer_id` ("credited to", creation only). v3 defines
   * `referrer_id` as a Referrer-record id (`GET /v3/referrers` `{id, name, user_id}`), not a user id:
   * resolve the Greenhouse user matched from Beamery's assigned-to user with `referrerIdFor`.
   */
  readonly referrerId?: number;
}

/** Hosts whose links go to `social_media_addresses` (a subdomain counts); every other link is a website. */
export const SOCIAL_MEDIA_HOSTS: readonly string[] = [
  'linkedin.com', 'twitter.com', 'x.com', 'github.com', 'gitlab.com', 'facebook.com', 'instagram.com', 'stackoverflow.com',
  'dribbble.com', 'behance.net', 'medium.com', 'youtube.com', 'tiktok.com', 'mastodon.social', 'bsky.app', 'wellfound.com', 'angel.co',
];

export function isSocialMediaLink(url: string): boolean {
  const host = linkHost(url);
  return host !== undefined && SOCIAL_MEDIA_HOSTS.some((h) => host === h || host.endsWith(`.${h}`));
}

/** The create body for a pushed contact: every mapped field, plus the creation-only source, referrer and first application. */
export function candidateCreateFromContact(contact: BeameryContact, options: CandidateCreateOptions): CandidateCreate {
  const person = personFromContact(contact, options.consentKeys);
  const links = cleanUnique(contact.links, linkKey);
  const parties = strip({ source_id: options.sourceId, referrer_id: options.referrerId });
  const application: FirstApplication = options.jobId !== undefined ? { job_id: options.jobId, ...parties } : { prospect: true, ...parties };
  return strip({
    first_name: person.name.first ?? NAME_PLACEHOLDER,
    last_name: person.name.last ?? NAME_PLACEHOLDER,
    title: person.role.title,
    company: person.role.company,
    email_addresses: nonEmpty(typed(cleanUnique(contact.emails, emailKey), 'personal', 'other')),
    phone_numbers: nonEmpty(typed(cleanUnique(contact.phoneNumbers, phoneKey), 'mobile', 'other')),
    addresses: person.address ? [{ value: person.address, type: 'home' }] : undefined,
    website_addresses: nonEmpty(links.filter((l) => !isSocialMediaLink(l)).map((value) => ({ value, type: 'personal' }))),
    social_media_addresses: nonEmpty(links.filter(isSocialMediaLink).map((value) => ({ value }))),
    tags: nonEmpty([...person.tags]),
    custom_fields: nonEmpty(consentFields(person.consent, options.consentKeys)),
    application,
  });
}

/**
 * The PATCH for the groups to write (from `diffGroups`), or undefined when the candidate already holds
 * everything it would set. Scalars are set from Beamery: names (a name Beamery lacks becomes
 * NAME_PLACEHOLDER, since Greenhouse requires one), title and company (absent: cleared), the address
 * (replaces the first address only, keeping the others; absent: the first address is removed),
 * consent (absent: the field is cleared). Lists are unions with the candidate's current collection:
 * every current item is kept with its type, Beamery's items not already there (by the person.ts
 * compare keys) are added; tags likewise by name.
 */
export function candidateWriteForGroups(
  contact: BeameryContact,
  groups: readonly PersonGroup[],
  current: Candidate,
  consentKeys: ConsentFieldKeys,
): CandidateWrite | undefined {
  const person = personFromContact(contact, consentKeys);
  let write: CandidateWrite = {};
  for (const group of new Set(groups)) write = { ...write, ...GROUP_WRITERS[group](contact, person, current, consentKeys) };
  return Object.keys(write).length > 0 ? write : undefined;
}

type GroupWriter = (contact: BeameryContact, person: PersonView, current: Candidate, consentKeys: ConsentFieldKeys) => CandidateWrite;

const GROUP_WRITERS: Readonly<Record<PersonGroup, GroupWriter>> = {
  name: (_c, person, current) => {
    const first = person.name.first ?? NAME_PLACEHOLDER;
    const last = person.name.last ?? NAME_PLACEHOLDER;
    return strip({
      first_name: first !== oneLine(current.first_name) ? first : undefined,
      last_name: last !== oneLine(current.last_name) ? last : undefined,
    });
  },
  role: (_c, person, current) =>
    strip({
      title: person.role.title !== trimmed(current.title) ? (person.role.title ?? null) : undefined,
      company: person.role.company !== trimmed(current.company) ? (person.role.company ?? null) : undefined,
    }),
  address: (_c, person, current) => {
    const addresses = currentCollection(current, 'addresses').filter((a) => a.value.trim() !== '');
    const wanted = person.address;
    if (!wanted) return addresses.length > 0 ? { addresses: addresses.slice(1) } : {};
    if (addresses[0]?.value.trim() === wanted) return {};
    const at = addresses.findIndex((a) => a.value.trim() === wanted);
    // Already further down the list: move it up, losing nothing. Else Beamery's address replaces the first.
    if (at > 0) return { addresses: [addresses[at]!, ...addresses.filter((_a, i) => i !== at)] };
    const [first, ...others] = addresses;
    return { addresses: [{ value: wanted, type: first?.type ?? 'home' }, ...others] };
  },
  emails: (contact, _p, current) => {
    const merged = union(currentCollection(current, 'email_addresses'), contact.emails, emailKey, 'personal', 'other');
    return merged ? { email_addresses: merged } : {};
  },
  phones: (contact, _p, current) => {
    const merged = union(currentCollection(current, 'phone_numbers'), contact.phoneNumbers, phoneKey, 'mobile', 'other');
    return merged ? { phone_numbers: merged } : {};
  },
  links: (contact, _p, current) => {
    const websites = currentCollection(current, 'website_addresses');
    const social = currentCollection(current, 'social_media_addresses');
    const held = new Set([...websites, ...social].map((l) => linkKey(l.value)));
    const added = cleanUnique(contact.links, linkKey).filter((l) => !held.has(linkKey(l)));
    const addedWebsites = added.filter((l) => !isSocialMediaLink(l)).map((value): TypedValueWrite => ({ value, type: 'personal' }));
    const addedSocial = added.filter(isSocialMediaLink).map((value): UntypedValueWrite => ({ value }));
    return strip({
      website_addresses: addedWebsites.length > 0 ? [...websites, ...addedWebsites] : undefined,
      social_media_addresses: addedSocial.length > 0 ? [...social, ...addedSocial] : undefined,
    });
  },
  tags: (_c, person, current) => {
    const tags = current.tags ?? [];
    const held = new Set(tags.map(tagKey));
    const added = person.tags.filter((t) => !held.has(tagKey(t)));
    return added.length > 0 ? { tags: [...tags, ...added] } : {};
  },
  consent: (_c, person, current, consentKeys) => {
    const held = (key: string) => current.custom_fields?.[key]?.value;
    const fields: CustomFieldWrite[] = [];
    if (consentKeys.status && person.consent.status !== consentStatusText(held(consentKeys.status))) {
      fields.push({ name_key: consentKeys.status, value: person.consent.status ?? null });
    }
    if (consentKeys.lastConsentDate && person.consent.lastConsentDate !== consentDate(held(consentKeys.lastConsentDate))) {
      fields.push({ name_key: consentKeys.lastConsentDate, value: person.consent.lastConsentDate ?? null });
    }
    return fields.length > 0 ? { custom_fields: fields } : {};
  },
};

/**
 * The Greenhouse source for Beamery's source name: the first whose name matches, compared lower-cased
 * with every run of other characters than letters and digits read as one space ("LinkedIn
 * (Prospecting)" = "linkedin prospecting"). Undefined when none matches or there is no name.
 */
export function sourceIdFor(sourceName: string | undefined, greenhouseSources: readonly { readonly id: number; readonly name?: string | null }[]): number | undefined {
  const wanted = sourceName === undefined ? '' : normaliseSourceName(sourceName);
  if (!wanted) return undefined;
  return greenhouseSources.find((s) => s.name != null && normaliseSourceName(s.name) === wanted)?.id;
}

export function normaliseSourceName(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/**
 * The Referrer record (`GET /v3/referrers` `{id, name, user_id}`) of a Greenhouse user, for the first
 * application's `referrer_id`: "credited to" is a Referrer-record id in v3, not a user id.
 */
export function referrerIdFor(greenhouseUserId: number | undefined, referrers: readonly { readonly id: number; readonly user_id?: number | null }[]): number | undefined {
  if (greenhouseUserId === undefined) return undefined;
  return referrers.find((r) => r.user_id === greenhouseUserId)?.id;
}

// ---------------------------------------------------------------------------------------------

function consentFields(consent: PersonView['consent'], keys: ConsentFieldKeys): CustomFieldWrite[] {
  const fields: CustomFieldWrite[] = [];
  if (keys.status && consent.status !== undefined) fields.push({ name_key: keys.status, value: consent.status });
  if (keys.lastConsentDate && consent.lastConsentDate !== undefined) fields.push({ name_key: keys.lastConsentDate, value: consent.lastConsentDate });
  return fields;
}

/** Trimmed, blank dropped, the first of each compare key kept, order kept (the primary stays first). */
function cleanUnique(items: readonly string[], key: (item: string) => string): string[] {
  return uniqueBy(items.map((item) => item.trim()).filter(Boolean), key);
}

function typed(values: readonly string[], firstType: string, otherType: string): TypedValueWrite[] {
  return values.map((value, i) => ({ value, type: i === 0 ? firstType : otherType }));
}

/** Current items kept with their types, then Beamery's items not held yet; undefined when nothing is added. */
function union(current: readonly TypedValueWrite[], incoming: readonly string[], key: (item: string) => string, firstType: string, otherType: string): TypedValueWrite[] | undefined {
  const held = new Set(current.map((item) => key(item.value)));
  const added = cleanUnique(incoming, key).filter((item) => !held.has(key(item)));
  if (added.length === 0) return undefined;
  return [...current, ...typed(added, current.length === 0 ? firstType : otherType, otherType)];
}

function nonEmpty<T>(items: readonly T[]): T[] | undefined {
  return items.length > 0 ? [...items] : undefined;
}

function oneLine(value: string | null | undefined): string | undefined {
  return trimmed(value?.replace(/\s+/g, ' '));
}
