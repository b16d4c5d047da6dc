import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  DEFAULT_SCHEDULE_MINUTES,
  DEFAULT_WINDOW_POLICY,
  POLLER_TIMEOUT_SECONDS,
  REDISCOVERY_RUNS,
  SCHEDULED_RUNS,
  checkWindowPolicy,
  isWindowPoller,
  type ScheduledRun,
} from '#core/sync/poll-window';
import { BY_BEAMERY_KEY_INDEX } from '#adapters/store/id-map';
import type { PollerEvent } from '#core/sync/poll-window';
import type { StackConfig } from '#lib/config';
import { DLQ_RETENTION_DAYS } from '#lib/resource-definitions';
import { BridgeFunction } from './bridge-function.ts';
import { stackEnvironment } from './function-environment.ts';
import { DEAD_LETTER_QUEUE_END_OF_LINE, type EventQueues } from './event-queues.ts';
import { acknowledgeInEveryPack } from '#lib/nag/packs';
import { INLINE_POLICY_REASON } from '#lib/nag/function-findings';
import { grantSecretValue, type BridgeSecrets } from './secrets.ts';
import type { BridgeTables } from './tables.ts';
import { notifyOn } from './alarm-topic.ts';

/** The service name (metrics dimension, log field) of the scheduled pollers. */
export const POLLER_SERVICE = 'greenhouse-poller';

export interface PollerScheduleSettings {
  /** How often the poller runs; at least a minute. Default: hourly (the Beamery poller: 5 minutes). */
  readonly rate?: Duration;
  /**
   * A disabled schedule stays deployed but does not fire. Default: enabled; the `profiles` and
   * `rediscovery` schedules follow `ai.rediscovery.enabled` (off by default).
   */
  readonly enabled?: boolean;
}

/** The window policy passed to every run in its input (lambdas/core/sync/poll-window.ts). */
export interface PollWindowSettings {
  /** How far before the watermark each window starts again. Default 10 minutes. */
  readonly overlap?: Duration;
  /** The longest window, for catching up after an outage. Default 24 hours. */
  readonly maxWindow?: Duration;
  /** How far the first run (no watermark yet) looks back. Default 1 hour. */
  readonly firstRunLookback?: Duration;
}

export interface PollSchedulesProps {
  readonly config: StackConfig;
  readonly queues: EventQueues;
  readonly tables: BridgeTables;
  readonly secrets: BridgeSecrets;
  readonly alarmAction: cloudwatch.IAlarmAction;
  readonly pollers?: Partial<Record<ScheduledRun, PollerScheduleSettings>>;
  readonly window?: PollWindowSettings;
  /** Scheduler's retries when invoking the poller fails (throttled, not found); 0–185. Default 3. */
  readonly invokeRetryAttempts?: number;
}

/** Scheduler's and Lambda's retries give up after this: by then the next hourly tick covers the time anyway. */
export const MAX_EVENT_AGE = Duration.hours(1);
/** Lambda's own retries of a failed run (0–2), a minute and then two minutes apart. */
export const RUN_RETRY_ATTEMPTS = 2;

const DESCRIPTIONS: Readonly<Record<ScheduledRun, string>> = {
  jobs: 'Greenhouse jobs (and interview stages) updated since the watermark → greenhouse-changes.fifo',
  candidates: 'Greenhouse candidates, applications, notes and attachments updated since the watermark → greenhouse-changes.fifo',
  scorecards: 'Applications whose Greenhouse scorecards changed since the watermark → ai-tasks.fifo (feedback synthesis; Greenhouse has no scorecard webhook)',
  users: 'Greenhouse users linked to Beamery users by email in the IdMap (note authors, credited-to)',
  beamery: 'Beamery contacts updated since the watermark, linked or tagged for a push → beamery-changes.fifo',
  deletions: 'Linked Greenhouse candidates and jobs checked by ids=; confirmed absences (a missed delete webhook) → greenhouse-changes.fifo',
  profiles: 'Candidates whose records, resumes, applications or tags changed since the watermark → ai-tasks.fifo (the candidate rediscovery index)',
  rediscovery: 'One message per open Greenhouse job → ai-tasks.fifo (candidate rediscovery matching; scope is the AI consumer\'s gate)',
};

