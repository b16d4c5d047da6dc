import * as z from '#core/zod-mini';
import { systemClock } from '#adapters/system-clock';
import type { Clock } from '#core/clock';
import { DEFAULT_LIVE_SHARE, type BudgetPolicy } from '#core/rate/budget';
import { ApiClient, operationOf, type RetryPolicy } from '#adapters/http/api-client';
import { NotFound, ServerError, ValidationFailed } from '#core/api-errors';
import type { RateBudget } from '#adapters/http/rate-budget';
import type { TraceSpans } from '#core/ports/trace-spans';
import { DEFAULT_BEAMERY_AUTH, loginOf, mintRequest, type BeameryAuthVariant } from './auth.ts';
import { Capabilities, type CapabilitySetting } from './capabilities.ts';
import { ContactReadCheck } from './contact-read-check.ts';
import { BeameryResponseInvalid, CapabilityBroken } from './errors.ts';
import type { BeameryCapability } from '#core/ports/beamery-api';
import { BEAMERY_OPERATIONS, operationUrl, type BeameryOperationName } from './operations.ts';
import { authorizationHeader, dropRejectedToken } from './token-cache.ts';
import { UNSUPPORTED, type Unsupportable } from '#core/beamery/records';
import { BEAMERY_BASE_URLS, type BeameryApiCredentials, type BeameryRegion } from './connection.ts';
import { parseToken } from './wire/activity.ts';
import { contactParseOptions, DEFAULT_CONSENT_FIELDS, type ConsentFields } from './field-locations.ts';
import { DEFAULT_PROFILE_TAGS_FIELD, type ContactParseOptions } from './wire/contact.ts';
import { beameryErrorDetail } from './wire/error-body.ts';
import { DEFAULT_GREENHOUSE_ID_FIELD, type GreenhouseIdField } from './wire/greenhouse-id.ts';
import { readBeameryRateLimit } from './wire/rate-limit-headers.ts';
import { DEFAULT_VACANCY_FIELD_NAMES, type VacancyFieldNames } from './wire/vacancy.ts';
import { issuesOf, WireShapeError } from './wire/values.ts';

/**
 * The Beamery side of the shared HTTP layer: URLs from the operations table, bearer tokens from the
 * module-scope cache, Beamery's rate-limit headers and error bodies for the shared ApiClient, response
 * shape failures as BeameryResponseInvalid, and the capability gate for the evidence-less features.
 * Retries, the rate budget and the typed errors themselves are the shared layer's.
 */

export interface BeameryClientOptions {
  /** One of the three public hosts (HIGH); or give `baseUrl`. */
  readonly region?: BeameryRegion;
  /** Overrides `region`: the simulator, or a host Beamery names for the tenant. Ends in `/v1`. */
  readonly baseUrl?: string;
  /** Read when the first token is minted and again after a 401 (so a rotated secret is picked up). */
  readonly credentials: () => Promise<BeameryApiCredentials>;
  /** How tokens are minted: `oauth` (default, `POST /oauth/token`) or `basic` (`GET /auth`); see auth.ts. */
  readonly auth?: BeameryAuthVariant;
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
  /** The tenant's shared budget (SharedRateBudget with BEAMERY_BUDGET_POLICY); none = no pacing. */
  readonly budget?: RateBudget;
  /** Per evidence-less feature: `true`, `false` or `'probe'` (default). See capabilities.ts. */
  readonly capabilities?: Partial<Record<BeameryCapability, CapabilitySetting>>;
  /** Where the Greenhouse candidate id is written on a contact (default: `integrations.greenhouse.id`). */
  readonly greenhouseIdField?: GreenhouseIdField;
  /** Where consent status and date are read (default: top-level `consentStatus`, `lastConsentDate`). */
  readonly consentFields?: ConsentFields;
  /** Where the seed's vacancy fields without a public API name are written (default: the seed's names). */
  readonly vacancyFields?: VacancyFieldNames;
  /** The contact field of the seed's profile tags (default `tags`, ASSUMED; see wire/contact.ts). */
  readonly profileTagsField?: string;
  /**
   * The capabilities the last `bridge doctor` run found broken (doctor-store.ts), with its evidence:
   * an operation that needs one fails at once with CapabilityBroken instead of guessing past it.
   */
  readonly doctorFindings?: () => Promise<ReadonlyMap<string, string>>;
  /** Each request (token mints included) traced as a `Beamery` span; none by default. */
  readonly spans?: TraceSpans;
  readonly retry?: Partial<RetryPolicy>;
  readonly timeoutMs?: number;
  /** Page size for list calls; Beamery's maximum is 100 (S2). */
  readonly pageSize?: number;
}

