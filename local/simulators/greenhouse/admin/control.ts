import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import type { SimClock } from '../../shared/clock.ts';
import { ADMIN_PREFIX } from '../../shared/faults.ts';
import { parseBody } from '../api-errors.ts';
import type { AttachmentLinks } from '../attachment-links.ts';
import type { TokenIssuer } from '../auth.ts';
import { generateCandidates, generateJobs } from '../generate.ts';
import type { GreenhouseOperations } from '../operations.ts';
import { generatePipeline } from '../pipeline-history.ts';
import { TABLE_NAMES, type TableName } from '../records.ts';
import type { SimSettings } from '../routes/context.ts';
import { parseScenario, type Scenario } from '../scenario.ts';
import { apiContractSchema, type ApiContract } from '../api-contract.ts';
import type { GreenhouseState } from '../state.ts';
import type { RateLimits, RequestCounts } from '../traffic.ts';
import type { WebhookSender } from '../webhooks/sender.ts';

/**
 * The admin API's controls: state and scenarios, rate limits, tokens and credentials, the clock,
 * request counts and the webhook delivery log. Faults have their own route (`/_admin/faults`,
 * from the shared Faults). Never rate-limited or faulted.
 */
export interface ControlDeps {
  readonly state: GreenhouseState;
  readonly operations: GreenhouseOperations;
  readonly clock: SimClock;
  readonly issuer: TokenIssuer;
  readonly limits: RateLimits;
  readonly counts: RequestCounts;
  readonly webhooks: WebhookSender;
  readonly links: AttachmentLinks;
  readonly settings: SimSettings;
  /** The scenario the simulator started with (what `reset` goes back to). */
  readonly initialScenario: () => Scenario;
  readonly resetTo: (scenario: Scenario) => void;
}

const A = ADMIN_PREFIX;

const share = z.number().min(0).max(1).optional();
const candidateMix = z.strictObject({ prospects: share, rejected: share, private: share, notes: share, resumes: share });

const webhookTargets = z.array(
  z.object({ url: z.url(), secret: z.string().min(1), actions: z.array(z.string()).optional() }),
);

