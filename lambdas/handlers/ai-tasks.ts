import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { readConfig } from '#lambdas/config';
import { lambdaRuntime } from '#lambdas/runtime';
import { consumerQueueFrom } from '#adapters/queue/consumer-queue';
import { pauseSwitchFrom } from '#adapters/store/switches';
import { aiWorkflowsFrom } from '#wiring/ai-workflows';
import { makeAiTasksHandler } from './make-ai-tasks-handler.ts';

/** Lambda entry point of the ai-tasks consumer; the behaviour is in make-ai-tasks-handler.ts, the workflows' wiring in lambdas/wiring/ai-workflows.ts. */
const { logger, metrics, tracing } = lambdaRuntime('ai-tasks');
const config = readConfig();
const dynamodb = tracing.captureAWSv3Client(new DynamoDBClient({}));
const sqs = tracing.captureAWSv3Client(new SQSClient({}));

export const handler = tracing.handler(makeAiTasksHandler({
  ...aiWorkflowsFrom(config, { dynamodb, tracing }),
  settings: config.ai,
  queue: consumerQueueFrom(config, 'ai-tasks', { sqs, dynamodb }),
  pause: pauseSwitchFrom(config, dynamodb, 'ai'),
  logger,
  metrics,
}));
