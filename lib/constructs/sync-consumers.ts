import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { BY_BEAMERY_KEY_INDEX } from '#adapters/store/id-map';
import type { StackConfig } from '#lib/config';
import { BridgeFunction } from './bridge-function.ts';
import { stackEnvironment } from './function-environment.ts';
import { wireConsumer, type EventQueues } from './event-queues.ts';
import { grantSecretValue, type BridgeSecrets } from './secrets.ts';
import type { BridgeTables } from './tables.ts';
import { anyOccurrenceAlarm, notifyOn } from './alarm-topic.ts';
import { serviceCountMetric } from './webhook-api.ts';
import { CAPABILITY_BROKEN_METRIC } from '#adapters/beamery/errors';

export interface SyncConsumerProps {
  readonly config: StackConfig;
  readonly queues: EventQueues;
  readonly tables: BridgeTables;
  readonly secrets: BridgeSecrets;
  readonly alarmAction: cloudwatch.IAlarmAction;
}

/** The service names (metrics dimension, log field) of the two sync consumers. */
export const GREENHOUSE_SYNC_SERVICE = 'greenhouse-sync';
export const BEAMERY_SYNC_SERVICE = 'beamery-sync';

interface Direction {
  readonly queue: 'greenhouse-changes' | 'beamery-changes';
  readonly entry: string;
  readonly service: string;
  readonly description: string;
  readonly alarmDescription: string;
  readonly concurrencyKey: 'greenhouseSync' | 'beamerySync';
}

/**
 * A sync consumer: the one writer to its target system (DESIGN principle 1), fed by its FIFO queue
 * in batches of up to ten with partial batch failures; its concurrency is capped because the tenants'
 * rate limits, not Lambda, bound the throughput (the budget in the Ledger shares them). Both
 * directions read both APIs (the three-way rule compares the two sides) and use the same stores, so
 * they get the same grants; only their queue and a few settings differ.
 */
abstract class SyncConsumer extends Construct {
  readonly consumer: BridgeFunction;
  readonly alarms: readonly cloudwatch.Alarm[];

  protected constructor(scope: Construct, id: string, props: SyncConsumerProps, direction: Direction) {
    super(scope, id);
    const { config, queues, tables, secrets } = props;
    const queue = queues.get(direction.queue);

    this.consumer = new BridgeFunction(this, 'Consumer', {
      entry: direction.entry,
      service: direction.service,
      description: direction.description,
      memorySize: 1024,
      concurrencyKey: direction.concurrencyKey,
      exposure: {
        invokedBy: 'sqs',
        reaches: 'the Greenhouse Harvest and Beamery APIs and AWS DynamoDB, SQS and Secrets Manager',
        concurrencyBound: `its SQS event source runs at most sync.maxConcurrency (${config.sync.maxConcurrency}) batches at once, and the tenants' rate budgets, kept in the Ledger, pace its calls`,
      },
      // A sixth of the queue's visibility timeout (AWS's rule for SQS event sources).
      timeout: Duration.seconds(queue.definition.visibilityTimeoutSeconds / 6),
      config,
      environment: stackEnvironment(direction.queue, config, {
        queues,
        tables,
        secretArns: {
          'greenhouse-harvest': secrets.secret('greenhouse-harvest').secretArn,
          beamery: secrets.secret('beamery').secretArn,
          'identity-hash-key': secrets.identityHashKey.secretArn,
        },
      }),
    });
    const fn = this.consumer.function;
    wireConsumer(queue, fn);
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
    grantSecretValue(secrets.secret('greenhouse-harvest'), fn);
    grantSecretValue(secrets.secret('beamery'), fn);
    grantSecretValue(secrets.identityHashKey, fn);

    this.alarms = notifyOn(
      props.alarmAction,
      anyOccurrenceAlarm(this, 'ErrorsAlarm', fn.metricErrors({ period: Duration.minutes(5) }), direction.alarmDescription),
      anyOccurrenceAlarm(
        this,
        'CapabilityBrokenAlarm',
        serviceCountMetric(CAPABILITY_BROKEN_METRIC, direction.service, Duration.minutes(5)),
        'A Beamery route the bridge relies on is wrong for this tenant (it answers 404 for records that exist, or the configured login is not served): no retry fixes it. Run `npm run bridge -- doctor` for the evidence, fix the configuration, run it again, then redrive the DLQ.',
      ),
    );
  }
}

/** Greenhouse → Beamery: the one writer to Beamery, fed by greenhouse-changes.fifo. */
export class GreenhouseToBeamerySync extends SyncConsumer {
  constructor(scope: Construct, id: string, props: SyncConsumerProps) {
    super(scope, id, props, {
      queue: 'greenhouse-changes',
      entry: 'lambdas/handlers/greenhouse-changes.ts',
      service: GREENHOUSE_SYNC_SERVICE,
      concurrencyKey: 'greenhouseSync',
      description: 'Reconciles Greenhouse candidates into Beamery contacts',
      alarmDescription: 'The Greenhouse → Beamery consumer failed; failed messages return to greenhouse-changes.fifo and reach its DLQ after maxFailures real failures (rate limits and outages only wait).',
    });
  }
}

/** Beamery → Greenhouse: the one writer to Greenhouse of the sync, fed by beamery-changes.fifo. */
export class BeameryToGreenhouseSync extends SyncConsumer {
  constructor(scope: Construct, id: string, props: SyncConsumerProps) {
    super(scope, id, props, {
      queue: 'beamery-changes',
      entry: 'lambdas/handlers/beamery-changes.ts',
      service: BEAMERY_SYNC_SERVICE,
      concurrencyKey: 'beamerySync',
      description: 'Reconciles Beamery contacts into Greenhouse candidates (pushes, updates, notes, merges, anonymization)',
      alarmDescription: 'The Beamery → Greenhouse consumer failed; failed messages return to beamery-changes.fifo and reach its DLQ after maxFailures real failures (rate limits and outages only wait).',
    });
  }
}
