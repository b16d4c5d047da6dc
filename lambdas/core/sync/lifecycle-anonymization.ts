import type { BeameryContact, ContactWrite } from '#core/beamery/records';

/**
 * Greenhouse anonymized field names → what the bridge blanks on the Beamery contact, for tenants
 * whose API cannot anonymize (`anonymizeContact` answers 'unsupported'). Where the API can, Beamery's
 * own anonymization runs instead and applies the tenant's Beamery-side field configuration (seed: "You
 * can configure what data to be deleted").
 *
 * | Greenhouse anonymized field      | Beamery (ContactWrite)               | Fallback                                            |
 * | -------------------------------- | ------------------------------------ | --------------------------------------------------- |
 * | full_name                        | firstName, lastName                  | written as ''                                       |
 * | current_title                    | currentRole.title                    | role rewritten without it (company kept)            |
 * | current_company                  | currentRole.company                  | role rewritten without it (title kept)              |
 * | tags                             | profileTags                          | written as [] (assumed to replace, like globalTags)  |
 * | addresses, location              | location                             | written as {}                                       |
 * | emails, email_addresses          | primaryEmail, emails                 | NOT blanked: identity lists are grow-only on PATCH  |
 * | phone_numbers                    | primaryPhoneNumber, phoneNumbers     | NOT blanked: grow-only                              |
 * | websites, social_media_links     | links                                | NOT blanked: grow-only                              |
 * | notes, attachments               | notes / attachments the bridge copied | NOT blanked: no delete operation in the adapter    |
 * | anything else                    | — (never synced to Beamery)          | nothing to do                                       |
 *
 * A role is written only with a title or a company (the adapter's body builder), so anonymizing both,
 * or the only one the contact has, cannot be done through PATCH either: those fields are reported as
 * not blanked. Fields reported as not blanked go into the operator task the lifecycle writes.
 * (docs/beamery-assumptions.md: "the bridge cannot remove a phone number, email or link from a Beamery
 * contact through PATCH".)
 */

type Target = 'names' | 'title' | 'company' | 'tags' | 'location' | 'not-blankable';

const FIELD_TARGETS: Readonly<Record<string, Target>> = {
  full_name: 'names',
  current_title: 'title',
  current_company: 'company',
  tags: 'tags',
  addresses: 'location',
  location: 'location',
  emails: 'not-blankable',
  email_addresses: 'not-blankable',
  phone_numbers: 'not-blankable',
  websites: 'not-blankable',
  social_media_links: 'not-blankable',
  notes: 'not-blankable',
  attachments: 'not-blankable',
};

/** The Greenhouse field names the fallback acts on or reports (everything else is ignored). */
export const MAPPED_ANONYMIZED_FIELDS: readonly string[] = Object.keys(FIELD_TARGETS);

export interface AnonymizationPlan {
  /** The PATCH that blanks what can be blanked; empty when there is nothing to write. */
  readonly write: ContactWrite;
  /** Greenhouse field names whose Beamery counterpart the write blanks (or that were already blank). */
  readonly blanked: readonly string[];
  /** Greenhouse field names whose Beamery counterpart cannot be blanked through the API. */
  readonly notBlanked: readonly string[];
}

export function anonymizationPlan(fields: readonly string[], contact: Pick<BeameryContact, 'currentRole'>): AnonymizationPlan {
  const requested = [...new Set(fields.map((f) => f.trim().toLowerCase()).filter((f) => f in FIELD_TARGETS))].sort();
  const has = (target: Target) => requested.some((f) => FIELD_TARGETS[f] === target);
  const blanked: string[] = [];
  const notBlanked: string[] = [];
  let write: ContactWrite = {};

  for (const field of requested) {
    const target = FIELD_TARGETS[field]!;
    if (target === 'not-blankable') notBlanked.push(field);
    else if (target === 'names') write = { ...write, firstName: '', lastName: '' };
    else if (target === 'tags') write = { ...write, profileTags: [] };
    else if (target === 'location') write = { ...write, location: {} };
    if (target !== 'not-blankable' && target !== 'title' && target !== 'company') blanked.push(field);
  }

  if (has('title') || has('company')) {
    const roleFields = requested.filter((f) => FIELD_TARGETS[f] === 'title' || FIELD_TARGETS[f] === 'company');
    const current = contact.currentRole;
    const kept = {
      ...(!has('title') && current?.title ? { title: current.title } : {}),
      ...(!has('company') && current?.company ? { company: current.company } : {}),
    };
    const anonymizedPresent = (has('title') && current?.title) || (has('company') && current?.company);
    if (!anonymizedPresent) blanked.push(...roleFields);
    else if (kept.title || kept.company) {
      write = { ...write, currentRole: kept };
      blanked.push(...roleFields);
    } else notBlanked.push(...roleFields);
  }

  return { write, blanked: blanked.sort(), notBlanked: notBlanked.sort() };
}

export function isEmptyWrite(write: ContactWrite): boolean {
  return Object.keys(write).length === 0;
}