/**
 * The scheduled half of change detection (DESIGN "Shape"): EventBridge Scheduler invokes one poller
 * Lambda per schedule with `{ "poller": "jobs" | "candidates", "window": {...} }`; the poller
 * enqueues what changed on greenhouse-changes.fifo, where the webhook path's messages go too. A third
 * schedule, `{ "poller": "users" }`, runs the users reference sync into the IdMap on the same function:
 * it reads Greenhouse with the same credentials and budget, and a function of its own would only
 * repeat this construct's alarms and dead-letter wiring. A fourth, `{ "poller": "beamery" }` every 5
 * minutes, lists Beamery contacts updated since its watermark onto beamery-changes.fifo (Beamery
 * publishes no webhooks), for the same reason. A fifth, `{ "poller": "deletions" }` (daily,
 * `sync.deletionSweepHours`), checks the linked candidates and jobs for hard deletes no webhook announced.
 * Two more feed candidate rediscovery on ai-tasks.fifo: `{ "poller": "profiles", "window": {...} }`
 * (hourly) for its index and `{ "poller": "rediscovery" }` (daily) for its matching. They are deployed
 * whatever the settings, and enabled only while `ai.rediscovery.enabled` is: turning rediscovery on or
 * off flips their state, and `aws scheduler` and the console show them either way.
 *
 * Scheduler invokes Lambda asynchronously, so failures come in two kinds, and both end on one
 * dead-letter queue: an invocation Scheduler could not make (its retry policy, then its
 * DeadLetterConfig) and a run that failed (Lambda's asynchronous retries, then an on-failure
 * destination, whose record carries the error). Neither loses data: the watermark only moves after a
 * completed window, so the next tick lists the same time again.
 *
 * Grants are the poller's needs only: send to greenhouse-changes.fifo, beamery-changes.fifo and ai-tasks.fifo (and its
 * own failure queue), read greenhouse-changes' depth (backpressure), get/put/update Ledger items (watermarks, and the shared rate budget kept there),
 * get/put IdMap items (user links), scan it (the deletions sweep) and query its reverse index (is a Beamery contact linked?), read
 * the Harvest and Beamery credentials.
 */
export class PollSchedules extends Construct {
  readonly poller: BridgeFunction;
  readonly deadLetterQueue: sqs.Queue;
  readonly schedules: Readonly<Record<ScheduledRun, scheduler.Schedule>>;
  /** The role Scheduler assumes: invoke the poller, write to the dead-letter queue. */
  readonly schedulerRole: iam.Role;
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: PollSchedulesProps) {
    super(scope, id);
    const { config, queues, tables, secrets } = props;
    const changes = queues.get('greenhouse-changes');
    const beameryChanges = queues.get('beamery-changes');
    const aiTasks = queues.get('ai-tasks');
    const ledger = tables.table('ledger');
    const idMap = tables.table('id-map');
    const harvest = secrets.secret('greenhouse-harvest');
    const beamery = secrets.secret('beamery');
    const input = windowInput(props.window);
    const invokeRetryAttempts = props.invokeRetryAttempts ?? 3;
    if (!Number.isInteger(invokeRetryAttempts) || invokeRetryAttempts < 0 || invokeRetryAttempts > 185) {
      throw new Error('invokeRetryAttempts must be a whole number from 0 to 185');
    }

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(DLQ_RETENTION_DAYS),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue: of the poller schedules (Scheduler DeadLetterConfig) and of the poller function\'s asynchronous invocations (on-failure destination). cdk-nag only recognises SQS redrive policies and Lambda DeadLetterConfig as DLQ uses.',
    });
    acknowledgeInEveryPack(this.deadLetterQueue, 'SQSRedrivePolicy', DEAD_LETTER_QUEUE_END_OF_LINE);

    this.poller = new BridgeFunction(this, 'Poller', {
      entry: 'lambdas/handlers/scheduled-runs.ts',
      service: POLLER_SERVICE,
      description: 'Lists Greenhouse records updated since the watermark and enqueues them for the sync; links users to Beamery users',
      // Up to a week of catch-up windows in one run, each listing every page; the watermark is
      // checkpointed after each window, so a timeout loses nothing. A run waiting for room on
      // greenhouse-changes stops a minute before it (POLL_BACKPRESSURE_BUDGET_MS).
      timeout: Duration.seconds(POLLER_TIMEOUT_SECONDS),
      concurrencyKey: 'poller',
      exposure: {
        invokedBy: 'schedule',
        reaches: 'the Greenhouse Harvest and Beamery APIs and AWS DynamoDB, SQS and Secrets Manager',
        concurrencyBound: 'EventBridge Scheduler starts one run per schedule tick (hourly, the Beamery poll every 5 minutes, the sweeps daily), each bounded by its timeout',
      },
      config,
      environment: stackEnvironment('scheduled-runs', config, { queues, tables, secretArns: { 'greenhouse-harvest': harvest.secretArn, beamery: beamery.secretArn } }),
    });
    const fn = this.poller.function;
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [changes.queue.queueArn, beameryChanges.queue.queueArn, aiTasks.queue.queueArn] }));
    // The depth of greenhouse-changes, for the jobs and candidates pollers' backpressure.
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:GetQueueAttributes'], resources: [changes.queue.queueArn] }));
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: [ledger.tableArn] }),
    );
    // Scan: the daily deletions sweep's paged read of the links (the IdMap table only, not its index).
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Scan'], resources: [idMap.tableArn] }));
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${idMap.tableArn}/index/${BY_BEAMERY_KEY_INDEX}`] }));
    grantSecretValue(harvest, fn);
    grantSecretValue(beamery, fn);
    fn.configureAsyncInvoke({
      retryAttempts: RUN_RETRY_ATTEMPTS,
      maxEventAge: MAX_EVENT_AGE,
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
    });

    const stack = Stack.of(this);
    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      description: 'EventBridge Scheduler: invokes the Greenhouse poller, parks failed invocations on its dead-letter queue',
      // Only schedules of this account's default group may assume it (the confused-deputy guard;
      // Scheduler names the schedule group as the source, as the CDK's own target roles do).
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: 'default' }),
          },
        },
      }),
    });
    acknowledgeInEveryPack(this.schedulerRole, 'IAMNoInlinePolicy', INLINE_POLICY_REASON);

    const schedules = {} as Record<ScheduledRun, scheduler.Schedule>;
    for (const poller of SCHEDULED_RUNS) {
      const settings = props.pollers?.[poller] ?? {};
      const rate = settings.rate ?? Duration.minutes(poller === 'beamery' ? config.beameryToGreenhouse.pollMinutes : poller === 'deletions' ? config.sync.deletionSweepHours * 60 : DEFAULT_SCHEDULE_MINUTES[poller]);
      if (rate.toSeconds() < 60) throw new Error(`the ${poller} poll rate must be at least a minute`);
      // The users sync, the deletions sweep and the rediscovery run have no window; the Beamery poller
      // keeps its own (lambdas/core/sync/beamery-poll.ts).
      const event: PollerEvent = isWindowPoller(poller) ? { poller, window: input } : { poller };
      const enabledByDefault = (REDISCOVERY_RUNS as readonly ScheduledRun[]).includes(poller) ? config.ai.rediscovery.enabled : true;
      schedules[poller] = new scheduler.Schedule(this, `${capitalised(poller)}Schedule`, {
        description: DESCRIPTIONS[poller],
        schedule: scheduler.ScheduleExpression.rate(rate),
        enabled: settings.enabled ?? enabledByDefault,
        target: new UnqualifiedLambdaInvoke(fn, {
          input: scheduler.ScheduleTargetInput.fromObject(event),
          role: this.schedulerRole,
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: invokeRetryAttempts,
          maxEventAge: MAX_EVENT_AGE,
        }),
      });
    }
    this.schedules = schedules;

    const errors = fn.metricErrors({ period: Duration.hours(1), statistic: cloudwatch.Stats.SUM }).createAlarm(this, 'ErrorsAlarm', {
      alarmDescription:
        `The Greenhouse poller failed ${RUN_RETRY_ATTEMPTS + 1} or more times within an hour (a run and its retries). Watermarks stay where they were, so nothing is skipped, but changes without a webhook wait until a run succeeds; see the poller's logs (credentials, network; a rate-limited run is not a failure: it ends early and the next tick continues).`,
      threshold: RUN_RETRY_ATTEMPTS + 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const deadLetters = this.deadLetterQueue
      .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM })
      .createAlarm(this, 'DeadLetterAlarm', {
        alarmDescription:
          'A scheduled Greenhouse poll gave up (every retry failed, or Scheduler could not invoke the poller). The next tick lists the same time again; read the error with `bridge dlq show --queue pollers`, fix the cause, then `bridge dlq delete --queue pollers --ids <id>`.',
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    this.alarms = notifyOn(props.alarmAction, errors, deadLetters);
  }
}

