import * as z from '#core/zod-mini';
import { systemClock } from '#adapters/system-clock';
import type { Clock } from '#core/clock';
import { collect } from '#core/async-iterables';
import { DEFAULT_LIVE_SHARE, type BudgetPolicy } from '#core/rate/budget';
import { ApiClient, operationOf, type ApiRequest, type ApiResponse, type HttpMethod, type RetryPolicy } from '../http/api-client.ts';
import { ApiError, Forbidden, NetworkError, NotFound, ServerError, Unauthorized, Unsupported, ValidationFailed, WriteOutcomeUnknown } from '#core/api-errors';
import type { RateBudget } from '../http/rate-budget.ts';
import type { TraceSpans } from '#core/ports/trace-spans';
import {
  addToCollection,
  currentCollection,
  removeFromCollection,
  sameTagName,
  type CollectionField,
  type CollectionItem,
} from '#core/greenhouse/collections';
import type {
  ApplicationQuery,
  ApplicationStageQuery,
  ApprovalFlowQuery,
  ApprovalRequest,
  ApproverStatus,
  AttachmentUpload,
  CandidateCreate,
  CandidateQuery,
  CandidateWrite,
  CustomFieldWrite,
  DownloadedFile,
  GreenhouseApi,
  InterviewQuery,
  JobNoteCreate,
  JobNoteQuery,
  JobPostWrite,
  JobQuery,
  ListQuery,
  NoteCreate,
  OfferQuery,
  OpeningQuery,
} from '#core/ports/greenhouse-api';
import { greenhouseErrorDetail } from './error-bodies.ts';
import { ActionNotConfirmed, ForeignNextLink, UnexpectedResponse } from './errors.ts';
import { parseNextLink } from './link-header.ts';
import { batchQueries, listUrl, MAX_PER_PAGE } from './query.ts';
import { pipeWindow } from '#core/greenhouse/time-window';
import { readGreenhouseRateLimit } from './rate-limit-headers.ts';
import {
  appliedCandidateTagSchema,
  applicationSchema,
  approvalRequestReplySchema,
  attachmentSchema,
  candidateSchema,
  candidateTagSchema,
  jobNoteSchema,
  noteSchema,
  RESOURCE_SCHEMAS,
  type AppliedCandidateTag,
  type Application,
  type ApprovalFlow,
  type Attachment,
  type Candidate,
  type CandidateTag,
  type JobNote,
  type JobPost,
  type Note,
  type ResourceName,
  type ResourceOf,
} from '#core/greenhouse/records';
import { TokenSource, type ClientCredentials } from './token-cache.ts';
import {
  completeCustomFieldSet,
  encodeCustomFieldWrites,
  fieldDefinitions,
  type FieldDefinitions,
  type WritableFieldType,
} from './custom-field-values.ts';

/**
 * The Harvest v3 client of the bridge (reference §1–4, §7, §8).
 *
 * Reads are typed lists: `GET /v3/<resource>` followed through `Link: rel="next"` verbatim, with
 * `ids`/parent-id filters split into batches of 50. There is no single-record GET in v3 [H]: one
 * record is a list with `ids=`.
 *
 * Writes are the ones the bridge needs, and no others: there are deliberately no methods to move,
 * reject or hire an application (AI output is advice; a stage move would also send candidate
 * emails through stage-transition rules [M]). v3 has no idempotency keys [M], so every POST that
 * can fail ambiguously carries a `verifyWrite` that looks for the record before the shared client
 * retries it; PATCH and DELETE are repeatable as they are.
 *
 * Transport, retries, the rate budget and typed errors come from the shared layer
 * (lambdas/adapters/http); this module adds Greenhouse's headers, error bodies and token flow.
 */
export const DEFAULT_BASE_URL = 'https://harvest.greenhouse.io';
export const DEFAULT_TOKEN_URL = 'https://auth.greenhouse.io/token';

/**
 * For a SharedRateBudget: 30-second windows [M]; until the first response announces the real
 * limit, 50 (Airbyte's deliberate undershoot [M]); a twentieth left for requests in flight. Other
 * clients of the same credential are accounted for by the server's count in every response.
 * Bulk traffic leaves the live reserve free, at most the default live share (the stack's
 * `rateBudget.liveShare` overrides it; core/rate/budget.ts `liveReserve`).
 */
export const GREENHOUSE_BUDGET_POLICY: BudgetPolicy = { windowMs: 30_000, initialLimit: 50, safetyMargin: 0.05, liveShare: DEFAULT_LIVE_SHARE };

/** How far around "now" a write is looked for after an ambiguous failure (clock skew, server latency). */
const VERIFY_WINDOW_MS = 60_000;

