import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_RECEIVE_COUNT,
  DLQ_RETENTION_DAYS,
  QUEUES,
  deadLetterQueueName,
  queueName,
} from '#lib/resource-definitions';
import { logicalIdOf, synthBridge, type SynthesizedBridge } from './support.ts';

const DAY = 24 * 60 * 60;

function queueResource(template: Template, name: string): [string, { Properties: Record<string, unknown> }] {
  const found = Object.entries(template.findResources('AWS::SQS::Queue', { Properties: { QueueName: name } }));
  expect(found, `queue ${name}`).toHaveLength(1);
  return found[0] as [string, { Properties: Record<string, unknown> }];
}

describe('event queues', () => {
  let bridge: SynthesizedBridge;
  let configured: SynthesizedBridge;

  beforeAll(() => {
    bridge = synthBridge();
    configured = synthBridge({ bridge: { namePrefix: 'staging-', maxReceiveCount: 3, messageAgeAlarmSeconds: 1800 } });
  });

  it('creates one FIFO queue and one FIFO dead-letter queue per definition (besides the poller schedules\' DLQ)', () => {
    bridge.template.resourceCountIs('AWS::SQS::Queue', QUEUES.length * 2 + 1);
    for (const definition of QUEUES) {
      expect(queueResource(bridge.template, queueName(definition))[1].Properties).toMatchObject({ FifoQueue: true });
      expect(queueResource(bridge.template, deadLetterQueueName(definition))[1].Properties).toMatchObject({ FifoQueue: true });
    }
  });

  it("redrives each queue into its own dead-letter queue after DEFAULT_MAX_RECEIVE_COUNT receives", () => {
    for (const definition of QUEUES) {
      const [deadLetterId] = queueResource(bridge.template, deadLetterQueueName(definition));
      const [, queue] = queueResource(bridge.template, queueName(definition));
      expect(queue.Properties['RedrivePolicy']).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterId, 'Arn'] },
        maxReceiveCount: DEFAULT_MAX_RECEIVE_COUNT,
      });
    }
  });

  it('takes maxReceiveCount and the name prefix from the stack config', () => {
    for (const definition of QUEUES) {
      const [deadLetterId] = queueResource(configured.template, deadLetterQueueName(definition, 'staging-'));
      const [, queue] = queueResource(configured.template, queueName(definition, 'staging-'));
      expect(queue.Properties['RedrivePolicy']).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterId, 'Arn'] },
        maxReceiveCount: 3,
      });
    }
  });

  it('keeps visibility timeout and retention as each definition says, and dead letters for DLQ_RETENTION_DAYS', () => {
    expect(DLQ_RETENTION_DAYS * DAY).toBe(1209600);
    for (const definition of QUEUES) {
      expect(queueResource(bridge.template, queueName(definition))[1].Properties).toMatchObject({
        VisibilityTimeout: definition.visibilityTimeoutSeconds,
        MessageRetentionPeriod: definition.retentionDays * DAY,
      });
      expect(queueResource(bridge.template, deadLetterQueueName(definition))[1].Properties).toMatchObject({
        MessageRetentionPeriod: 1209600,
      });
    }
  });

  it('encrypts every queue at rest', () => {
    const queues = Object.values(bridge.template.findResources('AWS::SQS::Queue'));
    for (const queue of queues) expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true });
  });

  it('denies every request to every queue that is not made over TLS', () => {
    for (const queueId of Object.keys(bridge.template.findResources('AWS::SQS::Queue'))) {
      bridge.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
            }),
          ]),
        },
      });
    }
  });

  it('alarms on the first message in any dead-letter queue, to the alarm topic', () => {
    const topic = { Ref: logicalIdOf(bridge.stack, bridge.stack.alarmTopic.topic.topicArn) };
    for (const definition of QUEUES) {
      const [deadLetterId] = queueResource(bridge.template, deadLetterQueueName(definition));
      bridge.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetterId, 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
        AlarmActions: [topic],
      });
    }
  });

  it('alarms when the oldest message has waited longer than messageAgeAlarmSeconds (900 by default)', () => {
    for (const [bridgeUnderTest, threshold, prefix] of [
      [bridge, 900, ''],
      [configured, 1800, 'staging-'],
    ] as const) {
      const topic = { Ref: logicalIdOf(bridgeUnderTest.stack, bridgeUnderTest.stack.alarmTopic.topic.topicArn) };
      for (const definition of QUEUES) {
        const [queueId] = queueResource(bridgeUnderTest.template, queueName(definition, prefix));
        bridgeUnderTest.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateAgeOfOldestMessage',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: threshold,
          AlarmActions: [topic],
        });
      }
    }
  });
});