/**
 * 40 requests a second per tenant (HIGH). `x-ratelimit-reset` has whole-second precision ("static",
 * S1), so our one-second windows cannot be aligned with Beamery's: the budget paces its allowance
 * evenly through each second, which keeps any one-second stretch (wherever Beamery's window starts)
 * near the allowance. 7.5% is left for requests in flight and the tenant's other API users: measured
 * with `npm run bench`, eight workers reach 0.91 of the limit with at most one 429 per second each.
 */
export const BEAMERY_BUDGET_POLICY: BudgetPolicy = { windowMs: 1_000, initialLimit: 40, safetyMargin: 0.075, pacing: 'even', liveShare: DEFAULT_LIVE_SHARE };

export const BEAMERY_MAX_PAGE_SIZE = 100;

/** The ASSUMED routes `bridge doctor` checks, by the capability its report names (lambdas/adapters/doctor/beamery-checks.ts). */
const DOCTOR_CAPABILITIES: Partial<Record<BeameryOperationName, string>> = {
  getContact: 'beamery.contactRead',
  getVacancy: 'beamery.vacancyRead',
  createVacancy: 'beamery.vacancyCreate',
  updateVacancy: 'beamery.vacancyUpdate',
};

export interface CallSpec<T> {
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly json?: unknown;
  readonly parse: (body: unknown) => T;
  readonly verifyWrite?: () => Promise<T | undefined>;
}

export class BeameryTransport {
  readonly baseUrl: string;
  readonly clock: Clock;
  readonly capabilities: Capabilities;
  readonly contactRead = new ContactReadCheck();
  readonly greenhouseIdField: GreenhouseIdField;
  readonly consentFields: ConsentFields;
  readonly vacancyFields: VacancyFieldNames;
  readonly profileTagsField: string;
  readonly auth: BeameryAuthVariant;
  readonly contactParsing: ContactParseOptions;
  readonly pageSize: number;
  private readonly api: ApiClient;
  private readonly tokenApi: ApiClient;
  private credentialsRead: Promise<BeameryApiCredentials> | undefined;

  constructor(private readonly options: BeameryClientOptions) {
    const baseUrl = options.baseUrl ?? (options.region ? BEAMERY_BASE_URLS[options.region] : undefined);
    if (!baseUrl) throw new Error('beamery client: give a region or a baseUrl');
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.clock = options.clock ?? systemClock;
    this.capabilities = new Capabilities(options.capabilities);
    this.greenhouseIdField = options.greenhouseIdField ?? DEFAULT_GREENHOUSE_ID_FIELD;
    this.consentFields = options.consentFields ?? DEFAULT_CONSENT_FIELDS;
    this.vacancyFields = options.vacancyFields ?? DEFAULT_VACANCY_FIELD_NAMES;
    this.auth = options.auth ?? DEFAULT_BEAMERY_AUTH;
    this.profileTagsField = options.profileTagsField ?? DEFAULT_PROFILE_TAGS_FIELD;
    this.contactParsing = { ...contactParseOptions(this.greenhouseIdField, this.consentFields), profileTagsField: this.profileTagsField };
    this.pageSize = Math.min(BEAMERY_MAX_PAGE_SIZE, Math.max(1, options.pageSize ?? BEAMERY_MAX_PAGE_SIZE));
    const baseFetch = options.fetch ?? globalThis.fetch;
    const common = { system: 'beamery' as const, readRateLimit: readBeameryRateLimit, errorDetail: beameryErrorDetail, clock: this.clock, retry: options.retry, timeoutMs: options.timeoutMs, spans: options.spans };

    this.api = new ApiClient({
      ...common,
      authorize: () => this.authorize(),
      onUnauthorized: (refused) => {
        if (refused) dropRejectedToken(refused);
        this.credentialsRead = undefined;
      },
      budget: options.budget,
      fetch: baseFetch,
    });
    // The token endpoint has its own limit (30/s) and must not spend or skew the tenant's 40/s budget;
    // it takes no Authorization header, so a 401 there is final.
    this.tokenApi = new ApiClient({ ...common, fetch: baseFetch });
  }

