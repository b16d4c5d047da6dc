import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Envelope } from '#core/envelope';
import { runAiTask, type AiTaskDependencies, type AiTaskReport } from '#core/ai/run-task';
import type { MetricsSink } from '#adapters/metrics-sink';
import type { ConsumerQueue } from '#adapters/queue/consumer-queue';
import type { PauseSwitch } from '#adapters/store/switches';
import { makeFifoConsumer } from './fifo-consumer.ts';

/**
 * The ai-tasks consumer: the AI workflows on Greenhouse events (DESIGN principle 1: AI writes happen
 * here and nowhere else). It takes a Greenhouse event off the queue, runs it (core/ai/run-task.ts
 * decides which workflow, and what each outcome counts) and reports the outcome as metrics and log lines.
 */
export interface AiTasksDependencies extends AiTaskDependencies {
  readonly queue: ConsumerQueue;
  /** The operator's pause switch of this flow (`bridge pause`). */
  readonly pause?: PauseSwitch;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
}

export function makeAiTasksHandler(deps: AiTasksDependencies) {
  const { logger, metrics } = deps;
  const report: AiTaskReport = {
    metric: (name, unit, value) => void metrics.addMetric(name, MetricUnit[unit], value),
    info: (message, fields) => logger.info(message, fields),
  };

  async function handle(envelope: Envelope): Promise<void> {
    if (envelope.kind !== 'greenhouse.event') {
      logger.warn('not an AI task; left for the DLQ', { kind: envelope.kind, deliveryId: envelope.deliveryId });
      throw new Error(`ai-tasks cannot handle ${envelope.kind}`);
    }
    await runAiTask(envelope, deps, report);
  }

  return makeFifoConsumer({ handle, queue: deps.queue, logger, metrics, ...(deps.pause ? { pause: deps.pause } : {}) });
}
