import type { CheckResult } from '#core/doctor/report';
import { BEAMERY_OPERATIONS, operationUrl, type BeameryOperationName } from '../beamery/operations.ts';
import { parseLimit } from '../beamery/wire/rate-limit-headers.ts';
import { statusText, type Probe, type ProbeResult } from './http-probe.ts';

/**
 * The read-only Beamery checks of `bridge doctor`. Beamery's public documentation is thin (most paths
 * are ASSUMED, lambdas/adapters/beamery/operations.ts), so these are the checks that matter most: each
 * asks a guessed route about records a documented route shows to exist, so "404 for everything"
 * reads as a wrong guess, never as "no data".
 */
export interface BeameryTenant {
  /** Ends in `/v1`. */
  readonly baseUrl: string;
  /**
   * Authenticates as the configuration says and tells which auth variants the tenant answers:
   * the `beamery.auth` line and, when it worked, the header for the other checks.
   */
  readonly authenticate: () => Promise<{ readonly check: CheckResult; readonly authorization?: string }>;
  /** Where the configuration reads the Greenhouse id and consent; each answers one check from sample contacts. */
  readonly fieldLocations?: (contacts: readonly Record<string, unknown>[]) => Promise<readonly CheckResult[]>;
}

/** Plausible alternatives of the ASSUMED read paths: named in the evidence when ours 404s and they do not. */
const ALTERNATIVE_PATHS: Partial<Record<BeameryOperationName, string>> = {
  getContact: '/contacts/{id}',
  getVacancy: '/vacancies/{id}',
};

const SAMPLE = 5;

export async function beameryChecks(tenant: BeameryTenant, probe: Probe): Promise<CheckResult[]> {
  const { check: auth, authorization } = await tenant.authenticate();
  const results: CheckResult[] = [auth];
  if (authorization === undefined) return results;
  const get = (url: string) => probe(url, { headers: { authorization } });
  const url = (name: BeameryOperationName, params?: Record<string, string>, query?: Record<string, string | number>) =>
    operationUrl(tenant.baseUrl, name, params, query);

  const listQuery = { updated_at: new Date(0).toISOString(), updated_at_op: 'gte', sort_field: 'createdAt', sort_order: 'asc' };
  const page = await get(url('listContactsUpdatedSince', {}, { ...listQuery, limit: SAMPLE, offset: 0 }));
  const contacts = listed(page, 'contacts');
  results.push(envelopeCheck(page, contacts));
  results.push(rateLimitCheck(page));
  if (contacts !== undefined) {
    results.push(await paginationCheck(contacts, get(url('listContactsUpdatedSince', {}, { ...listQuery, limit: 1, offset: 1 }))));
    results.push(await readPathCheck('getContact', 'beamery.contact-read', ['beamery.contactRead'], liveIds(contacts), tenant.baseUrl, get));
    if (tenant.fieldLocations) results.push(...(await tenant.fieldLocations(contacts)));
  }

  const vacancyPage = await get(url('listVacancies', {}, { limit: SAMPLE, offset: 0 }));
  const vacancies = listed(vacancyPage, 'vacancies');
  if (vacancies === undefined) {
    results.push({ id: 'beamery.vacancies', status: 'fail', evidence: `GET /vacancies → ${statusText(vacancyPage)}${vacancyPage.status === 200 ? ' without a vacancies list' : ''}` });
  } else {
    results.push({ id: 'beamery.vacancies', status: 'ok', evidence: `GET /vacancies → 200, ${vacancies.length} listed` });
    // The ASSUMED create and update routes share the read route's family: a wrong read path convicts them too.
    results.push(await readPathCheck('getVacancy', 'beamery.vacancy-read', ['beamery.vacancyRead', 'beamery.vacancyCreate', 'beamery.vacancyUpdate'], idsOf(vacancies), tenant.baseUrl, get));
  }

  const users = await get(url('listUsers', {}, { limit: 1, offset: 0 }));
  results.push(
    users.status === 200
      ? { id: 'beamery.users', status: 'ok', evidence: 'GET /users → 200' }
      : { id: 'beamery.users', status: 'fail', evidence: `GET /users → ${statusText(users)}: Greenhouse users cannot be matched to Beamery owners` },
  );
  return results;
}

function listed(result: ProbeResult, key: string): Record<string, unknown>[] | undefined {
  if (result.status !== 200) return undefined;
  const body = result.body;
  const list = Array.isArray(body) ? body : body && typeof body === 'object' ? (body as Record<string, unknown>)[key] ?? (body as Record<string, unknown>)['data'] : undefined;
  return Array.isArray(list) ? list.filter((item): item is Record<string, unknown> => Boolean(item) && typeof item === 'object') : undefined;
}

