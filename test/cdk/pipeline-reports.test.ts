import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV, readConfig } from '#lambdas/config';
import { ANALYTICS_METRICS, METRICS_NAMESPACE, SERVICES } from '#core/metrics';
import { PIPELINE_REPORTS_OUTPUT_VARIABLES } from '#lib/stack-outputs';
import { XRAY_WRITE_STATEMENT, logicalIdOf, secretsKeyDecryptStatement, synthBridge, withoutXrayWrite, type SynthesizedBridge } from './support.ts';

/**
 * The nightly pipeline report in the stack (lib/constructs/pipeline-reports.ts): absent unless
 * `analytics.enabled`; then a private bucket, a function that may write reports/ and spend the rate
 * budget only, a daily schedule with the pollers' dead-letter queue, its alarm, row and output.
 */
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

type Resources = Record<string, { Properties: Record<string, any> }>;

function reports(bridge: SynthesizedBridge) {
  const found = bridge.stack.pipelineReports;
  if (!found) throw new Error('no pipeline reports in this stack');
  return found;
}

function reportStatements(bridge: SynthesizedBridge): Statement[] {
  const roleId = logicalIdOf(bridge.stack, reports(bridge).report.role.roleArn);
  return Object.values(bridge.template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } })).flatMap(
    (p) => p.Properties.PolicyDocument.Statement as Statement[],
  );
}

function resourceOf(bridge: SynthesizedBridge, token: unknown, type: string) {
  return (bridge.template.findResources(type) as Resources)[logicalIdOf(bridge.stack, token)]!.Properties;
}

