import type { RediscoverySettings } from '#core/ai/settings';
import type { QueueId } from '#core/queues';
import { ROUTED_QUEUES } from '#core/webhooks/catalogue';
import { QUARANTINE_QUEUE } from '#core/webhooks/delivery';
import { ENV } from '#lambdas/config';
import { beameryEnvironment, type StackConfig } from '#lib/config';
import { queueDefinition, tableDefinition, type TableId } from '#lib/resource-definitions';

/**
 * Which variables each Lambda gets: the one list the constructs build their environments from, and
 * that test/unit/config/function-environments.test.ts checks against what each entry file reads at
 * cold start. A variable a function does not read is left out, so its configuration says what it uses.
 */

/** The secrets a function reads, by what they hold; each reaches it as an ARN variable. */
export type SecretRef = 'greenhouse-webhook' | 'greenhouse-harvest' | 'beamery' | 'identity-hash-key' | 'beamery-push-key';

/** Groups of settings from the stack configuration, each one or more variables. */
export type SettingGroup =
  | 'tenant'
  | 'greenhouse-acting-user'
  | 'beamery-connection'
  | 'anonymization-mode'
  | 'ai'
  | 'analytics'
  | 'payload-cap'
  | 'push-tag'
  | 'max-failures'
  | 'rate-budget'
  | 'greenhouse-to-beamery'
  | 'beamery-to-greenhouse';

export interface FunctionEnvironmentSpec {
  /** The entry file, from the repository root. */
  readonly entry: string;
  readonly queues: readonly QueueId[];
  readonly deadLetters: readonly QueueId[];
  readonly tables: readonly TableId[];
  readonly secrets: readonly SecretRef[];
  readonly settings: readonly SettingGroup[];
}

export type BridgeFunctionId = 'ingest-webhook' | 'beamery-push' | 'greenhouse-changes' | 'beamery-changes' | 'ai-tasks' | 'scheduled-runs' | 'pipeline-report';

const NONE = [] as const;

const syncConsumer = {
  tables: ['ledger', 'id-map', 'audit'],
  secrets: ['greenhouse-harvest', 'beamery', 'identity-hash-key'],
} as const;
const SYNC_SETTINGS = ['tenant', 'rate-budget', 'greenhouse-acting-user', 'beamery-connection', 'anonymization-mode', 'max-failures'] as const;

export const FUNCTION_ENVIRONMENTS: Readonly<Record<BridgeFunctionId, FunctionEnvironmentSpec>> = {
  'ingest-webhook': {
    entry: 'lambdas/handlers/ingest-webhook.ts',
    queues: ROUTED_QUEUES,
    deadLetters: [QUARANTINE_QUEUE],
    tables: ['idempotency'],
    secrets: ['greenhouse-webhook'],
    settings: ['payload-cap'],
  },
  'beamery-push': {
    entry: 'lambdas/handlers/beamery-push.ts',
    queues: ['beamery-changes'],
    deadLetters: NONE,
    tables: NONE,
    secrets: ['beamery-push-key'],
    settings: NONE,
  },
  'greenhouse-changes': {
    entry: 'lambdas/handlers/greenhouse-changes.ts',
    queues: ['greenhouse-changes'],
    deadLetters: ['greenhouse-changes'],
    ...syncConsumer,
    settings: [...SYNC_SETTINGS, 'greenhouse-to-beamery'],
  },
  'beamery-changes': {
    entry: 'lambdas/handlers/beamery-changes.ts',
    queues: ['beamery-changes'],
    deadLetters: ['beamery-changes'],
    ...syncConsumer,
    settings: [...SYNC_SETTINGS, 'beamery-to-greenhouse'],
  },
  'ai-tasks': {
    entry: 'lambdas/handlers/ai-tasks.ts',
    queues: ['ai-tasks'],
    deadLetters: ['ai-tasks'],
    tables: ['ledger', 'audit'],
    secrets: ['greenhouse-harvest'],
    settings: ['tenant', 'rate-budget', 'greenhouse-acting-user', 'ai', 'max-failures'],
  },
  'scheduled-runs': {
    entry: 'lambdas/handlers/scheduled-runs.ts',
    queues: ['greenhouse-changes', 'beamery-changes', 'ai-tasks'],
    deadLetters: NONE,
    tables: ['ledger', 'id-map'],
    secrets: ['greenhouse-harvest', 'beamery'],
    settings: ['tenant', 'rate-budget', 'greenhouse-acting-user', 'beamery-connection', 'push-tag'],
  },
  // Its bucket is the construct's own (lib/constructs/pipeline-reports.ts), which adds the variable naming it.
  'pipeline-report': {
    entry: 'lambdas/handlers/pipeline-report.ts',
    queues: NONE,
    deadLetters: NONE,
    tables: ['ledger'],
    secrets: ['greenhouse-harvest'],
    settings: ['tenant', 'rate-budget', 'greenhouse-acting-user', 'analytics'],
  },
};

const SECRET_ARN_VARIABLES: Readonly<Record<SecretRef, string>> = {
  'greenhouse-webhook': ENV.webhookSecretArn,
  'greenhouse-harvest': ENV.greenhouseCredentialsArn,
  beamery: ENV.beameryCredentialsArn,
  'identity-hash-key': ENV.identityKeyArn,
  'beamery-push-key': ENV.beameryPushKeyArn,
};