  async call<T>(name: BeameryOperationName, spec: CallSpec<T>): Promise<T> {
    const { method } = BEAMERY_OPERATIONS[name];
    await this.refuseIfDoctorFoundBroken(name);
    const url = operationUrl(this.baseUrl, name, spec.params, spec.query);
    const operation = operationOf(method, url);
    const response = await this.api.request({
      method,
      url,
      json: spec.json,
      parse: (body) => parseFor(operation, spec.parse, body),
      verifyWrite: spec.verifyWrite,
    });
    return response.body;
  }

  private async refuseIfDoctorFoundBroken(name: BeameryOperationName): Promise<void> {
    if (!this.options.doctorFindings) return;
    const findings = await this.options.doctorFindings();
    if (findings.size === 0) return;
    for (const capability of ['beamery.auth', DOCTOR_CAPABILITIES[name]]) {
      const evidence = capability === undefined ? undefined : findings.get(capability);
      if (evidence === undefined) continue;
      const { method, path } = BEAMERY_OPERATIONS[name];
      throw new CapabilityBroken(`${method} ${path}`, capability!.replace(/^beamery\./, ''), `${evidence} (run bridge doctor again once it is fixed)`);
    }
  }

  /**
   * Runs an operation of an evidence-less feature. Known missing: answers 'unsupported' without a
   * call. Not yet known: a 404/405/501 while `recordsExist()` says the records named in the call are
   * there means the route is missing; the feature is marked unsupported and not called again.
   */
  async gated<T>(capability: BeameryCapability, run: () => Promise<T>, recordsExist: () => Promise<boolean>): Promise<Unsupportable<T>> {
    if (this.capabilities.status(capability) === 'unsupported') return UNSUPPORTED;
    try {
      const result = await run();
      this.capabilities.learn(capability, true);
      return result;
    } catch (error) {
      if (!this.capabilities.mayBeMissing(capability) || !routeMayBeMissing(error)) throw error;
      if (!(await recordsExist())) throw error;
      this.capabilities.learn(capability, false);
      return UNSUPPORTED;
    }
  }

  private async authorize(): Promise<string> {
    const credentials = await this.credentials();
    return authorizationHeader(`${this.baseUrl}|${this.auth}|${loginOf(credentials)}`, () => this.mintToken(credentials), this.clock);
  }

  private credentials(): Promise<BeameryApiCredentials> {
    if (!this.credentialsRead) {
      const read = this.options.credentials();
      read.catch(() => {
        if (this.credentialsRead === read) this.credentialsRead = undefined;
      });
      this.credentialsRead = read;
    }
    return this.credentialsRead;
  }

  /**
   * The configured login (auth.ts). A 404 or 405 there means the tenant does not serve this variant:
   * CapabilityBroken naming the setting, so no caller reads it as a missing record.
   */
  private async mintToken(credentials: BeameryApiCredentials) {
    const request = mintRequest(this.auth, this.baseUrl, credentials);
    try {
      const response = await this.tokenApi.request({
        method: request.method,
        url: request.url,
        headers: request.headers,
        json: request.json,
        parse: (body) => parseFor(request.operation, parseToken, body),
        // Minting twice is harmless (the spare token simply expires), so an ambiguous failure is retried.
        verifyWrite: async () => undefined,
      });
      return response.body;
    } catch (error) {
      if (!routeMayBeMissing(error)) throw error;
      const other = this.auth === 'oauth' ? 'basic' : 'oauth';
      throw new CapabilityBroken(request.operation, 'auth', `the ${this.auth} login answers ${(error as { status?: number }).status}; if the tenant logs in the ${other} way, set BEAMERY_AUTH=${other} (bridge doctor tries both)`);
    }
  }
}

function parseFor<T>(operation: string, parse: (body: unknown) => T, body: unknown): T {
  try {
    return parse(body);
  } catch (error) {
    if (error instanceof WireShapeError) throw new BeameryResponseInvalid(operation, error.issues);
    if (error instanceof z.$ZodError) throw new BeameryResponseInvalid(operation, issuesOf(error));
    throw error;
  }
}

function routeMayBeMissing(error: unknown): boolean {
  return (
    error instanceof NotFound ||
    (error instanceof ValidationFailed && error.status === 405) ||
    (error instanceof ServerError && error.status === 501)
  );
}
