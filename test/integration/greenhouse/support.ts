import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GreenhouseClient, type GreenhouseClientOptions } from '#adapters/greenhouse/client';
import { clearGreenhouseTokenCache } from '#adapters/greenhouse/token-cache';
import { SimClock } from '#local/simulators/shared/clock';
import {
  ALL_SCOPES,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_SCENARIO_PATH,
  startGreenhouseSimulator,
  type GreenhouseSimulator,
  type GreenhouseSimulatorOptions,
} from '#local/simulators/greenhouse/server';
import { STRICT_API_CONTRACT, type ApiContractInput } from '#local/simulators/greenhouse/api-contract';

/**
 * A simulator in this process on port 0, a client pointed at it, both on one SimClock (real speed;
 * tests jump with `clock.advance`), and the admin API through `inject` (never rate-limited).
 */
export interface Harness {
  readonly sim: GreenhouseSimulator;
  readonly clock: SimClock;
  client(options?: Partial<GreenhouseClientOptions>): GreenhouseClient;
  admin<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, payload?: object): Promise<T>;
  /** Requests per route since the last reset, e.g. `requests('POST /token')`. */
  requests(route: string): number;
  /** A fresh scenario under the given API-contract switches, request counts at zero. */
  freshTenant(contract: ApiContractInput): Promise<void>;
  close(): Promise<void>;
}

/** Small backoff so retried 5xx and network errors cost milliseconds. */
export const FAST_RETRY = { attempts: 3, baseDelayMs: 2, maxDelayMs: 5 } as const;

export async function startHarness(options: GreenhouseSimulatorOptions = {}): Promise<Harness> {
  clearGreenhouseTokenCache();
  const clock = options.clock ?? new SimClock(1);
  const sim = await startGreenhouseSimulator({
    scenario: DEFAULT_SCENARIO_PATH,
    rateLimit: { limit: 10_000, tokenLimit: 1_000 },
    // GREENHOUSE_SIM_API_CONTRACT=strict runs a suite against the strict write semantics.
    ...(process.env['GREENHOUSE_SIM_API_CONTRACT'] === 'strict' ? { apiContract: STRICT_API_CONTRACT } : {}),
    ...options,
    clock,
  });
  const harness: Harness = {
    sim,
    clock,
    client: (overrides = {}) =>
      new GreenhouseClient({
        baseUrl: sim.url,
        tokenUrl: `${sim.url}/token`,
        credentials: async () => ({ clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET }),
        clock,
        retry: FAST_RETRY,
        timeoutMs: 5_000,
        ...overrides,
      }),
    async admin<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, payload?: object): Promise<T> {
      const response = await sim.app.inject({ method, url: `/_admin${path}`, ...(payload ? { payload } : {}) });
      if (response.statusCode >= 400) throw new Error(`admin ${method} ${path}: ${response.statusCode} ${response.body}`);
      return (response.body ? response.json() : undefined) as T;
    },
    requests: (route) => sim.counts.snapshot()[route] ?? 0,
    async freshTenant(contract) {
      await harness.admin('POST', '/reset');
      await harness.admin('PUT', '/settings', { apiContract: contract });
      await harness.admin('DELETE', '/requests');
    },
    close: () => sim.close(),
  };
  return harness;
}

export interface ReceivedWebhook {
  readonly headers: IncomingHttpHeaders;
  readonly raw: Buffer;
  readonly at: number;
}

/** A webhook endpoint that answers with the next status from `statuses` (then 200) and records every delivery. */
export async function startWebhookReceiver(clock: SimClock, statuses: number[] = []): Promise<{ url: string; received: ReceivedWebhook[]; close(): Promise<void> }> {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      received.push({ headers: request.headers, raw: Buffer.concat(chunks), at: clock.now() });
      response.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/greenhouse`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The error `act` fails with while the credential has every scope but `scope` (then all again). */
export async function failureWithoutScope(h: Harness, scope: string, act: () => Promise<unknown>): Promise<unknown> {
  await h.admin('PUT', `/credentials/${DEFAULT_CLIENT_ID}`, { scopes: ALL_SCOPES.filter((s) => s !== scope) });
  try {
    return await act().catch((e: unknown) => e);
  } finally {
    await h.admin('PUT', `/credentials/${DEFAULT_CLIENT_ID}`, { scopes: 'all' });
  }
}

/**
 * A fetch that lets the first `method` request to a URL ending in `suffix` reach the simulator, then
 * answers it 502: the server acted, the answer was lost. `lost()` says whether that happened.
 */
export function losingFirstAnswer(method: string, suffix: string): typeof fetch & { lost(): boolean } {
  let lost = false;
  const losing = async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const response = await fetch(input, init);
    if (!lost && init?.method === method && String(input).endsWith(suffix)) {
      lost = true;
      await response.body?.cancel();
      return new Response('', { status: 502 });
    }
    return response;
  };
  return Object.assign(losing, { lost: () => lost });
}
