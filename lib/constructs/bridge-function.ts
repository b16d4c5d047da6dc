import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '#core/metrics';
import type { StackConfig } from '#lib/config';

/** The repository root, from this file's location: `cdk` and the tests may run from any directory. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

// ESM bundles have no `require`; CommonJS dependencies bundled into them (parts of the AWS SDK's
// dependency tree) still call it for Node built-ins.
const REQUIRE_SHIM =
  "import { createRequire as __bridgeCreateRequire } from 'node:module'; const require = __bridgeCreateRequire(import.meta.url);";

export interface BridgeFunctionProps {
  /** Handler module, relative to the repository root, exporting `handler`. */
  readonly entry: string;
  /** POWERTOOLS_SERVICE_NAME: the `service` dimension of this function's metrics and its log field. */
  readonly service: string;
  readonly description: string;
  readonly environment?: Readonly<Record<string, string>>;
  readonly memorySize?: number;
  readonly timeout?: Duration;
  readonly config: Pick<StackConfig, 'logRetentionDays' | 'logLevel'>;
}

/**
 * A bridge Lambda: Node.js 24 on arm64, one ESM bundle with every dependency (the AWS SDK included,
 * so the deployed code runs the SDK version the tests ran), JSON logs into its own log group with a
 * retention, and a role that may write only to that log group until grants are added.
 */
export class BridgeFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: BridgeFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', { retention: props.config.logRetentionDays });
    // Instead of AWSLambdaBasicExecutionRole (logs:CreateLogGroup and writes to every log group):
    // the function's log group exists, so streams and events in it are all it needs.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.service}: ${props.description}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(REPO_ROOT, props.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel[props.config.logLevel],
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.service,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        mainFields: ['module', 'main'],
        banner: REQUIRE_SHIM,
        externalModules: [],
      },
    });
  }
}
