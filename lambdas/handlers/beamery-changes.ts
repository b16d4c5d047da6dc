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
import { makeBeameryChangesHandler } from './make-beamery-changes-handler.ts';

/** Lambda entry point of the beamery-changes consumer; the behaviour is in make-beamery-changes-handler.ts. */
const { logger, metrics, tracing } = lambdaRuntime('beamery-changes');
const config = readConfig();
const dynamodb = tracing.captureAWSv3Client(new DynamoDBClient({}));

// Read once at cold start: the key never changes after the stack generated it.
const identityKey = await identityKeyReader(config)();

export const handler = tracing.handler(makeBeameryChangesHandler({
  contacts: {
    greenhouse: greenhouseClientFrom(config, { dynamodb, tracing }),
    beamery: beameryClientFrom(config, { dynamodb, tracing }),
    idMap: new DynamoDbIdMap(dynamodb, requireTableName(config, 'id-map')),
    ledger: new DynamoDbLedger(dynamodb, requireTableName(config, 'ledger')),
    audit: new DynamoDbAudit(dynamodb, requireTableName(config, 'audit')),
    clock: systemClock,
    options: {
      consentKeys: config.beameryToGreenhouse.consentKeys,
      anonymization: { mode: config.sync.anonymizationMode, greenhouseFields: config.beameryToGreenhouse.anonymizeFields },
      identityKey,
    },
  },
  queue: consumerQueueFrom(config, 'beamery-changes', { sqs: tracing.captureAWSv3Client(new SQSClient({})), dynamodb }),
  pause: pauseSwitchFrom(config, dynamodb, 'beamery-to-greenhouse'),
  logger,
  metrics,
}));