export interface GreenhouseClientOptions {
  readonly credentials: () => Promise<ClientCredentials>;
  readonly baseUrl?: string;
  readonly tokenUrl?: string;
  /**
   * The acting user (`sub` of the token). List endpoints need a Site Admin [M]; without it the
   * token acts as the credential's integration service user.
   */
  readonly sub?: number | string;
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
  readonly budget?: RateBudget;
  readonly retry?: Partial<RetryPolicy>;
  readonly timeoutMs?: number;
  /** Page size of lists, 1–500 [H]; the maximum by default, fewest requests per record. */
  readonly perPage?: number;
  /** How long custom-field definitions are reused (ms); DEFINITIONS_TTL_MS by default. */
  readonly definitionsTtlMs?: number;
  /** Each request (token mints included) traced as a `Greenhouse` span; none by default. */
  readonly spans?: TraceSpans;
}

/** Field definitions change rarely; a few minutes of staleness costs at most one refused write. */
const DEFINITIONS_TTL_MS = 5 * 60_000;

/** Re-exported for the client's callers, who collect its listings. */
export { collect };

export class GreenhouseClient implements GreenhouseApi {
  private readonly baseUrl: string;
  private readonly clock: Clock;
  private readonly tokens: TokenSource;
  private readonly perPage: number;
  private readonly api: ApiClient;
  /** The same transport without retries, for irreversible actions that are verified instead (lifecycleAction). */
  private readonly once: ApiClient;
  /** Set once a Greenhouse-hosted attachment link wanted the bearer token: later ones get it at once. */
  private attachmentsWantBearer = false;
  private readonly definitionCache = new Map<WritableFieldType, { readonly at: number; readonly definitions: Promise<FieldDefinitions> }>();

  constructor(private readonly options: GreenhouseClientOptions) {
    this.baseUrl = options.baseUrl ?? DEFAULT_BASE_URL;
    this.clock = options.clock ?? systemClock;
    this.perPage = Math.min(MAX_PER_PAGE, Math.max(1, options.perPage ?? MAX_PER_PAGE));
    this.tokens = new TokenSource({
      tokenUrl: options.tokenUrl ?? DEFAULT_TOKEN_URL,
      credentials: options.credentials,
      clock: this.clock,
      ...(options.sub !== undefined ? { sub: options.sub } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.spans ? { spans: options.spans } : {}),
    });
    const transport: ConstructorParameters<typeof ApiClient>[0] = {
      system: 'greenhouse',
      authorize: async () => {
        try {
          return `Bearer ${await this.tokens.get()}`;
        } catch (error) {
          throw new TokenUnavailable(error);
        }
      },
      onUnauthorized: (refused) => {
        if (refused) this.tokens.invalidate(refused.replace(/^Bearer /, ''));
      },
      readRateLimit: readGreenhouseRateLimit,
      errorDetail: greenhouseErrorDetail,
      clock: this.clock,
      ...(options.budget ? { budget: options.budget } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.spans ? { spans: options.spans } : {}),
    };
    this.api = new ApiClient(transport);
    this.once = new ApiClient({ ...transport, retry: { ...options.retry, attempts: 1 } });
  }

  // --- Transport ------------------------------------------------------------------------------------

  /** One request through the shared client, which drops exactly the token a 401 refused. */
  private async exchange<T>(request: ApiRequest<T>, api: ApiClient = this.api): Promise<ApiResponse<T>> {
    try {
      return await api.request(request);
    } catch (error) {
      throw error instanceof TokenUnavailable ? error.failure : error;
    }
  }

  private url(path: string): string {
    return new URL(path, this.baseUrl).toString();
  }

  private async write<T>(
    method: HttpMethod,
    path: string,
    schema: z.ZodMiniType<T>,
    json: unknown,
    verifyWrite?: () => Promise<T | undefined>,
  ): Promise<T> {
    const url = this.url(path);
    const { body } = await this.exchange({
      method,
      url,
      json,
      parse: parser(schema, operationOf(method, url)),
      ...(verifyWrite ? { verifyWrite } : {}),
    });
    return body;
  }

  // --- Lists ----------------------------------------------------------------------------------------

  /**
   * Pages of one listing. Follows `Link rel="next"` exactly as given: the cursor carries the
   * filters, and any added parameter would be a 422 [H]. A next link on another origin than the
   * configured base URL is refused (ForeignNextLink) rather than sent the bearer token.
   */
  async *pages<K extends ResourceName>(resource: K, query: ListQuery = {}): AsyncGenerator<ResourceOf<K>[]> {
    const schema = z.array(RESOURCE_SCHEMAS[resource]) as unknown as z.ZodMiniType<ResourceOf<K>[]>;
    const origin = new URL(this.baseUrl).origin;
    const perPage = Math.min(MAX_PER_PAGE, Number(query['per_page'] ?? this.perPage));
    for (const batch of batchQueries({ ...query, per_page: perPage })) {
      let url: string | undefined = listUrl(this.baseUrl, resource, batch);
      while (url !== undefined) {
        const operation = operationOf('GET', url);
        const response: ApiResponse<ResourceOf<K>[]> = await this.exchange({ method: 'GET', url, parse: parser(schema, operation) });
        yield response.body;
        const next = parseNextLink(response.headers.get('link'));
        if (next === undefined) break;
        const nextUrl: URL = new URL(next, url);
        if (nextUrl.origin !== origin) throw new ForeignNextLink(operation, nextUrl.host);
        url = next.startsWith('/') ? nextUrl.toString() : next;
      }
    }
  }

