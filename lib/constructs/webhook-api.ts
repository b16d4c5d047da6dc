import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { INGEST_METRICS, METRICS_NAMESPACE, SERVICES } from '#core/metrics';
import { ROUTED_QUEUES } from '#core/webhooks/catalogue';
import { QUARANTINE_QUEUE } from '#core/webhooks/delivery';
import type { StackConfig } from '#lib/config';
import { BridgeFunction } from './bridge-function.ts';
import { LogEncryptionKey } from './log-encryption.ts';
import { stackEnvironment } from './function-environment.ts';
import type { EventQueues } from './event-queues.ts';
import type { BridgeTables } from './tables.ts';
import { acknowledgeInEveryPack } from '#lib/nag/packs';
import { boundedByApiStage } from '#lib/nag/function-findings';
import { WebhookFirewall } from './webhook-firewall.ts';
import { anyOccurrenceAlarm, notifyOn } from './alarm-topic.ts';
import { grantSecretValue } from './secrets.ts';

/** A count the bridge's handlers emit through Powertools (which adds the `service` dimension), summed per period. */
export function serviceCountMetric(metricName: string, service: string, period: Duration): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service }, statistic: cloudwatch.Stats.SUM, period });
}

/** The one route Greenhouse posts to (the local stack serves the same path). */
export const WEBHOOK_PATH_PARTS = ['webhooks', 'greenhouse'] as const;
export const WEBHOOK_STAGE_NAME = 'v1';


export type IngestMetric = keyof typeof INGEST_METRICS;

export interface WebhookApiProps {
  readonly config: StackConfig;
  readonly queues: EventQueues;
  /** Ingest keeps a record per delivery in the idempotency table, so a late Greenhouse retry is not queued again. */
  readonly tables: BridgeTables;
  readonly webhookSecret: secretsmanager.ISecret;
  readonly alarmAction: cloudwatch.IAlarmAction;
}

/**
 * `POST /webhooks/greenhouse` on a REST API (WAF and stage throttling are REST-only) proxied to the
 * ingest Lambda, which verifies Greenhouse's HMAC over the raw body, routes the event to the queues
 * and answers 200 fast. Owns the ingest function, its grants, the stage's logs and the ingest alarms.
 */
