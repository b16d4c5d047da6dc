import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { AI_SERVICE, METRICS_NAMESPACE, SERVICES } from '#core/metrics';

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
}

/**
 * The Logger and Metrics a Lambda's invocations share, one pair per function. POWERTOOLS_SERVICE_NAME
 * wins when it is set, as it is on AWS; the local stack runs every function in one process and leaves
 * it unset, so each function's own name keeps their lines apart (and a function's context, which
 * the Logger keeps, is not overwritten by another's invocation).
 */
export function lambdaRuntime(functionName: LambdaFunctionName): LambdaRuntime {
  const serviceName = process.env['POWERTOOLS_SERVICE_NAME'] || FUNCTION_SERVICES[functionName];
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName }),
  };
}
