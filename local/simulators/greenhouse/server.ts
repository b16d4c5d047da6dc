import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { LOOPBACK_HOST, urlHost } from '../../listen-host.ts';
import { SimClock } from '../shared/clock.ts';
import { Faults, type FaultSettings } from '../shared/faults.ts';
import { registerAdminControlRoutes } from './admin/control.ts';
import { registerAdminEntityRoutes } from './admin/entities.ts';
import { registerAdminOfferRoutes } from './admin/offers.ts';
import { registerAdminEeocRoutes } from './admin/eeoc.ts';
import { GreenhouseApiError } from './api-errors.ts';
import { AttachmentLinks, DEFAULT_ATTACHMENT_URL_TTL_SECONDS } from './attachment-links.ts';
import { bearerAuth, registerTokenRoute, TokenIssuer, type SimCredential, type TokenSettings } from './auth.ts';
import { GreenhouseOperations, isoSeconds } from './operations.ts';
import { apiContractSchema, type ApiContractInput } from './api-contract.ts';
import { LIST_SCOPES } from './resources.ts';
import { registerApplicationRoutes } from './routes/applications.ts';
import { registerApprovalRoutes } from './routes/approvals.ts';
import { registerAttachmentRoutes } from './routes/attachments.ts';
import { registerCandidateRoutes } from './routes/candidates.ts';
import type { RouteDeps, SimSettings } from './routes/context.ts';
import { registerJobWriteRoutes } from './routes/job-writes.ts';
import { registerListRoutes } from './routes/lists.ts';
import { registerNoteAndTagRoutes } from './routes/notes-tags.ts';
import { EMPTY_SCENARIO, loadScenarioFile, parseScenario, type Scenario, type ScenarioInput } from './scenario.ts';
import { GreenhouseState } from './state.ts';
import { RateLimits, RequestCounts } from './traffic.ts';
import type { PayloadContext } from './webhooks/payloads.ts';
import { WebhookSender, type WebhookTarget } from './webhooks/sender.ts';

/**
 * A contract-faithful Greenhouse for local runs and tests: the Harvest v3 endpoints the bridge uses
 * (OAuth client credentials, cursor pagination, scopes, the 30-second rate window, v3 errors), signed
 * v1-shaped webhooks with Greenhouse's retry schedule, fault injection, and an admin API under
 * `/_admin`. Time is a SimClock, so token expiry, rate windows and webhook retries follow a scaled
 * or advanced clock.
 */
export const WRITE_SCOPES = [
  'harvest:candidates:create',
  'harvest:candidates:update',
  'harvest:candidates:merge',
  'harvest:candidates:anonymize',
  'harvest:applications:create',
  'harvest:applications:update',
  'harvest:applications:move',
  'harvest:applications:reject',
  'harvest:applications:hire',
  'harvest:notes:create',
  'harvest:candidate_tags:create',
  'harvest:applied_candidate_tags:create',
  'harvest:applied_candidate_tags:destroy',
  'harvest:attachments:create',
  'harvest:job_notes:create',
  'harvest:job_posts:update',
  'harvest:approval_flows:request_approvals',
] as const;

export const ALL_SCOPES: readonly string[] = [...LIST_SCOPES, ...WRITE_SCOPES];

/** Where `npm run sim:greenhouse` and `npm start` run it unless told otherwise. */
export const DEFAULT_GREENHOUSE_SIM_PORT = 4010;
export const DEFAULT_CLIENT_ID = 'sim-client-1';
export const DEFAULT_CLIENT_SECRET = 'sim-client-secret';
export const DEFAULT_SCENARIO_PATH = fileURLToPath(new URL('../../../scenarios/greenhouse/default.json', import.meta.url));

export interface GreenhouseSimulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** Give one to share time with the clients under test; else one is made with `timeScale`. */
  readonly clock?: SimClock;
  readonly timeScale?: number;
  /** A scenario, or the path of a scenario file. Empty by default. */
  readonly scenario?: ScenarioInput | string;
  readonly credentials?: readonly { clientId: string; clientSecret: string; scopes?: readonly string[] | 'all' }[];
  readonly token?: Partial<TokenSettings>;
  readonly rateLimit?: { readonly limit?: number; readonly tokenLimit?: number };
  readonly faults?: Partial<FaultSettings>;
  readonly webhooks?: readonly WebhookTarget[];
  readonly webhookTimeoutMs?: number;
  readonly attachmentUrlTtlSeconds?: number;
  /** The UI host in webhook `url` fields (people and job links). */
  readonly appUrl?: string;
  readonly logger?: boolean;
  /** The ASSUMED API contract to start with (api-contract.ts); each switch defaults to today's reading. */
  readonly apiContract?: ApiContractInput;
}

