import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DEFAULT_PROVIDERS } from '@aws-lambda-powertools/parameters/base';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AI_SERVICE, METRICS_NAMESPACE, SERVICES } from '#core/metrics';
import { powertoolsTracing, type CallTracing, type LambdaTracing } from '#adapters/tracing';

/**
 * Each Lambda's service name (the `service` field of its logs and the dimension of its metrics), by
 * the name of its entry file, which the local stack also uses as the function name. On AWS the
 * function's construct sets the same name in POWERTOOLS_SERVICE_NAME (lib/constructs).
 */
export const FUNCTION_SERVICES = {
  'ingest-webhook': SERVICES.ingest,
  'beamery-push': SERVICES.beameryPush,
  'greenhouse-changes': 'greenhouse-sync',
  'beamery-changes': 'beamery-sync',
  'ai-tasks': AI_SERVICE,
  // The scheduled runs keep the service the poller was deployed under: its metrics and alarms use it.
  'scheduled-runs': 'greenhouse-poller',
  'pipeline-report': SERVICES.pipelineReport,
} as const;

export type LambdaFunctionName = keyof typeof FUNCTION_SERVICES;

export interface LambdaRuntime {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** X-Ray through a Powertools Tracer: on in Lambda, off anywhere else (lambdaTracer). */
  readonly tracing: LambdaTracing;
}

/**
 * The Logger, Metrics and Tracer a Lambda's invocations share, one set per function. POWERTOOLS_SERVICE_NAME
 * wins when it is set, as it is on AWS; the local stack runs every function in one process and leaves
 * it unset, so each function's own name keeps their lines apart (and a function's context, which
 * the Logger keeps, is not overwritten by another's invocation).
 */
export function lambdaRuntime(functionName: LambdaFunctionName): LambdaRuntime {
  const serviceName = process.env['POWERTOOLS_SERVICE_NAME'] || FUNCTION_SERVICES[functionName];
  const tracing = powertoolsTracing(lambdaTracer(serviceName));
  if (tracing.enabled) traceSecretsManager(tracing);
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName }),
    tracing,
  };
}

/**
 * A function's Tracer, configured here rather than by environment variables in the stack, so AWS and
 * the local stack read the same settings. Whether it traces at all is Powertools' own rule: only
 * inside Lambda (AWS_EXECUTION_ENV set, and not SAM's or Amplify's local emulation), and never with
 * POWERTOOLS_TRACE_ENABLED=false, which the local stack sets anyway.
 *
 * `captureHTTPsRequests: false`: the automatic capture of every fetch would record each request's
 * full URL, and a Beamery lookup carries an email address in its query string. The Greenhouse and
 * Beamery calls are traced by their HTTP client instead, as route templates
 * (lambdas/adapters/http/api-client.ts).
 */
export function lambdaTracer(serviceName: string): Tracer {
  return new Tracer({ serviceName, captureHTTPsRequests: false });
}

/**
 * Every secret is read through Powertools' getSecret (the API credentials, the webhook secret, the
 * push and identity keys), which builds its own Secrets Manager client once; giving it one that is
 * traced puts those reads in the trace like every other AWS call.
 */
function traceSecretsManager(tracing: CallTracing): void {
  DEFAULT_PROVIDERS['secrets'] = new SecretsProvider({ awsSdkV3Client: tracing.captureAWSv3Client(new SecretsManagerClient({})) });
}
