import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { AI_WORKFLOW_METRIC_PREFIX, type AiWorkflowName } from '#core/metrics';
import type { AiMetricName, AiWorkflows } from './ai-workflows.ts';
import type { EventQueue, EventQueues } from './event-queues.ts';
import type { IngestMetric, WebhookApi } from './webhook-api.ts';

export interface BridgeDashboardProps {
  readonly dashboardName: string;
  readonly webhookApi: WebhookApi;
  readonly queues: EventQueues;
  readonly aiWorkflows: AiWorkflows;
  readonly alarms: readonly cloudwatch.IAlarm[];
  readonly messageAgeAlarmSeconds: number;
}

const PERIOD = Duration.minutes(5);
const FULL = 24;
const HALF = 12;
const THIRD = 8;
const QUARTER = 6;

/** The AI workflows' rows, in order, with their titles. */
const AI_WORKFLOW_TITLES: Readonly<Record<AiWorkflowName, string>> = { screening: 'Screening', feedback: 'Feedback synthesis' };

/**
 * One page that answers "is the bridge healthy?": what Greenhouse sent and what became of it, what
 * waits on each queue and for how long, what the AI workflows did and what they cost, and the state
 * of every alarm. Alarms live with the constructs that own the resources; this only shows them.
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

    this.addAiWorkflowRows(props.aiWorkflows);
  }

  /**
   * One row per AI workflow: what became of each application (inferences, reused results, runs that
   * could not happen, errors), the model's latency, the tokens and the estimated cost (the operator's
   * prices in `ai.pricing`, summed over the dashboard's time range); for screening, the distribution of
   * the scores as well, to see a drift before people do.
   */
  private addAiWorkflowRows(ai: AiWorkflows): void {
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: '## AI workflows\nPer workflow: outcomes, model latency, tokens and estimated cost (from `ai.pricing`, not a bill).',
        width: FULL,
        height: 2,
      }),
    );
    for (const workflow of Object.keys(AI_WORKFLOW_METRIC_PREFIX) as AiWorkflowName[]) {
      const title = AI_WORKFLOW_TITLES[workflow];
      const metric = (name: AiMetricName, label: string, statistic: string = cloudwatch.Stats.SUM) =>
        ai.aiMetric(workflow, name, statistic, PERIOD).with({ label });
      const widgets: cloudwatch.IWidget[] = [
        graph(
          `${title}: outcomes`,
          [metric('inferences', 'inferences'), metric('reused', 'reused'), metric('notRun', 'not run'), metric('errors', 'errors')],
          QUARTER,
        ),
        graph(
          `${title}: model latency (ms)`,
          [metric('latencyMs', 'p50', cloudwatch.Stats.p(50)), metric('latencyMs', 'p99', cloudwatch.Stats.p(99))],
          workflow === 'screening' ? 4 : QUARTER,
        ),
        graph(`${title}: tokens`, [metric('inputTokens', 'input'), metric('outputTokens', 'output')], workflow === 'screening' ? 5 : QUARTER),
        new cloudwatch.SingleValueWidget({
          title: `${title}: estimated cost (USD)`,
          metrics: [metric('estimatedCostUsd', 'estimated USD')],
          setPeriodToTimeRange: true,
          fullPrecision: true,
          width: workflow === 'screening' ? 4 : QUARTER,
          height: 6,
        }),
      ];
      if (workflow === 'screening') {
        widgets.push(
          new cloudwatch.GraphWidget({
            title: 'Screening: score distribution',
            left: [10, 50, 90].map((p) => ai.screeningScoreMetric(cloudwatch.Stats.p(p), PERIOD).with({ label: `p${p}` })),
            right: [ai.screeningScoreMetric(cloudwatch.Stats.SAMPLE_COUNT, PERIOD).with({ label: 'scored applications' })],
            leftYAxis: { min: 0, max: 100, showUnits: false },
            rightYAxis: { min: 0, showUnits: false },
            width: 5,
            height: 6,
          }),
        );
      }
      this.dashboard.addWidgets(...widgets);
    }
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