/**
 * LambdaInvoke, granting invoke on the function's ARN only. The stock target grants on `<arn>` and
 * `<arn>:*` (every version and alias, an IAM5 wildcard); Scheduler calls only the unqualified ARN.
 */
export class UnqualifiedLambdaInvoke extends targets.LambdaInvoke {
  constructor(
    private readonly fn: lambda.IFunction,
    props: targets.ScheduleTargetBaseProps,
  ) {
    super(fn, props);
  }

  protected override addTargetActionToRole(role: iam.IRole): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.fn.functionArn] }));
  }
}

/** The window part of every schedule's input, in seconds, checked here so a bad setting fails synth. */
function windowInput(settings: PollWindowSettings = {}): NonNullable<PollerEvent['window']> {
  const ms = (value: Duration | undefined, fallback: number) => {
    const result = value === undefined ? fallback : value.toMilliseconds();
    if (result % 1000 !== 0) throw new Error('poll window settings must be whole seconds');
    return result;
  };
  const policy = checkWindowPolicy({
    overlapMs: ms(settings.overlap, DEFAULT_WINDOW_POLICY.overlapMs),
    maxWindowMs: ms(settings.maxWindow, DEFAULT_WINDOW_POLICY.maxWindowMs),
    firstRunLookbackMs: ms(settings.firstRunLookback, DEFAULT_WINDOW_POLICY.firstRunLookbackMs),
    alignMs: DEFAULT_WINDOW_POLICY.alignMs,
  });
  return {
    overlapSeconds: policy.overlapMs / 1000,
    maxWindowSeconds: policy.maxWindowMs / 1000,
    firstRunLookbackSeconds: policy.firstRunLookbackMs / 1000,
  };
}

function capitalised(name: string): string {
  return name[0]!.toUpperCase() + name.slice(1);
}
