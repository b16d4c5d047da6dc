import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONSUMER_METRICS } from '#core/metrics';
import { POLLER_METRICS } from '#core/metrics';
import { SUSTAINED_RATE_LIMIT_PERIODS } from '#lib/constructs/dashboard';
import { POLLER_SERVICE } from '#lib/constructs/schedules';
import { AI_SERVICE, AI_WORKFLOW_METRIC_PREFIX, INGEST_METRICS, METRICS_NAMESPACE, SCREENING_SCORE_METRIC, SERVICES, aiMetrics, type AiWorkflowName } from '#core/metrics';
import { QUEUES, deadLetterQueueName, queueName } from '#lib/resource-definitions';
import { BEAMERY_SYNC_SERVICE, GREENHOUSE_SYNC_SERVICE } from '#lib/constructs/sync-consumers';
import { CAPABILITY_BROKEN_METRIC } from '#adapters/beamery/errors';
import { logicalIdOf, synthBridge, type SynthesizedBridge } from './support.ts';

describe('alarms and dashboard', () => {
  let bridge: SynthesizedBridge;
  let configured: SynthesizedBridge;
  let topic: { Ref: string };

  beforeAll(() => {
    bridge = synthBridge();
    configured = synthBridge({ bridge: { alarmEmail: 'recruiting-ops@example.com', signatureFailureAlarmThreshold: 25 } });
    topic = { Ref: logicalIdOf(bridge.stack, bridge.stack.alarmTopic.topic.topicArn) };
  });

  it('sends every alarm, and its recovery, to the alarm topic', () => {
    const alarms = Object.values(bridge.template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) expect(alarm.Properties).toMatchObject({ AlarmActions: [topic], OKActions: [topic] });
  });

  it('alarms on a burst of signature failures: WebhookSignatureRejected summed over 5 minutes at the threshold', () => {
    for (const [bridgeUnderTest, threshold] of [
      [bridge, 10],
      [configured, 25],
    ] as const) {
      bridgeUnderTest.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: METRICS_NAMESPACE,
        MetricName: INGEST_METRICS.signatureRejected,
        Dimensions: [{ Name: 'service', Value: SERVICES.ingest }],
        Statistic: 'Sum',
        Period: 300,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: threshold,
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('alarms on ingest Lambda errors', () => {
    const functionId = logicalIdOf(bridge.stack, bridge.stack.webhookApi.ingest.function.functionArn);
    bridge.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topic],
    });
  });

  it('alarms on a broken Beamery capability in either sync consumer, naming bridge doctor as the next step', () => {
    for (const service of [GREENHOUSE_SYNC_SERVICE, BEAMERY_SYNC_SERVICE]) {
      bridge.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: METRICS_NAMESPACE,
        MetricName: CAPABILITY_BROKEN_METRIC,
        Dimensions: [{ Name: 'service', Value: service }],
        Statistic: 'Sum',
        Threshold: 1,
        AlarmDescription: Match.stringLikeRegexp('bridge -- doctor'),
      });
    }
  });

  it('has one DLQ alarm and one message-age alarm per queue (and one on the poller schedules\' DLQ)', () => {
    const sqsAlarms = Object.values(bridge.template.findResources('AWS::CloudWatch::Alarm', { Properties: { Namespace: 'AWS/SQS' } }));
    const byMetric = (name: string) => sqsAlarms.filter((a) => a.Properties.MetricName === name);
    expect(byMetric('ApproximateNumberOfMessagesVisible')).toHaveLength(QUEUES.length + 1);
    expect(byMetric('ApproximateAgeOfOldestMessage')).toHaveLength(QUEUES.length);
  });

  it('encrypts the alarm topic with a rotated KMS key that CloudWatch may use', () => {
    const keyId = logicalIdOf(bridge.stack, bridge.stack.alarmTopic.topic.masterKey!.keyArn);
    bridge.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    bridge.template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
  });

  it("accepts alarms from this account's CloudWatch and refuses publishing without TLS", () => {
    bridge.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [topic],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
  });

  it('subscribes the alarm email only when alarmEmail is configured', () => {
    bridge.template.resourceCountIs('AWS::SNS::Subscription', 0);
    configured.template.resourceCountIs('AWS::SNS::Subscription', 1);
    configured.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'recruiting-ops@example.com',
      TopicArn: { Ref: logicalIdOf(configured.stack, configured.stack.alarmTopic.topic.topicArn) },
    });
  });

  it('has one dashboard showing every alarm, the API, every ingest metric, every queue and DLQ, and the Lambda', () => {
    bridge.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const [dashboard] = Object.values(bridge.template.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard!.Properties.DashboardBody);
    for (const metric of ['Count', '4XXError', '5XXError', 'Latency', 'Errors', 'Throttles']) expect(body).toContain(`\\"${metric}\\"`);
    expect(body).toContain(METRICS_NAMESPACE);
    for (const metric of Object.values(INGEST_METRICS)) expect(body).toContain(`\\"${metric}\\",\\"service\\",\\"${SERVICES.ingest}\\"`);
    for (const metric of ['ApproximateNumberOfMessagesVisible', 'ApproximateAgeOfOldestMessage']) expect(body).toContain(metric);
    // Queue names are CloudFormation references in the body; each queue and DLQ must be one of them.
    for (const definition of QUEUES) {
      for (const name of [queueName(definition), deadLetterQueueName(definition)]) {
        const [queueId] = Object.keys(bridge.template.findResources('AWS::SQS::Queue', { Properties: { QueueName: name } }));
        expect(body).toContain(`"Fn::GetAtt":["${queueId}","QueueName"]`);
      }
    }
    for (const alarmId of Object.keys(bridge.template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(body).toContain(`"Fn::GetAtt":["${alarmId}","Arn"]`);
    }
  });

  it('has a row per AI workflow: outcomes, latency p50/p99, tokens, estimated cost, and the screening score distribution', () => {
    const [dashboard] = Object.values(bridge.template.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard!.Properties.DashboardBody);
    // Each metric as Powertools emits it: the bridge namespace and the consumer's `service` dimension.
    const shown = (metric: string) => `\\"${METRICS_NAMESPACE}\\",\\"${metric}\\",\\"service\\",\\"${AI_SERVICE}\\"`;
    // `Items` (suggestions, embedded profiles, findings) only where a workflow produces any.
    const withItems = new Set<AiWorkflowName>(['rediscovery', 'rediscoveryIndex', 'jobDescription', 'offers']);
    for (const workflow of Object.keys(AI_WORKFLOW_METRIC_PREFIX) as AiWorkflowName[]) {
      const { items, latencyMs, inputTokens, outputTokens, estimatedCostUsd, ...outcomes } = aiMetrics(workflow);
      for (const metric of Object.values(outcomes)) expect(body).toContain(shown(metric));
      // Offer checks call no model: no latency, tokens or cost rows.
      for (const metric of [latencyMs, inputTokens, outputTokens, estimatedCostUsd]) {
        if (workflow === 'offers') expect(body).not.toContain(shown(metric));
        else expect(body).toContain(shown(metric));
      }
      if (withItems.has(workflow)) expect(body).toContain(shown(items));
      else expect(body).not.toContain(shown(items));
    }
    for (const title of ['Rediscovery: outcomes', 'Rediscovery index: tokens', 'Job-description drafts: estimated cost (USD)', 'Offer checks: outcomes']) expect(body).toContain(title);
    expect(body).toContain(shown(SCREENING_SCORE_METRIC));
    for (const stat of ['p50', 'p99', 'p10', 'p90', 'SampleCount']) expect(body).toContain(`\\"stat\\":\\"${stat}\\"`);
    expect(body).toContain('Screening: score distribution');
    expect(body).toContain('Feedback synthesis: estimated cost (USD)');
    // The cost is a total over the dashboard's time range, not a 5-minute rate.
    expect(body).toContain('\\"setPeriodToTimeRange\\":true');
    // The consumer's errors alarm is on the alarm widget with every other alarm.
    const alarmId = logicalIdOf(bridge.stack, bridge.stack.aiWorkflows.alarms[0]!.alarmArn);
    expect(body).toContain(`"Fn::GetAtt":["${alarmId}","Arn"]`);
  });

  const dashboardBody = (synthesized: SynthesizedBridge) => {
    const [dashboard] = Object.values(synthesized.template.findResources('AWS::CloudWatch::Dashboard'));
    return JSON.stringify(dashboard!.Properties.DashboardBody);
  };

  it('shows invocations, errors, throttles and duration for every function of the stack', () => {
    const body = dashboardBody(bridge);
    const { stack } = bridge;
    const functions = [stack.webhookApi.ingest, stack.pushApi.push, stack.greenhouseSync.consumer, stack.beamerySync.consumer, stack.aiWorkflows.consumer, stack.polling.poller];
    for (const { function: fn } of functions) {
      const id = logicalIdOf(stack, fn.functionName);
      for (const metric of ['Invocations', 'Errors', 'Throttles', 'Duration']) {
        expect(body, `${metric} of ${id}`).toContain(`[\\"AWS/Lambda\\",\\"${metric}\\",\\"FunctionName\\",\\"",{"Ref":"${id}"}`);
      }
    }
    // The bridge's own functions are all there: none is left off the page.
    const ownFunctions = Object.entries(bridge.template.findResources('AWS::Lambda::Function')).filter(([, f]) => f.Properties.Runtime === 'nodejs24.x');
    expect(ownFunctions.map(([id]) => id).sort()).toEqual(functions.map(({ function: fn }) => logicalIdOf(stack, fn.functionName)).sort());
  });

  it("shows the poller schedules' DLQ with the event queues' DLQs", () => {
    const id = logicalIdOf(bridge.stack, bridge.stack.polling.deadLetterQueue.queueName);
    expect(dashboardBody(bridge)).toContain(`"Fn::GetAtt":["${id}","QueueName"]`);
  });

  it('has widgets for rate-limited batches, poll backpressure and failed messages, per consumer', () => {
    const body = dashboardBody(bridge);
    const shown = (metric: string, service: string) => `\\"${METRICS_NAMESPACE}\\",\\"${metric}\\",\\"service\\",\\"${service}\\"`;
    for (const service of [GREENHOUSE_SYNC_SERVICE, BEAMERY_SYNC_SERVICE, AI_SERVICE]) {
      for (const metric of [CONSUMER_METRICS.rateLimited, CONSUMER_METRICS.failed, CONSUMER_METRICS.deadLettered]) expect(body).toContain(shown(metric, service));
    }
    for (const metric of [POLLER_METRICS.backpressure, POLLER_METRICS.rateLimited]) expect(body).toContain(shown(metric, POLLER_SERVICE));
  });

  it('has a sync-lag widget: the oldest message on each queue and the pollers\' watermark lag', () => {
    const body = dashboardBody(bridge);
    expect(body).toContain('Sync lag');
    expect(body).toContain(`\\"${METRICS_NAMESPACE}\\",\\"${POLLER_METRICS.lagSeconds}\\",\\"service\\",\\"${POLLER_SERVICE}\\"`);
    expect(body).toContain('ApproximateAgeOfOldestMessage');
  });

  it('alarms on rate limiting sustained over every period of half an hour, summed over the consumers', () => {
    const [alarm, ...others] = Object.values(bridge.template.findResources('AWS::CloudWatch::Alarm', { Properties: { Metrics: Match.anyValue() } })).filter((a) =>
      JSON.stringify(a.Properties.Metrics).includes(CONSUMER_METRICS.rateLimited),
    );
    expect(others).toHaveLength(0);
    expect(alarm!.Properties).toMatchObject({
      EvaluationPeriods: SUSTAINED_RATE_LIMIT_PERIODS,
      DatapointsToAlarm: SUSTAINED_RATE_LIMIT_PERIODS,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
    });
    const stats = (alarm!.Properties.Metrics as { MetricStat?: { Metric: { MetricName: string; Dimensions: { Value: string }[] }; Period: number } }[]).flatMap((m) => (m.MetricStat ? [m.MetricStat] : []));
    expect(stats.map((m) => m.Metric.Dimensions[0]!.Value).sort()).toEqual([AI_SERVICE, BEAMERY_SYNC_SERVICE, GREENHOUSE_SYNC_SERVICE].sort());
    for (const stat of stats) expect(stat).toMatchObject({ Metric: { MetricName: CONSUMER_METRICS.rateLimited }, Period: 300 });
  });

  it('names every alarm <prefix>-<what>, unique and stable, with the namePrefix of the deployment', () => {
    for (const [synthesized, prefix] of [
      [bridge, 'greenhouse-beamery-bridge'],
      [synthBridge({ bridge: { namePrefix: 'staging-' } }), 'staging-greenhouse-beamery-bridge'],
    ] as const) {
      const names = Object.values(synthesized.template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName as string);
      expect(new Set(names).size).toBe(names.length);
      for (const name of names) expect(name).toMatch(new RegExp(`^${prefix}-[a-z0-9]+(-[a-z0-9]+)*$`));
      expect(names).toEqual(
        expect.arrayContaining([
          `${prefix}-queues-greenhouse-changes-dead-letter`,
          `${prefix}-queues-beamery-changes-message-age`,
          `${prefix}-polling-dead-letter`,
          `${prefix}-monitoring-sustained-rate-limit`,
        ]),
      );
    }
  });
});