export function registerAdminControlRoutes(app: FastifyInstance, deps: ControlDeps): void {
  // State and scenarios
  app.get(`${A}/state`, async (request) => {
    const { table } = request.query as { table?: string };
    if (table !== undefined) {
      if (!TABLE_NAMES.includes(table as TableName)) return { error: `unknown table ${table}` };
      return deps.state.all(table as TableName);
    }
    return deps.state.snapshot();
  });
  app.get(`${A}/state/counts`, async () => deps.state.counts());
  app.post(`${A}/reset`, async () => {
    deps.resetTo(deps.initialScenario());
    return deps.state.counts();
  });
  app.put(`${A}/scenario`, async (request) => {
    deps.resetTo(parseScenario(request.body));
    return deps.state.counts();
  });
  app.post(`${A}/generate/candidates`, async (request) => {
    const options = parseBody(
      z.object({
        count: z.number().int().min(1).max(100_000),
        seed: z.number().int().optional(),
        spreadSeconds: z.number().int().positive().optional(),
        mix: candidateMix.optional(),
      }),
      request.body,
    );
    const created = generateCandidates(deps.state, deps.clock.now(), options);
    return { created: created.length, minId: created[0]?.id ?? null, maxId: created.at(-1)?.id ?? null };
  });
  app.post(`${A}/generate/jobs`, async (request) => {
    const options = parseBody(
      z.object({ count: z.number().int().min(1).max(10_000), seed: z.number().int().optional(), spreadSeconds: z.number().int().positive().optional() }),
      request.body,
    );
    const created = generateJobs(deps.state, deps.clock.now(), options);
    return { created: created.length, minId: created[0]?.id ?? null, maxId: created.at(-1)?.id ?? null };
  });
  // A year of hiring for the pipeline analytics, ending now (pipeline-history.ts).
  app.post(`${A}/generate/pipeline-history`, async (request) => {
    const options = parseBody(
      z.object({
        seed: z.number().int().optional(),
        jobs: z.number().int().min(1).max(2_000).optional(),
        days: z.number().int().min(7).max(1_095).optional(),
        slowdown: z.object({ stage: z.string().min(1), factor: z.number().positive(), lastDays: z.number().positive() }).optional(),
      }),
      request.body ?? {},
    );
    return generatePipeline(deps.state, deps.clock.now(), options);
  });

  // Rate limits
  app.get(`${A}/rate-limit`, async () => deps.limits.settings());
  app.put(`${A}/rate-limit`, async (request) => {
    const body = parseBody(
      z.object({
        limit: z.number().int().min(1).optional(),
        windowSeconds: z.number().int().min(1).max(300).optional(),
        tokenLimit: z.number().int().min(1).optional(),
      }),
      request.body,
    );
    if (body.limit !== undefined) deps.limits.api.limit = body.limit;
    if (body.windowSeconds !== undefined) deps.limits.api.windowMs = body.windowSeconds * 1000;
    if (body.tokenLimit !== undefined) deps.limits.token.limit = body.tokenLimit;
    return deps.limits.settings();
  });

  // Tokens and credentials
  app.get(`${A}/auth`, async () => ({
    ...deps.issuer.settings,
    credentials: [...deps.issuer.credentials.values()].map((c) => ({
      clientId: c.clientId,
      scopes: c.scopes === 'all' ? 'all' : [...c.scopes],
    })),
  }));
  app.put(`${A}/auth`, async (request) => {
    const body = parseBody(
      z.object({ tokenLifetimeSeconds: z.number().int().min(1).optional(), expiryField: z.enum(['expires_at', 'expires_in']).optional() }),
      request.body,
    );
    if (body.tokenLifetimeSeconds !== undefined) deps.issuer.settings.lifetimeSeconds = body.tokenLifetimeSeconds;
    if (body.expiryField !== undefined) deps.issuer.settings.expiryField = body.expiryField;
    return deps.issuer.settings;
  });
  app.put(`${A}/credentials/:clientId`, async (request) => {
    const { clientId } = request.params as { clientId: string };
    const body = parseBody(
      z.object({ clientSecret: z.string().min(1).optional(), scopes: z.union([z.literal('all'), z.array(z.string())]).optional() }),
      request.body,
    );
    const existing = deps.issuer.credentials.get(clientId);
    const clientSecret = body.clientSecret ?? existing?.clientSecret;
    if (!clientSecret) return { error: 'clientSecret is required for a new credential' };
    const scopes = body.scopes === undefined ? (existing?.scopes ?? 'all') : body.scopes === 'all' ? 'all' : new Set(body.scopes);
    deps.issuer.credentials.set(clientId, { clientId, clientSecret, scopes });
    return { clientId, scopes: scopes === 'all' ? 'all' : [...scopes] };
  });
  app.post(`${A}/tokens/revoke`, async () => ({ revoked: deps.issuer.revokeAll() }));

  // Simulator settings
  app.get(`${A}/settings`, async () => ({ ...deps.settings, attachmentUrlTtlSeconds: deps.links.ttlSeconds }));
  app.put(`${A}/settings`, async (request) => {
    const body = parseBody(
      z.object({
        linkOrigin: z.url().nullable().optional(),
        attachmentUrlTtlSeconds: z.number().int().min(1).optional(),
        // Switches not given keep their current value.
        apiContract: apiContractSchema.partial().optional(),
      }),
      request.body,
    );
    if (body.linkOrigin !== undefined) deps.settings.linkOrigin = body.linkOrigin ?? undefined;
    if (body.apiContract !== undefined) deps.settings.apiContract = { ...deps.settings.apiContract, ...stripUndefined(body.apiContract) };
    if (body.attachmentUrlTtlSeconds !== undefined) deps.links.ttlSeconds = body.attachmentUrlTtlSeconds;
    return { ...deps.settings, attachmentUrlTtlSeconds: deps.links.ttlSeconds };
  });

  // Clock
  app.get(`${A}/clock`, async () => ({ now: new Date(deps.clock.now()).toISOString(), scale: deps.clock.scale }));
  app.post(`${A}/clock/advance`, async (request) => {
    const { ms, seconds, minutes } = parseBody(
      z.object({ ms: z.number().min(0).optional(), seconds: z.number().min(0).optional(), minutes: z.number().min(0).optional() }),
      request.body,
    );
    deps.clock.advance((ms ?? 0) + (seconds ?? 0) * 1000 + (minutes ?? 0) * 60_000);
    return { now: new Date(deps.clock.now()).toISOString() };
  });

  // Request counts
  app.get(`${A}/requests`, async () => deps.counts.snapshot());
  app.delete(`${A}/requests`, async (_request, reply) => {
    deps.counts.reset();
    return reply.code(204).send();
  });

  // Webhooks
  app.get(`${A}/webhooks`, async () => deps.webhooks.currentTargets.map(({ url, actions }) => ({ url, actions: actions ?? 'all' })));
  app.put(`${A}/webhooks`, async (request) => {
    deps.webhooks.setTargets(parseBody(webhookTargets, request.body));
    return deps.webhooks.currentTargets.map(({ url, actions }) => ({ url, actions: actions ?? 'all' }));
  });
  app.get(`${A}/webhooks/deliveries`, async (request) => {
    const { action, state } = request.query as { action?: string; state?: string };
    return deps.webhooks
      .deliveries()
      .filter((d) => (action === undefined || d.action === action) && (state === undefined || d.state === state));
  });
  app.delete(`${A}/webhooks/deliveries`, async (_request, reply) => {
    deps.webhooks.clearLog();
    return reply.code(204).send();
  });
  app.post(`${A}/webhooks/settle`, async () => {
    await deps.webhooks.settled();
    return { pending: deps.webhooks.deliveries().filter((d) => d.state === 'pending').length };
  });
  app.post(`${A}/webhooks/ping`, async (request) => {
    const { event } = parseBody(z.object({ event: z.string().default('Candidate Updated') }), request.body ?? {});
    deps.webhooks.currentTargets.forEach((target, i) => deps.operations.ping(4_000_000_000 + i, target, event));
    return { sent: deps.webhooks.currentTargets.length };
  });
}

function stripUndefined(partial: Partial<ApiContract>): Partial<ApiContract> {
  return Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
}
