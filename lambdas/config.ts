import * as z from 'zod';
import { QUEUES, TABLES, type QueueId, type TableId } from '#lib/resource-definitions';

/**
 * The one place that reads process.env. Each Lambda gets only the variables its construct sets;
 * a handler asks for what it needs with the `require*` helpers, which fail at cold start with the
 * variable's name rather than deep inside a request.
 */

/** Names of the environment variables the stack and the local stack set (besides queue and table ones). */
export const ENV = {
  webhookSecretArn: 'GREENHOUSE_WEBHOOK_SECRET_ARN',
  /** Only honoured with BRIDGE_RUNTIME=local: the local stack has no Secrets Manager. */
  webhookSecretValue: 'GREENHOUSE_WEBHOOK_SECRET',
  payloadCapBytes: 'WEBHOOK_PAYLOAD_CAP_BYTES',
  runtime: 'BRIDGE_RUNTIME',
  /** Names the tenant's shared rate budgets in the Ledger; one deployment serves one tenant. */
  tenant: 'BRIDGE_TENANT',
  greenhouseApiBaseUrl: 'GREENHOUSE_API_BASE_URL',
  greenhouseTokenUrl: 'GREENHOUSE_TOKEN_URL',
  /** Secret JSON {"clientId","clientSecret"} of the Harvest v3 credential. */
  greenhouseCredentialsArn: 'GREENHOUSE_CREDENTIALS_SECRET_ARN',
  /** The acting user (`sub`) for Harvest calls: a Site Admin, or absent for the integration's service user. */
  greenhouseActingUserId: 'GREENHOUSE_ACTING_USER_ID',
  beameryRegion: 'BEAMERY_REGION',
  beameryBaseUrl: 'BEAMERY_BASE_URL',
  /** Secret JSON {"clientId","clientSecret"} of the Beamery API user. */
  beameryCredentialsArn: 'BEAMERY_CREDENTIALS_SECRET_ARN',
  /** Share of each API's rate limit the bridge leaves unused (0–0.5); defaults in the adapters. */
  greenhouseRateMargin: 'GREENHOUSE_RATE_LIMIT_MARGIN',
  beameryRateMargin: 'BEAMERY_RATE_LIMIT_MARGIN',
  /** Local stack only, in place of the secrets above. */
  greenhouseClientId: 'GREENHOUSE_CLIENT_ID',
  greenhouseClientSecret: 'GREENHOUSE_CLIENT_SECRET',
  beameryClientId: 'BEAMERY_CLIENT_ID',
  beameryClientSecret: 'BEAMERY_CLIENT_SECRET',
} as const;

export const DEFAULT_PAYLOAD_CAP_BYTES = 256 * 1024;

const localCredentials = z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1) }).optional();

const configSchema = z.object({
  runtime: z.enum(['aws', 'local']).default('aws'),
  queueUrls: z.record(z.string(), z.url()),
  deadLetterQueueUrls: z.record(z.string(), z.url()),
  tableNames: z.record(z.string(), z.string().min(1)),
  webhook: z.object({
    secretArn: z.string().startsWith('arn:').optional(),
    secretValue: z.string().min(1).optional(),
    payloadCapBytes: z.coerce.number().int().positive().default(DEFAULT_PAYLOAD_CAP_BYTES),
  }),
  tenant: z.string().min(1).default('default'),
  greenhouse: z.object({
    apiBaseUrl: z.url().default('https://harvest.greenhouse.io'),
    tokenUrl: z.url().default('https://auth.greenhouse.io/token'),
    credentialsSecretArn: z.string().startsWith('arn:').optional(),
    actingUserId: z.coerce.number().int().positive().optional(),
    rateLimitMargin: z.coerce.number().min(0).max(0.5).optional(),
    localCredentials,
  }),
  beamery: z.object({
    region: z.enum(['us', 'us-sandbox', 'eu']).optional(),
    baseUrl: z.url().optional(),
    credentialsSecretArn: z.string().startsWith('arn:').optional(),
    rateLimitMargin: z.coerce.number().min(0).max(0.5).optional(),
    localCredentials,
  }),
});

export type BridgeConfig = z.infer<typeof configSchema>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): BridgeConfig {
  const pick = <T extends { id: string }>(items: readonly T[], name: (item: T) => string) =>
    Object.fromEntries(items.flatMap((item) => (env[name(item)] ? [[item.id, env[name(item)]]] : [])));
  const runtime = env[ENV.runtime] ?? 'aws';
  const parsed = configSchema.safeParse({
    runtime,
    queueUrls: pick(QUEUES, (q) => q.urlEnv),
    deadLetterQueueUrls: pick(QUEUES, (q) => q.dlqUrlEnv),
    tableNames: pick(TABLES, (t) => t.nameEnv),
    webhook: {
      secretArn: env[ENV.webhookSecretArn] || undefined,
      // A plain secret in the environment is for the local stack only; on AWS it comes from Secrets Manager.
      secretValue: runtime === 'local' ? env[ENV.webhookSecretValue] || undefined : undefined,
      payloadCapBytes: env[ENV.payloadCapBytes] || undefined,
    },
    tenant: env[ENV.tenant] || undefined,
    greenhouse: {
      apiBaseUrl: env[ENV.greenhouseApiBaseUrl] || undefined,
      tokenUrl: env[ENV.greenhouseTokenUrl] || undefined,
      credentialsSecretArn: env[ENV.greenhouseCredentialsArn] || undefined,
      actingUserId: env[ENV.greenhouseActingUserId] || undefined,
      rateLimitMargin: env[ENV.greenhouseRateMargin] || undefined,
      localCredentials: localOnly(runtime, env[ENV.greenhouseClientId], env[ENV.greenhouseClientSecret]),
    },
    beamery: {
      region: env[ENV.beameryRegion] || undefined,
      baseUrl: env[ENV.beameryBaseUrl] || undefined,
      credentialsSecretArn: env[ENV.beameryCredentialsArn] || undefined,
      rateLimitMargin: env[ENV.beameryRateMargin] || undefined,
      localCredentials: localOnly(runtime, env[ENV.beameryClientId], env[ENV.beameryClientSecret]),
    },
  });
  if (!parsed.success) throw new Error(`invalid configuration: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

// Plain credentials in the environment are for the local stack only; on AWS they come from Secrets Manager.
function localOnly(runtime: string, clientId: string | undefined, clientSecret: string | undefined) {
  return runtime === 'local' && clientId && clientSecret ? { clientId, clientSecret } : undefined;
}

export function requireQueueUrl(config: BridgeConfig, id: QueueId, deadLetter = false): string {
  const url = (deadLetter ? config.deadLetterQueueUrls : config.queueUrls)[id];
  if (!url) {
    const def = QUEUES.find((q) => q.id === id)!;
    throw new Error(`configuration: ${deadLetter ? def.dlqUrlEnv : def.urlEnv} is not set`);
  }
  return url;
}

export function requireTableName(config: BridgeConfig, id: TableId): string {
  const name = config.tableNames[id];
  if (!name) throw new Error(`configuration: ${TABLES.find((t) => t.id === id)!.nameEnv} is not set`);
  return name;
}
