import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as z from '#core/zod-mini';
import { systemClock } from '#adapters/system-clock';
import type { Clock } from '#core/clock';
import type { BudgetPolicy } from '#core/rate/budget';
import { ENV, requireTableName, type BridgeConfig } from '#lambdas/config';
import { BeameryClient } from '#adapters/beamery/client';
import { BEAMERY_BUDGET_POLICY } from '#adapters/beamery/transport';
import { GreenhouseClient, GREENHOUSE_BUDGET_POLICY } from '#adapters/greenhouse/client';
import type { ApiSystem } from '#core/api-errors';
import { SharedRateBudget } from '#adapters/http/rate-budget';
import { DynamoDbBudgetStore } from '#adapters/store/dynamodb-budget-store';
import { brokenCapabilitiesReader, DynamoDbDoctorReports } from '#adapters/doctor/doctor-store';
import type { CallTracing } from '#adapters/tracing';

/**
 * The Greenhouse and Beamery clients as a Lambda (or the local stack) builds them from its
 * configuration: credentials from Secrets Manager (plain environment values only on the local
 * stack), and the tenant's rate budget shared through the Ledger table by every invocation.
 */
export interface ClientDependencies {
  readonly dynamodb: DynamoDBClient;
  readonly clock?: Clock;
  /** For `bridge doctor --write-test` only, which checks the very routes an earlier run may have convicted. */
  readonly ignoreDoctorFindings?: boolean;
  /** How long a call may wait for the shared budget (default BUDGET_MAX_WAIT_MS); a CLI can afford to wait. */
  readonly budgetMaxWaitMs?: number;
  /** A Lambda's tracing: each request a `Greenhouse` or `Beamery` span. None elsewhere. */
  readonly tracing?: CallTracing;
}

/**
 * How long an invocation waits for the budget before giving the message back to its queue. Short:
 * a sleeping Lambda is billed, a message waiting on its visibility timeout is not.
 */
export const BUDGET_MAX_WAIT_MS = 2_000;

/** Credentials are re-read at most this often, so a rotated secret is picked up within minutes. */
const CREDENTIALS_CACHE_SECONDS = 300;

const nonEmpty = () => z.string().check(z.minLength(1));
const credentialsSchema = z.object({ clientId: nonEmpty(), clientSecret: nonEmpty() });
const CLIENT_CREDENTIALS_SHAPE = '{"clientId","clientSecret"}';
// Beamery's Basic login (BEAMERY_AUTH=basic) takes the API user's username and password; clientId/clientSecret serve as those too.
const beameryCredentialsSchema = z.union([credentialsSchema, z.object({ username: nonEmpty(), password: nonEmpty() })]);

/** The Greenhouse credentials as the clients read them (Secrets Manager, cached; plain values only locally). */
export function greenhouseCredentialsFrom(config: BridgeConfig): () => Promise<z.infer<typeof credentialsSchema>> {
  return credentialsReader(config.greenhouse, ENV.greenhouseCredentialsArn, credentialsSchema, CLIENT_CREDENTIALS_SHAPE);
}

/** The Beamery credentials as the client reads them: either secret shape (see BEAMERY_AUTH). */
export function beameryCredentialsFrom(config: BridgeConfig): () => Promise<z.infer<typeof beameryCredentialsSchema>> {
  return credentialsReader(config.beamery, ENV.beameryCredentialsArn, beameryCredentialsSchema, `${CLIENT_CREDENTIALS_SHAPE} (or {"username","password"} with ${ENV.beameryAuth}=basic)`);
}

export function greenhouseClientFrom(config: BridgeConfig, deps: ClientDependencies): GreenhouseClient {
  const { apiBaseUrl, tokenUrl, actingUserId } = config.greenhouse;
  return new GreenhouseClient({
    baseUrl: apiBaseUrl,
    tokenUrl,
    ...(actingUserId !== undefined ? { sub: actingUserId } : {}),
    credentials: greenhouseCredentialsFrom(config),
    clock: deps.clock ?? systemClock,
    budget: sharedBudget(config, deps, 'greenhouse', configuredPolicy(GREENHOUSE_BUDGET_POLICY, config.greenhouse.rateLimitMargin, config)),
    ...(deps.tracing ? { spans: deps.tracing.spans } : {}),
  });
}

export function beameryClientFrom(config: BridgeConfig, deps: ClientDependencies): BeameryClient {
  const { baseUrl, region, auth, greenhouseIdField, consentStatusField, consentDateField, profileTagsField, vacancyFields } = config.beamery;
  if (!baseUrl && !region) throw new Error(`configuration: set ${ENV.beameryRegion} (us, us-sandbox, eu) or ${ENV.beameryBaseUrl}`);
  return new BeameryClient({
    ...(baseUrl ? { baseUrl } : { region: region! }),
    credentials: beameryCredentialsFrom(config),
    auth,
    greenhouseIdField,
    consentFields: { status: consentStatusField, date: consentDateField },
    profileTagsField,
    vacancyFields,
    clock: deps.clock ?? systemClock,
    budget: sharedBudget(config, deps, 'beamery', configuredPolicy(BEAMERY_BUDGET_POLICY, config.beamery.rateLimitMargin, config)),
    ...(deps.tracing ? { spans: deps.tracing.spans } : {}),
    ...(deps.ignoreDoctorFindings
      ? {}
      : { doctorFindings: brokenCapabilitiesReader(new DynamoDbDoctorReports(deps.dynamodb, requireTableName(config, 'ledger'), config.tenant), () => (deps.clock ?? systemClock).now()) }),
  });
}

function configuredPolicy(policy: BudgetPolicy, margin: number | undefined, config: BridgeConfig): BudgetPolicy {
  return { ...policy, ...(margin === undefined ? {} : { safetyMargin: margin }), liveShare: config.rateBudget.liveShare };
}

function sharedBudget(config: BridgeConfig, deps: ClientDependencies, system: ApiSystem, policy: BudgetPolicy): SharedRateBudget {
  return new SharedRateBudget({
    system,
    store: new DynamoDbBudgetStore(deps.dynamodb, requireTableName(config, 'ledger'), system, config.tenant),
    policy,
    clock: deps.clock ?? systemClock,
    maxWaitMs: deps.budgetMaxWaitMs ?? BUDGET_MAX_WAIT_MS,
  });
}

function credentialsReader<T>(
  source: { credentialsSecretArn?: string | undefined; localCredentials?: T | undefined },
  arnVariable: string,
  schema: z.ZodMiniType<T>,
  shape: string,
): () => Promise<T> {
  const { credentialsSecretArn, localCredentials } = source;
  if (credentialsSecretArn) {
    return async () => {
      const value = await getSecret(credentialsSecretArn, { maxAge: CREDENTIALS_CACHE_SECONDS, transform: 'json' });
      const parsed = schema.safeParse(value);
      // Never echo the secret's content: name the shape it should have.
      if (!parsed.success) throw new Error(`the secret in ${arnVariable} must be JSON ${shape}`);
      return parsed.data;
    };
  }
  if (localCredentials) return async () => localCredentials;
  throw new Error(`configuration: ${arnVariable} is not set`);
}
