import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { SERVICES } from '#core/metrics';
import { ENV } from '#lambdas/config';
import type { StackConfig } from '#lib/config';
import { PIPELINE_REPORTS_OUTPUT_VARIABLES } from '#lib/stack-outputs';
import { REPORTS_PREFIX } from '#core/analytics/report-keys';
import { BridgeFunction } from './bridge-function.ts';
import { acknowledgeInEveryPack } from '#lib/nag/packs';
import { stackEnvironment } from './function-environment.ts';
import { notifyOn } from './alarm-topic.ts';
import { MAX_EVENT_AGE, RUN_RETRY_ATTEMPTS, UnqualifiedLambdaInvoke, type PollSchedules } from './schedules.ts';
import { grantSecretValue, type BridgeSecrets } from './secrets.ts';
import type { BridgeTables } from './tables.ts';

export interface PipelineReportsProps {
  readonly config: StackConfig;
  readonly tables: BridgeTables;
  readonly secrets: BridgeSecrets;
  /** The poller schedules: the report's schedule uses their Scheduler role and dead-letter queue (and so their DLQ alarm). */
  readonly schedules: Pick<PollSchedules, 'deadLetterQueue' | 'schedulerRole'>;
  readonly alarmAction: cloudwatch.IAlarmAction;
}

/**
 * Vega renders each chart to SVG in memory and a year of history for hundreds of jobs is held whole
 * (the backtest replays it per job): more memory is also more CPU on Lambda, and the run is nightly.
 */
const MEMORY_MB = 2048;
/** Reading a year of history at bulk priority waits on the shared rate budget: Lambda's longest timeout. */
const TIMEOUT = Duration.minutes(15);

/**
 * The nightly pipeline report (docs/pipeline-analytics.md), deployed only with `analytics.enabled`:
 * a daily EventBridge Scheduler schedule at `analytics.scheduleHourUtc` invokes the report function,
 * which reads the history from Greenhouse, builds and renders the report and writes it to a private
 * bucket (`reports/<yyyy-mm-dd>.html`, `reports/latest.html`, `reports/latest.json`).
 *
 * The schedule is built as the pollers' are, with their pieces: their Scheduler role (invoke on this
 * function's unqualified ARN is added to it), their retry policy, and their dead-letter queue for an
 * invocation Scheduler could not make and a run whose retries all failed, so `bridge dlq --queue
 * pollers` and its alarm cover this run too.
 *
 * The bucket holds aggregates only (counts, durations, job titles; never a candidate), so it is
 * encrypted with S3-managed keys: a customer managed key would add a key policy and a kms:Decrypt grant
 * for every reader (the operator's presigned URL included) without keeping anything from anyone the
 * bucket's own policy and IAM do not. Public access is blocked, TLS is required, versions are not kept
 * (each night replaces `latest.*`), and `reports/` expires after `analytics.reportRetentionDays`.
 *
 * Grants are the function's needs only: s3:PutObject on `reports/*`, get/put/update Ledger items
 * (the shared rate budget, as the poller has), and read of the Harvest credentials.
 */
