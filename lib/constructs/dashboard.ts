import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { AI_SERVICE, AI_WORKFLOW_METRIC_PREFIX, MODEL_FREE_WORKFLOWS, SCREENING_OVERRIDE_METRICS, type AiWorkflowName } from '#core/metrics';
import { ANALYTICS_METRICS, CONSUMER_METRICS, POLLER_METRICS, PUSH_METRICS, SERVICES } from '#core/metrics';
import type { AiMetricName, AiWorkflows } from './ai-workflows.ts';
import { notifyOn } from './alarm-topic.ts';
import type { PipelineReports } from './pipeline-reports.ts';
import type { EventQueue, EventQueues } from './event-queues.ts';
import { BEAMERY_SYNC_SERVICE, GREENHOUSE_SYNC_SERVICE } from './sync-consumers.ts';
import { POLLER_SERVICE } from './schedules.ts';
import { serviceCountMetric, type IngestMetric, type WebhookApi } from './webhook-api.ts';

export interface BridgeDashboardProps {
  readonly dashboardName: string;
  readonly webhookApi: WebhookApi;
  readonly queues: EventQueues;
  readonly aiWorkflows: AiWorkflows;
  /** The nightly pipeline report, where `analytics.enabled`: a row of its own. */
  readonly pipelineReports?: PipelineReports;
  readonly alarms: readonly cloudwatch.IAlarm[];
  readonly messageAgeAlarmSeconds: number;
  /** Every function of the stack, with the label its widget gets. */
  readonly functions: readonly { readonly label: string; readonly function: lambda.IFunction }[];
  /** Dead-letter queues besides the event queues' own (the poller schedules'). */
  readonly otherDeadLetterQueues: readonly { readonly label: string; readonly queue: sqs.IQueue }[];
  /** Where the sustained-rate-limit alarm goes. */
  readonly alarmAction: cloudwatch.IAlarmAction;
}

/** The consumers' `service` dimensions, as Powertools emits their metrics, with a label each. */
const CONSUMERS = [
  { label: 'greenhouse → beamery', service: GREENHOUSE_SYNC_SERVICE },
  { label: 'beamery → greenhouse', service: BEAMERY_SYNC_SERVICE },
  { label: 'ai', service: AI_SERVICE },
] as const;

/**
 * Rate limiting is the budget at work, so one batch paused by it alarms nobody; batches paused in
 * every 5-minute period for half an hour mean the work outruns the tenants' limits (or another
 * client spends them), and the backlog only grows.
 */
export const SUSTAINED_RATE_LIMIT_PERIODS = 6;

const PERIOD = Duration.minutes(5);
const FULL = 24;
const HALF = 12;
const THIRD = 8;
const QUARTER = 6;

/** The AI workflows' rows, in order, with their titles. */
const AI_WORKFLOW_TITLES: Readonly<Record<AiWorkflowName, string>> = {
  screening: 'Screening',
  feedback: 'Feedback synthesis',
  rediscovery: 'Rediscovery',
  rediscoveryIndex: 'Rediscovery index',
  jobDescription: 'Job-description drafts',
  offers: 'Offer checks',
};
/** What `Items` counts, for the workflows that emit it (core/metrics.ts AI_WORKFLOW_METRIC_PREFIX). */
const AI_ITEM_LABELS: Partial<Record<AiWorkflowName, string>> = {
  rediscovery: 'candidates suggested',
  rediscoveryIndex: 'profiles embedded',
  jobDescription: 'check findings',
  offers: 'failed checks',
};

/**
 * One page that answers "is the bridge healthy?": what Greenhouse sent and what became of it, what
 * waits on each queue and for how long, what the AI workflows did and what they cost, and the state
 * of every alarm. Alarms live with the constructs that own the resources; this only shows them.
 */
export class BridgeDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: BridgeDashboardProps) {
    super(scope, id);
    const { webhookApi, queues } = props;
    const api = webhookApi.api;
    const sum = { period: PERIOD, statistic: cloudwatch.Stats.SUM };
    const ingestMetrics = (names: readonly IngestMetric[]) => names.map((name) => webhookApi.ingestMetric(name, PERIOD));

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(24),
    });

    const consumerMetric = (name: string) => CONSUMERS.map((c) => serviceCountMetric(name, c.service, PERIOD).with({ label: c.label }));
    const rateLimited = new cloudwatch.MathExpression({
      expression: CONSUMERS.map((_, i) => `FILL(m${i}, 0)`).join(' + '),
      usingMetrics: Object.fromEntries(consumerMetric(CONSUMER_METRICS.rateLimited).map((metric, i) => [`m${i}`, metric])),
      period: PERIOD,
      label: 'rate-limited batches',
    });
    this.alarms = notifyOn(
      props.alarmAction,
      rateLimited.createAlarm(this, 'SustainedRateLimitAlarm', {
        alarmDescription: `The consumers met a rate limit in every 5-minute period for ${(SUSTAINED_RATE_LIMIT_PERIODS * 5).toString()} minutes: the work outruns the Greenhouse or Beamery limit (a bulk change, a backfill, another client of the tenant). Nothing is lost; messages wait. See docs/operations.md (a 429 storm): pause what can wait (bridge pause ai), or lower the load.`,
        threshold: 1,
        evaluationPeriods: SUSTAINED_RATE_LIMIT_PERIODS,
        datapointsToAlarm: SUSTAINED_RATE_LIMIT_PERIODS,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );

    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms, ...this.alarms], width: FULL, height: 4 }),
    );

    this.dashboard.addWidgets(
      graph(
        'Webhook requests',
        [api.metricCount(sum), api.metricClientError(sum), api.metricServerError(sum)],
        HALF,
      ),
      graph(
        'Webhook latency (ms)',
        [cloudwatch.Stats.p(50), cloudwatch.Stats.p(99), cloudwatch.Stats.MAXIMUM].map((statistic) =>
          api.metricLatency({ period: PERIOD, statistic }),
        ),
        HALF,
      ),
    );

    const push = (name: keyof typeof PUSH_METRICS, label: string) => serviceCountMetric(PUSH_METRICS[name], SERVICES.beameryPush, PERIOD).with({ label });
    this.dashboard.addWidgets(
      graph(
        'Deliveries: accepted, and what the pollers queued',
        [...ingestMetrics(['verified', 'ping', 'messagesQueued', 'duplicate']), pollerMetric(POLLER_METRICS.queued).with({ label: 'messages queued by pollers' })],
        THIRD,
      ),
      graph(
        'Deliveries: refused or parked',
        ingestMetrics(['signatureRejected', 'malformed', 'tooLarge', 'quarantined', 'enqueueFailed', 'duplicateInProgress', 'dedupUnavailable', 'secretWeak']),
        THIRD,
      ),
      graph(
        'Push requests (POST /beamery/push)',
        [push('contactsQueued', 'contacts queued'), push('unauthorized', 'unauthorized'), push('rejected', 'rejected (body)'), push('enqueueFailed', 'not queued (SQS)')],
        THIRD,
      ),
    );

    const queueMetrics = (metric: (q: EventQueue) => cloudwatch.IMetric) => queues.all.map(metric);
    const latest = { period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM };
    this.dashboard.addWidgets(
      // Processed beside waiting: a count that rises while nothing is processed is a stuck consumer or a pause.
      new cloudwatch.GraphWidget({
        title: 'Messages waiting (left) and processed (right)',
        left: queueMetrics((q) => q.queue.metricApproximateNumberOfMessagesVisible({ ...latest, label: q.definition.id })),
        right: consumerMetric(CONSUMER_METRICS.processed).map((m) => m.with({ label: `${m.label ?? ''} processed` })),
        width: THIRD,
        height: 6,
      }),
      graph(
        'Sync lag (s): oldest message, poll watermark',
        [
          ...queueMetrics((q) => q.queue.metricApproximateAgeOfOldestMessage({ ...latest, label: `${q.definition.id} oldest message` })),
          pollerMetric(POLLER_METRICS.lagSeconds, cloudwatch.Stats.MAXIMUM).with({ label: 'poll lag (worst poller)' }),
        ],
        THIRD,
        [{ value: props.messageAgeAlarmSeconds, label: 'message age alarm', color: cloudwatch.Color.RED }],
      ),
      graph(
        'Dead-letter queues',
        [
          ...queueMetrics((q) => q.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ ...latest, label: `${q.definition.id} DLQ` })),
          ...props.otherDeadLetterQueues.map((d) => d.queue.metricApproximateNumberOfMessagesVisible({ ...latest, label: d.label })),
        ],
        THIRD,
        [{ value: 1, label: 'alarm', color: cloudwatch.Color.RED }],
      ),
    );

    this.dashboard.addWidgets(
      graph('Rate limited (batches paused by a limit)', [...consumerMetric(CONSUMER_METRICS.rateLimited), pollerMetric(POLLER_METRICS.rateLimited).with({ label: 'pollers' })], THIRD),
      graph('Poll backpressure (runs that waited for room)', [pollerMetric(POLLER_METRICS.backpressure).with({ label: 'greenhouse pollers' })], THIRD),
      graph(
        'Failed and dead-lettered messages',
        [
          ...consumerMetric(CONSUMER_METRICS.failed),
          ...consumerMetric(CONSUMER_METRICS.deadLettered).map((m) => m.with({ label: `${m.label ?? ''} dead-lettered` })),
          ...consumerMetric(CONSUMER_METRICS.malformed).map((m) => m.with({ label: `${m.label ?? ''} not an envelope` })),
        ],
        THIRD,
      ),
    );

    this.addFunctionRows(props.functions);

    this.addAiWorkflowRows(props.aiWorkflows);

    if (props.pipelineReports) this.addPipelineAnalyticsRow();
  }

  /**
   * The nightly report's headline numbers, one datapoint a night each (a daily period, so each point
   * is one run): the runs and what they read, the bottlenecks found, the company's time to fill and
   * to hire, and the forecast's backtest error. The report itself (reports/latest.html) has the rest.
   */
  private addPipelineAnalyticsRow(): void {
    const daily = Duration.days(1);
    const metric = (name: string, label: string, statistic: string = cloudwatch.Stats.SUM) =>
      serviceCountMetric(name, SERVICES.pipelineReport, daily).with({ label, statistic });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: '## Pipeline analytics\nThe nightly report (`bridge report`): runs, bottlenecks, time to fill and to hire, forecast error.',
        width: FULL,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      graph(
        'Pipeline report: runs',
        [metric(ANALYTICS_METRICS.reportRuns, 'reports stored'), metric(ANALYTICS_METRICS.rateLimited, 'rate limited (no report)'), metric(ANALYTICS_METRICS.bottlenecksFound, 'bottlenecks found')],
        QUARTER,
      ),
      graph('Pipeline report: applications read', [metric(ANALYTICS_METRICS.applicationsRead, 'applications')], QUARTER),
      graph(
        'Time to fill and to hire (company median, days)',
        [
          metric(ANALYTICS_METRICS.timeToFillMedianDays, 'time to fill', cloudwatch.Stats.AVERAGE),
          metric(ANALYTICS_METRICS.timeToHireMedianDays, 'time to hire', cloudwatch.Stats.AVERAGE),
        ],
        QUARTER,
      ),
      graph('Forecast backtest error (MAE, days)', [metric(ANALYTICS_METRICS.forecastBacktestMaeDays, 'mean absolute error', cloudwatch.Stats.AVERAGE)], QUARTER),
    );
  }

  /** Per function: invocations, errors and throttles (left), duration p50/p99/max (right). */
  private addFunctionRows(functions: BridgeDashboardProps['functions']): void {
    const sum = { period: PERIOD, statistic: cloudwatch.Stats.SUM };
    this.dashboard.addWidgets(
      ...functions.map(({ label, function: fn }) =>
        new cloudwatch.GraphWidget({
          title: `Lambda: ${label}`,
          left: [fn.metricInvocations(sum), fn.metricErrors(sum), fn.metricThrottles(sum)],
          right: [cloudwatch.Stats.p(50), cloudwatch.Stats.p(99), cloudwatch.Stats.MAXIMUM].map((statistic) =>
            fn.metricDuration({ period: PERIOD, statistic, label: `duration ${statistic}` }),
          ),
          rightYAxis: { min: 0, label: 'ms', showUnits: false },
          width: THIRD,
          height: 6,
        }),
      ),
    );
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
      const items = AI_ITEM_LABELS[workflow];
      const outcomes = graph(
        `${title}: outcomes`,
        [metric('inferences', items ? 'runs' : 'inferences'), metric('reused', 'reused'), metric('notRun', 'not run'), metric('errors', 'errors'), ...(items ? [metric('items', items)] : [])],
        QUARTER,
      );
      // A workflow without a model has no latency, tokens or cost to show.
      const widgets: cloudwatch.IWidget[] = MODEL_FREE_WORKFLOWS.has(workflow)
        ? [outcomes]
        : [
            outcomes,
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
          graph(
            'Screening: reviewer overrides (bridge overrides for the rate per job)',
            (Object.keys(SCREENING_OVERRIDE_METRICS) as (keyof typeof SCREENING_OVERRIDE_METRICS)[]).map((kind) => ai.screeningOverrideMetric(kind, PERIOD).with({ label: kind })),
            HALF,
          ),
        );
      }
      this.dashboard.addWidgets(...widgets);
    }
  }
}

function pollerMetric(name: string, statistic: string = cloudwatch.Stats.SUM): cloudwatch.Metric {
  return serviceCountMetric(name, POLLER_SERVICE, PERIOD).with({ statistic });
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
