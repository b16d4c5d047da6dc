import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '#core/metrics';
import { reservedConcurrencyOf, type ReservedConcurrencyFunction, type StackConfig } from '#lib/config';
import { acknowledgeFunctionFindings, type FunctionExposure } from '#lib/nag/function-findings';
import { LogEncryptionKey } from './log-encryption.ts';

/** The repository root, from this file's location: `cdk` and the tests may run from any directory. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

// ESM bundles have no `require`; CommonJS dependencies bundled into them (parts of the AWS SDK's
// dependency tree) still call it for Node built-ins.
const REQUIRE_SHIM =
  "import { createRequire as __bridgeCreateRequire } from 'node:module'; const require = __bridgeCreateRequire(import.meta.url);";

/**
 * Credential providers the SDK's default chain loads only by `import()`, after its first link (the
 * environment variables) has failed. Lambda always sets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
 * AWS_SESSION_TOKEN from the function's role, so on Lambda the chain never goes past that link, and
 * bundling these (SSO, shared ini files, sign-in, STS and SSO-OIDC clients, web identity, process,
 * container and instance metadata) cost a fifth of each bundle for code that never runs. Left
 * external, such an import would fail loudly (ERR_MODULE_NOT_FOUND) instead of being guessed at.
 * docs/architecture.md, "Bundles", has the numbers.
 */
export const UNUSED_CREDENTIAL_PROVIDERS = [
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-login',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
  '@aws-sdk/nested-clients',
] as const;

/**
 * The SDK's event-stream serde (codec, marshallers: about 14 KiB). The SDK's protocols load it with
 * `import()` only for an operation with an event-stream member; DynamoDB, SQS and Secrets Manager
 * have none, so it is left out of every bundle but those of STREAMING_ENTRIES, whose Bedrock or S3
 * client imports it statically (the bundles test fails on a static import of anything left out).
 */
export const EVENT_STREAM_SERDE = '@smithy/core/event-streams';
export const STREAMING_ENTRIES: ReadonlySet<string> = new Set(['lambdas/handlers/ai-tasks.ts', 'lambdas/handlers/pipeline-report.ts']);

/** What a handler's bundle leaves out: the credential providers always, the event-stream serde where no client streams. */
export function externalModulesFor(entry: string): string[] {
  return [...BUNDLING.externalModules, ...(STREAMING_ENTRIES.has(entry) ? [] : [EVENT_STREAM_SERDE])];
}

/**
 * Modules a handler loads with `import()` only when it needs them, built as files of their own beside
 * index.mjs: NodejsFunction bundles into one output file, where esbuild cannot split code, so the
 * importing module names the file at run time (lambdas/adapters/lazy-module.ts) and it is built after
 * the main bundle, into the assets whose bundle names it.
 */
export const LAZY_MODULES = [
  { source: 'lambdas/adapters/pdf-text.ts', file: 'pdf-text.mjs' },
  { source: 'lambdas/adapters/docx-text.ts', file: 'docx-text.mjs' },
  { source: 'lambdas/adapters/ai/inclusive-language.ts', file: 'inclusive-language.mjs' },
] as const;

/**
 * The esbuild options of every bundle, the lazy modules' included: one build, one set of settings
 * (bench/bundle-contents.ts builds with them too, to measure what a bundle holds).
 */
export const BUNDLING = {
  format: OutputFormat.ESM,
  target: 'node24',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: REQUIRE_SHIM,
  externalModules: [...UNUSED_CREDENTIAL_PROVIDERS],
} as const;

/**
 * Packages replaced in every bundle by a module of ours: `semver`, which the X-Ray SDK loads only for
 * a patcher the bridge never calls (lambdas/adapters/xray-semver-stand-in.ts says why).
 */
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = { semver: './lambdas/adapters/xray-semver-stand-in.ts' };

const aliasArgs = (): Record<string, string> => Object.fromEntries(Object.entries(BUNDLE_ALIASES).map(([name, path]) => [`--alias:${name}`, path]));

const shellQuote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

/** Shell commands that build each lazy module the main bundle names, with the main bundle's options. */
function lazyModuleCommands(inputDir: string, outputDir: string): string[] {
  return LAZY_MODULES.map(({ source, file }) => {
    const args = [
      'npx', '--no-install', 'esbuild', '--bundle', `${inputDir}/${source}`, `--outfile=${outputDir}/${file}`,
      `--target=${BUNDLING.target}`, '--platform=node', `--format=${BUNDLING.format}`, '--minify', '--sourcemap', '--sources-content=false',
      ...BUNDLING.externalModules.map((external) => `--external:${external}`),
      `--banner:js=${BUNDLING.banner}`, `--main-fields=${BUNDLING.mainFields.join(',')}`,
    ];
    return `if grep -qF ${shellQuote(file)} ${shellQuote(`${outputDir}/index.mjs`)}; then ${args.map(shellQuote).join(' ')}; fi`;
  });
}

export interface BridgeFunctionProps {
  /** Handler module, relative to the repository root, exporting `handler`. */
  readonly entry: string;
  /** POWERTOOLS_SERVICE_NAME: the `service` dimension of this function's metrics and its log field. */
  readonly service: string;
  readonly description: string;
  readonly environment?: Readonly<Record<string, string>>;
  readonly memorySize?: number;
  readonly timeout?: Duration;
  readonly config: Pick<StackConfig, 'logRetentionDays' | 'logLevel' | 'reservedConcurrency'>;
  /** Its key in config `reservedConcurrency`: the function's reserved concurrency, if one is configured. */
  readonly concurrencyKey: ReservedConcurrencyFunction;
  /** How it is invoked, what it reaches, what bounds it: the reasons of its cdk-nag decisions. */
  readonly exposure: FunctionExposure;
}

/**
 * A bridge Lambda: Node.js 24 on arm64, one ESM bundle with every dependency (the AWS SDK included,
 * so the deployed code runs the SDK version the tests ran), JSON logs into its own log group with a
 * retention, encrypted with the stack's log key, and a role that may write only to that log group
 * until grants are added.
 */
export class BridgeFunction extends Construct {
  readonly function: NodejsFunction;
  /** The handler module, relative to the repository root (the bench maps bundles to functions by it). */
  readonly entry: string;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: BridgeFunctionProps) {
    super(scope, id);
    this.entry = props.entry;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.config.logRetentionDays,
      encryptionKey: LogEncryptionKey.of(this),
    });
    // Instead of AWSLambdaBasicExecutionRole (logs:CreateLogGroup and writes to every log group):
    // the function's log group exists, so streams and events in it are all it needs.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.service}: ${props.description}`,
    });
    this.logGroup.grantWrite(this.role);

    const reserved = reservedConcurrencyOf(props.config, props.concurrencyKey);
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
      ...(reserved === undefined ? {} : { reservedConcurrentExecutions: reserved }),
      // Powertools Tracer (lambdas/runtime.ts) adds the Greenhouse, Beamery and Bedrock subsegments.
      tracing: lambda.Tracing.ACTIVE,
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
        ...BUNDLING,
        mainFields: [...BUNDLING.mainFields],
        externalModules: externalModulesFor(props.entry),
        esbuildArgs: aliasArgs(),
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: lazyModuleCommands,
        },
      },
    });
    acknowledgeFunctionFindings(this.function, this.role, props.exposure, reserved === undefined ? props.concurrencyKey : undefined);
  }
}
