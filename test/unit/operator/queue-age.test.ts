import { CloudWatchServiceException } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import { queueNameOf, readOldestAges } from '#adapters/operator/queue-age';
import { formatStatus, type BridgeStatus } from '#adapters/operator/status';
import { cannedCloudWatch } from '../../support/canned-aws.ts';

/**
 * The oldest-message ages `bridge status` reads from CloudWatch, through the real client with its
 * network answered in place (test/support/canned-aws.ts says why).
 */
const base = 'https://sqs.eu-west-1.amazonaws.com/123456789012';
const now = new Date('2026-11-02T10:00:00.000Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

describe('readOldestAges', () => {
  it('asks once for every queue (Maximum, 60 s, the last 10 minutes) and maps each latest datapoint to its queue', async () => {
    const urls = [`${base}/acme-greenhouse-changes.fifo`, `${base}/acme-greenhouse-changes-dlq.fifo`, `${base}/acme-ai-tasks.fifo`];
    const { client, inputs } = cannedCloudWatch(() => ({
      MetricDataResults: [
        // Oldest first on purpose: the newest datapoint wins whatever the order.
        { Id: 'q0', StatusCode: 'Complete', Timestamps: [minutesAgo(3), minutesAgo(1), minutesAgo(2)], Values: [900, 42.4, 600] },
        { Id: 'q1', StatusCode: 'Complete', Timestamps: [minutesAgo(2)], Values: [7_300] },
        // An idle queue SQS stopped reporting: no datapoint, no age.
        { Id: 'q2', StatusCode: 'Complete', Timestamps: [], Values: [] },
      ],
    }));

    const result = await readOldestAges(client, [...urls, urls[0]!], now);

    expect(result).toEqual({ ok: true, ages: new Map([[urls[0], 42], [urls[1], 7_300]]) });
    expect(inputs).toHaveLength(1);
    const input = inputs[0]!;
    expect(input.EndTime).toEqual(now);
    expect(input.StartTime).toEqual(minutesAgo(10));
    // A URL asked for twice is one query.
    expect(input.MetricDataQueries).toHaveLength(3);
    expect(input.MetricDataQueries![1]).toEqual({
      Id: 'q1',
      ReturnData: true,
      MetricStat: {
        Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage', Dimensions: [{ Name: 'QueueName', Value: 'acme-greenhouse-changes-dlq.fifo' }] },
        Period: 60,
        Stat: 'Maximum',
      },
    });
  });

  it('answers a CloudWatch refusal with its reason instead of throwing', async () => {
    const { client } = cannedCloudWatch(
      () => new CloudWatchServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'not authorized to perform: cloudwatch:GetMetricData' }),
    );
    expect(await readOldestAges(client, [`${base}/acme-ai-tasks.fifo`], now)).toEqual({
      ok: false,
      reason: 'CloudWatch GetMetricData failed (AccessDenied: not authorized to perform: cloudwatch:GetMetricData)',
    });
  });

  it('names a queue by the last segment of its URL', () => {
    expect(queueNameOf(`${base}/acme-beamery-changes.fifo`)).toBe('acme-beamery-changes.fifo');
    expect(queueNameOf('http://127.0.0.1:4566/000000000000/beamery-changes.fifo/')).toBe('beamery-changes.fifo');
  });
});

describe('formatStatus', () => {
  const status = (overrides: Partial<BridgeStatus>): BridgeStatus => ({
    at: now.toISOString(),
    queues: [
      { queue: 'greenhouse-changes', visible: 3, inFlight: 1, oldestAgeSeconds: 5_400, delayed: 0, deadLetters: 2, deadLetterOldestAgeSeconds: 30 },
      { queue: 'ai-tasks', visible: 0, inFlight: 0, delayed: 0, deadLetters: 0 },
    ],
    pollers: [],
    rateBudgets: [],
    ...overrides,
  });

  it('shows each queue\'s and its DLQ\'s oldest age, and "-" where CloudWatch had none', () => {
    const text = formatStatus(status({}));
    expect(text).toMatch(/waiting\s+in flight\s+oldest\s+delayed\s+dead letters\s+dlq oldest/);
    expect(text).toMatch(/greenhouse-changes\s+3\s+1\s+90 min\s+0\s+2\s+30 s\s+-/);
    expect(text).toMatch(/ai-tasks\s+0\s+0\s+-\s+0\s+0\s+-\s+-/);
    expect(text).not.toMatch(/oldest: /);
  });

  it('says once why no age is shown', () => {
    expect(formatStatus(status({ oldestAgeUnavailable: 'n/a locally (the local stack has no CloudWatch)' }))).toContain('  oldest: n/a locally');
  });
});
