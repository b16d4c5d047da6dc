import { ENV } from '#lambdas/config';
import { QUEUES, TABLES } from './resource-definitions.ts';

/**
 * The deployed stack's outputs the operator CLI reads with `--stack <name>`, and the environment
 * variable (lambdas/config.ts) each one stands for. lib/bridge-stack.ts declares an output for each
 * row and bin/cli-settings.ts maps them back, so neither side can name one the other lacks. This
 * module imports nothing from aws-cdk-lib: the CLI must not need the CDK.
 */
export interface StackOutputVariable {
  readonly output: string;
  readonly env: string;
  readonly description: string;
}

const pascal = (id: string) => id.replace(/(^|-)(\w)/g, (_m, _dash: string, letter: string) => letter.toUpperCase());

export const STACK_OUTPUT_VARIABLES: readonly StackOutputVariable[] = [
  ...QUEUES.flatMap((q) => [
    { output: `${pascal(q.id)}QueueUrl`, env: q.urlEnv, description: `URL of ${q.id}.fifo (${q.purpose})` },
    { output: `${pascal(q.id)}DlqUrl`, env: q.dlqUrlEnv, description: `URL of the dead-letter queue of ${q.id}.fifo` },
  ]),
  {
    output: 'PollerDlqUrl',
    env: ENV.pollerDlqUrl,
    description: 'URL of the poller schedules\' dead-letter queue (Scheduler DLQ events and the poller\'s on-failure records)',
  },
  ...TABLES.map((t) => ({ output: `${pascal(t.id)}TableName`, env: t.nameEnv, description: `Name of the ${t.id} table` })),
  { output: 'GreenhouseWebhookSecretArn', env: ENV.webhookSecretArn, description: 'Store the Greenhouse web hook secret key here (plain string)' },
  { output: 'GreenhouseHarvestCredentialsArn', env: ENV.greenhouseCredentialsArn, description: 'Store the Harvest v3 OAuth client credentials here ({"clientId","clientSecret"})' },
  { output: 'BeameryCredentialsArn', env: ENV.beameryCredentialsArn, description: 'Store the Beamery client credentials here ({"clientId","clientSecret"})' },
  {
    output: 'BeameryPushApiKeySecretArn',
    env: ENV.beameryPushKeyArn,
    description: 'The generated API key of BeameryPushUrl: aws secretsmanager get-secret-value --secret-id <this ARN>',
  },
];

/**
 * The outputs only a stack with candidate rediscovery on has (its vector bucket and index, declared by
 * lib/constructs/rediscovery-index.ts, which exists only then); bin/cli-settings.ts maps them back too.
 */
export const REDISCOVERY_OUTPUT_VARIABLES: readonly StackOutputVariable[] = [
  { output: 'RediscoveryVectorBucketName', env: ENV.rediscoveryVectorBucket, description: 'The S3 Vectors bucket of candidate rediscovery' },
  { output: 'RediscoveryIndexName', env: ENV.rediscoveryVectorIndex, description: 'The S3 Vectors index of candidate rediscovery (one vector per consenting past candidate)' },
];

/**
 * The output only a stack with `analytics.enabled` has (the reports bucket, declared by
 * lib/constructs/pipeline-reports.ts, which exists only then): `bridge report --stack` reads the
 * latest report from it.
 */
export const PIPELINE_REPORTS_OUTPUT_VARIABLES: readonly StackOutputVariable[] = [
  { output: 'PipelineReportsBucketName', env: ENV.pipelineReportsBucket, description: 'The private S3 bucket of the nightly pipeline reports (reports/latest.html, reports/latest.json, reports/<yyyy-mm-dd>.html)' },
];

/**
 * One output holding the settings the Lambdas get besides resources and secrets (tenant, Beamery
 * region and field locations, …) as a JSON object of environment variables, so the CLI runs with the
 * same ones: a backfill must share the tenant's rate budget, not start a budget of its own.
 */
export const SETTINGS_OUTPUT = 'BridgeCliSettings';
