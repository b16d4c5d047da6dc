import { Aspects, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StackConfig } from '#lib/config';
import { AiWorkflows } from './constructs/ai-workflows.ts';
import { AlarmTopic, PredictableAlarmNames } from './constructs/alarm-topic.ts';
import { BridgeDashboard } from './constructs/dashboard.ts';
import { EventQueues } from './constructs/event-queues.ts';
import { BridgeSecrets } from './constructs/secrets.ts';
import { BridgeTables } from './constructs/tables.ts';
import { WebhookApi } from './constructs/webhook-api.ts';
import { BeamerySync, GreenhouseSync } from './constructs/greenhouse-sync.ts';
import { PollSchedules } from './constructs/schedules.ts';
import { PushApi } from './constructs/push-api.ts';

export interface BridgeStackProps extends StackProps {
  readonly config: StackConfig;
}

/** Wires the bridge's constructs together; each construct owns its resources, grants and alarms. */
export class BridgeStack extends Stack {
  readonly alarmTopic: AlarmTopic;
  readonly tables: BridgeTables;
  readonly queues: EventQueues;
  readonly secrets: BridgeSecrets;
  readonly webhookApi: WebhookApi;
  readonly pushApi: PushApi;
  readonly greenhouseSync: GreenhouseSync;
  readonly beamerySync: BeamerySync;
  readonly polling: PollSchedules;
  readonly aiWorkflows: AiWorkflows;
  readonly dashboard: BridgeDashboard;

  constructor(scope: Construct, id: string, props: BridgeStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.alarmTopic = new AlarmTopic(this, 'Alarms', { alarmEmail: config.alarmEmail });
    const alarmAction = this.alarmTopic.alarmAction;

    this.tables = new BridgeTables(this, 'Tables');
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
    this.greenhouseSync = new GreenhouseSync(this, 'GreenhouseSync', {
      config,
      queues: this.queues,
      tables: this.tables,
      secrets: this.secrets,
      alarmAction,
    });
    this.beamerySync = new BeamerySync(this, 'BeamerySync', {
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
    this.dashboard = new BridgeDashboard(this, 'Monitoring', {
      dashboardName: `${config.namePrefix}greenhouse-beamery-bridge`,
      webhookApi: this.webhookApi,
      queues: this.queues,
      aiWorkflows: this.aiWorkflows,
      alarms: [
        ...this.queues.alarms,
        ...this.webhookApi.alarms,
        ...this.pushApi.alarms,
        ...this.greenhouseSync.alarms,
        ...this.beamerySync.alarms,
        ...this.polling.alarms,
        ...this.aiWorkflows.alarms,
      ],
      messageAgeAlarmSeconds: config.messageAgeAlarmSeconds,
      functions: [
        { label: 'ingest (webhooks)', function: this.webhookApi.ingest.function },
        { label: 'beamery push', function: this.pushApi.push.function },
        { label: 'greenhouse → beamery', function: this.greenhouseSync.consumer.function },
        { label: 'beamery → greenhouse', function: this.beamerySync.consumer.function },
        { label: 'ai workflows', function: this.aiWorkflows.consumer.function },
        { label: 'pollers', function: this.polling.poller.function },
      ],
      otherDeadLetterQueues: [{ label: 'poller schedules DLQ', queue: this.polling.deadLetterQueue }],
      alarmAction,
    });
    Aspects.of(this).add(new PredictableAlarmNames(`${config.namePrefix}greenhouse-beamery-bridge`));

    new CfnOutput(this, 'WebhookUrl', {
      description: 'Enter as the endpoint URL of each Greenhouse web hook (Configure > Dev Center > Web Hooks)',
      value: this.webhookApi.webhookUrl,
    });
    new CfnOutput(this, 'GreenhouseWebhookSecretArn', {
      description: 'Store the Greenhouse web hook secret key here (plain string)',
      value: this.secrets.secret('greenhouse-webhook').secretArn,
    });
    new CfnOutput(this, 'GreenhouseHarvestCredentialsArn', {
      description: 'Store the Harvest v3 OAuth client credentials here ({"clientId","clientSecret"})',
      value: this.secrets.secret('greenhouse-harvest').secretArn,
    });
    new CfnOutput(this, 'BeameryCredentialsArn', {
      description: 'Store the Beamery client credentials here ({"clientId","clientSecret"})',
      value: this.secrets.secret('beamery').secretArn,
    });
    new CfnOutput(this, 'BeameryPushUrl', {
      description: 'POST {"contactIds":[...]} here to push Beamery contacts to Greenhouse (Authorization: Bearer <BeameryPushApiKeySecretArn value>)',
      value: this.pushApi.pushUrl,
    });
    new CfnOutput(this, 'BeameryPushApiKeySecretArn', {
      description: 'The generated API key of BeameryPushUrl: aws secretsmanager get-secret-value --secret-id <this ARN>',
      value: this.secrets.beameryPushApiKey.secretArn,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'Subscribe further endpoints (chat, paging) to receive bridge alarms',
      value: this.alarmTopic.topic.topicArn,
    });
    new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboard.dashboardName });
  }
}
