import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { systemClock } from '#adapters/system-clock';
import { readConfig, requireTableName } from '#lambdas/config';
import { lambdaRuntime } from '#lambdas/runtime';
import { beameryClientFrom, greenhouseClientFrom } from '#wiring/api-clients';
import { consumerQueueFrom } from '#adapters/queue/consumer-queue';
import { pauseSwitchFrom } from '#adapters/store/switches';
import { identityKeyReader } from '#adapters/secrets/string-secrets';
import { DynamoDbAudit } from '#adapters/store/audit';
import { DynamoDbIdMap } from '#adapters/store/id-map';
import { DynamoDbLedger } from '#adapters/store/ledger';
import { makeGreenhouseChangesHandler } from './make-greenhouse-changes-handler.ts';

/** Lambda entry point of the greenhouse-changes consumer; the behaviour is in make-greenhouse-changes-handler.ts. */
const { logger, metrics, tracing } = lambdaRuntime('greenhouse-changes');
const config = readConfig();
const dynamodb = tracing.captureAWSv3Client(new DynamoDBClient({}));
const sqs = tracing.captureAWSv3Client(new SQSClient({}));
const audit = new DynamoDbAudit(dynamodb, requireTableName(config, 'audit'));
const common = {
  greenhouse: greenhouseClientFrom(config, { dynamodb, tracing }),
  beamery: beameryClientFrom(config, { dynamodb, tracing }),
  idMap: new DynamoDbIdMap(dynamodb, requireTableName(config, 'id-map')),
  ledger: new DynamoDbLedger(dynamodb, requireTableName(config, 'ledger')),
  audit,
  clock: systemClock,
};

// Read once at cold start: the key never changes after the stack generated it.
const key = await identityKeyReader(config)();

export const handler = tracing.handler(makeGreenhouseChangesHandler({
  greenhouse: common.greenhouse,
  jobs: { ...common, options: { excludeConfidentialJobs: config.sync.excludeConfidentialJobs } },
  lifecycle: {
    ...common,
    options: { identityKey: key, anonymization: { mode: config.sync.anonymizationMode }, greenhouseAppUrl: config.sync.greenhouseAppUrl },
  },
  candidates: {
    ...common,
    options: {
      identityKey: key,
      blockPrivate: config.sync.blockPrivate,
      excludeConfidentialJobs: config.sync.excludeConfidentialJobs,
      copyAiNotes: config.sync.copyAiNotes,
      greenhouseAppUrl: config.sync.greenhouseAppUrl,
      consentKeys: config.beameryToGreenhouse.consentKeys,
    },
  },
  audit,
  clock: systemClock,
  queue: consumerQueueFrom(config, 'greenhouse-changes', { sqs, dynamodb }),
  pause: pauseSwitchFrom(config, dynamodb, 'greenhouse-to-beamery'),
  logger,
  metrics,
}));