function settingVariables(group: SettingGroup, config: StackConfig): Record<string, string> {
  switch (group) {
    case 'tenant':
      return { [ENV.tenant]: config.stackName };
    case 'greenhouse-acting-user':
      return config.sync.greenhouseActingUserId !== undefined ? { [ENV.greenhouseActingUserId]: String(config.sync.greenhouseActingUserId) } : {};
    case 'beamery-connection':
      return beameryEnvironment(config);
    case 'anonymization-mode':
      return { [ENV.anonymizationMode]: config.sync.anonymizationMode };
    case 'ai':
      return { [ENV.aiSettings]: JSON.stringify(config.ai) };
    case 'analytics':
      return { [ENV.analyticsSettings]: JSON.stringify({ lookbackDays: config.analytics.lookbackDays, report: config.analytics.report }) };
    case 'payload-cap':
      return { [ENV.payloadCapBytes]: String(config.webhookPayloadCapBytes) };
    case 'push-tag':
      return { [ENV.beameryPushTag]: config.beameryToGreenhouse.pushTag };
    case 'max-failures':
      return { [ENV.maxMessageFailures]: String(config.maxFailures) };
    case 'rate-budget':
      return { [ENV.rateBudgetLiveShare]: String(config.rateBudget.liveShare) };
    case 'greenhouse-to-beamery':
      return {
        [ENV.syncBlockPrivate]: String(config.sync.blockPrivate),
        [ENV.syncExcludeConfidentialJobs]: String(config.sync.excludeConfidentialJobs),
        [ENV.syncCopyAiNotes]: String(config.sync.copyAiNotes),
        [ENV.greenhouseAppUrl]: config.sync.greenhouseAppUrl,
      };
    case 'beamery-to-greenhouse': {
      const { consentStatusField, consentDateField, anonymizeFields } = config.beameryToGreenhouse;
      return {
        ...(consentStatusField ? { [ENV.consentStatusField]: consentStatusField } : {}),
        ...(consentDateField ? { [ENV.consentDateField]: consentDateField } : {}),
        [ENV.anonymizeFields]: anonymizeFields.join(','),
      };
    }
  }
}

/** Where rediscovery's vectors are (lambdas/config.ts `rediscoveryIndex`). */
export interface RediscoveryIndexLocation {
  readonly vectorBucketName: string;
  readonly indexName: string;
}

/**
 * The names of rediscovery's bucket and index, for the stack (lib/constructs/rediscovery-index.ts) and
 * the local stack alike. The bucket is named by the stack within S3 Vectors' rules (3–63 lowercase
 * letters, digits and hyphens). The index is named by the embedder and its size: a change of either
 * needs a new index (S3 Vectors fixes the dimension at creation, and vectors of two models do not
 * compare), which CloudFormation creates under the new name before it deletes the old one.
 */
export function rediscoveryIndexLocationFor(stackName: string, embedding: Pick<RediscoverySettings['embedding'], 'provider' | 'dimensions'>): RediscoveryIndexLocation {
  const suffix = '-rediscovery';
  return {
    vectorBucketName: `${stackName.toLowerCase().slice(0, 63 - suffix.length).replace(/-+$/, '')}${suffix}`,
    indexName: `candidates-${embedding.provider}-${embedding.dimensions}`,
  };
}

/**
 * The variables naming rediscovery's vector bucket and index: given to ai-tasks by its construct, and
 * to the local stack's functions, only where rediscovery has an index (the stack creates one only
 * when `ai.rediscovery.enabled`).
 */
export function rediscoveryIndexEnvironment(location: RediscoveryIndexLocation): Record<string, string> {
  return { [ENV.rediscoveryVectorBucket]: location.vectorBucketName, [ENV.rediscoveryVectorIndex]: location.indexName };
}

/** The variables of the given setting groups, as the functions and the CLI read them. */
export function settingsEnvironment(groups: readonly SettingGroup[], config: StackConfig): Record<string, string> {
  return Object.assign({}, ...groups.map((group) => settingVariables(group, config)));
}

/** Where the values come from: CDK tokens in the stack, anything resolvable in a test. */
export interface EnvironmentSources {
  queueUrl(id: QueueId, deadLetter: boolean): string;
  tableName(id: TableId): string;
  /** Only the secrets this function reads need be present. */
  readonly secretArns: Partial<Record<SecretRef, string>>;
}

export function functionEnvironment(id: BridgeFunctionId, config: StackConfig, sources: EnvironmentSources): Record<string, string> {
  const spec = FUNCTION_ENVIRONMENTS[id];
  return {
    ...Object.fromEntries(spec.queues.map((q) => [queueDefinition(q).urlEnv, sources.queueUrl(q, false)])),
    ...Object.fromEntries(spec.deadLetters.map((q) => [queueDefinition(q).dlqUrlEnv, sources.queueUrl(q, true)])),
    ...Object.fromEntries(spec.tables.map((t) => [tableDefinition(t).nameEnv, sources.tableName(t)])),
    ...Object.fromEntries(
      spec.secrets.map((ref) => {
        const arn = sources.secretArns[ref];
        if (arn === undefined) throw new Error(`${id} reads the ${ref} secret, and no ARN was given for it`);
        return [SECRET_ARN_VARIABLES[ref], arn];
      }),
    ),
    ...settingsEnvironment(spec.settings, config),
  };
}
