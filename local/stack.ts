import { fileURLToPath } from 'node:url';
import type * as z from 'zod';
import { ENV } from '#lambdas/config';
import { parseAiSettings, type aiSettingsSchema } from '#core/ai/settings';
import { NON_FILTERABLE_METADATA_KEYS } from '#adapters/ai/s3-vectors-index';
import { rediscoveryIndexEnvironment, rediscoveryIndexLocationFor } from '#lib/function-environments';
import type { LambdaFunctionName } from '#lambdas/runtime';
import type { QueueId } from '#core/queues';
import { startApiGateway, type LocalApiGateway } from './api-gateway.ts';
import { BEAMERY_PUSH_PATH, LOCAL_BEAMERY_PUSH_API_KEY, LOCAL_CREDENTIALS, LOCAL_REGION } from './defaults.ts';
import { startEmulators, type Emulators } from './emulators.ts';
import { startEventSourceMapping, type EventSourceMapping, type SqsBatchHandler } from './event-source-mapping.ts';
import { LOOPBACK_HOST } from './listen-host.ts';
import { createResources, resourceEnvironment, type LocalResources } from './resources.ts';
import { startSaas, type SaasOptions } from './saas.ts';
import { startS3VectorsSimulator } from './simulators/s3vectors/server.ts';
import { startLocalSchedules, type LocalSchedules, type PollIntervals } from './schedules.ts';

/**
 * The whole bridge on one machine: emulators, the stack's queues and tables, the webhook route, and
 * event-source mappings for whichever consumers are given. The Lambdas run in this process and read
 * their configuration from process.env at import time, exactly as on AWS, so the environment is set
 * before any handler module is imported.
 */
export interface LocalStackOptions {
  readonly webhookPort?: number;
  readonly sqsPort?: number;
  readonly dynamodbPort?: number;
  /** The S3 Vectors simulator's port (default: a free one; the stack file tells the CLI which). */
  readonly s3vectorsPort?: number;
  /** The address every server listens on: the API Gateway, the emulators, the simulators (default 127.0.0.1). */
  readonly host?: string;
  /**
   * Keeps DynamoDB Local's and the SQS emulator's data in this directory, so a stack started again on
   * it finds its tables, items, queues and messages; without it everything is in memory. The
   * simulators keep theirs in memory either way.
   */
  readonly dataDir?: string;
  readonly webhookSecret: string;
  /** The API key of POST /beamery/push (default LOCAL_BEAMERY_PUSH_API_KEY). */
  readonly pushApiKey?: string;
  /**
   * Consumers to drive from their queues, as Lambda's SQS event-source mappings would. Default: the
   * bridge's own consumer Lambdas; `{}` leaves every message waiting on its queue.
   */
  readonly consumers?: Partial<Record<QueueId, SqsBatchHandler>>;
  /** Greenhouse and Beamery: simulators (on free ports unless given) or the real APIs. */
  readonly saas?: Pick<SaasOptions, 'greenhouse' | 'beamery' | 'variants'>;
  /** Between scheduled polls, for all or per poller (default: each poller's deployed rate); 0 = only when `schedules.trigger()` is called. */
  readonly pollIntervalMs?: PollIntervals;
  /** TEST ONLY: every queue's visibility timeout, so a failed message comes back in seconds, not minutes. */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * The AI settings (lambdas/core/ai/settings.ts) the ai-tasks consumer reads. Default: the offline
   * providers with every workflow off, as a fresh deployment has them (but without Bedrock).
   */
  readonly ai?: z.input<typeof aiSettingsSchema>;
  /** Where the Bedrock provider sends Converse calls (the Bedrock simulator); without it, the real Bedrock. */
  readonly bedrockEndpoint?: string;
}

export interface LocalStack {
  readonly webhookUrl: string;
  /** POST /beamery/push on the same local API Gateway. */
  readonly pushUrl: string;
  readonly sqsEndpoint: string;
  readonly dynamodbEndpoint: string;
  /** The S3 Vectors simulator, holding rediscovery's index. */
  readonly s3vectorsEndpoint: string;
  readonly dynamodbPid: number;
  readonly resources: LocalResources;
  /** The Greenhouse and Beamery base URLs the Lambdas use (a simulator's, or `real`). */
  readonly greenhouse: string;
  readonly beamery: string;
  /** The hourly pollers, as EventBridge Scheduler would run them. */
  readonly schedules: LocalSchedules;
  stop(): Promise<void>;
}

