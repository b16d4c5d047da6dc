import { Duration, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { PUSH_METRICS, SERVICES } from '#core/metrics';
import type { StackConfig } from '#lib/config';
import { BridgeFunction } from './bridge-function.ts';
import { stackEnvironment } from './function-environment.ts';
import type { EventQueues } from './event-queues.ts';
import { serviceCountMetric } from './webhook-api.ts';
import { anyOccurrenceAlarm, notifyOn } from './alarm-topic.ts';
import { grantSecretValue } from './secrets.ts';
import { boundedByApiStage } from '#lib/nag/function-findings';

/** The push route (the local stack serves the same path). */
export const BEAMERY_PUSH_PATH_PARTS = ['beamery', 'push'] as const;

/** Rejected keys in 5 minutes that set off the alarm: a caller with a stale key, or someone probing. */
export const PUSH_UNAUTHORIZED_ALARM_THRESHOLD = 10;

export interface PushApiProps {
  readonly config: StackConfig;
  /** The bridge's REST API (WebhookApi's): same stage, throttling, access logs and WAF. */
  readonly api: apigateway.RestApi;
  readonly queues: EventQueues;
  readonly apiKeySecret: secretsmanager.ISecret;
  readonly alarmAction: cloudwatch.IAlarmAction;
}

/**
 * `POST /beamery/push` on the bridge's REST API (docs/configuration.md, "Pushing Beamery contacts to
 * Greenhouse"), proxied to the push Lambda, which checks the API key from Secrets Manager and enqueues
 * one `beamery.change` per contact on beamery-changes.fifo. Owns the push function, its grants and its
 * alarms; the API, its stage and its firewall belong to WebhookApi.
 */
export class PushApi extends Construct {
  readonly push: BridgeFunction;
  readonly method: apigateway.Method;
  readonly pushUrl: string;
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: PushApiProps) {
    super(scope, id);
    const { config, queues } = props;
    const queue = queues.get('beamery-changes');

    this.push = new BridgeFunction(this, 'Push', {
      entry: 'lambdas/handlers/beamery-push.ts',
      service: SERVICES.beameryPush,
      description: 'Accepts authenticated push requests for Beamery contacts and queues them for Greenhouse',
      memorySize: 512,
      // Up to 500 SendMessage calls; the caller (a button, a recipe) waits for the answer.
      timeout: Duration.seconds(15),
      concurrencyKey: 'push',
      exposure: {
        invokedBy: 'api-gateway',
        reaches: 'AWS SQS and Secrets Manager',
        concurrencyBound: boundedByApiStage(config.api),
      },
      config,
      environment: stackEnvironment('beamery-push', config, { queues, secretArns: { 'beamery-push-key': props.apiKeySecret.secretArn } }),
    });
    // Not grantSendMessages/grantRead: those add GetQueueAttributes, GetQueueUrl and DescribeSecret,
    // which the handler never calls (the queue URL arrives in the environment).
    this.push.role.addToPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queue.queueArn] }));
    grantSecretValue(props.apiKeySecret, this.push.role);

    const route = BEAMERY_PUSH_PATH_PARTS.reduce<apigateway.IResource>((parent, part) => parent.addResource(part), props.api.root);
    this.method = route.addMethod(
      'POST',
      // Console test invocations carry no key and would only count as unauthorized requests.
      new apigateway.LambdaIntegration(this.push.function, { proxy: true, allowTestInvoke: false }),
      { authorizationType: apigateway.AuthorizationType.NONE },
    );
    this.pushUrl = props.api.urlForPath(`/${BEAMERY_PUSH_PATH_PARTS.join('/')}`);

    const apiKeyOnly =
      "Beamery's Add to Greenhouse button and automation recipes can send a fixed header but cannot sign requests with SigV4 or obtain Cognito tokens; every request is authenticated in the push Lambda against an API key that Secrets Manager generates, compared in constant time before the body is read, and rejected requests are counted (PushUnauthorized alarm).";
    Validations.of(this.method).acknowledge({ id: 'AwsSolutions-APIG4', reason: apiKeyOnly });
    Validations.of(this.method).acknowledge({ id: 'AwsSolutions-COG4', reason: apiKeyOnly });

    this.alarms = this.createAlarms(props);
  }

  /** A push metric as the handler emits it: Powertools adds the `service` dimension. */
  pushMetric(name: keyof typeof PUSH_METRICS, period = Duration.minutes(5)): cloudwatch.Metric {
    return serviceCountMetric(PUSH_METRICS[name], SERVICES.beameryPush, period);
  }

  private createAlarms(props: PushApiProps): cloudwatch.Alarm[] {
    const fiveMinutes = Duration.minutes(5);
    const alarms = [
      this.pushMetric('unauthorized', fiveMinutes).createAlarm(this, 'UnauthorizedAlarm', {
        alarmDescription: `At least ${PUSH_UNAUTHORIZED_ALARM_THRESHOLD} push requests in 5 minutes had no valid API key: a Beamery button or recipe still sends an old key, or someone is probing POST /beamery/push.`,
        threshold: PUSH_UNAUTHORIZED_ALARM_THRESHOLD,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      anyOccurrenceAlarm(
        this,
        'PushKeyWeakAlarm',
        this.pushMetric('keyWeak', fiveMinutes),
        'The push API key in Secrets Manager is too weak or not readable JSON and every push is answered 503; run bridge rotate-push-key (docs/operations.md).',
      ),
      anyOccurrenceAlarm(this, 'PushErrorsAlarm', this.push.function.metricErrors({ period: fiveMinutes }), 'The push Lambda failed; the caller got a 5XX and the contacts were not queued.'),
    ];
    return notifyOn(props.alarmAction, ...alarms);
  }
}
