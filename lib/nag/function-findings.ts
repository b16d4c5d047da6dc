import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { StackConfig } from '#lib/config';
import { acknowledgeInEveryPack } from './packs.ts';

/**
 * What a bridge Lambda is exposed to and bounded by: the facts each of its cdk-nag decisions rests
 * on, given by the construct that builds it (docs/security.md lists them per function).
 */
export interface FunctionExposure {
  /** How Lambda invokes it, which decides whether a dead-letter config on the function could ever be used. */
  readonly invokedBy: 'api-gateway' | 'sqs' | 'schedule';
  /** Everything it connects to, for the reason it runs outside a VPC. */
  readonly reaches: string;
  /** What bounds its concurrency while none is reserved. */
  readonly concurrencyBound: string;
}

/** The concurrency bound of a function behind the API stage (ingest, push). */
export function boundedByApiStage(api: Pick<StackConfig['api'], 'throttlingRateLimit' | 'throttlingBurstLimit'>): string {
  return `the API stage's throttling (${api.throttlingRateLimit} requests a second, bursts of ${api.throttlingBurstLimit}) and, when on, the WAF per-IP rate rule bound its requests`;
}

const DLQ_REASONS: Readonly<Record<FunctionExposure['invokedBy'], string>> = {
  'api-gateway':
    "Invoked only synchronously, by API Gateway's Lambda proxy integration; Lambda uses a function's dead-letter queue only for asynchronous invocations, so one here would never receive a message. A failed request is the caller's HTTP error, and the caller retries (Greenhouse retries a webhook for about 15 hours).",
  sqs:
    "Invoked only synchronously, by its SQS event source mapping; Lambda uses a function's dead-letter queue only for asynchronous invocations. A failed message goes back to its queue; after `maxFailures` real failures (never rate limits, 5xx or timeouts) the consumer moves it to the queue's dead-letter queue with its reason, and the queue's redrive policy is the backstop.",
  schedule:
    "Invoked asynchronously by EventBridge Scheduler, with an on-failure destination (the poller dead-letter queue, EventInvokeConfig) that receives each run Lambda's retries could not complete, with the error; a dead-letter config as well would deliver every failure a second time, without the error.",
};

const ESM_DESTINATION_REASON =
  "Lambda accepts an event source mapping's on-failure destination only for stream and Kafka sources (Kinesis, DynamoDB Streams, Amazon MSK, self-managed Kafka), not for SQS. An SQS message's failure path is its queue: the consumer moves a message that failed for real to the queue's dead-letter queue (alarmed), and the redrive policy is the backstop.";

/** Why a role of the stack keeps CDK's inline default policy (NIST/HIPAA IAMNoInlinePolicy). */
export const INLINE_POLICY_REASON =
  "The role's only policy is the one CDK writes from this role's grants, least privilege for its one user (test/cdk checks them). An inline policy exists only with its role and cannot be attached to another principal; it is versioned and reviewed as code and changed only through CloudFormation change sets, which is what a customer-managed policy would add.";

/** Acknowledges the Serverless, NIST 800-53 R5 and HIPAA findings every bridge Lambda has, with this function's reasons. */
export function acknowledgeFunctionFindings(
  fn: IConstruct,
  role: IConstruct,
  exposure: FunctionExposure,
  unreservedConcurrencyKey: string | undefined,
): void {
  acknowledgeInEveryPack(fn, 'LambdaDLQ', DLQ_REASONS[exposure.invokedBy]);
  if (exposure.invokedBy === 'sqs') acknowledgeInEveryPack(fn, 'LambdaEventSourceMappingDestination', ESM_DESTINATION_REASON);
  acknowledgeInEveryPack(
    fn,
    'LambdaInsideVPC',
    `Outside a VPC on purpose: it connects only to ${exposure.reaches}, all public HTTPS endpoints reached over TLS and authenticated by IAM (SigV4) or the vendor's credentials, and it accepts no inbound connections. In a VPC it would need NAT gateways (about $32 a month per Availability Zone plus $0.045 per GB) or an interface endpoint per AWS service per zone (about $7 a month each) to reach the same endpoints, and would gain no protection those connections lack.`,
  );
  if (unreservedConcurrencyKey !== undefined) {
    acknowledgeInEveryPack(
      fn,
      'LambdaConcurrency',
      `No reserved concurrency unless configured (reservedConcurrency.${unreservedConcurrencyKey}): ${exposure.concurrencyBound}. A default reservation would fail the first deploy in an account with a small concurrency quota (Lambda keeps 100 executions unreserved).`,
    );
  }
  acknowledgeInEveryPack(role, 'IAMNoInlinePolicy', INLINE_POLICY_REASON);
  Validations.of(role).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: XRAY_WRITE_REASON });
}

/** The one wildcard resource a function role may have (test/cdk/tracing.test.ts holds every other statement to named resources). */
const XRAY_WRITE_REASON =
  "Active tracing lets the function send its trace segments: xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions (the Service Authorization Reference lists no resource type for them), so IAM requires Resource '*'. No other statement of the role names '*'.";
