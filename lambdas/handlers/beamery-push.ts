import { SQSClient } from '@aws-sdk/client-sqs';
import { readConfig, requireQueueUrl } from '#lambdas/config';
import { lambdaRuntime } from '#lambdas/runtime';
import { SqsQueuePublisher } from '#adapters/queue/sqs-publisher';
import { beameryPushKeyReader } from '#adapters/secrets/string-secrets';
import { makeBeameryPushHandler } from './make-beamery-push-handler.ts';

/** Lambda entry point of `POST /beamery/push`; the behaviour lives in make-beamery-push-handler.ts. */
const { logger, metrics } = lambdaRuntime('beamery-push');
const config = readConfig();

// Resolved now, so a missing queue variable fails the cold start with its name, not a request.
const queueUrl = requireQueueUrl(config, 'beamery-changes');

export const handler = makeBeameryPushHandler({
  readApiKey: beameryPushKeyReader(config),
  publisher: new SqsQueuePublisher(new SQSClient({}), (queue, deadLetter) => {
    if (queue !== 'beamery-changes' || deadLetter) throw new Error(`the push handler does not send to ${queue}${deadLetter ? ' (dead-letter)' : ''}`);
    return queueUrl;
  }),
  logger,
  metrics,
});
