import type { BeameryClient } from './client.ts';
import { describeLocation, type ConsentFields, type FieldLocation } from './field-locations.ts';
import type { BeameryContact } from '#core/beamery/records';
import type { DoctorProbe } from './connection.ts';
import { customFieldValue } from './wire/contact.ts';
import { greenhouseIdFromIntegrations, type GreenhouseIdField } from './wire/greenhouse-id.ts';

/**
 * Read-only checks for `bridge doctor` of where the tenant keeps what the configuration says it keeps
 * (docs/beamery-assumptions.md, "Doctor probes"): raw contact records as Beamery sent them (a page of
 * the documented list call, MED) are looked at, without the parser's fallbacks. `ok`: some contact
 * carries a value at the configured location. `fail`: none does, but contacts carry one somewhere else
 * the bridge knows of (so the configuration is wrong). `unknown`: nothing anywhere, which a new tenant
 * also shows.
 */

const EPOCH = '1970-01-01T00:00:00.000Z';

type Raw = Readonly<Record<string, unknown>>;

async function listedContacts(client: BeameryClient): Promise<Raw[]> {
  const page = await client.listContactsUpdatedSince(EPOCH);
  return page.items.map((c: BeameryContact) => (c.raw && typeof c.raw === 'object' ? (c.raw as Raw) : {}));
}

const present = (value: unknown) => value !== undefined && value !== null && value !== '';

function atLocation(raw: Raw, location: GreenhouseIdField | FieldLocation, topLevelName: string): boolean {
  if (location.kind === 'custom-field') return present(customFieldValue(raw, location.fieldId));
  if (location.kind === 'integrations') return present(greenhouseIdFromIntegrations(raw['integrations'] ?? raw['integration']));
  return present(raw[topLevelName]);
}

/** Custom fields whose id or name matches `pattern`, with how many contacts carry a value in each. */
function namedCustomFields(contacts: readonly Raw[], pattern: RegExp, exclude: ReadonlySet<string>): Map<string, number> {
  const found = new Map<string, number>();
  for (const raw of contacts) {
    const fields = Array.isArray(raw['customFields']) ? (raw['customFields'] as unknown[]) : [];
    for (const field of fields) {
      if (!field || typeof field !== 'object') continue;
      const f = field as Raw;
      const id = typeof f['id'] === 'string' ? f['id'] : undefined;
      if (!id || exclude.has(id) || !present(f['value'])) continue;
      const names = [id, f['displayName'], f['label'], f['name']].filter((n): n is string => typeof n === 'string');
      if (names.some((n) => pattern.test(n))) found.set(id, (found.get(id) ?? 0) + 1);
    }
  }
  return found;
}

const listing = (found: Map<string, number>) => [...found].map(([id, n]) => `customFields[${id}] on ${n}`).join(', ');

/** Lists one page of contacts with `client` and judges them at the client's configured location. */
export async function probeGreenhouseIdLocation(client: BeameryClient): Promise<DoctorProbe> {
  return greenhouseIdLocationCheck(await listedContacts(client), client.fieldLocations().greenhouseId);
}

/** Lists one page of contacts with `client` and judges them at the client's configured locations. */
export async function probeConsentLocation(client: BeameryClient): Promise<DoctorProbe> {
  return consentLocationCheck(await listedContacts(client), client.fieldLocations().consent);
}

/** `contacts`: raw records as listed (no envelope). */
export function greenhouseIdLocationCheck(contacts: readonly Raw[], configured: GreenhouseIdField): DoctorProbe {
  const where = describeLocation(configured, 'integrations.greenhouse.id');
  if (contacts.length === 0) return { status: 'unknown', evidence: `0 listed contacts: nothing shows where the Greenhouse id is kept (configured: ${where})` };
  const carrying = contacts.filter((raw) => atLocation(raw, configured, '')).length;
  const counted = `${carrying} of ${contacts.length} listed contacts carry a Greenhouse id at ${where}`;
  if (carrying > 0) return { status: 'ok', evidence: counted };
  const elsewhere: string[] = [];
  const named = namedCustomFields(contacts, /greenhouse|ats[ _-]?id/i, new Set(configured.kind === 'custom-field' ? [configured.fieldId] : []));
  if (named.size > 0) elsewhere.push(listing(named));
  if (elsewhere.length > 0) return { status: 'fail', evidence: `${counted}, but ${elsewhere.join('; ')} (set BEAMERY_GREENHOUSE_ID_FIELD)` };
  if (configured.kind === 'custom-field') {
    // The reader still takes integrations.greenhouse.id (what the native integration writes): not wrong, but worth a look.
    const inIntegrations = contacts.filter((raw) => atLocation(raw, { kind: 'integrations' }, '')).length;
    if (inIntegrations > 0) return { status: 'unknown', evidence: `${counted}; integrations.greenhouse.id on ${inIntegrations}, which the bridge also reads (new links go to ${where})` };
  }
  return { status: 'unknown', evidence: `${counted}, nor anywhere else the bridge knows of` };
}

/** `contacts`: raw records as listed (no envelope). */
export function consentLocationCheck(contacts: readonly Raw[], consent: ConsentFields): DoctorProbe {
  const { status, date } = consent;
  const statusAt = describeLocation(status, 'consentStatus');
  const dateAt = describeLocation(date, 'lastConsentDate');
  if (contacts.length === 0) return { status: 'unknown', evidence: `0 listed contacts: nothing shows where consent is kept (configured: ${statusAt}, ${dateAt})` };
  const withStatus = contacts.filter((raw) => atLocation(raw, status, 'consentStatus')).length;
  const withDate = contacts.filter((raw) => atLocation(raw, date, 'lastConsentDate')).length;
  const counted = `of ${contacts.length} listed contacts, ${withStatus} carry consent status at ${statusAt} and ${withDate} a consent date at ${dateAt}`;
  if (withStatus + withDate > 0) return { status: 'ok', evidence: counted };
  const elsewhere: string[] = [];
  for (const [location, name] of [[status, 'consentStatus'], [date, 'lastConsentDate']] as const) {
    if (location.kind === 'top-level') continue;
    const topLevel = contacts.filter((raw) => present(raw[name])).length;
    if (topLevel > 0) elsewhere.push(`${name} on ${topLevel}`);
  }
  const configuredIds = [status, date].flatMap((l) => (l.kind === 'custom-field' ? [l.fieldId] : []));
  const named = namedCustomFields(contacts, /consent/i, new Set(configuredIds));
  if (named.size > 0) elsewhere.push(listing(named));
  if (elsewhere.length > 0) return { status: 'fail', evidence: `${counted}, but consent shows at ${elsewhere.join('; ')} (set BEAMERY_CONSENT_STATUS_FIELD / BEAMERY_CONSENT_DATE_FIELD)` };
  return { status: 'unknown', evidence: `${counted}, nor anywhere else the bridge knows of` };
}
