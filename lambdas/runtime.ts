import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE } from '#core/metrics';

/**
 * Singletons shared by a Lambda's invocations. The service name comes from POWERTOOLS_SERVICE_NAME,
 * which each function's construct sets.
 */
export const logger = new Logger();
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE });
