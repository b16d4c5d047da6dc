import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { ENV } from '#lambdas/config';
import { BY_BEAMERY_KEY_INDEX } from '#adapters/store/id-map';
import type { StackConfig } from '#lib/config';
import { BridgeFunction } from './bridge-function.ts';
import type { EventQueues } from './event-queues.ts';
import type { BridgeSecrets } from './secrets.ts';
import type { BridgeTables } from './tables.ts';

export interface GreenhouseSyncProps {
  readonly config: StackConfig;
  readonly queues: EventQueues;
  readonly tables: BridgeTables;
  readonly secrets: BridgeSecrets;
  readonly alarmAction: cloudwatch.IAlarmAction;
}

/** The service name (metrics dimension, log field) of the Greenhouse → Beamery consumer. */
export const GREENHOUSE_SYNC_SERVICE = 'greenhouse-sync';

/**
 * The Greenhouse → Beamery consumer: the one writer to Beamery. Fed by greenhouse-changes.fifo in
 * batches of up to ten with partial batch failures; its concurrency is capped because the tenants'
 * rate limits, not Lambda, bound the throughput (the budget in the Ledger shares them).
 */
export class GreenhouseSync extends Construct {
  readonly consumer: BridgeFunction;
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: GreenhouseSyncProps) {
    super(scope, id);
    const { config, queues, tables, secrets } = props;
    const queue = queues.get('greenhouse-changes');

    this.consumer = new BridgeFunction(this, 'Consumer', {
      entry: 'lambdas/handlers/greenhouse-changes.ts',
      service: GREENHOUSE_SYNC_SERVICE,
      description: 'Reconciles Greenhouse candidates into Beamery contacts',
      memorySize: 1024,
      // A sixth of the queue's visibility timeout (AWS's rule for SQS event sources).
      timeout: Duration.seconds(queue.definition.visibilityTimeoutSeconds / 6),
      config,
      environment: {
        [queue.definition.urlEnv]: queue.queue.queueUrl,
        ...tables.environmentFor(['ledger', 'id-map', 'audit']),
        [ENV.greenhouseCredentialsArn]: secrets.secret('greenhouse-harvest').secretArn,
        [ENV.beameryCredentialsArn]: secrets.secret('beamery').secretArn,
        [ENV.beameryRegion]: config.beamery.region,
        ...(config.beamery.baseUrl ? { [ENV.beameryBaseUrl]: config.beamery.baseUrl } : {}),
        [ENV.identityKeyArn]: secrets.identityHashKey.secretArn,
        [ENV.tenant]: config.stackName,
        [ENV.syncBlockPrivate]: String(config.sync.blockPrivate),
        [ENV.syncExcludeConfidentialJobs]: String(config.sync.excludeConfidentialJobs),
        [ENV.greenhouseAppUrl]: config.sync.greenhouseAppUrl,
        [ENV.anonymizationMode]: config.sync.anonymizationMode,
        ...(config.sync.greenhouseActingUserId !== undefined ? { [ENV.greenhouseActingUserId]: String(config.sync.greenhouseActingUserId) } : {}),
      },
    });
    const fn = this.consumer.function;
    fn.addEventSource(new SqsEventSource(queue.queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: config.sync.maxConcurrency }));
    // The actions the stores call, and the one index the IdMap reads: no `index/*`, no scans, no batch writes.
    const ledger = tables.table('ledger');
    const idMap = tables.table('id-map');
    const audit = tables.table('audit');
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [ledger.tableArn, idMap.tableArn],
      }),
    );
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${idMap.tableArn}/index/${BY_BEAMERY_KEY_INDEX}`] }));
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:PutItem', 'dynamodb:Query'], resources: [audit.tableArn] }));
    secrets.secret('greenhouse-harvest').grantRead(fn);
    secrets.secret('beamery').grantRead(fn);
    secrets.identityHashKey.grantRead(fn);

    const errors = fn.metricErrors({ period: Duration.minutes(5) }).createAlarm(this, 'ErrorsAlarm', {
      alarmDescription: 'The Greenhouse → Beamery consumer failed; failed messages return to greenhouse-changes.fifo and reach its DLQ after the receive count.',
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    errors.addAlarmAction(props.alarmAction);
    errors.addOkAction(props.alarmAction);
    this.alarms = [errors];
  }
}
