import { CloudWatchServiceException } from '@aws-sdk/client-cloudwatch';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig, type BridgeConfig } from '#lambdas/config';
import { QUEUES } from '#lib/resource-definitions';
import { redrive } from '#adapters/operator/dlq';
import { readStatus } from '#adapters/operator/status';
import { startEmulators, type Emulators } from '#local/emulators';
import { createResources, resourceEnvironment, type LocalResources } from '#local/resources';
import { localSqsClient } from '#local/sdk-clients';
import { cannedCloudWatch, interceptMoveTasks } from '../support/canned-aws.ts';

/**
 * The operator commands' AWS-only paths, on the emulators with the configuration saying `aws`: the
 * two calls no emulator answers (CloudWatch's GetMetricData, SQS's StartMessageMoveTask) are answered
 * inside the real clients (test/support/canned-aws.ts); every other call reaches fauxqs and DynamoDB Local.
 */
let emulators: Emulators;
let resources: LocalResources;
let config: BridgeConfig;

beforeAll(async () => {
  emulators = await startEmulators();
  resources = await createResources(emulators, { prefix: 'operator-aws-' });
  config = readConfig({ ...resourceEnvironment(resources), BRIDGE_RUNTIME: 'aws' });
});
afterAll(async () => emulators?.stop());

describe('bridge dlq redrive on AWS', () => {
  it('starts one move task per queue, from its DLQ to the queue itself, and answers the task handle', async () => {
    const sqs = localSqsClient(emulators.sqsEndpoint);
    const moves = interceptMoveTasks(sqs, 'task-handle-1');
    try {
      const results = await redrive(config, sqs, ['greenhouse-changes', 'ai-tasks'], {});

      expect(results).toEqual([
        { queue: 'greenhouse-changes', method: 'move-task', taskHandle: 'task-handle-1' },
        { queue: 'ai-tasks', method: 'move-task', taskHandle: 'task-handle-1' },
      ]);
      expect(moves).toEqual([
        { SourceArn: resources.queues['greenhouse-changes'].deadLetter.arn, DestinationArn: resources.queues['greenhouse-changes'].arn },
        { SourceArn: resources.queues['ai-tasks'].deadLetter.arn, DestinationArn: resources.queues['ai-tasks'].arn },
      ]);
      // The ARNs fauxqs reports are its queues' own, not placeholders the assertion would share.
      expect(resources.queues['ai-tasks'].deadLetter.arn).toMatch(/^arn:aws:sqs:[^:]+:\d+:operator-aws-ai-tasks.*dlq/);
    } finally {
      sqs.destroy();
    }
  });
});

describe('bridge status on AWS', () => {
  it('shows each queue\'s and DLQ\'s oldest age from one CloudWatch call, beside the SQS counts', async () => {
    const waiting = resources.queues['beamery-changes'];
    await emulators.sqs.send(new SendMessageCommand({ QueueUrl: waiting.url, MessageBody: '{}', MessageGroupId: 'g', MessageDeduplicationId: 'd' }));
    const { client, inputs } = cannedCloudWatch((input) => ({
      MetricDataResults: input.MetricDataQueries!.flatMap((query) => {
        const name = query.MetricStat!.Metric!.Dimensions![0]!.Value!;
        if (name === waiting.name) return [{ Id: query.Id, Timestamps: [new Date()], Values: [125] }];
        if (name === waiting.deadLetter.name) return [{ Id: query.Id, Timestamps: [new Date()], Values: [3_600] }];
        return [{ Id: query.Id, Timestamps: [], Values: [] }];
      }),
    }));

    const status = await readStatus(config, { sqs: emulators.sqs, dynamodb: emulators.dynamodb, cloudwatch: client });

    expect(inputs).toHaveLength(1);
    expect(inputs[0]!.MetricDataQueries).toHaveLength(QUEUES.length * 2);
    expect(status.oldestAgeUnavailable).toBeUndefined();
    expect(status.queues.find((q) => q.queue === 'beamery-changes')).toMatchObject({ visible: 1, oldestAgeSeconds: 125, deadLetterOldestAgeSeconds: 3_600 });
    const quiet = status.queues.find((q) => q.queue === 'ai-tasks')!;
    expect('oldestAgeSeconds' in quiet || 'deadLetterOldestAgeSeconds' in quiet).toBe(false);
  });

  it('still shows everything else when CloudWatch refuses, and says why the ages are missing', async () => {
    const { client } = cannedCloudWatch(
      () => new CloudWatchServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'not authorized to perform: cloudwatch:GetMetricData' }),
    );

    const status = await readStatus(config, { sqs: emulators.sqs, dynamodb: emulators.dynamodb, cloudwatch: client });

    expect(status.queues).toHaveLength(QUEUES.length);
    expect(status.queues.every((q) => !('oldestAgeSeconds' in q))).toBe(true);
    expect(status.oldestAgeUnavailable).toMatch(/^CloudWatch GetMetricData failed \(AccessDenied: not authorized/);
  });

  it('does not ask CloudWatch on the local runtime, and says the age is n/a locally', async () => {
    const { client, inputs } = cannedCloudWatch(() => ({ MetricDataResults: [] }));

    const status = await readStatus({ ...config, runtime: 'local' }, { sqs: emulators.sqs, dynamodb: emulators.dynamodb, cloudwatch: client });

    expect(inputs).toEqual([]);
    expect(status.oldestAgeUnavailable).toMatch(/^n\/a locally/);
  });
});