function envelopeCheck(result: ProbeResult, contacts: Record<string, unknown>[] | undefined): CheckResult {
  const id = 'beamery.contacts.list';
  if (contacts === undefined) {
    return { id, status: 'fail', evidence: `GET /contacts?updated_at=…&updated_at_op=gte → ${statusText(result)}${result.status === 200 ? ', no contacts list in the body' : ''}` };
  }
  const body = result.body as Record<string, unknown>;
  const envelope = Array.isArray(result.body)
    ? 'a bare array'
    : 'pagination' in body
      ? 'the documented envelope {success, contacts, pagination}'
      : 'total_count' in body || 'last_batch' in body
        ? 'the envelope real client code reads {contacts, total_count, last_batch}'
        : `an envelope with keys ${Object.keys(body).slice(0, 5).join(', ')}`;
  return { id, status: 'ok', evidence: `200, ${contacts.length} contact(s) in ${envelope}` };
}

async function paginationCheck(first: Record<string, unknown>[], second: Promise<ProbeResult>): Promise<CheckResult> {
  const id = 'beamery.pagination';
  if (first.length < 2) return { id, status: 'unknown', evidence: 'fewer than two contacts to page through' };
  const result = await second;
  const next = listed(result, 'contacts');
  if (next === undefined) return { id, status: 'fail', evidence: `offset=1&limit=1 → ${statusText(result)}` };
  return next[0]?.['id'] === first[1]?.['id']
    ? { id, status: 'ok', evidence: 'offset/limit: offset=1&limit=1 gives the second contact' }
    : { id, status: 'fail', evidence: 'offset=1&limit=1 does not give the second contact of offset=0: offsets are not honoured as the bridge pages' };
}

function rateLimitCheck(result: ProbeResult): CheckResult {
  const id = 'beamery.rate-limit';
  const raw = result.headers.get('x-ratelimit-limit') ?? result.headers.get('ratelimit-limit');
  if (raw === null) return { id, status: 'unknown', evidence: 'no x-ratelimit-limit header: the bridge keeps its assumed 40 requests a second' };
  const limit = parseLimit(raw);
  return limit === undefined
    ? { id, status: 'fail', evidence: `x-ratelimit-limit unreadable: ${raw.slice(0, 40)}` }
    : { id, status: 'ok', evidence: `x-ratelimit-limit ${raw}, remaining ${result.headers.get('x-ratelimit-remaining') ?? '(absent)'}` };
}

/**
 * The ASSUMED read route, asked about records the documented listing holds: one 200 proves it; 404s
 * for all of them convict it (naming the alternative if that one answers).
 */
async function readPathCheck(
  operation: 'getContact' | 'getVacancy',
  id: string,
  capabilities: readonly string[],
  ids: readonly string[],
  baseUrl: string,
  get: (url: string) => Promise<ProbeResult>,
): Promise<CheckResult> {
  const path = BEAMERY_OPERATIONS[operation].path;
  if (ids.length === 0) return { id, status: 'unknown', evidence: `nothing listed to read through GET ${path}` };
  const statuses: string[] = [];
  for (const recordId of ids.slice(0, 3)) {
    const result = await get(operationUrl(baseUrl, operation, { id: recordId }));
    if (result.status === 200) return { id, status: 'ok', evidence: `GET ${path} → 200 for a listed record` };
    statuses.push(statusText(result));
    if (result.status !== 404) break;
  }
  if (statuses.some((s) => s !== '404')) return { id, status: 'unknown', evidence: `GET ${path} → ${statuses.join(', ')}` };
  const alternative = ALTERNATIVE_PATHS[operation];
  let hint = '';
  if (alternative) {
    const other = await get(`${baseUrl.replace(/\/+$/, '')}${alternative.replace('{id}', encodeURIComponent(ids[0]!))}`);
    if (other.status === 200) hint = `; GET ${alternative} answers 200: the tenant uses that path`;
  }
  return { id, status: 'fail', evidence: `GET ${path} → 404 for ${statuses.length} record(s) the listing holds: the route is wrong${hint}`, capabilities };
}

function liveIds(contacts: readonly Record<string, unknown>[]): string[] {
  // Merged-away or anonymized contacts may 404 on a working path.
  return idsOf(contacts.filter((c) => !c['mergedIn'] && !c['archivedAt']));
}

function idsOf(records: readonly Record<string, unknown>[]): string[] {
  return records.map((r) => r['id']).filter((v): v is string => typeof v === 'string' && v !== '');
}
