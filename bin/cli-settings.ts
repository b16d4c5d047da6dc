import { CloudFormationClient, DescribeStacksCommand, type Output } from '@aws-sdk/client-cloudformation';
import { ENV, type BridgeConfig } from '#lambdas/config';
import { QUEUES, TABLES, type TableId } from '#lib/resource-definitions';
import type { QueueId } from '#core/queues';
import { PIPELINE_REPORTS_OUTPUT_VARIABLES, REDISCOVERY_OUTPUT_VARIABLES, SETTINGS_OUTPUT, STACK_OUTPUT_VARIABLES } from '#lib/stack-outputs';

/**
 * Where the operator CLI's configuration comes from, and the check that it is complete before a
 * command calls or writes anything. Three sources, one at a time: the caller's environment (what
 * lambdas/config.ts reads), `--local` (the running `npm start` stack's file), `--stack <name>` (a
 * deployed stack's outputs, lib/stack-outputs.ts; secrets stay ARNs, read from Secrets Manager as
 * the Lambdas read them).
 */

/** How long a CLI command may wait for the shared rate budget: longer than a queue consumer, since an operator waits, not a message. */
export const CLI_BUDGET_WAIT_MS = 30_000;

/** Invalid arguments or missing settings: exit code 2 rather than 1, so a script tells a typo from a failure. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

/** What a command needs configured: a queue (or its DLQ), the poller schedules' DLQ, a table, one of the two APIs, or rediscovery's vector index. */
export type CliSetting = { readonly queue: QueueId; readonly deadLetter?: boolean } | { readonly table: TableId } | 'poller-dlq' | 'greenhouse' | 'beamery' | 'rediscovery-index';

/** Every output the CLI maps back, a rediscovery stack's included. */
const CLI_OUTPUT_VARIABLES = [...STACK_OUTPUT_VARIABLES, ...REDISCOVERY_OUTPUT_VARIABLES, ...PIPELINE_REPORTS_OUTPUT_VARIABLES];
const outputOf = new Map(CLI_OUTPUT_VARIABLES.map((o) => [o.env, o.output]));
/** `NAME (stack output Output)` when a deployed stack has it, so an operator knows both ways to set it. */
const named = (env: string) => (outputOf.has(env) ? `${env} (stack output ${outputOf.get(env)})` : env);

/**
 * Every setting the command lacks, named at once (never one per attempt). On the local runtime the
 * emulators' endpoints and the APIs' URLs are required too: without them the SDK and the clients
 * would reach real AWS and the real Greenhouse or Beamery with the local stack's credentials.
 */
