import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { systemClock } from '#adapters/system-clock';
import { readConfig, requirePipelineReportsBucket } from '#lambdas/config';
import { lambdaRuntime } from '#lambdas/runtime';
import { greenhouseClientFrom } from '#wiring/api-clients';
import { makePipelineReportHandler } from './make-pipeline-report-handler.ts';

/**
 * Lambda entry point of the nightly pipeline report (lib/constructs/pipeline-reports.ts); the
 * behaviour is in make-pipeline-report-handler.ts.
 */
const { logger, metrics, tracing } = lambdaRuntime('pipeline-report');
const config = readConfig();
const dynamodb = tracing.captureAWSv3Client(new DynamoDBClient({}));
/** A nightly run can afford to wait for the shared budget far longer than a queue consumer's 2 seconds. */
const BUDGET_WAIT_MS = 60_000;

export const handler = tracing.handler(makePipelineReportHandler({
  greenhouse: greenhouseClientFrom(config, { dynamodb, budgetMaxWaitMs: BUDGET_WAIT_MS, tracing }),
  s3: tracing.captureAWSv3Client(new S3Client({})),
  // Asked for when a run starts, not at cold start: the bucket is the construct's own, outside the
  // shared variable map (lib/function-environments.ts), so the map's cold-start check cannot give it.
  bucket: () => requirePipelineReportsBucket(config),
  settings: config.analytics,
  clock: systemClock,
  logger,
  metrics,
}));
