import type { Clock } from '#core/clock';
import type { CheckResult } from '#core/doctor/report';
import { describeError } from '#adapters/queue/message-outcome';
import { greenhouseErrorDetail } from '../greenhouse/error-bodies.ts';
import { parseNextLink } from '../greenhouse/link-header.ts';
import { pipeWindow } from '#core/greenhouse/time-window';
import { RESOURCE_SCHEMAS, type ResourceName } from '#core/greenhouse/records';
import { TokenSource, type ClientCredentials } from '../greenhouse/token-cache.ts';
import { statusText, type Probe, type ProbeResult } from './http-probe.ts';

/**
 * The read-only Greenhouse checks of `bridge doctor`: everything the bridge relies on that a tenant
 * could answer differently from our simulator, asked the way the bridge asks it. Each returns one
 * line with its evidence; none writes.
 */
export interface GreenhouseTenant {
  readonly baseUrl: string;
  readonly tokenUrl: string;
  readonly credentials: () => Promise<ClientCredentials>;
  readonly actingUserId?: number | undefined;
  /** The custom fields the configuration names (consent, the AI score), with the types the bridge writes. */
  readonly fields: readonly ExpectedField[];
}

export interface ExpectedField {
  readonly nameKey: string;
  readonly fieldType: 'candidate' | 'application';
  /** `value_type`s the bridge can write its value into. */
  readonly valueTypes: readonly string[];
  /** What the configuration uses it for, for the evidence. */
  readonly purpose: string;
}

/** Every list the bridge reads; the ones Greenhouse lists only per job get a job id. */
const PER_JOB: ReadonlySet<ResourceName> = new Set(['job_interview_stages', 'job_owners', 'job_hiring_managers']);

export async function greenhouseChecks(tenant: GreenhouseTenant, probe: Probe, clock: Clock): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const token = await mintToken(tenant, clock, results);
  if (token === undefined) return results;
  const get = (path: string) => probe(new URL(path, tenant.baseUrl).toString(), { headers: { authorization: `Bearer ${token}` } });

  results.push(await actingUser(tenant, probe, clock));

  const firsts = new Map<ResourceName, ProbeResult>();
  const candidates = await get('/v3/candidates?per_page=1');
  firsts.set('candidates', candidates);
  const jobs = await get('/v3/jobs?per_page=1');
  firsts.set('jobs', jobs);
  const jobId = firstRecord(jobs)?.['id'];
  for (const resource of Object.keys(RESOURCE_SCHEMAS) as ResourceName[]) {
    let result = firsts.get(resource);
    if (!result) {
      const filter = PER_JOB.has(resource) ? (typeof jobId === 'number' ? `&job_ids=${jobId}` : undefined) : '';
      if (filter === undefined) {
        results.push({ id: `greenhouse.list.${resource}`, status: 'unknown', evidence: 'listed per job, and the tenant has no job to list it for' });
        continue;
      }
      result = await get(`/v3/${resource}?per_page=1${filter}`);
    }
    results.push(listCheck(resource, result));
  }
  results.push(await rejectionDetails(get));
  results.push(await offerFilters(get));
  results.push(await pagination(candidates, tenant.baseUrl, get));
  results.push(await idsFilter(candidates, get));
  results.push(await windowFilter(get, clock));
  results.push(rateLimitHeaders(candidates));
  results.push(...(await customFields(tenant.fields, get)));
  return results;
}

async function mintToken(tenant: GreenhouseTenant, clock: Clock, results: CheckResult[]): Promise<string | undefined> {
  try {
    const minted = await tokenSource(tenant, clock, tenant.actingUserId).current();
    const as = tenant.actingUserId === undefined ? '' : `, acting as user ${tenant.actingUserId} (sub)`;
    const basic = minted.basicAuth === 'raw' ? 'id and secret sent raw' : 'id and secret accepted only form-urlencoded';
    const scopes = minted.scopes ? `scopes: ${minted.scopes.length} granted` : 'the reply names no scopes (403s below show any missing one)';
    results.push({ id: 'greenhouse.token', status: 'ok', evidence: `POST ${new URL(tenant.tokenUrl).pathname}, Basic auth (${basic}): token minted${as}; ${scopes}` });
    return minted.accessToken;
  } catch (error) {
    results.push({ id: 'greenhouse.token', status: 'fail', evidence: `${describeError(error)}: no other Greenhouse check can run`, capabilities: ['greenhouse.auth'] });
    return undefined;
  }
}

