import { Stack, type IAspect } from 'aws-cdk-lib';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct, type IConstruct } from 'constructs';
import { acknowledgeInEveryPack } from '#lib/nag/packs';

export interface AlarmTopicProps {
  /** Subscribed by email when set; the recipient must confirm the subscription from AWS's email. */
  readonly alarmEmail?: string | undefined;
}

/**
 * Where every bridge alarm goes. The topic is KMS-encrypted, and an encrypted topic only receives
 * CloudWatch alarms when both its key and its policy let the CloudWatch service in: without them
 * alarms change state silently.
 */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;
  readonly alarmAction: cloudwatch.IAlarmAction;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const cloudWatch = new iam.ServicePrincipal('cloudwatch.amazonaws.com');

    const key = new kms.Key(this, 'Key', {
      description: 'Encrypts the greenhouse-beamery-bridge alarm topic',
      enableKeyRotation: true,
    });
    key.grant(cloudWatch, 'kms:Decrypt', 'kms:GenerateDataKey*');

    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'greenhouse-beamery-bridge alarms',
      masterKey: key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccount',
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        // Only alarms in this account: the service principal alone would admit anyone's alarms.
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );

    if (props.alarmEmail) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
      acknowledgeInEveryPack(
        this.topic,
        'SNSRedrivePolicy',
        'The subscription is an operator\'s email address: a message SNS cannot deliver to it would wait in a dead-letter queue nobody reads, while the alarm it announced stays in ALARM in CloudWatch and on the dashboard until its cause is fixed.',
      );
    }
    this.alarmAction = new cloudwatchActions.SnsAction(this.topic);
  }
}

/** Sends an alarm's ALARM and OK transitions to the action (the alarm topic): every bridge alarm does both. */
export function notifyOn(action: cloudwatch.IAlarmAction, ...alarms: cloudwatch.Alarm[]): cloudwatch.Alarm[] {
  for (const alarm of alarms) {
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
  return alarms;
}

/** An alarm on any occurrence of the metric in one period; no data is not a breach. */
export function anyOccurrenceAlarm(scope: Construct, id: string, metric: cloudwatch.Metric, alarmDescription: string): cloudwatch.Alarm {
  return metric.createAlarm(scope, id, {
    alarmDescription,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

/**
 * Gives every alarm a name an operator can predict and search for, `<prefix>-<what>`, where `what` is
 * the alarm's place in the stack in kebab case (`queues-greenhouse-changes-dead-letter`), instead of
 * CloudFormation's generated `Bridge-QueuesgreenhousechangesDeadLetterAlarm1A2B3C-XYZ`. The prefix
 * carries `namePrefix`, as the queue and dashboard names do, so two deployments in one account differ.
 */
export class PredictableAlarmNames implements IAspect {
  constructor(private readonly prefix: string) {}

  visit(node: IConstruct): void {
    if (!(node instanceof cloudwatch.CfnAlarm)) return;
    const stack = Stack.of(node);
    const path = node.node.scopes.slice(node.node.scopes.indexOf(stack) + 1).map((scope) => scope.node.id);
    // The L2 alarm's own id ends in Alarm and holds a `Resource`: neither says anything.
    const parts = path.filter((id) => id !== 'Resource').map((id, i, all) => (i === all.length - 1 ? id.replace(/Alarm$/, '') : id));
    node.alarmName = [this.prefix, ...parts.map(kebab)].join('-');
  }
}

function kebab(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
}