  async *list<K extends ResourceName>(resource: K, query: ListQuery = {}): AsyncGenerator<ResourceOf<K>> {
    for await (const page of this.pages(resource, query)) yield* page;
  }

  /** Records by id (`ids=`, batched by 50); missing ids are simply absent. */
  async byIds<K extends ResourceName>(resource: K, ids: readonly number[]): Promise<ResourceOf<K>[]> {
    if (ids.length === 0) return [];
    return collect(this.list(resource, { ids }));
  }

  // --- Typed reads ----------------------------------------------------------------------------------

  listCandidates(query: CandidateQuery = {}) {
    return this.list('candidates', query);
  }

  async getCandidate(id: number): Promise<Candidate | undefined> {
    return (await this.byIds('candidates', [id]))[0];
  }

  /** `status` uses the filter vocabulary: `active`, not the record's `in_process` [H] (gotcha 3). */
  listApplications(query: ApplicationQuery = {}) {
    return this.list('applications', query);
  }

  listJobs(query: JobQuery = {}) {
    return this.list('jobs', query);
  }

  listJobInterviewStages(jobIds: readonly number[]) {
    return this.list('job_interview_stages', { job_ids: jobIds });
  }

  /** The slots of jobs' interview plans; `job_interview_stage_id` places each under a stage. */
  listJobInterviews(query: { ids?: readonly number[]; job_ids?: readonly number[]; job_interview_stage_ids?: readonly number[] } = {}) {
    return this.list('job_interviews', query);
  }

  /** A scorecard's `interview_kit_id` → kit → `job_interview_id`. */
  listInterviewKits(query: { ids?: readonly number[]; job_interview_ids?: readonly number[] } = {}) {
    return this.list('interview_kits', query);
  }

  /**
   * Scheduled interviews. Greenhouse fires no webhook when one is scheduled or its feedback comes
   * in [H]: `status` (awaiting_feedback → complete) and `updated_at` are what a poller watches.
   */
  listInterviews(query: InterviewQuery = {}) {
    return this.list('interviews', query);
  }

  listJobOwners(jobIds: readonly number[]) {
    return this.list('job_owners', { job_ids: jobIds });
  }

  listJobHiringManagers(jobIds: readonly number[]) {
    return this.list('job_hiring_managers', { job_ids: jobIds });
  }

  listJobPosts(query: { ids?: readonly number[]; job_ids?: readonly number[]; live?: boolean } = {}) {
    return this.list('job_posts', query);
  }

  /** Service accounts (the integration's own user among them) are hidden unless asked for [M] (gotcha 9). */
  listUsers(query: { ids?: readonly number[]; updated_at?: string; deactivated?: boolean; includeServiceAccounts?: boolean } = {}) {
    const { includeServiceAccounts, ...rest } = query;
    return this.list('users', { ...rest, ...(includeServiceAccounts ? { show_service_accounts: true } : {}) });
  }

  listReferrers() {
    return this.list('referrers');
  }

  listSources() {
    return this.list('sources');
  }

  listDepartments() {
    return this.list('departments');
  }

  listOffices() {
    return this.list('offices');
  }

  listNotes(query: { candidate_ids?: readonly number[]; application_ids?: readonly number[]; created_at?: string; updated_at?: string } = {}) {
    return this.list('notes', query);
  }

  listAttachments(query: { candidate_ids?: readonly number[]; application_ids?: readonly number[]; type?: string; created_at?: string } = {}) {
    return this.list('attachments', query);
  }

  listCandidateTags() {
    return this.list('candidate_tags');
  }

  listAppliedCandidateTags(query: { candidate_ids?: readonly number[]; candidate_tag_ids?: readonly number[] } = {}) {
    return this.list('applied_candidate_tags', query);
  }

  listCustomFields(query: { field_type?: string; name_key?: string; active?: boolean } = {}) {
    return this.list('custom_fields', query);
  }

  listCustomFieldOptions(query: { custom_field_ids?: readonly number[]; custom_field_key?: string } = {}) {
    return this.list('custom_field_options', query);
  }

  listScorecards(
    query: { application_ids?: readonly number[]; interview_kit_ids?: readonly number[]; status?: 'draft' | 'complete'; updated_at?: string } = {},
  ) {
    return this.list('scorecards', query);
  }

  /**
   * Why and when applications were rejected: one row per rejection (`rejection_reason_id`,
   * `rejected_at`, `rejected_by_id`, `rejection_note_id`) [M]. The official v3 application has no
   * `rejection_reason_id`; this is where the reason is.
   */
  listRejectionDetails(query: { ids?: readonly number[]; application_ids?: readonly number[]; rejection_reason_ids?: readonly number[]; updated_at?: string } = {}) {
    return this.list('rejection_details', query);
  }

  /** Greenhouse's own default reasons are left out unless `includeDefaults` [H] (gotcha 10). */
  listRejectionReasons(query: { includeDefaults?: boolean } = {}) {
    return this.list('rejection_reasons', query.includeDefaults ? { include_defaults: true } : {});
  }