function tokenSource(tenant: GreenhouseTenant, clock: Clock, sub: number | undefined): TokenSource {
  return new TokenSource({ tokenUrl: tenant.tokenUrl, credentials: tenant.credentials, clock, ...(sub !== undefined ? { sub } : {}) });
}

/** A token as the bridge mints it (the shared token cache), acting as `sub` when given. */
export function greenhouseTokenFor(tenant: GreenhouseTenant, clock: Clock, sub: number | undefined): Promise<string> {
  return tokenSource(tenant, clock, sub).get();
}

/**
 * Every list needs a Site Admin acting user [M], so the configured `sub` is looked up with the
 * credential's own user (a token without `sub`): with its own token a missing user would only read as
 * 403 everywhere.
 */
async function actingUser(tenant: GreenhouseTenant, probe: Probe, clock: Clock): Promise<CheckResult> {
  const id = 'greenhouse.acting-user';
  if (tenant.actingUserId === undefined) {
    return { id, status: 'ok', evidence: "none configured: calls act as the credential's integration user" };
  }
  const userId = tenant.actingUserId;
  let token: string;
  try {
    token = await greenhouseTokenFor(tenant, clock, undefined);
  } catch (error) {
    return { id, status: 'unknown', evidence: `no token without sub to look the user up: ${describeError(error)}` };
  }
  const result = await probe(new URL(`/v3/users?ids=${userId}&show_service_accounts=true`, tenant.baseUrl).toString(), { headers: { authorization: `Bearer ${token}` } });
  if (result.status !== 200 || !Array.isArray(result.body)) return { id, status: 'unknown', evidence: `GET /v3/users?ids=${userId} → ${statusText(result)}${detail(result)}` };
  const user = result.body[0] as { site_admin?: boolean | null; deactivated?: boolean | null; disabled?: boolean | null } | undefined;
  if (!user) return { id, status: 'fail', evidence: `user ${userId} does not exist: every call acting as it is refused` };
  if (user.deactivated || user.disabled) return { id, status: 'fail', evidence: `user ${userId} is deactivated` };
  if (user.site_admin === false) return { id, status: 'fail', evidence: `user ${userId} is not a Site Admin: v3 lists answer 403 to it` };
  return { id, status: 'ok', evidence: `user ${userId} is an active Site Admin` };
}

/**
 * Lists only an optional workflow reads: a tenant without them (no endpoint, or no scope) is told
 * what it cannot use, and the sync's own checks still pass.
 */
const OFFER_CHECKS = 'offer checks and approval requests read them; the sync does not need them';
const PIPELINE = 'pipeline analytics reads them; the sync does not need them';
const OPTIONAL_LISTS: Partial<Record<ResourceName, string>> = {
  job_notes: 'candidate rediscovery and job-description drafts write their notes there; the sync does not need them',
  offers: OFFER_CHECKS,
  approval_flows: OFFER_CHECKS,
  approver_groups: OFFER_CHECKS,
  approvers: OFFER_CHECKS,
  openings: "offer checks read an opening's target start date; the sync does not need them",
  application_stages: PIPELINE,
};

