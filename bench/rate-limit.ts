import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { BudgetPolicy } from '#core/rate/budget';
import type { Clock } from '#core/clock';
import { BeameryClient } from '#adapters/beamery/client';
import { BEAMERY_BUDGET_POLICY } from '#adapters/beamery/transport';
import { GreenhouseClient, GREENHOUSE_BUDGET_POLICY } from '#adapters/greenhouse/client';
import { RateLimited, type ApiSystem } from '#core/api-errors';
import { SharedRateBudget, withLeases, type BudgetStore } from '#adapters/http/rate-budget';
import { DynamoDbBudgetStore } from '#adapters/store/dynamodb-budget-store';
import { startDynamoDbLocal } from '#local/dynamodb-local';
import { createTables } from '#local/resources';
import { localDynamoDbClient } from '#local/sdk-clients';
import { SimClock } from '#local/simulators/shared/clock';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, startGreenhouseSimulator } from '#local/simulators/greenhouse/server';
import { startBeamerySimulator } from '#local/simulators/beamery/server';

/**
 * Eight workers (as eight concurrent Lambdas would), each with its own API client and its own
 * SharedRateBudget object, all sharing one tenant's budget item in DynamoDB Local, call a simulator
 * (Greenhouse: 30-second windows; Beamery: 1-second windows) for 60 simulated seconds as fast as the
 * budget lets them, in invocations of CALLS_PER_INVOCATION calls (each a lease scope, as a queue
 * batch is: what it leased and did not spend is given back when it ends). A budget refusal or a 429
 * ends the invocation and makes the worker wait the retry time, as a consumer returning its message
 * to the queue would.
 *
 * Reported: requests the simulator answered 200 per window, as a share of its limit L, the 429s
 * per window per worker (target: at least 0.9 of L, at most one 429 per window per worker), and the
 * budget's DynamoDB requests per API call sent (target: at most 0.5; each store method is one request;
 * each worker's first read of the budget falls in the warm-up, as a Lambda container makes it once).
 */
export interface RateLimitResult {
  readonly system: SimulatedApi;
  readonly workers: number;
  readonly limit: number;
  readonly windows: number;
  readonly simulatedSeconds: number;
  readonly realSeconds: number;
  readonly succeeded: number;
  readonly throughputOfLimit: number;
  readonly serverRejections: number;
  readonly maxRejectionsPerWindowPerWorker: number;
  readonly budgetWaits: number;
  /** DynamoDB requests of the shared budget during the run, and per API call sent (answered or 429). */
  readonly budgetRequests: number;
  readonly budgetRequestsPerApiCall: number;
}

/** API calls of one simulated invocation: a batch of ten candidates makes about this many of each API's. */
const CALLS_PER_INVOCATION = 10;

/** The target the lease design is held to: DynamoDB requests of the budget per API call. */
export const BUDGET_REQUESTS_PER_CALL_TARGET = 0.5;

export function describeRateLimit(r: RateLimitResult): string {
  return (
    `rate budget, ${r.system}: ${r.workers} workers, limit ${r.limit} per window, ${r.simulatedSeconds} simulated s (${r.realSeconds} s real): ` +
    `${r.succeeded} answered = ${r.throughputOfLimit} of the limit; ${r.serverRejections} 429s (at most ${r.maxRejectionsPerWindowPerWorker} per window per worker); ` +
    `${r.budgetWaits} budget waits; ${r.budgetRequestsPerApiCall} DynamoDB requests per API call (target ≤ ${BUDGET_REQUESTS_PER_CALL_TARGET})`
  );
}

/** Counts the calls made to a store: each method of DynamoDbBudgetStore is one DynamoDB request. */
function countingStore(store: BudgetStore, counter: { requests: number }): BudgetStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        counter.requests++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** One simulated API: how to start it with limit L, and one cheap budgeted GET against it. */
interface Target {
  readonly policy: BudgetPolicy;
  readonly timeScale: number;
  start(clock: SimClock, limit: number): Promise<{ url: string; close(): Promise<void> }>;
  caller(url: string, clock: Clock, budget: SharedRateBudget): () => Promise<unknown>;
}

const BEAMERY_CREDENTIALS = { clientId: 'bench-client', clientSecret: 'bench-secret' };

/** The rate-limited SaaS APIs (Bedrock and S3 Vectors throttle by quota, not by a window the bridge budgets). */
type SimulatedApi = Exclude<ApiSystem, 'bedrock' | 's3vectors'>;

