import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { MetricsSink } from '#adapters/metrics-sink';

export interface InvocationIo {
  readonly logger: Pick<Logger, 'addContext'>;
  readonly metrics: Pick<MetricsSink, 'publishStoredMetrics'>;
}

/**
 * Every entry's frame: the invocation's context on each log line, and the metrics it counted flushed
 * however it ends. Powertools does the same as Middy middlewares or method decorators; the handlers
 * here are plain functions built by factories (so tests can give them their dependencies) and the
 * bridge carries no Middy, so these few lines stand in for them.
 */
export async function withInvocation<T>(io: InvocationIo, context: Context | undefined, run: () => Promise<T>): Promise<T> {
  if (context) io.logger.addContext(context);
  try {
    return await run();
  } finally {
    io.metrics.publishStoredMetrics();
  }
}