function listCheck(resource: ResourceName, result: ProbeResult): CheckResult {
  const id = `greenhouse.list.${resource}`;
  const optional = OPTIONAL_LISTS[resource];
  if (optional && (result.status === 403 || result.status === 404)) {
    return { id, status: 'unknown', evidence: `GET /v3/${resource} → ${statusText(result)}${scopeHint(result)}: ${optional}` };
  }
  if (result.status !== 200) {
    const scope = scopeHint(result);
    const why = result.status === 403 ? (scope ? `: the credential lacks this endpoint's scope${scope}` : detail(result)) : result.status === 404 ? ': no such endpoint' : '';
    return { id, status: 'fail', evidence: `GET /v3/${resource} → ${statusText(result)}${why}` };
  }
  if (!Array.isArray(result.body)) return { id, status: 'fail', evidence: `GET /v3/${resource} → 200 but ${envelopeOf(result.body)}, not the bare array the bridge reads` };
  const first = result.body[0] as unknown;
  if (first === undefined) return { id, status: 'ok', evidence: `200, empty array (shape not checked: no record)` };
  const parsed = RESOURCE_SCHEMAS[resource].safeParse(first);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`))].slice(0, 3).join('; ');
    return { id, status: 'fail', evidence: `200, but a record does not have the shape the bridge reads (${fields})` };
  }
  return { id, status: 'ok', evidence: `200, array, record shape as expected` };
}

async function rejectionDetails(get: (path: string) => Promise<ProbeResult>): Promise<CheckResult> {
  const id = 'greenhouse.rejection-details';
  const details = await get('/v3/rejection_details?per_page=1');
  if (details.status !== 200 || !Array.isArray(details.body)) {
    return { id, status: 'fail', evidence: `GET /v3/rejection_details → ${statusText(details)}${scopeHint(details)}: rejection reasons cannot be read` };
  }
  // Tells the two readings apart: the reason on the application, or only on its rejection details.
  const rejected = await get('/v3/applications?status=rejected&per_page=1');
  const application = firstRecord(rejected);
  const where =
    application === undefined
      ? 'no rejected application to compare with'
      : 'rejection_reason_id' in application
        ? 'applications also carry rejection_reason_id'
        : 'applications carry no rejection_reason_id: reasons come from rejection_details only';
  return { id, status: 'ok', evidence: `200, ${details.body.length === 0 ? 'empty' : 'array'}; ${where}` };
}

/**
 * The two filters offer checks send: the current version of an application's offer, and the offer's own
 * approval flow. A 403 or 404 is `unknown` (the list checks above say which), never "no offers"; a 422
 * means the tenant refuses the filter, and offer checks would read every version or every flow.
 */
async function offerFilters(get: (path: string) => Promise<ProbeResult>): Promise<CheckResult> {
  const id = 'greenhouse.filter.offers';
  const asked = ['/v3/offers?per_page=1&current_only=true', '/v3/approval_flows?per_page=1&approval_type=offer_candidate'];
  const answers = await Promise.all(asked.map((path) => get(path)));
  const refused = answers.findIndex((r) => r.status === 403 || r.status === 404);
  if (refused >= 0) {
    const r = answers[refused]!;
    return { id, status: 'unknown', evidence: `GET ${asked[refused]} → ${statusText(r)}${scopeHint(r)}: offer checks and approval requests cannot run (not read as "no offers")` };
  }
  const failed = answers.findIndex((r) => r.status !== 200 || !Array.isArray(r.body));
  if (failed >= 0) return { id, status: 'fail', evidence: `GET ${asked[failed]} → ${statusText(answers[failed]!)}${detail(answers[failed]!)}: the filter offer checks send is refused` };
  return { id, status: 'ok', evidence: 'current_only=true on offers and approval_type=offer_candidate on approval flows → 200, arrays' };
}

async function pagination(first: ProbeResult, baseUrl: string, get: (path: string) => Promise<ProbeResult>): Promise<CheckResult> {
  const id = 'greenhouse.pagination';
  if (first.status !== 200 || !Array.isArray(first.body)) return { id, status: 'unknown', evidence: 'candidates could not be listed' };
  const link = first.headers.get('link');
  const next = parseNextLink(link);
  if (next === undefined) {
    return first.body.length === 0
      ? { id, status: 'unknown', evidence: 'no candidate to page through' }
      : { id, status: link ? 'fail' : 'unknown', evidence: link ? `Link header without rel="next": ${link.slice(0, 120)}` : 'per_page=1 gave no Link header (one candidate only, or no cursor pagination)' };
  }
  const nextUrl = new URL(next, baseUrl);
  if (nextUrl.origin !== new URL(baseUrl).origin) return { id, status: 'fail', evidence: `rel="next" points at another host (${nextUrl.host}); the bridge refuses to send its token there` };
  const second = await get(`${nextUrl.pathname}${nextUrl.search}`);
  const a = firstRecord(first)?.['id'];
  const b = firstRecord(second)?.['id'];
  if (second.status !== 200 || b === undefined || a === b) return { id, status: 'fail', evidence: `following rel="next" → ${statusText(second)}${a === b ? ', the same record again' : ''}` };
  return { id, status: 'ok', evidence: `bare arrays; Link rel="next" (${cursorShape(nextUrl)}) gives the next record` };
}

async function idsFilter(first: ProbeResult, get: (path: string) => Promise<ProbeResult>): Promise<CheckResult> {
  const id = 'greenhouse.filter.ids';
  const wanted = firstRecord(first)?.['id'];
  if (typeof wanted !== 'number') return { id, status: 'unknown', evidence: 'no candidate to look up' };
  const result = await get(`/v3/candidates?ids=${wanted}`);
  const ids = Array.isArray(result.body) ? (result.body as { id?: unknown }[]).map((r) => r.id) : undefined;
  if (result.status !== 200 || ids === undefined) return { id, status: 'fail', evidence: `GET /v3/candidates?ids=${wanted} → ${statusText(result)}` };
  return ids.length === 1 && ids[0] === wanted
    ? { id, status: 'ok', evidence: `ids=${wanted} → exactly that candidate` }
    : { id, status: 'fail', evidence: `ids=${wanted} → ${ids.length} records${ids.length > 0 ? ' (the filter is ignored)' : ''}` };
}

async function windowFilter(get: (path: string) => Promise<ProbeResult>, clock: Clock): Promise<CheckResult> {
  const id = 'greenhouse.filter.updated_at';
  const window = pipeWindow({ gte: clock.now() - 7 * 86_400_000, lte: clock.now() + 60_000 });
  const path = `/v3/candidates?per_page=1&updated_at=${encodeURIComponent(window)}`;
  const result = await get(path);
  if (result.status === 200 && Array.isArray(result.body)) return { id, status: 'ok', evidence: `updated_at=gte|…|lte|… (two-sided pipe window) → 200` };
  return { id, status: 'fail', evidence: `GET /v3/candidates?updated_at=gte|…|lte|… → ${statusText(result)}${detail(result)}: the pollers' window filter is refused` };
}

function rateLimitHeaders(result: ProbeResult): CheckResult {
  const id = 'greenhouse.rate-limit';
  const limit = result.headers.get('x-ratelimit-limit');
  const remaining = result.headers.get('x-ratelimit-remaining');
  const reset = result.headers.get('x-ratelimit-reset');
  if (limit === null) return { id, status: 'unknown', evidence: 'no X-RateLimit-Limit header: the bridge keeps its assumed 50 requests per 30 s' };
  if (!/^\d+$/.test(limit.trim())) return { id, status: 'fail', evidence: `X-RateLimit-Limit is not a number: ${limit.slice(0, 40)}` };
  return { id, status: 'ok', evidence: `X-RateLimit-Limit ${limit}, Remaining ${remaining ?? '(absent)'}, Reset ${reset ?? '(absent)'}` };
}

async function customFields(fields: readonly ExpectedField[], get: (path: string) => Promise<ProbeResult>): Promise<CheckResult[]> {
  if (fields.length === 0) return [{ id: 'greenhouse.custom-fields', status: 'ok', evidence: 'the configuration names no custom field' }];
  const out: CheckResult[] = [];
  for (const field of fields) {
    const id = `greenhouse.custom-field.${field.nameKey}`;
    const result = await get(`/v3/custom_fields?name_key=${encodeURIComponent(field.nameKey)}&field_type=${field.fieldType}`);
    if (result.status !== 200 || !Array.isArray(result.body)) {
      out.push({ id, status: 'fail', evidence: `GET /v3/custom_fields?name_key=… → ${statusText(result)}${scopeHint(result)}` });
      continue;
    }
    const found = (result.body as { name_key?: string; field_type?: string; value_type?: string; active?: boolean }[]).find(
      (f) => f.name_key === field.nameKey && f.field_type === field.fieldType,
    );
    if (!found) out.push({ id, status: 'fail', evidence: `no ${field.fieldType} custom field with name_key ${field.nameKey} (${field.purpose})` });
    else if (found.active === false) out.push({ id, status: 'fail', evidence: `${field.fieldType} field ${field.nameKey} is inactive (${field.purpose})` });
    else if (!field.valueTypes.includes(found.value_type ?? '')) {
      out.push({ id, status: 'fail', evidence: `${field.fieldType} field ${field.nameKey} is ${found.value_type}; ${field.purpose} needs ${field.valueTypes.join(' or ')}` });
    } else out.push({ id, status: 'ok', evidence: `${field.fieldType} field, value_type ${found.value_type} (${field.purpose})` });
  }
  return out;
}

function firstRecord(result: ProbeResult): Record<string, unknown> | undefined {
  return result.status === 200 && Array.isArray(result.body) && result.body[0] && typeof result.body[0] === 'object' ? (result.body[0] as Record<string, unknown>) : undefined;
}

function envelopeOf(body: unknown): string {
  if (body && typeof body === 'object') return `an object with keys ${Object.keys(body).slice(0, 5).join(', ')}`;
  return typeof body;
}

function cursorShape(url: URL): string {
  return [...url.searchParams.keys()].join(', ') || 'no query';
}

function scopeHint(result: ProbeResult): string {
  const { missingScope } = greenhouseErrorDetail(result.status, result.body);
  return missingScope ? ` (missing scope ${missingScope})` : '';
}

function detail(result: ProbeResult): string {
  const { messages } = greenhouseErrorDetail(result.status, result.body);
  return messages.length > 0 ? ` (${messages.slice(0, 2).join('; ')})` : '';
}

