import { GetMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';

/**
 * The age of each queue's oldest message, for `bridge status` on AWS. SQS has no attribute for it;
 * CloudWatch's AWS/SQS ApproximateAgeOfOldestMessage has, published once a minute and often a few
 * minutes late, hence the ten-minute look-back and the latest datapoint within it. One GetMetricData
 * call answers every queue. A queue SQS calls inactive (no traffic for hours) has no datapoint: its age
 * is left out rather than guessed.
 */
const LOOKBACK_MS = 10 * 60_000;
const PERIOD_SECONDS = 60;

export type OldestAges = { readonly ok: true; readonly ages: ReadonlyMap<string, number> } | { readonly ok: false; readonly reason: string };

/** The metric's QueueName dimension: the last path segment of the queue's URL (`.fifo` included). */
export function queueNameOf(queueUrl: string): string {
  const name = new URL(queueUrl).pathname.split('/').filter(Boolean).at(-1);
  if (!name) throw new Error(`not a queue URL: ${queueUrl}`);
  return name;
}

/**
 * Seconds, keyed by queue URL. Any failure (no cloudwatch:GetMetricData permission, throttling, no
 * network) comes back as a reason, never thrown: the rest of the status is worth seeing without it.
 */
export async function readOldestAges(cloudwatch: CloudWatchClient, queueUrls: readonly string[], now: Date): Promise<OldestAges> {
  const urls = [...new Set(queueUrls)];
  try {
    const { MetricDataResults = [] } = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(now.getTime() - LOOKBACK_MS),
        EndTime: now,
        ScanBy: 'TimestampDescending',
        MetricDataQueries: urls.map((url, i) => ({
          Id: `q${i}`,
          ReturnData: true,
          MetricStat: {
            Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage', Dimensions: [{ Name: 'QueueName', Value: queueNameOf(url) }] },
            Period: PERIOD_SECONDS,
            Stat: 'Maximum',
          },
        })),
      }),
    );
    const ages = new Map<string, number>();
    for (const result of MetricDataResults) {
      const url = urls[Number(result.Id?.slice(1))];
      const latest = latestValue(result.Timestamps ?? [], result.Values ?? []);
      if (url !== undefined && latest !== undefined) ages.set(url, Math.round(latest));
    }
    return { ok: true, ages };
  } catch (error) {
    const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ok: false, reason: `CloudWatch GetMetricData failed (${why})` };
  }
}

/** Whatever order the datapoints come in, the newest one's value. */
function latestValue(timestamps: readonly Date[], values: readonly number[]): number | undefined {
  let best: { at: number; value: number } | undefined;
  timestamps.forEach((timestamp, i) => {
    const value = values[i];
    if (value !== undefined && (best === undefined || timestamp.getTime() > best.at)) best = { at: timestamp.getTime(), value };
  });
  return best?.value;
}
