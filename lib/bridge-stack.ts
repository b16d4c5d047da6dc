import { Aspects, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StackConfig } from '#lib/config';
import { settingsEnvironment } from '#lib/function-environments';
import { AiWorkflows } from './constructs/ai-workflows.ts';
import { AlarmTopic, PredictableAlarmNames } from './constructs/alarm-topic.ts';
import { BridgeDashboard } from './constructs/dashboard.ts';
import { EventQueues } from './constructs/event-queues.ts';
import { BridgeSecrets } from './constructs/secrets.ts';
import { BridgeTables } from './constructs/tables.ts';
import { TableBackups, acknowledgeTablesWithoutBackups } from './constructs/backups.ts';
import { WebhookApi } from './constructs/webhook-api.ts';
import { BeameryToGreenhouseSync, GreenhouseToBeamerySync } from './constructs/sync-consumers.ts';
import { PollSchedules } from './constructs/schedules.ts';
import { PushApi } from './constructs/push-api.ts';
import { PipelineReports } from './constructs/pipeline-reports.ts';
import { ENV } from '#lambdas/config';
import { QUEUES, TABLES } from '#lib/resource-definitions';
import { SETTINGS_OUTPUT, STACK_OUTPUT_VARIABLES } from '#lib/stack-outputs';

export interface BridgeStackProps extends StackProps {
  readonly config: StackConfig;
}

/** Wires the bridge's constructs together; each construct owns its resources, grants and alarms. */
export class BridgeStack extends Stack {
  readonly alarmTopic: AlarmTopic;
  readonly tables: BridgeTables;
  /** The daily AWS Backup plan of the tables; only with `backup.enabled`. */
  readonly backups: TableBackups | undefined;
  readonly queues: EventQueues;
  readonly secrets: BridgeSecrets;
  readonly webhookApi: WebhookApi;
  readonly pushApi: PushApi;
  readonly greenhouseSync: GreenhouseToBeamerySync;
  readonly beamerySync: BeameryToGreenhouseSync;
  readonly polling: PollSchedules;
  readonly aiWorkflows: AiWorkflows;
  /** The nightly pipeline report; only with `analytics.enabled`. */
  readonly pipelineReports: PipelineReports | undefined;
  readonly dashboard: BridgeDashboard;