  /**
   * The file behind an attachment's URL. Called right after listing: the URL expires (7 days [H]) and
   * must never be stored. It is taken for a pre-signed storage link [M], so no Authorization header
   * goes first (it would leak the token to the storage host, and S3 rejects a second auth method).
   * Whether Greenhouse-hosted links want the token is unverified: a 401/403 from a Greenhouse host
   * (the API's origin or *.greenhouse.io) is retried once with it, never one from another host.
   */
  async downloadAttachment(attachment: Pick<Attachment, 'url'>): Promise<DownloadedFile> {
    const operation = 'GET attachment-download';
    const greenhouseHost = this.isGreenhouseHost(attachment.url);
    const withBearer = greenhouseHost && this.attachmentsWantBearer;
    let response = await this.fetchAttachment(attachment.url, operation, withBearer);
    if ((response.status === 401 || response.status === 403) && greenhouseHost && !withBearer) {
      const retried = await this.fetchAttachment(attachment.url, operation, true);
      if (retried.ok) this.attachmentsWantBearer = true;
      response = retried;
    }
    if (response.status === 401) throw new Unauthorized('greenhouse', operation);
    if (response.status === 403) throw new Forbidden('greenhouse', operation);
    if (response.status === 404) throw new NotFound('greenhouse', operation);
    if (!response.ok) throw new ServerError('greenhouse', operation, response.status);
    return { bytes: new Uint8Array(await response.arrayBuffer()), contentType: response.headers.get('content-type') };
  }

