import Fastify, { type FastifyInstance } from 'fastify';
import type { Clock } from '#core/clock';
import { LOOPBACK_HOST, urlHost } from '../../listen-host.ts';
import { SimClock } from '../shared/clock.ts';
import { ADMIN_PREFIX, Faults, type FaultSettings } from '../shared/faults.ts';
import type { SimContext } from './context.ts';
import { Overrides } from './overrides.ts';
import { installRateLimit, isTokenRequest } from './rate-limit.ts';
import { RequestLog } from './request-log.ts';
import { registerActivityRoutes } from './routes/activity.ts';
import { registerAdminRoutes } from './routes/admin.ts';
import { registerAuthRoutes } from './routes/auth.ts';
import { registerContactRoutes } from './routes/contacts.ts';
import { registerLifecycleRoutes } from './routes/lifecycle.ts';
import { registerUserRoutes } from './routes/users.ts';
import { registerVacancyRoutes } from './routes/vacancies.ts';
import { applyScenario, type Scenario } from './scenario.ts';
import { resolveSettings, SettingsHolder, type DeepPartial, type SimulatorSettings } from './settings.ts';
import { errorBody, SimError } from './sim-error.ts';
import { BeameryState } from './state.ts';
import { TokenIssuer } from './tokens.ts';

/**
 * The Beamery simulator: OUR MODEL of Beamery's API, not evidence about it. It implements the same
 * assumptions as the client in lambdas/adapters/beamery/ (listed with their evidence levels in
 * docs/beamery-assumptions.md), so a green test against it proves the client is consistent with those
 * assumptions, and that it copes with every variant the public record allows (envelopes, field
 * spellings, PATCH array semantics, missing features). It proves nothing about the real tenant:
 * the sandbox checks in that document do.
 */

export interface BeamerySimulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** A SimClock (default: scale 1) lets tests advance time past token expiry and rate windows. */
  readonly clock?: Clock;
  readonly scenario?: Scenario;
  readonly settings?: DeepPartial<SimulatorSettings>;
  readonly faults?: Partial<FaultSettings>;
}

export interface BeamerySimulator {
  /** Base URL including `/v1`, what a client takes as its `baseUrl`. */
  readonly url: string;
  /** The server root (for `/_admin`). */
  readonly origin: string;
  readonly port: number;
  readonly clock: Clock;
  readonly state: BeameryState;
  readonly settings: SettingsHolder;
  readonly faults: Faults;
  readonly requests: RequestLog;
  readonly tokens: TokenIssuer;
  readonly overrides: Overrides;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

export type BuiltBeamerySimulator = Omit<BeamerySimulator, 'url' | 'origin' | 'port' | 'close'>;

/** Builds the server without listening (for `app.inject` in tests). */
export function buildBeamerySimulator(options: BeamerySimulatorOptions = {}): BuiltBeamerySimulator {
  const clock = options.clock ?? new SimClock();
  const initialSettings = resolveSettings(options.scenario?.settings as DeepPartial<SimulatorSettings> | undefined, options.settings);
  const context: SimContext = {
    state: new BeameryState(clock),
    clock,
    settings: new SettingsHolder(initialSettings),
    tokens: new TokenIssuer(clock),
    requests: new RequestLog(),
  };
  if (options.scenario) applyScenario(context.state, options.scenario, clock.now());

  const app = Fastify({ logger: false });
  acceptEmptyJson(app);
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof SimError) return reply.code(error.status).send(errorBody(error.status, error.message));
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 413) return reply.code(413).send(errorBody(413, 'request body too large'));
    // S4 reads a 400 with `message` as Beamery's JSON parse error.
    if (status && status >= 400 && status < 500) return reply.code(status).send(errorBody(status, 'JSON parse error'));
    return reply.code(500).send(errorBody(500, 'Internal Server Error'));
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send(errorBody(404, 'Not Found')));

  // Hook order matters: the rate limit counts (and stamps headers on) every request, faulted ones too.
  installRateLimit(app, context);
  const faults = new Faults(options.faults);
  faults.install(app, clock);
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith(ADMIN_PREFIX) || isTokenRequest(request.url)) return;
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    const verdict = context.tokens.check(token);
    if (verdict !== 'valid') return reply.code(401).send(errorBody(401, verdict === 'expired' ? 'token expired' : 'Unauthorized'));
  });
  const overrides = new Overrides();
  overrides.install(app);
  app.addHook('onResponse', async (request, reply) => {
    if (request.url.startsWith(ADMIN_PREFIX)) return;
    const route = request.routeOptions.url ?? '(no route)';
    context.requests.record(`${request.method} ${route}`, reply.statusCode);
  });

  registerAuthRoutes(app, context);
  registerContactRoutes(app, context);
  registerVacancyRoutes(app, context);
  registerActivityRoutes(app, context);
  registerLifecycleRoutes(app, context);
  registerUserRoutes(app, context);
  registerAdminRoutes(app, context, { scenario: options.scenario, settings: initialSettings });

  return { app, faults, overrides, ...context };
}

export async function startBeamerySimulator(options: BeamerySimulatorOptions = {}): Promise<BeamerySimulator> {
  const built = buildBeamerySimulator(options);
  const host = options.host ?? LOOPBACK_HOST;
  await built.app.listen({ port: options.port ?? 0, host });
  const address = built.app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const origin = `http://${urlHost(host)}:${port}`;
  return { ...built, origin, url: `${origin}/v1`, port, close: () => built.app.close() };
}

/** Bodiless POSTs (anonymize) may still say `Content-Type: application/json`; read them as no body. */
function acceptEmptyJson(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new SimError(400, 'JSON parse error'), undefined);
    }
  });
}