/** The fictional company's values, benefits and EEO statement, in the repository. */
export const LOCAL_COMPANY_CORPUS = fileURLToPath(new URL('./company-corpus/', import.meta.url));

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    // Reverse order: stop taking webhooks and batches before the emulators go away.
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const host = options.host ?? LOOPBACK_HOST;
    const emulators = await startEmulators({ sqsPort: options.sqsPort, dynamodbPort: options.dynamodbPort, host, dataDir: options.dataDir });
    cleanups.push(() => emulators.stop());
    const resources = await createResources(
      emulators,
      options.visibilityTimeoutSeconds !== undefined ? { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds } : {},
    );
    const ai = options.ai ?? { provider: 'offline' };
    const vectors = await serveVectors(options.s3vectorsPort ?? 0, host, ai);
    cleanups.push(() => vectors.close());
    Object.assign(process.env, lambdaEnvironment(emulators, resources, options.webhookSecret, options.pushApiKey), vectors.environment, {
      [ENV.aiSettings]: JSON.stringify(ai),
      // Job-description drafts read the sample company's texts here; a deployment reads its S3 prefix.
      [ENV.companyCorpusDir]: LOCAL_COMPANY_CORPUS,
      ...(options.visibilityTimeoutSeconds !== undefined ? { [ENV.localQueueVisibilitySeconds]: String(options.visibilityTimeoutSeconds) } : {}),
    });
    if (options.bedrockEndpoint) process.env['AWS_ENDPOINT_URL_BEDROCK_RUNTIME'] = options.bedrockEndpoint;
    // Keep a developer's real AWS session out of reach: the local stack must never call AWS.
    delete process.env['AWS_SESSION_TOKEN'];
    delete process.env['AWS_PROFILE'];
    // Every function runs in this process: one service name for all would label every line with it.
    delete process.env['POWERTOOLS_SERVICE_NAME'];

    const gateway = await serveWebhooks(options.webhookPort ?? 0, host);
    cleanups.push(() => gateway.close());

    // After the gateway: the Greenhouse simulator sends its webhooks there.
    const saas = await startSaas({
      ...(options.saas ?? { greenhouse: { kind: 'simulator', port: 0 }, beamery: { kind: 'simulator', port: 0 } }),
      webhookUrl: gateway.webhookUrl,
      webhookSecret: options.webhookSecret,
      host,
    });
    cleanups.push(() => saas.stop());
    Object.assign(process.env, saas.environment);

    const mappings = startConsumers(emulators, resources, options.consumers ?? (await bridgeConsumers()));
    cleanups.push(() => Promise.all(mappings.map((m) => m.stop())).then(() => undefined));

    // Imported only now: the poller reads its configuration when its module is evaluated.
    const { handler: poller } = await import('#handlers/scheduled-runs');
    const schedules = startLocalSchedules({ handler: poller, functionName: FUNCTION_NAMES.poller, ...(options.pollIntervalMs !== undefined ? { intervalMs: options.pollIntervalMs } : {}) });
    cleanups.push(() => schedules.stop());

    return {
      webhookUrl: gateway.webhookUrl,
      pushUrl: gateway.urlFor(BEAMERY_PUSH_PATH),
      sqsEndpoint: emulators.sqsEndpoint,
      dynamodbEndpoint: emulators.dynamodbEndpoint,
      s3vectorsEndpoint: vectors.url,
      dynamodbPid: emulators.dynamodbPid,
      resources,
      greenhouse: saas.greenhouse,
      beamery: saas.beamery,
      schedules,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * What a deployed Lambda finds in its environment, pointed at the emulators. SDK v3 clients created
 * without an endpoint (as the handlers create them) honour AWS_ENDPOINT_URL_<SERVICE>.
 */
export function lambdaEnvironment(
  emulators: Pick<Emulators, 'sqsEndpoint' | 'dynamodbEndpoint'>,
  resources: LocalResources,
  webhookSecret: string,
  pushApiKey: string = LOCAL_BEAMERY_PUSH_API_KEY,
): Record<string, string> {
  return {
    ...resourceEnvironment(resources),
    [ENV.runtime]: 'local',
    [ENV.webhookSecretValue]: webhookSecret,
    // Not a secret: on AWS the stack generates the key in Secrets Manager.
    [ENV.identityKeyValue]: 'local-identity-hash-key',
    [ENV.beameryPushKeyValue]: pushApiKey,
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_SQS: emulators.sqsEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamodbEndpoint,
    ...LOCAL_TRACING_ENVIRONMENT,
  };
}

/**
 * Tracing off, said outright. Powertools Tracer already disables itself outside Lambda, but it takes
 * any AWS_EXECUTION_ENV for Lambda, and that variable is set in shells that are not (CloudShell, an
 * ECS task); the local stack has no X-Ray daemon to send to either.
 * POWERTOOLS_TRACE_ENABLED=false wins over everything else.
 */
export const LOCAL_TRACING_ENVIRONMENT = { POWERTOOLS_TRACE_ENABLED: 'false' } as const;

/**
 * Rediscovery's vector index: the S3 Vectors simulator, started with the bucket and index the deployed
 * stack's CloudFormation would have made for these settings (same names, the embedder's size), so the
 * functions run the real S3VectorsIndex adapter. A simulator rather than the exact index in process:
 * a chaos run's consumers are processes of their own (local/consumer-process.ts), and one index must
 * serve them all. Like the other simulators it keeps its vectors in memory; rediscovery re-indexes.
 */
async function serveVectors(port: number, host: string, ai: z.input<typeof aiSettingsSchema>) {
  const { embedding } = parseAiSettings(ai).rediscovery;
  const location = rediscoveryIndexLocationFor('local', embedding);
  const simulator = await startS3VectorsSimulator({ port, host, indexes: [{ ...location, dimension: embedding.dimensions, nonFilterableMetadataKeys: NON_FILTERABLE_METADATA_KEYS }] });
  return { url: simulator.url, close: () => simulator.close(), environment: { ...rediscoveryIndexEnvironment(location), AWS_ENDPOINT_URL_S3VECTORS: simulator.url } };
}

/**
 * The functions' names in their Lambda context (and so in their log lines): their entry files' names,
 * as lambdas/runtime.ts knows them. On AWS the stack generates longer names; these tell the functions
 * apart the same way.
 */
export const FUNCTION_NAMES = {
  ingest: 'ingest-webhook',
  push: 'beamery-push',
  poller: 'scheduled-runs',
  consumers: { 'greenhouse-changes': 'greenhouse-changes', 'beamery-changes': 'beamery-changes', 'ai-tasks': 'ai-tasks' },
} as const satisfies { readonly [role: string]: LambdaFunctionName | Record<QueueId, LambdaFunctionName> };

async function serveWebhooks(port: number, host: string): Promise<LocalApiGateway> {
  // Imported only now: the handlers read their configuration when their modules are evaluated.
  const { handler } = await import('#handlers/ingest-webhook');
  const { handler: push } = await import('#handlers/beamery-push');
  return startApiGateway({
    handler,
    port,
    host,
    functionName: FUNCTION_NAMES.ingest,
    routes: [{ path: BEAMERY_PUSH_PATH, handler: push, functionName: FUNCTION_NAMES.push }],
  });
}

/**
 * Each consumer Lambda's handler, imported only when asked, like the ingest handler: each reads its
 * configuration when its module is evaluated. local/consumer-process.ts uses the same entries.
 */
export const CONSUMER_HANDLERS: Readonly<Record<QueueId, () => Promise<SqsBatchHandler>>> = {
  'greenhouse-changes': async () => (await import('#handlers/greenhouse-changes')).handler,
  'beamery-changes': async () => (await import('#handlers/beamery-changes')).handler,
  'ai-tasks': async () => (await import('#handlers/ai-tasks')).handler,
};

async function bridgeConsumers(): Promise<Partial<Record<QueueId, SqsBatchHandler>>> {
  const ids = Object.keys(CONSUMER_HANDLERS) as QueueId[];
  return Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await CONSUMER_HANDLERS[id]()] as const)));
}

function startConsumers(
  emulators: Emulators,
  resources: LocalResources,
  consumers: Partial<Record<QueueId, SqsBatchHandler>>,
): EventSourceMapping[] {
  const entries = Object.entries(consumers) as [QueueId, SqsBatchHandler | undefined][];
  return entries.flatMap(([id, handler]) =>
    handler ? [startEventSourceMapping({ sqs: emulators.sqs, queue: resources.queues[id], handler, functionName: FUNCTION_NAMES.consumers[id] })] : [],
  );
}