  constructor(scope: Construct, id: string, props: BridgeStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.alarmTopic = new AlarmTopic(this, 'Alarms', { alarmEmail: config.alarmEmail });
    const alarmAction = this.alarmTopic.alarmAction;

    this.tables = new BridgeTables(this, 'Tables');
    this.backups = config.backup.enabled ? new TableBackups(this, 'Backups', { config: config.backup, tables: this.tables }) : undefined;
    acknowledgeTablesWithoutBackups(this.tables, config.backup.enabled);
    this.queues = new EventQueues(this, 'Queues', {
      namePrefix: config.namePrefix,
      maxReceiveCount: config.maxReceiveCount,
      messageAgeAlarmSeconds: config.messageAgeAlarmSeconds,
      alarmAction,
    });
    this.secrets = new BridgeSecrets(this, 'Secrets');
    this.webhookApi = new WebhookApi(this, 'Webhook', {
      config,
      queues: this.queues,
      tables: this.tables,
      webhookSecret: this.secrets.secret('greenhouse-webhook'),
      alarmAction,
    });
    this.pushApi = new PushApi(this, 'BeameryPush', {
      config,
      api: this.webhookApi.api,
      queues: this.queues,
      apiKeySecret: this.secrets.beameryPushApiKey,
      alarmAction,
    });
    // The construct ids predate the classes' direction names; changing them would replace the functions and their alarms.
    this.greenhouseSync = new GreenhouseToBeamerySync(this, 'GreenhouseSync', {
      config,
      queues: this.queues,
      tables: this.tables,
      secrets: this.secrets,
      alarmAction,
    });
    this.beamerySync = new BeameryToGreenhouseSync(this, 'BeamerySync', {
      config,
      queues: this.queues,
      tables: this.tables,
      secrets: this.secrets,
      alarmAction,
    });
    this.polling = new PollSchedules(this, 'Polling', {
      config,
      queues: this.queues,
      tables: this.tables,
      secrets: this.secrets,
      alarmAction,
    });
    this.aiWorkflows = new AiWorkflows(this, 'AiWorkflows', {
      config,
      queues: this.queues,
      tables: this.tables,
      secrets: this.secrets,
      alarmAction,
    });
    this.pipelineReports = config.analytics.enabled
      ? new PipelineReports(this, 'PipelineReports', { config, tables: this.tables, secrets: this.secrets, schedules: this.polling, alarmAction })
      : undefined;
    this.dashboard = new BridgeDashboard(this, 'Monitoring', {
      dashboardName: `${config.namePrefix}greenhouse-beamery-bridge`,
      webhookApi: this.webhookApi,
      queues: this.queues,
      aiWorkflows: this.aiWorkflows,
      ...(this.pipelineReports ? { pipelineReports: this.pipelineReports } : {}),
      alarms: [
        ...this.queues.alarms,
        ...this.webhookApi.alarms,
        ...this.pushApi.alarms,
        ...this.greenhouseSync.alarms,
        ...this.beamerySync.alarms,
        ...this.polling.alarms,
        ...this.aiWorkflows.alarms,
        ...(this.pipelineReports?.alarms ?? []),
      ],
      messageAgeAlarmSeconds: config.messageAgeAlarmSeconds,
      functions: [
        { label: 'ingest (webhooks)', function: this.webhookApi.ingest.function },
        { label: 'beamery push', function: this.pushApi.push.function },
        { label: 'greenhouse → beamery', function: this.greenhouseSync.consumer.function },
        { label: 'beamery → greenhouse', function: this.beamerySync.consumer.function },
        { label: 'ai workflows', function: this.aiWorkflows.consumer.function },
        { label: 'pollers', function: this.polling.poller.function },
        ...(this.pipelineReports ? [{ label: 'pipeline report', function: this.pipelineReports.report.function }] : []),
      ],
      otherDeadLetterQueues: [{ label: 'poller schedules DLQ', queue: this.polling.deadLetterQueue }],
      alarmAction,
    });
    Aspects.of(this).add(new PredictableAlarmNames(`${config.namePrefix}greenhouse-beamery-bridge`));

    new CfnOutput(this, 'WebhookUrl', {
      description: 'Enter as the endpoint URL of each Greenhouse web hook (Configure > Dev Center > Web Hooks)',
      value: this.webhookApi.webhookUrl,
    });
    // Every queue, DLQ, table and secret the operator CLI reads with `--stack <name>` (lib/stack-outputs.ts).
    const outputValues: Record<string, string> = {
      ...Object.fromEntries(QUEUES.flatMap((q) => [[q.urlEnv, this.queues.get(q.id).queue.queueUrl], [q.dlqUrlEnv, this.queues.get(q.id).deadLetterQueue.queueUrl]])),
      [ENV.pollerDlqUrl]: this.polling.deadLetterQueue.queueUrl,
      ...this.tables.environmentFor(TABLES.map((t) => t.id)),
      [ENV.webhookSecretArn]: this.secrets.secret('greenhouse-webhook').secretArn,
      [ENV.greenhouseCredentialsArn]: this.secrets.secret('greenhouse-harvest').secretArn,
      [ENV.beameryCredentialsArn]: this.secrets.secret('beamery').secretArn,
      [ENV.beameryPushKeyArn]: this.secrets.beameryPushApiKey.secretArn,
    };
    for (const { output, env, description } of STACK_OUTPUT_VARIABLES) new CfnOutput(this, output, { description, value: outputValues[env]! });
    new CfnOutput(this, SETTINGS_OUTPUT, {
      description: 'The Lambdas\' settings besides resources and secrets, as environment variables (JSON), for the operator CLI',
      value: JSON.stringify(cliSettingsEnvironment(config)),
    });
    new CfnOutput(this, 'BeameryPushUrl', {
      description: 'POST {"contactIds":[...]} here to push Beamery contacts to Greenhouse (Authorization: Bearer <the push key: the secret BeameryPushApiKeySecretArn, or its "current" once rotated>)',
      value: this.pushApi.pushUrl,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'Subscribe further endpoints (chat, paging) to receive bridge alarms',
      value: this.alarmTopic.topic.topicArn,
    });
    new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboard.dashboardName });
  }
}

/** What the consumers and pollers read besides resources and secrets; the CLI takes the same (tenant above all; the AI settings for `bridge rediscover` and `bridge jd`). */
function cliSettingsEnvironment(config: StackConfig): Record<string, string> {
  return settingsEnvironment(
    ['tenant', 'beamery-connection', 'greenhouse-acting-user', 'anonymization-mode', 'greenhouse-to-beamery', 'push-tag', 'beamery-to-greenhouse', 'ai'],
    config,
  );
}