const TARGETS: Record<SimulatedApi, Target> = {
  greenhouse: {
    policy: GREENHOUSE_BUDGET_POLICY,
    timeScale: 10,
    start: (clock, limit) => startGreenhouseSimulator({ port: 0, clock, rateLimit: { limit, tokenLimit: 1_000 }, webhooks: [], logger: false }),
    caller: (url, clock, budget) => {
      const client = new GreenhouseClient({
        baseUrl: url,
        tokenUrl: `${url}/token`,
        credentials: async () => ({ clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET }),
        clock,
        perPage: 1,
        budget,
      });
      return () => client.listJobs()[Symbol.asyncIterator]().next();
    },
  },
  beamery: {
    policy: BEAMERY_BUDGET_POLICY,
    // One-second windows: a smaller scale keeps DynamoDB Local's latency small against them.
    timeScale: 1,
    start: (clock, limit) =>
      startBeamerySimulator({ port: 0, clock, settings: { credentials: BEAMERY_CREDENTIALS, rateLimit: { perSecond: limit, tokenPerSecond: 1_000 } } }),
    caller: (url, clock, budget) => {
      const client = new BeameryClient({ baseUrl: url, credentials: async () => BEAMERY_CREDENTIALS, clock, budget });
      return () => client.listUsers();
    },
  },
};

export async function benchRateLimit({ system = 'greenhouse' as SimulatedApi, workers = 8, limit = 50, simulatedSeconds = 60 } = {}): Promise<RateLimitResult> {
  const target = TARGETS[system];
  const windowMs = target.policy.windowMs;
  const clock = new SimClock(target.timeScale);
  const sim = await target.start(clock, limit);
  const dynamoDbLocal = await startDynamoDbLocal();
  const dynamodb: DynamoDBClient = localDynamoDbClient(dynamoDbLocal.endpoint);
  try {
    const ledger = (await createTables(dynamodb, `bench-rate-${system}-`)).ledger;
    const counter = { requests: 0 };
    const callers = Array.from({ length: workers }, () =>
      target.caller(
        sim.url,
        clock,
        new SharedRateBudget({ system, store: countingStore(new DynamoDbBudgetStore(dynamodb, ledger, system, 'bench'), counter), policy: target.policy, clock, maxWaitMs: 5_000 }),
      ),
    );
    // Mint the token (and learn the server's window) before the clock starts counting; every worker
    // makes its first call here too, so its one read of the budget (once per Lambda container, at its
    // cold start) is not counted against a run of two Greenhouse windows.
    for (const call of callers) await call();
    // Start on a boundary of the simulator's windows, so the run covers whole windows.
    const start = Math.ceil((clock.now() + 1_000) / windowMs) * windowMs;
    await clock.sleep(start - clock.now());

    const end = start + simulatedSeconds * 1000;
    counter.requests = 0;
    const rejections = new Map<string, number>();
    let succeeded = 0;
    let budgetWaits = 0;
    const realStart = performance.now();
    await Promise.all(
      callers.map(async (call, worker) => {
        while (clock.now() < end) {
          const limited = await withLeases(async () => {
            for (let i = 0; i < CALLS_PER_INVOCATION && clock.now() < end; i++) {
              try {
                await call();
                if (clock.now() < end) succeeded++;
              } catch (error) {
                if (!(error instanceof RateLimited)) throw error;
                return error;
              }
            }
            return undefined;
          });
          if (!limited) continue;
          if (limited.source === 'server') {
            const key = `${worker}:${Math.floor((clock.now() - start) / windowMs)}`;
            rejections.set(key, (rejections.get(key) ?? 0) + 1);
          } else budgetWaits++;
          await clock.sleep(limited.retryAfterSeconds * 1000);
        }
      }),
    );
    const windows = (simulatedSeconds * 1000) / windowMs;
    const serverRejections = [...rejections.values()].reduce((a, b) => a + b, 0);
    const budgetRequests = counter.requests;
    return {
      system,
      workers,
      limit,
      windows,
      simulatedSeconds,
      realSeconds: Number(((performance.now() - realStart) / 1000).toFixed(1)),
      succeeded,
      throughputOfLimit: Number((succeeded / (limit * windows)).toFixed(3)),
      serverRejections,
      maxRejectionsPerWindowPerWorker: Math.max(0, ...rejections.values()),
      budgetWaits,
      budgetRequests,
      budgetRequestsPerApiCall: Number((budgetRequests / Math.max(1, succeeded + serverRejections)).toFixed(2)),
    };
  } finally {
    dynamodb.destroy();
    await Promise.all([dynamoDbLocal.stop(), sim.close()]);
  }
}
