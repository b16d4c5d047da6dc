import type { Metrics } from '@aws-lambda-powertools/metrics';

/** The part of Powertools Metrics the handlers use, so tests and the benchmark can count without EMF output. */
export interface MetricsSink {
  addMetric(...args: Parameters<Metrics['addMetric']>): unknown;
  publishStoredMetrics(): unknown;
}