  private async fetchAttachment(url: string, operation: string, withBearer: boolean): Promise<Response> {
    const fetchFn = this.options.fetch ?? globalThis.fetch;
    const token = withBearer ? await this.tokens.get() : undefined;
    let response: Response;
    try {
      response = await fetchFn(url, {
        ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
        // A redirect could carry the token elsewhere.
        redirect: token ? 'error' : 'follow',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new NetworkError('greenhouse', operation, (error as { cause?: { code?: string } })?.cause?.code ?? 'unknown');
    }
    // A refused token is dropped so the next call mints a fresh one.
    if (token && response.status === 401) this.tokens.invalidate(token);
    return response;
  }

  private isGreenhouseHost(url: string): boolean {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (parsed.origin === new URL(this.baseUrl).origin) return true;
    return parsed.protocol === 'https:' && (parsed.hostname === 'greenhouse.io' || parsed.hostname.endsWith('.greenhouse.io'));
  }

  // --- Candidate writes -----------------------------------------------------------------------------

  /**
   * Creates a candidate, with its first application in the same call when given [M]. On an
   * ambiguous failure, looks for a candidate created just now with the same name (and email).
   */
  async createCandidate(input: CandidateCreate): Promise<Candidate> {
    const startedAt = this.clock.now();
    const email = input.email_addresses?.[0]?.value;
    const body = input.custom_fields
      ? { ...input, custom_fields: encodeCustomFieldWrites('POST /v3/candidates', await this.customFieldDefinitions('candidate'), input.custom_fields) }
      : input;
    return this.write('POST', '/v3/candidates', candidateSchema, body, async () => {
      const recent = await collect(
        this.listCandidates({ created_at: this.verifyWindow(startedAt), ...(email ? { email } : {}) }),
      );
      return recent.find((c) => c.first_name === input.first_name && c.last_name === input.last_name);
    });
  }

  /**
   * Only the keys given change; a collection given replaces the whole collection [M]. Custom fields
   * go as the candidate's complete set (read-modify-write; `current` saves the read when the caller
   * has just read the candidate). A `null` title or company is sent as `""`, as the public
   * implementation clears them; whether v3 accepts `null` there is unverified [L].
   */
  async updateCandidate(id: number, patch: CandidateWrite, current?: Candidate): Promise<Candidate> {
    const operation = 'PATCH /v3/candidates/{id}';
    const body: Record<string, unknown> = { ...patch };
    for (const key of ['title', 'company'] as const) if (patch[key] === null) body[key] = '';
    if (patch.custom_fields !== undefined) {
      const held = current ?? (await this.getCandidate(id));
      if (!held) throw new NotFound('greenhouse', 'GET /v3/candidates');
      body['custom_fields'] = completeCustomFieldSet(operation, await this.customFieldDefinitions('candidate'), held.custom_fields, patch.custom_fields);
    }
    return this.write('PATCH', `/v3/candidates/${id}`, candidateSchema, body);
  }

  /**
   * The candidate and application custom-field definitions with their options, read once per
   * `definitionsTtlMs` (archived fields included: a value held under one must still be resent).
   */
  customFieldDefinitions(fieldType: WritableFieldType): Promise<FieldDefinitions> {
    const cached = this.definitionCache.get(fieldType);
    const now = this.clock.now();
    if (cached && now - cached.at < (this.options.definitionsTtlMs ?? DEFINITIONS_TTL_MS)) return cached.definitions;
    const definitions = (async () => {
      const fields = await collect(this.listCustomFields({ field_type: fieldType }));
      const selects = fields.filter((f) => f.value_type === 'single_select' || f.value_type === 'multi_select').map((f) => f.id);
      const options = selects.length > 0 ? await collect(this.listCustomFieldOptions({ custom_field_ids: selects })) : [];
      return fieldDefinitions(fields, options);
    })();
    this.definitionCache.set(fieldType, { at: now, definitions });
    // A failed read is not cached: the next write tries again.
    definitions.catch(() => this.definitionCache.delete(fieldType));
    return definitions;
  }

  /**
   * Read-modify-write of one collection field. `change` gets the current collection and returns
   * the new one, or undefined for "no change" (then nothing is written). A recruiter's edit between
   * the read and the write is overwritten — v3 has no conditional writes; per-entity FIFO ordering
   * keeps the bridge's own writes from racing each other.
   */
  async modifyCandidateCollection<F extends CollectionField>(
    candidateId: number,
    field: F,
    change: (current: CollectionItem<F>[]) => CollectionItem<F>[] | undefined,
  ): Promise<Candidate> {
    const candidate = await this.getCandidate(candidateId);
    if (!candidate) throw new NotFound('greenhouse', `GET /v3/candidates`);
    const next = change(currentCollection(candidate, field));
    if (next === undefined) return candidate;
    return this.updateCandidate(candidateId, { [field]: next } as CandidateWrite);
  }

  addToCandidateCollection<F extends CollectionField>(candidateId: number, field: F, item: CollectionItem<F>): Promise<Candidate> {
    return this.modifyCandidateCollection(candidateId, field, (current) => addToCollection(field, current, item));
  }

  removeFromCandidateCollection<F extends CollectionField>(candidateId: number, field: F, value: string): Promise<Candidate> {
    return this.modifyCandidateCollection(candidateId, field, (current) => removeFromCollection(field, current, value));
  }

  addEmailAddress(candidateId: number, value: string, type: 'personal' | 'work' | 'other' = 'other') {
    return this.addToCandidateCollection(candidateId, 'email_addresses', { value, type });
  }

  removeEmailAddress(candidateId: number, value: string) {
    return this.removeFromCandidateCollection(candidateId, 'email_addresses', value);
  }

  addWebsite(candidateId: number, value: string, type: 'personal' | 'company' | 'portfolio' | 'blog' | 'other' = 'other') {
    return this.addToCandidateCollection(candidateId, 'website_addresses', { value, type });
  }

  addSocialMediaLink(candidateId: number, value: string) {
    return this.addToCandidateCollection(candidateId, 'social_media_addresses', { value });
  }

  /**
   * The path id is the candidate that stays; the duplicate ceases to exist (assumed from v1 [H] /
   * reference §4.2). Confirmed by reading both back; returns the primary as read.
   */
  mergeCandidates(primaryId: number, duplicateId: number): Promise<Candidate> {
    return this.lifecycleAction('POST', `/v3/candidates/${primaryId}/merge`, { duplicate_candidate_id: duplicateId }, async () => {
      const found = await this.byIds('candidates', [primaryId, duplicateId]);
      const primary = found.find((c) => c.id === primaryId);
      const duplicate = found.find((c) => c.id === duplicateId);
      return { value: primary, unconfirmed: [...(primary ? [] : ['primary missing']), ...(duplicate ? ['duplicate still present'] : [])] };
    });
  }

  /**
   * Irreversible [H]. `fields` are the v1 names (full_name, emails, …); the v3 body shape
   * `{fields: [...]}` is assumed (open question 6). Confirmed by reading the candidate back: each
   * field with a visible effect on the candidate must show it (anonymizedOnCandidate); returns the
   * candidate as read.
   */
  anonymizeCandidate(id: number, fields: readonly string[]): Promise<Candidate> {
    return this.lifecycleAction('PATCH', `/v3/candidates/${id}/anonymize`, { fields }, async () => {
      const candidate = await this.getCandidate(id);
      if (!candidate) return { value: undefined, unconfirmed: ['candidate missing'] };
      return { value: candidate, unconfirmed: fields.filter((field) => ANONYMIZED_ON_CANDIDATE[field]?.(candidate) === false) };
    });
  }

  /**
   * An irreversible candidate action whose reply body no source shows: any 2xx is taken (the
   * candidate, 204, `{message}`), then `confirm` reads the effect back. The action is sent once, never
   * repeated here: after an ambiguous failure (5xx, network) the same read decides whether it
   * happened; if not, the failure stands for the caller's redelivery, which reads state first.
   */
  private async lifecycleAction(
    method: HttpMethod,
    path: string,
    json: unknown,
    confirm: () => Promise<{ readonly value: Candidate | undefined; readonly unconfirmed: readonly string[] }>,
  ): Promise<Candidate> {
    const url = this.url(path);
    const operation = operationOf(method, url);
    try {
      // No retries on `once`: a `verifyWrite` of "not found" only keeps the failure as it came, for the read below.
      await this.exchange({ method, url, json, parse: () => undefined, verifyWrite: async () => undefined }, this.once);
    } catch (error) {
      if (!(error instanceof ServerError || error instanceof NetworkError)) throw error;
      let seen: Awaited<ReturnType<typeof confirm>>;
      try {
        seen = await confirm();
      } catch {
        throw new WriteOutcomeUnknown('greenhouse', operation, error);
      }
      if (seen.value && seen.unconfirmed.length === 0) return seen.value;
      throw error;
    }
    const seen = await confirm();
    if (!seen.value || seen.unconfirmed.length > 0) throw new ActionNotConfirmed(operation, seen.unconfirmed);
    return seen.value;
  }

  // --- Applications ---------------------------------------------------------------------------------

  /**
   * A candidate application on a job (`POST /v3/applications`, the job arm of its `oneOf` [M]); it
   * starts at the job's first stage unless `initial_stage_id` is given. After an ambiguous failure the
   * candidate's application on that job is looked for first: there is one per candidate and job.
   */
  createApplication(input: { readonly candidate_id: number; readonly job_id: number; readonly initial_stage_id?: number }): Promise<Application> {
    return this.write('POST', '/v3/applications', applicationSchema, input, async () => {
      const held = await collect(this.listApplications({ candidate_ids: [input.candidate_id], job_ids: [input.job_id] }));
      return held.find((a) => a.job_id === input.job_id);
    });
  }

  /**
   * Writes the given custom fields by `name_key`, each in its declared type, inside the application's
   * complete set (read-modify-write): whether v3 merges or replaces the set is open (question 7).
   */
  async updateApplicationCustomFields(applicationId: number, fields: readonly CustomFieldWrite[], current?: Application): Promise<Application> {
    const held = current ?? (await this.byIds('applications', [applicationId]))[0];
    if (!held) throw new NotFound('greenhouse', 'GET /v3/applications');
    const set = completeCustomFieldSet('PATCH /v3/applications/{id}', await this.customFieldDefinitions('application'), held.custom_fields, fields);
    return this.write('PATCH', `/v3/applications/${applicationId}`, applicationSchema, { custom_fields: set });
  }

  // --- Notes ----------------------------------------------------------------------------------------

  /** Not idempotent: after an ambiguous failure, the candidate's notes of the last minute are searched first. */
  createNote(input: NoteCreate): Promise<Note> {
    const startedAt = this.clock.now();
    return this.write('POST', '/v3/notes', noteSchema, { note_type: 'NOTE', ...input }, async () => {
      const recent = await collect(this.listNotes({ candidate_ids: [input.candidate_id], created_at: this.verifyWindow(startedAt) }));
      return recent.find(
        (n) => n.body === input.body && (input.user_id === undefined || n.user_id === input.user_id) && (input.application_id === undefined || n.application_id === input.application_id),
      );
    });
  }

  // --- Tags -----------------------------------------------------------------------------------------

  async findTag(name: string): Promise<CandidateTag | undefined> {
    for await (const tag of this.listCandidateTags()) if (sameTagName(tag.name, name)) return tag;
    return undefined;
  }

  createTag(name: string): Promise<CandidateTag> {
    return this.write('POST', '/v3/candidate_tags', candidateTagSchema, { name }, () => this.findTag(name));
  }

  /**
   * Adds one tag without touching the others: through applied_candidate_tags rather than PATCHing
   * the `tags` collection (which replaces it) [M]. Creates the tag definition when missing.
   */
  async addTag(candidateId: number, name: string): Promise<AppliedCandidateTag> {
    const tag = (await this.findTag(name)) ?? (await this.createTag(name));
    const applied = () => this.appliedRows(candidateId, tag.id).then((rows) => rows[0]);
    const existing = await applied();
    if (existing) return existing;
    return this.write('POST', '/v3/applied_candidate_tags', appliedCandidateTagSchema, { candidate_id: candidateId, candidate_tag_id: tag.id }, applied);
  }

  /** Removes one tag: finds the applied row(s) and deletes them. Absent tag: nothing to do. */
  async removeTag(candidateId: number, name: string): Promise<void> {
    const tag = await this.findTag(name);
    if (!tag) return;
    for (const row of await this.appliedRows(candidateId, tag.id)) {
      try {
        await this.write('DELETE', `/v3/applied_candidate_tags/${row.id}`, z.unknown(), undefined);
      } catch (error) {
        // A retried DELETE whose first attempt went through finds nothing: the goal is reached.
        if (!(error instanceof NotFound)) throw error;
      }
    }
  }

  private appliedRows(candidateId: number, tagId: number): Promise<AppliedCandidateTag[]> {
    return collect(this.listAppliedCandidateTags({ candidate_ids: [candidateId], candidate_tag_ids: [tagId] }));
  }

  // --- Attachments ----------------------------------------------------------------------------------

  /** Base64 `content` upload [H]; after an ambiguous failure, the application's new attachments are searched first. */
  uploadAttachment(input: AttachmentUpload): Promise<Attachment> {
    const startedAt = this.clock.now();
    const { content, ...rest } = input;
    const body = { ...rest, content: Buffer.from(content).toString('base64') };
    return this.write('POST', '/v3/attachments', attachmentSchema, body, async () => {
      const recent = await collect(this.listAttachments({ application_ids: [input.application_id], created_at: this.verifyWindow(startedAt) }));
      return recent.find((a) => a.filename === input.filename && a.type === input.type);
    });
  }

  // --- Job notes and job posts ---------------------------------------------------------------------

  /**
   * A job's private notes (list parameters of the official v3 reference [M]). A list answers an empty
   * array when there is nothing, so a 404 here means the tenant does not serve job notes: Unsupported
   * (`jobNotes`), never read as "no notes".
   */
  async *listJobNotes(query: JobNoteQuery = {}): AsyncGenerator<JobNote> {
    try {
      yield* this.list('job_notes', query);
    } catch (error) {
      throw error instanceof NotFound ? new Unsupported('greenhouse', error.operation, JOB_NOTES) : error;
    }
  }

  /**
   * `{job_id, user_id?, body, visibility}` [M]. Not idempotent: after an ambiguous failure the job's
   * notes of the last minute are searched first. A 404 is the job gone when job notes still list, else
   * a tenant without job notes (Unsupported).
   */
  async createJobNote(input: JobNoteCreate): Promise<JobNote> {
    const startedAt = this.clock.now();
    const recent = () => collect(this.listJobNotes({ job_ids: [input.job_id], created_at: this.verifyWindow(startedAt) }));
    try {
      return await this.write('POST', '/v3/job_notes', jobNoteSchema, input, async () =>
        (await recent()).find((n) => n.body === input.body && (input.user_id === undefined || n.user_id === input.user_id)),
      );
    } catch (error) {
      if (error instanceof NotFound) {
        try {
          await recent();
        } catch (probe) {
          if (probe instanceof Unsupported) throw probe;
        }
      }
      throw error;
    }
  }

  /**
   * Title or HTML content of a job post that is not live, `current` being the post as the caller read
   * it. A live post, or one whose `live` the read did not show, is refused before sending (JobPostLive):
   * its content is what applicants see. The reply body is not public (v2 answered `{success: true}`), so
   * any 2xx is taken and the post read back (a field still as it was: ActionNotConfirmed). A 404 for a
   * post that still lists means the tenant does not take post writes: Unsupported (`jobPostContent`).
   */
  async updateJobPost(id: number, patch: JobPostWrite, current: JobPost): Promise<JobPost> {
    const url = this.url(`/v3/job_posts/${id}`);
    const operation = operationOf('PATCH', url);
    if (current.id !== id) throw new Error(`updateJobPost: current is post ${current.id}, not ${id}`);
    if (current.live !== false) throw new JobPostLive(operation, current.live === true ? 'live' : 'live unknown');
    const readBack = async () => (await this.byIds('job_posts', [id]))[0];
    try {
      await this.exchange({ method: 'PATCH', url, json: patch, parse: () => undefined });
    } catch (error) {
      if (!(error instanceof NotFound)) throw error;
      if (await readBack()) throw new Unsupported('greenhouse', operation, JOB_POST_CONTENT);
      throw error;
    }
    const post = await readBack();
    if (!post) throw new NotFound('greenhouse', 'GET /v3/job_posts');
    // A v3 body that ignored a key would answer 2xx with nothing changed. Only "still exactly as before"
    // counts as unconfirmed: Greenhouse may normalize HTML, so equality with the draft is not required.
    const unchanged = (['title', 'content'] as const).filter((k) => patch[k] !== undefined && patch[k] !== current[k] && post[k] === current[k]);
    if (unchanged.length > 0) throw new ActionNotConfirmed(operation, unchanged);
    return post;
  }

  // --- Offers and their approvals (read, and asking approvers; never deciding) ---------------------

  /** Offer versions [H]; `current_only: true` keeps the latest per application (gotcha 19). */
  listOffers(query: OfferQuery = {}) {
    return this.list('offers', query);
  }

  listApprovalFlows(query: ApprovalFlowQuery = {}) {
    return this.list('approval_flows', query);
  }

  listApproverGroups(query: { ids?: readonly number[]; approval_flow_ids?: readonly number[] } = {}) {
    return this.list('approver_groups', query);
  }

  listApprovers(query: { ids?: readonly number[]; approver_group_ids?: readonly number[]; user_ids?: readonly number[]; status?: ApproverStatus } = {}) {
    return this.list('approvers', query);
  }

  /**
   * `POST /v3/approval_flows/{id}/request_approvals` [H for the path; the body is optional and sent
   * empty]. v1 documented what it does: the first approver group goes from waiting to due and the
   * acting user becomes the requester; a flow that cannot be started answers 422 [H for v1]. It is not
   * idempotent by nature (a second request re-notifies, or is refused), so:
   * - the flow is read first, and a flow already started (`requested_by_id` set, or no longer pending)
   *   is not asked again (`already-requested`);
   * - after an ambiguous failure (5xx, network) the flow is read again before the shared client retries:
   *   started means the first attempt went through; not started, the request is repeated;
   * - a 422 whose read-back shows the flow started is a race with a person (or a lost reply): `already-requested`;
   * - any 2xx is taken whatever its body (ASSUMED `requestApprovalsReply`: the flow, 204 or a message),
   *   and the flow read back must show it started (else ActionNotConfirmed).
   */
  async requestApprovals(approvalFlowId: number): Promise<ApprovalRequest> {
    const url = this.url(`/v3/approval_flows/${approvalFlowId}/request_approvals`);
    const operation = operationOf('POST', url);
    const readFlow = async () => (await this.byIds('approval_flows', [approvalFlowId]))[0];
    const before = await readFlow();
    if (!before) throw new NotFound('greenhouse', 'GET /v3/approval_flows');
    if (approvalsRequested(before)) return { outcome: 'already-requested', flow: before };
    const started = async () => {
      const flow = await readFlow();
      return flow && approvalsRequested(flow) ? flow : undefined;
    };
    try {
      await this.exchange({
        method: 'POST',
        url,
        parse: parser(approvalRequestReplySchema, operation),
        verifyWrite: async () => ((await started()) ? null : undefined),
      });
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      const flow = await started();
      if (flow) return { outcome: 'already-requested', flow };
      throw error;
    }
    const flow = await readFlow();
    if (!flow) throw new NotFound('greenhouse', 'GET /v3/approval_flows');
    if (!approvalsRequested(flow)) throw new ActionNotConfirmed(operation, ['requested_by_id', 'approval_status']);
    return { outcome: 'requested', flow };
  }

  /** Stage history [H]: `entered_at`/`exited_at` per stage visit, null for backfilled rows. */
  listApplicationStages(query: ApplicationStageQuery = {}) {
    return this.list('application_stages', query);
  }

  /** A job's openings [H]: `target_start_on`, `open`, the hire that filled it. */
  listOpenings(query: OpeningQuery = {}) {
    return this.list('openings', query);
  }

  /** Voluntary self-identification [M]; the caller's setting (`ai.fairness.readDemographics`) decides whether it is read at all. */
  listEeoc(query: { application_ids?: readonly number[]; submitted_at?: string } = {}) {
    return this.list('eeoc', query);
  }

  private verifyWindow(startedAt: number): string {
    return pipeWindow({ gte: startedAt - VERIFY_WINDOW_MS, lte: this.clock.now() + VERIFY_WINDOW_MS });
  }
}

/**
 * A failed mint, carried past the API call's own handling: the token request was already retried
 * (and its credential re-read) by the token source, so the call must not mint again on a 401.
 */
class TokenUnavailable extends Error {
  constructor(readonly failure: unknown) {
    super('token unavailable');
  }
}

/**
 * Whether a flow's approvals have been asked for: the requester is set when they are (v1 [H]: "mark
 * the On-Behalf-Of user as the requesting user"; v3 names it `requested_by_id` [H]), and a flow already
 * approved or rejected was necessarily started.
 */
export function approvalsRequested(flow: ApprovalFlow): boolean {
  return flow.requested_by_id != null || (flow.approval_status != null && flow.approval_status !== 'pending');
}

const blank = (value: string | null | undefined) => !value?.trim();
const none = (list: readonly unknown[] | null | undefined) => !list?.length;

/**
 * What an anonymized field leaves on the candidate, per the v1 meanings (reference §5.6) [H]; fields
 * with no visible effect on the candidate record (notes, attachments, offers, …) are not checked.
 */
const ANONYMIZED_ON_CANDIDATE: Readonly<Record<string, (c: Candidate) => boolean>> = {
  full_name: (c) => c.first_name === 'Anonymized' || c.last_name === String(c.id),
  current_company: (c) => blank(c.company),
  current_title: (c) => blank(c.title),
  emails: (c) => none(c.email_addresses),
  email_addresses: (c) => none(c.email_addresses),
  phone_numbers: (c) => none(c.phone_numbers),
  addresses: (c) => none(c.addresses),
  websites: (c) => none(c.website_addresses),
  social_media_links: (c) => none(c.social_media_addresses),
  tags: (c) => none(c.tags),
};

/** Capabilities a tenant may lack, as Unsupported names them. */
export const JOB_NOTES = 'jobNotes';
export const JOB_POST_CONTENT = 'jobPostContent';

/**
 * A job post write refused before sending: the post is live (or the read did not say it is not), and
 * a live post's content is what applicants are reading. Retrying cannot help; the post must be
 * unpublished in Greenhouse first, or the draft kept elsewhere.
 */
export class JobPostLive extends ApiError {
  constructor(operation: string, readonly reason: 'live' | 'live unknown') {
    super('greenhouse', operation, undefined, `refused before sending: the job post is ${reason === 'live' ? 'live' : 'not known to be unpublished'}`);
  }
}

/** The client's surface, for fakes in tests of code that uses it. */

/** Zod parse as the shared client's `parse`: a shape error becomes a typed UnexpectedResponse. */
function parser<T>(schema: z.ZodMiniType<T>, operation: string): (body: unknown) => T {
  return (body) => {
    const result = schema.safeParse(body);
    if (result.success) return result.data;
    throw new UnexpectedResponse(operation, 200, result.error.issues.map((i) => i.path.join('.')));
  };
}
