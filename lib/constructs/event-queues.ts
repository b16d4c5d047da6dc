import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DLQ_RETENTION_DAYS, QUEUES, deadLetterQueueName, queueName, type QueueDefinition } from '#lib/resource-definitions';
import type { QueueId } from '#core/queues';
import { acknowledgeInEveryPack } from '#lib/nag/packs';
import { notifyOn } from './alarm-topic.ts';

export interface EventQueuesProps {
  readonly namePrefix: string;
  readonly maxReceiveCount: number;
  readonly messageAgeAlarmSeconds: number;
  readonly alarmAction: cloudwatch.IAlarmAction;
}

export interface EventQueue {
  readonly definition: QueueDefinition;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  /** Any message on the DLQ: a change that did not sync, or a quarantined delivery. */
  readonly deadLetterAlarm: cloudwatch.Alarm;
  /** The oldest message waited too long: consumers are stuck, throttled or failing slowly. */
  readonly messageAgeAlarm: cloudwatch.Alarm;
}

/**
 * The FIFO queues of QUEUES, each with its own FIFO dead-letter queue and its two alarms. FIFO keeps
 * per-entity order (MessageGroupId = entity key), and a FIFO queue can only redrive into a FIFO DLQ.
 */
export class EventQueues extends Construct {
  private readonly byId = new Map<QueueId, EventQueue>();

  constructor(scope: Construct, id: string, props: EventQueuesProps) {
    super(scope, id);
    for (const definition of QUEUES) this.byId.set(definition.id, buildQueue(this, definition, props));
  }

  get all(): readonly EventQueue[] {
    return [...this.byId.values()];
  }

  get(id: QueueId): EventQueue {
    const found = this.byId.get(id);
    if (!found) throw new Error(`no queue ${id}`);
    return found;
  }

  get alarms(): readonly cloudwatch.Alarm[] {
    return this.all.flatMap((q) => [q.deadLetterAlarm, q.messageAgeAlarm]);
  }
}

/** Why a dead-letter queue has no redrive policy of its own (cdk-nag Serverless-SQSRedrivePolicy). */
export const DEAD_LETTER_QUEUE_END_OF_LINE =
  `A dead-letter queue is the end of the line: its messages wait ${DLQ_RETENTION_DAYS} days for an operator (its alarm fires on the first one; \`bridge dlq\` inspects and redrives them). A redrive policy on it would move them, after some receives by that operator, to a further queue no alarm or runbook watches.`;

function buildQueue(parent: Construct, definition: QueueDefinition, props: EventQueuesProps): EventQueue {
  const scope = new Construct(parent, definition.id);
  const secured = { fifo: true, encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true } as const;
  const name = queueName(definition, props.namePrefix);
  const deadLetterName = deadLetterQueueName(definition, props.namePrefix);

  const deadLetterQueue = new sqs.Queue(scope, 'DeadLetterQueue', {
    ...secured,
    queueName: deadLetterName,
    retentionPeriod: Duration.days(DLQ_RETENTION_DAYS),
  });
  acknowledgeInEveryPack(deadLetterQueue, 'SQSRedrivePolicy', DEAD_LETTER_QUEUE_END_OF_LINE);
  const queue = new sqs.Queue(scope, 'Queue', {
    ...secured,
    queueName: name,
    visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
    retentionPeriod: Duration.days(definition.retentionDays),
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
  });

  const deadLetterAlarm = deadLetterQueue
    .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM })
    .createAlarm(scope, 'DeadLetterAlarm', {
      alarmDescription: `${deadLetterName} holds messages that were not processed (${definition.purpose}). Inspect them, fix the cause, then redrive them to ${name}.`,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // SQS stops reporting for idle queues; no data means nothing is waiting.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  const messageAgeAlarm = queue
    .metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM })
    .createAlarm(scope, 'MessageAgeAlarm', {
      alarmDescription: `The oldest message on ${name} has waited more than ${props.messageAgeAlarmSeconds} s: its consumer is stuck, throttled or failing.`,
      threshold: props.messageAgeAlarmSeconds,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  notifyOn(props.alarmAction, deadLetterAlarm, messageAgeAlarm);

  return { definition, queue, deadLetterQueue, deadLetterAlarm, messageAgeAlarm };
}

/**
 * What a consumer of a queue needs besides its event source and its environment (the queue's and
 * DLQ's URLs and the failure count, from lib/function-environments.ts): the right to move a poison
 * message to the DLQ itself (lambdas/core/queue/redelivery.ts says why the consumer, not SQS, decides).
 */
export function wireConsumer(queue: EventQueue, fn: lambda.Function): void {
  queue.deadLetterQueue.grantSendMessages(fn);
}
