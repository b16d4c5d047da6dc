import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { EventQueue, EventQueues } from './event-queues.ts';
import type { IngestMetric, WebhookApi } from './webhook-api.ts';

export interface BridgeDashboardProps {
  readonly dashboardName: string;
  readonly webhookApi: WebhookApi;
  readonly queues: EventQueues;
  readonly alarms: readonly cloudwatch.IAlarm[];
  readonly messageAgeAlarmSeconds: number;
}

const PERIOD = Duration.minutes(5);
const FULL = 24;
const HALF = 12;
const THIRD = 8;

/**
 * One page that answers "is the bridge healthy?": what Greenhouse sent and what became of it, what
 * waits on each queue and for how long, and the state of every alarm. Alarms live with the
 * constructs that own the resources; this only shows them.
 */
export class BridgeDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: BridgeDashboardProps) {
    super(scope, id);
    const { webhookApi, queues } = props;
    const api = webhookApi.api;
    const ingest = webhookApi.ingest.function;
    const sum = { period: PERIOD, statistic: cloudwatch.Stats.SUM };
    const ingestMetrics = (names: readonly IngestMetric[]) => names.map((name) => webhookApi.ingestMetric(name, PERIOD));

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(24),
    });

    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: FULL, height: 4 }),
    );

    this.dashboard.addWidgets(
      graph(
        'Webhook requests',
        [api.metricCount(sum), api.metricClientError(sum), api.metricServerError(sum)],
        THIRD,
      ),
      graph(
        'Webhook latency (ms)',
        [cloudwatch.Stats.p(50), cloudwatch.Stats.p(99), cloudwatch.Stats.MAXIMUM].map((statistic) =>
          api.metricLatency({ period: PERIOD, statistic }),
        ),
        THIRD,
      ),
      graph(
        'Ingest Lambda',
        [ingest.metricInvocations(sum), ingest.metricErrors(sum), ingest.metricThrottles(sum)],
        THIRD,
      ),
    );

    this.dashboard.addWidgets(
      graph('Deliveries: accepted', ingestMetrics(['verified', 'ping', 'messagesQueued']), HALF),
      graph(
        'Deliveries: refused or parked',
        ingestMetrics(['signatureRejected', 'malformed', 'tooLarge', 'quarantined', 'enqueueFailed']),
        HALF,
      ),
    );

    const queueMetrics = (metric: (q: EventQueue) => cloudwatch.IMetric) => queues.all.map(metric);
    const latest = { period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM };
    this.dashboard.addWidgets(
      graph(
        'Messages waiting',
        queueMetrics((q) => q.queue.metricApproximateNumberOfMessagesVisible({ ...latest, label: q.definition.id })),
        THIRD,
      ),
      graph(
        'Oldest message age (s)',
        queueMetrics((q) => q.queue.metricApproximateAgeOfOldestMessage({ ...latest, label: q.definition.id })),
        THIRD,
        [{ value: props.messageAgeAlarmSeconds, label: 'alarm', color: cloudwatch.Color.RED }],
      ),
      graph(
        'Dead-letter queues',
        queueMetrics((q) =>
          q.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ ...latest, label: `${q.definition.id} DLQ` }),
        ),
        THIRD,
        [{ value: 1, label: 'alarm', color: cloudwatch.Color.RED }],
      ),
    );
  }
}

function graph(
  title: string,
  metrics: readonly cloudwatch.IMetric[],
  width: number,
  leftAnnotations?: cloudwatch.HorizontalAnnotation[],
): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({
    title,
    left: [...metrics],
    width,
    height: 6,
    ...(leftAnnotations ? { leftAnnotations } : {}),
  });
}
