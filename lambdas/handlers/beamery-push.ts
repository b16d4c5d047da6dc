import { SQSClient } from '@aws-sdk/client-sqs';
import { readConfig } from '#lambdas/config';
import { lambdaRuntime } from '#lambdas/runtime';
import { publisherFor } from '#wiring/publisher-for';
import { beameryPushKeyReader } from '#adapters/secrets/string-secrets';
import { makeBeameryPushHandler } from './make-beamery-push-handler.ts';

/** Lambda entry point of `POST /beamery/push`; the behaviour lives in make-beamery-push-handler.ts. */
const { logger, metrics, tracing } = lambdaRuntime('beamery-push');
const config = readConfig();

export const handler = tracing.handler(makeBeameryPushHandler({
  readApiKey: beameryPushKeyReader(config),
  publisher: publisherFor(config, tracing.captureAWSv3Client(new SQSClient({})), { sender: 'the push handler', queues: ['beamery-changes'] }),
  logger,
  metrics,
}));