export class PipelineReports extends Construct {
  readonly bucket: s3.Bucket;
  readonly report: BridgeFunction;
  readonly schedule: scheduler.Schedule;
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: PipelineReportsProps) {
    super(scope, id);
    const { config, tables, secrets } = props;
    const { analytics } = config;
    const ledger = tables.table('ledger');
    const harvest = secrets.secret('greenhouse-harvest');
    const stack = Stack.of(this);

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: false,
      lifecycleRules: [
        { id: 'ExpireReports', prefix: REPORTS_PREFIX, expiration: Duration.days(analytics.reportRetentionDays), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      // Kept when analytics is turned off or the stack deleted (CloudFormation cannot delete a bucket with
      // objects in it); with no more runs, the lifecycle rule empties it within the retention.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const accessLogs =
      'The bucket holds aggregate pipeline reports only (no candidate data). One function role writes it and operators read it by presigned URL; both are IAM-authorised and recorded by CloudTrail (enable S3 data events to log each object access). A server access log bucket would be a second bucket to secure and expire for requests already attributable.';
    Validations.of(this.bucket).acknowledge({ id: 'AwsSolutions-S1', reason: accessLogs });
    acknowledgeInEveryPack(this.bucket, 'S3BucketLoggingEnabled', accessLogs);
    const regenerable =
      'Each report is an aggregate the nightly run writes under a new dated key, rebuilt from Greenhouse at any time with `bridge report`; the lifecycle rule expires it after analytics.reportRetentionDays.';
    acknowledgeInEveryPack(this.bucket, 'S3BucketVersioningEnabled', `${regenerable} No object is ever overwritten, so versions would keep nothing more.`);
    acknowledgeInEveryPack(this.bucket, 'S3BucketReplicationEnabled', `${regenerable} A replica bucket in another Region would be a second bucket to secure for data Greenhouse already holds.`);
    acknowledgeInEveryPack(
      this.bucket,
      'S3DefaultEncryptionKMS',
      'Encrypted at rest with S3-managed keys (SSE-S3). The reports hold aggregates only, and every reader (the function role, operators by presigned URL) is IAM-authorised; a KMS key would add a decrypt grant for each reader and per-request KMS charges without protecting candidate data.',
    );

    this.report = new BridgeFunction(this, 'Report', {
      entry: 'lambdas/handlers/pipeline-report.ts',
      service: SERVICES.pipelineReport,
      description: 'Nightly pipeline report: reads the Greenhouse pipeline history, writes the HTML report and its aggregates to S3',
      memorySize: MEMORY_MB,
      timeout: TIMEOUT,
      concurrencyKey: 'pipelineReport',
      exposure: {
        invokedBy: 'schedule',
        reaches: 'the Greenhouse Harvest API and AWS DynamoDB, S3 and Secrets Manager',
        concurrencyBound: 'EventBridge Scheduler starts it once a night',
      },
      config,
      environment: {
        ...stackEnvironment('pipeline-report', config, { tables, secretArns: { 'greenhouse-harvest': harvest.secretArn } }),
        [ENV.pipelineReportsBucket]: this.bucket.bucketName,
      },
    });
    const fn = this.report.function;
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects(`${REPORTS_PREFIX}*`)] }));
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: [ledger.tableArn] }));
    grantSecretValue(harvest, fn);
    Validations.of(this.report.role.node.findChild('DefaultPolicy')).acknowledge({
      // As cdk-nag names the resource: the bucket's ARN attribute by its logical id, then the prefix.
      id: `AwsSolutions-IAM5[Resource::<${stack.resolve(stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)) as string}.Arn>/${REPORTS_PREFIX}*]`,
      reason:
        'The report function writes one object per night under reports/ (a dated report and the latest HTML and JSON); the wildcard is the dated key, within this prefix of this bucket only, and the action is s3:PutObject alone.',
    });

    const { deadLetterQueue, schedulerRole } = props.schedules;
    fn.configureAsyncInvoke({
      retryAttempts: RUN_RETRY_ATTEMPTS,
      maxEventAge: MAX_EVENT_AGE,
      onFailure: new destinations.SqsDestination(deadLetterQueue),
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'Nightly pipeline report: Greenhouse pipeline history → reports/ in the pipeline reports bucket',
      schedule: scheduler.ScheduleExpression.cron({ minute: '0', hour: String(analytics.scheduleHourUtc) }),
      target: new UnqualifiedLambdaInvoke(fn, {
        // The handler reads no input; `poller` names the run in `bridge dlq list --queue pollers`, which reads that field of a record.
        input: scheduler.ScheduleTargetInput.fromObject({ poller: 'pipeline-report' }),
        role: schedulerRole,
        deadLetterQueue,
        retryAttempts: 3,
        maxEventAge: MAX_EVENT_AGE,
      }),
    });

    const errors = fn.metricErrors({ period: Duration.hours(1), statistic: cloudwatch.Stats.SUM }).createAlarm(this, 'ErrorsAlarm', {
      alarmDescription: `The nightly pipeline report failed ${RUN_RETRY_ATTEMPTS + 1} times within an hour (a run and its retries): no report tonight, reports/latest.html is yesterday's. The failed run's record is on the poller schedules' DLQ (bridge dlq show --queue pollers); see the report function's logs (credentials, a Greenhouse scope, S3). A rate-limited run is not a failure: it is counted as ReportRateLimited and the next night runs again.`,
      threshold: RUN_RETRY_ATTEMPTS + 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarms = notifyOn(props.alarmAction, errors);

    // For `bridge report --stack <name>` (lib/stack-outputs.ts); only a stack with analytics on has it.
    for (const { output, description } of PIPELINE_REPORTS_OUTPUT_VARIABLES) {
      new CfnOutput(this, output, { description, value: this.bucket.bucketName }).overrideLogicalId(output);
    }
  }
}