export class WebhookApi extends Construct {
  readonly api: apigateway.RestApi;
  readonly ingest: BridgeFunction;
  readonly accessLogGroup: logs.LogGroup;
  readonly webhookUrl: string;
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: WebhookApiProps) {
    super(scope, id);
    const { config, queues } = props;
    const routed = ROUTED_QUEUES.map((queueId) => queues.get(queueId));
    const quarantine = queues.get(QUARANTINE_QUEUE);

    this.ingest = new BridgeFunction(this, 'Ingest', {
      entry: 'lambdas/handlers/ingest-webhook.ts',
      service: SERVICES.ingest,
      description: 'Verifies signed Greenhouse webhooks and routes them to the bridge queues',
      memorySize: 512,
      // Greenhouse's delivery timeout is undocumented: the handler must answer within a second or
      // two, so anything near this limit is already a failure worth seeing as one.
      timeout: Duration.seconds(10),
      concurrencyKey: 'ingest',
      exposure: {
        invokedBy: 'api-gateway',
        reaches: 'AWS SQS, DynamoDB and Secrets Manager',
        concurrencyBound: boundedByApiStage(config.api),
      },
      config,
      environment: stackEnvironment('ingest-webhook', config, { queues, tables: props.tables, secretArns: { 'greenhouse-webhook': props.webhookSecret.secretArn } }),
    });
    // Not grantSendMessages/grantRead: those add GetQueueAttributes, GetQueueUrl and DescribeSecret,
    // which the handler never calls (queue URLs arrive in the environment).
    this.ingest.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: [...routed.map((q) => q.queue.queueArn), quarantine.deadLetterQueue.queueArn],
      }),
    );
    grantSecretValue(props.webhookSecret, this.ingest.role);
    // What Powertools' DynamoDBPersistenceLayer calls, and no more (grantReadWriteData adds Query,
    // Scan, batch writes and DescribeTable). The table's key is AWS-managed: no KMS grant is needed.
    this.ingest.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [props.tables.table('idempotency').tableArn],
      }),
    );

    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: config.logRetentionDays,
      encryptionKey: LogEncryptionKey.of(this),
    });
    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: `${config.namePrefix}greenhouse-beamery-bridge-webhooks`,
      description: 'Receives signed Greenhouse webhooks for greenhouse-beamery-bridge',
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      // Off, the stack creates no AWS::ApiGateway::Account, so it never replaces the role other APIs in
      // the account rely on; the stage's logs then need the role the account already has (docs/operations.md).
      cloudWatchRole: config.api.manageAccountRole,
      deployOptions: {
        stageName: WEBHOOK_STAGE_NAME,
        throttlingRateLimit: config.api.throttlingRateLimit,
        throttlingBurstLimit: config.api.throttlingBurstLimit,
        // Per-method metrics cost money and nothing reads them; Count, 4XX, 5XX and Latency per API stay.
        metricsEnabled: config.api.methodMetrics,
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        // Bodies hold candidate PII; neither execution nor access logs may carry them.
        dataTraceEnabled: false,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: ACCESS_LOG_FORMAT,
        // X-Ray: the stage's segment is the root of each request's trace through the Lambda.
        tracingEnabled: true,
      },
    });
    const route = WEBHOOK_PATH_PARTS.reduce<apigateway.IResource>((parent, part) => parent.addResource(part), this.api.root);
    const post = route.addMethod(
      'POST',
      // Test invocations from the console would count as signature failures and set off the alarm.
      new apigateway.LambdaIntegration(this.ingest.function, { proxy: true, allowTestInvoke: false }),
      { authorizationType: apigateway.AuthorizationType.NONE },
    );
    this.webhookUrl = this.api.urlForPath(`/${WEBHOOK_PATH_PARTS.join('/')}`);

    const hmacOnly =
      'Greenhouse webhooks cannot carry IAM (SigV4) or Cognito credentials; every request is authenticated in the ingest Lambda by the HMAC-SHA256 Signature header over the raw body, keyed with the secret in Secrets Manager, and unsigned or mis-signed requests are rejected before anything is queued and counted (WebhookSignatureRejected alarm).';
    Validations.of(post).acknowledge({ id: 'AwsSolutions-APIG4', reason: hmacOnly });
    Validations.of(post).acknowledge({ id: 'AwsSolutions-COG4', reason: hmacOnly });
    Validations.of(this.api.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'The body must reach the Lambda unvalidated: only after the HMAC over the exact raw bytes is verified may a body be judged, and signed-but-malformed deliveries are quarantined to the DLQ for an operator instead of being answered 400 by the gateway and lost after Greenhouse stops retrying. The Lambda validates every body it routes.',
    });
    if (config.api.manageAccountRole) acknowledgeCloudWatchRole(this.api);
    acknowledgeInEveryPack(
      this.api.deploymentStage,
      'APIGWCacheEnabledAndEncrypted',
      'Both routes are POSTs whose every request must reach the Lambda: a cached answer would acknowledge a webhook or push that was never queued. Nothing is cached, so no cache holds candidate data to encrypt.',
    );
    acknowledgeInEveryPack(
      this.api.deploymentStage,
      'APIGWSSLEnabled',
      "A stage's client certificate lets an HTTP backend verify that calls come from API Gateway; both routes integrate with a Lambda through the Lambda service (IAM-authorised), so there is no HTTP backend to present it to. Callers reach the stage over TLS only.",
    );

    if (config.waf.enabled) {
      new WebhookFirewall(this, 'Firewall', {
        stage: this.api.deploymentStage,
        rateLimitPerFiveMinutes: config.waf.rateLimitPerFiveMinutes,
        payloadCapBytes: config.webhookPayloadCapBytes,
        metricPrefix: config.namePrefix.replaceAll(/[^A-Za-z0-9]/g, ''),
        logGroupSuffix: Stack.of(this).stackName,
        logRetention: config.logRetentionDays,
      });
    } else {
      const noWaf =
        'WAF is switched off in this configuration (waf.enabled=false): every request must carry a valid HMAC-SHA256 signature, and stage throttling bounds the load an unsigned flood can put on the ingest Lambda. Set waf.enabled=true (the default) for IP reputation, per-IP rate, common-rule-set and request-size rules.';
      Validations.of(this.api.deploymentStage).acknowledge({ id: 'AwsSolutions-APIG3', reason: noWaf });
      acknowledgeInEveryPack(this.api.deploymentStage, 'APIGWAssociatedWithWAF', noWaf);
    }

    this.alarms = this.createAlarms(props);
  }

  /** An ingest metric as the handler emits it: Powertools adds the `service` dimension. */
  ingestMetric(name: IngestMetric, period = Duration.minutes(5)): cloudwatch.Metric {
    return serviceCountMetric(INGEST_METRICS[name], SERVICES.ingest, period);
  }

  private createAlarms(props: WebhookApiProps): cloudwatch.Alarm[] {
    const fiveMinutes = Duration.minutes(5);
    const alarms = [
      this.ingestMetric('signatureRejected', fiveMinutes).createAlarm(this, 'SignatureFailureAlarm', {
        alarmDescription: `At least ${props.config.signatureFailureAlarmThreshold} webhook deliveries in 5 minutes failed the signature check: the Greenhouse secret key and the secret in Secrets Manager differ, or someone is probing the endpoint.`,
        threshold: props.config.signatureFailureAlarmThreshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      this.ingest.function.metricErrors({ period: fiveMinutes }).createAlarm(this, 'IngestErrorsAlarm', {
        alarmDescription: 'The ingest Lambda failed; Greenhouse retries failed deliveries for about 15 hours, then drops them.',
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      this.api.metricServerError({ period: fiveMinutes, statistic: cloudwatch.Stats.SUM }).createAlarm(this, 'ServerErrorAlarm', {
        alarmDescription:
          'The webhook endpoint answered 5XX (ingest error, timeout or a failed enqueue); Greenhouse retries for about 15 hours, then drops the delivery.',
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      anyOccurrenceAlarm(
        this,
        'SecretWeakAlarm',
        this.ingestMetric('secretWeak', fiveMinutes),
        'The webhook secret in Secrets Manager is too weak (under 32 characters, a placeholder or one character repeated) and every delivery is answered 503; set a strong secret in Greenhouse and Secrets Manager (docs/operations.md).',
      ),
    ];
    return notifyOn(props.alarmAction, ...alarms);
  }
}

// JSON access logs with what an operator needs to match a Greenhouse Web Hook Log entry to a request,
// and no body or headers (the Signature header is a MAC of the PII-bearing body).
const ACCESS_LOG_FORMAT = apigateway.AccessLogFormat.custom(
  JSON.stringify({
    requestId: apigateway.AccessLogField.contextRequestId(),
    requestTime: apigateway.AccessLogField.contextRequestTime(),
    sourceIp: apigateway.AccessLogField.contextIdentitySourceIp(),
    userAgent: apigateway.AccessLogField.contextIdentityUserAgent(),
    httpMethod: apigateway.AccessLogField.contextHttpMethod(),
    resourcePath: apigateway.AccessLogField.contextResourcePath(),
    protocol: apigateway.AccessLogField.contextProtocol(),
    status: apigateway.AccessLogField.contextStatus(),
    responseLength: apigateway.AccessLogField.contextResponseLength(),
    responseLatency: apigateway.AccessLogField.contextResponseLatency(),
    integrationStatus: apigateway.AccessLogField.contextIntegrationStatus(),
    integrationLatency: apigateway.AccessLogField.contextIntegrationLatency(),
    errorMessage: apigateway.AccessLogField.contextErrorMessage(),
    wafStatus: apigateway.AccessLogField.contextWafResponseCode(),
  }),
);

function acknowledgeCloudWatchRole(api: apigateway.RestApi): void {
  const role = api.node.tryFindChild('CloudWatchRole');
  if (!role) return;
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    reason:
      "API Gateway's CloudWatch Logs role is one per account and region, shared by every REST API there; AWS's managed policy is the documented policy for it, and narrowing it to this API's log groups would break execution logging for the account's other APIs. It is created only with api.manageAccountRole=true.",
  });
}
