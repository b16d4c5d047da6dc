import type { BeameryCapability } from '#core/ports/beamery-api';

/**
 * Every Beamery call the bridge makes, with the evidence behind its method and path (the levels of
 * docs/reference/beamery-api.md: HIGH official and uncontradicted; MED official-but-partial or
 * real client code; LOW one weak source or an inference; ASSUMED no public source). The client
 * builds its URLs from this table, so the table cannot drift from what is called, and the
 * capabilities name the operations that a tenant may simply not have (or have at another path).
 */

export type Evidence = 'HIGH' | 'MED' | 'LOW' | 'ASSUMED';


export interface BeameryOperation {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to the base URL (which ends in `/v1`); `{name}` segments are filled in. */
  readonly path: string;
  readonly evidence: Evidence;
  /** Where the evidence comes from (source numbers of the reference). */
  readonly source: string;
  readonly capability?: BeameryCapability;
}

export const BEAMERY_OPERATIONS = {
  mintToken: { method: 'POST', path: '/oauth/token', evidence: 'HIGH', source: 'S2 /authentication; S4 code; JSON {clientId, clientSecret}' },
  mintTokenBasic: { method: 'GET', path: '/auth', evidence: 'MED', source: 'S1 (older render of the official Swagger): Basic username:password; reply shape ASSUMED {token} or {access_token}' },
  findContactsByEmail: { method: 'GET', path: '/contacts', evidence: 'MED', source: 'S4: ?email= exact lookup, contacts[0]' },
  listContactsUpdatedSince: { method: 'GET', path: '/contacts', evidence: 'MED', source: 'S4: updated_at + updated_at_op=gte, sort_field, offset; S2 /pagination' },
  // Not a capability (the sync cannot do without it): a 404 is corroborated instead (contact-read-check.ts).
  getContact: { method: 'GET', path: '/contact/{id}', evidence: 'ASSUMED', source: 'inferred from the singular create/update paths; simulator switch paths.contactRead' },
  createContact: { method: 'POST', path: '/contact', evidence: 'MED', source: 'S4: singular path, response holds id' },
  updateContact: { method: 'PATCH', path: '/contact/{id}', evidence: 'MED', source: 'S4: partial body; array semantics unverified' },
  listVacancies: { method: 'GET', path: '/vacancies', evidence: 'LOW', source: 'legacy API (S5); S2 vacancy model page' },
  getVacancy: { method: 'GET', path: '/vacancy/{id}', evidence: 'ASSUMED', source: 'by analogy with /contact/{id}; simulator switch paths.vacancy' },
  createVacancy: { method: 'POST', path: '/vacancy', evidence: 'ASSUMED', source: 'by analogy with POST /contact; fields from S2 §2.3; simulator switch paths.vacancy', capability: 'vacancyCreate' },
  updateVacancy: { method: 'PATCH', path: '/vacancy/{id}', evidence: 'ASSUMED', source: 'by analogy with PATCH /contact/{id}; simulator switch paths.vacancy', capability: 'vacancyUpdate' },
  setContactVacancyStage: { method: 'PUT', path: '/contact/{id}/vacancies/{vacancyId}', evidence: 'ASSUMED', source: 'none found', capability: 'vacancyStages' },
  removeContactFromVacancy: { method: 'DELETE', path: '/contact/{id}/vacancies/{vacancyId}', evidence: 'ASSUMED', source: 'none found', capability: 'vacancyStages' },
  listContactVacancies: { method: 'GET', path: '/contact/{id}/vacancies', evidence: 'ASSUMED', source: 'none found', capability: 'vacancyStages' },
  createNote: { method: 'POST', path: '/contact/{id}/notes', evidence: 'ASSUMED', source: 'none found; notes are a separate entity (S12)', capability: 'notes' },
  listNotes: { method: 'GET', path: '/contact/{id}/notes', evidence: 'ASSUMED', source: 'none found', capability: 'notes' },
  uploadAttachment: { method: 'POST', path: '/contact/{id}/attachments', evidence: 'ASSUMED', source: 'none found; limits from the product (S12)', capability: 'attachments' },
  listAttachments: { method: 'GET', path: '/contact/{id}/attachments', evidence: 'ASSUMED', source: 'none found', capability: 'attachments' },
  listUsers: { method: 'GET', path: '/users', evidence: 'MED', source: 'S1 uses it as its URL example; response shape ASSUMED' },
  mergeContacts: { method: 'POST', path: '/contacts/merge', evidence: 'ASSUMED', source: 'product feature only (S11)', capability: 'merge' },
  anonymizeContact: { method: 'POST', path: '/contact/{id}/anonymize', evidence: 'ASSUMED', source: 'product/Recipes feature only (S10)', capability: 'anonymize' },
} as const satisfies Record<string, BeameryOperation>;

export type BeameryOperationName = keyof typeof BEAMERY_OPERATIONS;

/** The operation's URL: base + path with `{name}` segments filled (encoded) + query. */
export function operationUrl(
  baseUrl: string,
  name: BeameryOperationName,
  params: Readonly<Record<string, string>> = {},
  query?: Readonly<Record<string, string | number | undefined>>,
): string {
  const path = BEAMERY_OPERATIONS[name].path.replace(/\{(\w+)\}/g, (_match, key: string) => {
    const value = params[key];
    if (value === undefined || value === '') throw new Error(`beamery ${name}: missing path parameter ${key}`);
    return encodeURIComponent(value);
  });
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}${path}`);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}
