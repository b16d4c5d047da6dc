import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { systemClock } from '#adapters/system-clock';
import { POLL_BACKPRESSURE_BUDGET_MS } from '#core/sync/poll-window';
import { readConfig, requireQueueUrl, requireTableName } from '#lambdas/config';
import { lambdaRuntime } from '#lambdas/runtime';
import { beameryClientFrom, greenhouseClientFrom } from '#wiring/api-clients';
import { publisherFor } from '#wiring/publisher-for';
import { queueRoom } from '#adapters/queue/backpressure';
import { queueDepth } from '#adapters/queue/queue-depth';
import { DynamoDbIdMap } from '#adapters/store/id-map';
import { DynamoDbLedger } from '#adapters/store/ledger';
import { pauseSwitchFrom } from '#adapters/store/switches';
import { makeScheduledRunsHandler } from './make-scheduled-runs-handler.ts';

/**
 * Lambda entry point of the scheduled runs: every schedule invokes this one function with
 * `{ "poller": ... }` (the Greenhouse window pollers, the Beamery contacts poller, the users reference
 * sync, the deletions sweep and the rediscovery run); the behaviour is in make-scheduled-runs-handler.ts.
 */
const { logger, metrics, tracing } = lambdaRuntime('scheduled-runs');
const config = readConfig();
const dynamodb = tracing.captureAWSv3Client(new DynamoDBClient({}));
const sqs = tracing.captureAWSv3Client(new SQSClient({}));
const publisher = publisherFor(config, sqs, { sender: 'the scheduled runs', queues: ['greenhouse-changes', 'beamery-changes', 'ai-tasks'] });
const greenhouseChangesUrl = requireQueueUrl(config, 'greenhouse-changes');
const beamery = beameryClientFrom(config, { dynamodb, tracing });
const idMap = new DynamoDbIdMap(dynamodb, requireTableName(config, 'id-map'));

export const handler = tracing.handler(makeScheduledRunsHandler({
  greenhouse: greenhouseClientFrom(config, { dynamodb, tracing }),
  ledger: new DynamoDbLedger(dynamodb, requireTableName(config, 'ledger')),
  publisher,
  users: { beamery, idMap },
  deletions: { links: (prefixes, startAfter) => idMap.activeLinks(prefixes, startAfter) },
  beameryPoll: { beamery, idMap, publisher, ...(config.beameryToGreenhouse.pushTag ? { pushTag: config.beameryToGreenhouse.pushTag } : {}) },
  // The jobs and candidates pollers keep greenhouse-changes within what the consumer can reconcile;
  // what goes to ai-tasks (scorecards, profiles, rediscovery) is not held back.
  backpressure: {
    budgetMs: POLL_BACKPRESSURE_BUDGET_MS,
    room: () =>
      queueRoom({
        queueDepth: async () => {
          const depth = await queueDepth(sqs, greenhouseChangesUrl);
          return depth.visible + depth.inFlight;
        },
        clock: systemClock,
      }),
  },
  pause: pauseSwitchFrom(config, dynamodb, 'pollers'),
  clock: systemClock,
  logger,
  metrics,
}));