export interface GreenhouseSimulator {
  readonly url: string;
  readonly port: number;
  readonly clock: SimClock;
  readonly state: GreenhouseState;
  readonly operations: GreenhouseOperations;
  readonly webhooks: WebhookSender;
  readonly issuer: TokenIssuer;
  readonly limits: RateLimits;
  readonly counts: RequestCounts;
  readonly faults: Faults;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

export async function startGreenhouseSimulator(options: GreenhouseSimulatorOptions = {}): Promise<GreenhouseSimulator> {
  const clock = options.clock ?? new SimClock(options.timeScale ?? 1);
  const initialScenario = await resolveScenario(options.scenario);
  const state = new GreenhouseState();
  const resetTo = (scenario: Scenario) => state.reset(scenario, isoSeconds(clock.now()));
  resetTo(initialScenario);

  const credentials: SimCredential[] = (options.credentials ?? [{ clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET }]).map(
    (c) => ({ clientId: c.clientId, clientSecret: c.clientSecret, scopes: !c.scopes || c.scopes === 'all' ? 'all' : new Set(c.scopes) }),
  );
  const issuer = new TokenIssuer(clock, { lifetimeSeconds: 3600, expiryField: 'expires_at', ...options.token }, credentials);
  const limits = new RateLimits(clock, { api: options.rateLimit?.limit, token: options.rateLimit?.tokenLimit });
  const counts = new RequestCounts();
  const faults = new Faults(options.faults);
  const links = new AttachmentLinks(clock, options.attachmentUrlTtlSeconds ?? DEFAULT_ATTACHMENT_URL_TTL_SECONDS);
  const webhooks = new WebhookSender(clock, { targets: options.webhooks, timeoutMs: options.webhookTimeoutMs });
  const settings: SimSettings = { linkOrigin: undefined, apiContract: apiContractSchema.parse(options.apiContract ?? {}) };

  let origin = 'http://127.0.0.1';
  const appUrl = options.appUrl ?? 'https://app.greenhouse.io';
  const payloadContext = (): PayloadContext => ({
    state,
    appUrl,
    attachmentUrl: (id, filename) => links.url(origin, id, filename),
  });
  const operations = new GreenhouseOperations({ state, clock, webhooks, payloadContext, apiContract: () => settings.apiContract });

  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 50 * 1024 * 1024 });
  // Hook order matters: counting, then the rate limit (its headers then ride on injected faults too), then faults.
  counts.install(app);
  limits.install(app);
  faults.install(app, clock);
  app.addHook('preHandler', bearerAuth(issuer, state));
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ message: 'Resource not found' }));
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof GreenhouseApiError) return reply.code(error.status).send(error.body);
    if (error.statusCode && error.statusCode < 500) return reply.code(error.statusCode).send({ message: error.message });
    request.log.error(error);
    return reply.code(500).send({ message: 'Internal Server Error' });
  });

  const deps: RouteDeps = { state, operations, links, issuer, settings };
  registerTokenRoute(app, issuer, () => settings.apiContract);
  registerListRoutes(app, deps);
  registerCandidateRoutes(app, deps);
  registerApplicationRoutes(app, deps);
  registerNoteAndTagRoutes(app, deps);
  registerAttachmentRoutes(app, deps);
  registerJobWriteRoutes(app, deps);
  registerApprovalRoutes(app, deps);
  registerAdminEntityRoutes(app, deps);
  registerAdminOfferRoutes(app, deps);
  registerAdminEeocRoutes(app, { state, now: () => isoSeconds(clock.now()) });
  registerAdminControlRoutes(app, {
    state,
    operations,
    clock,
    issuer,
    limits,
    counts,
    webhooks,
    links,
    settings,
    initialScenario: () => initialScenario,
    resetTo,
  });

  await app.listen({ port: options.port ?? 0, host: options.host ?? LOOPBACK_HOST });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const url = `http://${urlHost(options.host ?? LOOPBACK_HOST)}:${port}`;
  origin = url;

  return {
    url,
    port,
    clock,
    state,
    operations,
    webhooks,
    issuer,
    limits,
    counts,
    faults,
    app,
    async close() {
      await webhooks.close();
      await app.close();
    },
  };
}

async function resolveScenario(input: ScenarioInput | string | undefined): Promise<Scenario> {
  if (input === undefined) return EMPTY_SCENARIO;
  if (typeof input === 'string') return loadScenarioFile(input);
  return parseScenario(input);
}