export function missingCliSettings(config: BridgeConfig, needs: readonly CliSetting[], env: NodeJS.ProcessEnv = process.env): string[] {
  const local = config.runtime === 'local';
  const missing = new Set<string>();
  const want = (name: string, present: unknown) => {
    if (present === undefined || present === '') missing.add(named(name));
  };
  for (const need of needs) {
    if (need === 'greenhouse') {
      if (local) {
        want(ENV.greenhouseApiBaseUrl, env[ENV.greenhouseApiBaseUrl]);
        want(ENV.greenhouseTokenUrl, env[ENV.greenhouseTokenUrl]);
        want(ENV.greenhouseClientId, env[ENV.greenhouseClientId]);
        want(ENV.greenhouseClientSecret, env[ENV.greenhouseClientSecret]);
      } else want(ENV.greenhouseCredentialsArn, config.greenhouse.credentialsSecretArn);
      // The shared rate budget lives in the Ledger.
      want(TABLES.find((t) => t.id === 'ledger')!.nameEnv, config.tableNames['ledger']);
    } else if (need === 'beamery') {
      if (local) {
        want(ENV.beameryBaseUrl, config.beamery.baseUrl);
        want(ENV.beameryClientId, env[ENV.beameryClientId]);
        want(ENV.beameryClientSecret, env[ENV.beameryClientSecret]);
      } else {
        want(ENV.beameryCredentialsArn, config.beamery.credentialsSecretArn);
        if (!config.beamery.baseUrl) want(`${ENV.beameryRegion} or ${ENV.beameryBaseUrl}`, config.beamery.region);
      }
      want(TABLES.find((t) => t.id === 'ledger')!.nameEnv, config.tableNames['ledger']);
    } else if (need === 'rediscovery-index') {
      want(ENV.rediscoveryVectorBucket, config.rediscoveryIndex?.vectorBucketName);
      want(ENV.rediscoveryVectorIndex, config.rediscoveryIndex?.indexName);
      if (local) want('AWS_ENDPOINT_URL_S3VECTORS', env['AWS_ENDPOINT_URL_S3VECTORS']);
    } else if (need === 'poller-dlq') {
      want(ENV.pollerDlqUrl, config.pollerDeadLetterQueueUrl);
      if (local) want('AWS_ENDPOINT_URL_SQS', env['AWS_ENDPOINT_URL_SQS']);
    } else if ('queue' in need) {
      const def = QUEUES.find((q) => q.id === need.queue)!;
      want(need.deadLetter ? def.dlqUrlEnv : def.urlEnv, (need.deadLetter ? config.deadLetterQueueUrls : config.queueUrls)[need.queue]);
      if (local) want('AWS_ENDPOINT_URL_SQS', env['AWS_ENDPOINT_URL_SQS']);
    } else {
      want(TABLES.find((t) => t.id === need.table)!.nameEnv, config.tableNames[need.table]);
      if (local) want('AWS_ENDPOINT_URL_DYNAMODB', env['AWS_ENDPOINT_URL_DYNAMODB']);
    }
    if (local) want('AWS_REGION', env['AWS_REGION'] || env['AWS_DEFAULT_REGION']);
  }
  return [...missing].sort();
}

/** Throws a UsageError (exit 2) naming every missing setting, before the command calls or writes anything. */
export function requireCliSettings(config: BridgeConfig, needs: readonly CliSetting[], env: NodeJS.ProcessEnv = process.env): void {
  const missing = missingCliSettings(config, needs, env);
  if (missing.length > 0) {
    throw new UsageError(
      `missing configuration (nothing was called or written): ${missing.join(', ')}. Set them, or run with --local (the running npm start stack) or --stack <name> (a deployed stack's outputs)`,
    );
  }
}

/** The environment a deployed stack's outputs stand for: resources, secret ARNs, and the Lambdas' other settings. */
export function environmentFromStackOutputs(outputs: readonly Output[]): Record<string, string> {
  const byKey = new Map(outputs.flatMap((o) => (o.OutputKey && o.OutputValue !== undefined ? [[o.OutputKey, o.OutputValue]] : [])));
  const settings = byKey.get(SETTINGS_OUTPUT);
  return {
    ...(settings ? (JSON.parse(settings) as Record<string, string>) : {}),
    ...Object.fromEntries(CLI_OUTPUT_VARIABLES.flatMap((o) => (byKey.has(o.output) ? [[o.env, byKey.get(o.output)!]] : []))),
  };
}

/**
 * `--stack <name>`: DescribeStacks in the caller's region and credentials. A stack deployed before the
 * CLI outputs existed lacks them; requireCliSettings then names the outputs to add (redeploy).
 */
export async function readStackEnvironment(name: string, cloudformation: CloudFormationClient = new CloudFormationClient({})): Promise<Record<string, string>> {
  let outputs: readonly Output[];
  try {
    const { Stacks } = await cloudformation.send(new DescribeStacksCommand({ StackName: name }));
    outputs = Stacks?.[0]?.Outputs ?? [];
  } catch (error) {
    if (error instanceof Error && /does not exist/.test(error.message)) throw new UsageError(`no stack named ${JSON.stringify(name)} in this account and region`);
    throw error;
  }
  return { ...environmentFromStackOutputs(outputs), [ENV.runtime]: 'aws', AWS_REGION: await cloudformation.config.region() };
}