describe('pipeline reports (nightly analytics)', () => {
  let off: SynthesizedBridge;
  let on: SynthesizedBridge;

  beforeAll(() => {
    off = synthBridge();
    on = synthBridge({
      bridge: { analytics: { enabled: true, scheduleHourUtc: 4, lookbackDays: 180, reportRetentionDays: 30, report: { bottleneckMargin: 0.4 } } },
    });
  });

  it('creates nothing while analytics is off: no bucket, function, schedule, output or dashboard row', () => {
    expect(off.stack.pipelineReports).toBeUndefined();
    expect(Object.keys(off.template.findResources('AWS::S3::Bucket'))).toEqual([]);
    const entries = Object.values(off.template.findResources('AWS::Lambda::Function') as Resources).map((f) => f.Properties['Description'] as string);
    expect(entries.some((d) => d.includes('pipeline report'))).toBe(false);
    expect(off.template.toJSON().Outputs['PipelineReportsBucketName']).toBeUndefined();
    const dashboard = JSON.stringify(Object.values(off.template.findResources('AWS::CloudWatch::Dashboard'))[0]!.Properties['DashboardBody']);
    expect(dashboard).not.toContain(ANALYTICS_METRICS.reportRuns);
    // The switch's default is off (docs/configuration.md).
    expect(off.config.analytics.enabled).toBe(false);
  });

  it('keeps the reports in a private, encrypted, TLS-only bucket without versions, expiring reports/ after the configured days', () => {
    const bucket = resourceOf(on, reports(on).bucket.bucketArn, 'AWS::S3::Bucket');
    expect(bucket['PublicAccessBlockConfiguration']).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket['BucketEncryption']).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
    expect(bucket['VersioningConfiguration']).toBeUndefined();
    expect(bucket['LifecycleConfiguration']).toEqual({
      Rules: [{ Id: 'ExpireReports', Prefix: 'reports/', ExpirationInDays: 30, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }],
    });
    const bucketId = logicalIdOf(on.stack, reports(on).bucket.bucketArn);
    const [policy] = Object.values(on.template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketId } } }) as Resources);
    expect(policy!.Properties['PolicyDocument'].Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    // The default retention.
    const defaults = synthBridge({ bridge: { analytics: { enabled: true } } });
    expect(resourceOf(defaults, reports(defaults).bucket.bucketArn, 'AWS::S3::Bucket')['LifecycleConfiguration'].Rules[0].ExpirationInDays).toBe(90);
  });

  it('lets the report function put objects under reports/ only, use the Ledger rate budget as the poller does, and read the Harvest secret', () => {
    const statements = reportStatements(on);
    const bucketId = logicalIdOf(on.stack, reports(on).bucket.bucketArn);
    const ledgerId = logicalIdOf(on.stack, on.stack.tables.table('ledger').tableArn);
    const harvestId = logicalIdOf(on.stack, on.stack.secrets.secret('greenhouse-harvest').secretArn);
    const logGroupId = logicalIdOf(on.stack, reports(on).report.logGroup.logGroupArn);
    const dlqId = logicalIdOf(on.stack, on.stack.polling.deadLetterQueue.queueArn);
    expect(statements.map((s) => ({ actions: [s.Action].flat().sort(), resource: s.Resource }))).toEqual(
      expect.arrayContaining([
        { actions: ['s3:PutObject'], resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/reports/*']] } },
        { actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resource: { 'Fn::GetAtt': [ledgerId, 'Arn'] } },
        { actions: ['secretsmanager:GetSecretValue'], resource: { Ref: harvestId } },
        { actions: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'], resource: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
      ]),
    );
    // Nothing else: its log group and traces (BridgeFunction), the four above and the secrets key through Secrets Manager.
    expect(statements).toContainEqual(XRAY_WRITE_STATEMENT);
    expect(statements).toContainEqual(secretsKeyDecryptStatement(on.stack));
    const keyId = logicalIdOf(on.stack, on.stack.secrets.key.keyArn);
    expect(
      withoutXrayWrite(statements).every((s) => [logGroupId, bucketId, ledgerId, harvestId, dlqId, keyId].some((id) => JSON.stringify(s.Resource).includes(id))),
    ).toBe(true);
    expect(statements).toHaveLength(7);
    // The same Ledger actions as the poller gets for its budget.
    const pollerRoleId = logicalIdOf(on.stack, on.stack.polling.poller.role.roleArn);
    const pollerLedger = Object.values(on.template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: pollerRoleId }] } }))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
      .find((s) => JSON.stringify(s.Resource).includes(ledgerId))!;
    expect([pollerLedger.Action].flat().sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
  });

  it('gives the function the bucket, its analytics settings and enough memory and time to render', () => {
    const fn = resourceOf(on, reports(on).report.function.functionArn, 'AWS::Lambda::Function');
    expect(fn['MemorySize']).toBeGreaterThanOrEqual(1024);
    expect(fn['Timeout']).toBe(900);
    const variables = fn['Environment'].Variables as Record<string, unknown>;
    expect(variables[ENV.pipelineReportsBucket]).toEqual({ Ref: logicalIdOf(on.stack, reports(on).bucket.bucketName) });
    expect(variables['POWERTOOLS_SERVICE_NAME']).toBe(SERVICES.pipelineReport);
    // What the Lambda reads back from them (lambdas/config.ts).
    const config = readConfig({ [ENV.analyticsSettings]: variables[ENV.analyticsSettings] as string });
    expect(config.analytics.lookbackDays).toBe(180);
    expect(config.analytics.report.bottleneckMargin).toBe(0.4);
    expect(config.analytics.report.baselineDays).toBe(90);
  });

  it('runs daily at the configured hour (UTC), retried and dead-lettered on the pollers\' queue', () => {
    const schedule = resourceOf(on, reports(on).schedule.scheduleArn, 'AWS::Scheduler::Schedule');
    expect(schedule['ScheduleExpression']).toBe('cron(0 4 * * ? *)');
    expect(schedule['State']).toBe('ENABLED');
    expect(JSON.parse(schedule['Target'].Input as string)).toEqual({ poller: 'pipeline-report' });
    const dlqArn = { 'Fn::GetAtt': [logicalIdOf(on.stack, on.stack.polling.deadLetterQueue.queueArn), 'Arn'] };
    expect(schedule['Target']).toMatchObject({
      Arn: { 'Fn::GetAtt': [logicalIdOf(on.stack, reports(on).report.function.functionArn), 'Arn'] },
      DeadLetterConfig: { Arn: dlqArn },
      RetryPolicy: { MaximumRetryAttempts: 3 },
    });
    const invokeConfig = Object.values(on.template.findResources('AWS::Lambda::EventInvokeConfig') as Resources).find(
      (c) => c.Properties['FunctionName'].Ref === logicalIdOf(on.stack, reports(on).report.function.functionName),
    )!;
    expect(invokeConfig.Properties).toMatchObject({ MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: dlqArn } } });
  });

  it('alarms on a failed night and shows a Pipeline analytics row reading every metric the run emits', () => {
    const alarms = reports(on).alarms.map((a) => resourceOf(on, a.alarmArn, 'AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ MetricName: 'Errors', Namespace: 'AWS/Lambda', Threshold: 3 });
    const dashboard = JSON.stringify(Object.values(on.template.findResources('AWS::CloudWatch::Dashboard'))[0]!.Properties['DashboardBody']);
    expect(dashboard).toContain('Pipeline analytics');
    for (const name of Object.values(ANALYTICS_METRICS)) {
      expect(dashboard).toContain(`\\"${METRICS_NAMESPACE}\\",\\"${name}\\",\\"service\\",\\"${SERVICES.pipelineReport}\\"`);
    }
  });

  it('outputs the bucket name for `bridge report --stack`', () => {
    const outputs = on.template.toJSON().Outputs as Record<string, { Value: unknown; Description: string }>;
    expect(PIPELINE_REPORTS_OUTPUT_VARIABLES.map((o) => [o.output, o.env])).toEqual([['PipelineReportsBucketName', ENV.pipelineReportsBucket]]);
    expect(outputs['PipelineReportsBucketName']!.Value).toEqual({ Ref: logicalIdOf(on.stack, reports(on).bucket.bucketName) });
    expect(outputs['PipelineReportsBucketName']!.Description).toBeTruthy();
  });

  it('passes cdk-nag with analytics on', () => {
    expect(new AwsSolutionsChecks().validateScope(on.app).violations).toEqual([]);
  });
});
