import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { parseS3Prefix } from '#core/ai/jd/ports';
import { AI_SERVICE, SCREENING_OVERRIDE_METRICS, SCREENING_SCORE_METRIC, aiMetrics, type AiWorkflowName } from '#core/metrics';
import type { StackConfig } from '#lib/config';
import { rediscoveryIndexEnvironment } from '#lib/function-environments';
import { anyOccurrenceAlarm, notifyOn } from './alarm-topic.ts';
import { BridgeFunction } from './bridge-function.ts';
import { stackEnvironment } from './function-environment.ts';
import { wireConsumer, type EventQueues } from './event-queues.ts';
import { RediscoveryIndex } from './rediscovery-index.ts';
import { grantSecretValue, type BridgeSecrets } from './secrets.ts';
import type { BridgeTables } from './tables.ts';
import { serviceCountMetric } from './webhook-api.ts';

export interface AiWorkflowsProps {
  readonly config: StackConfig;
  readonly queues: EventQueues;
  readonly tables: BridgeTables;
  readonly secrets: BridgeSecrets;
  readonly alarmAction: cloudwatch.IAlarmAction;
}

/** A per-workflow metric of the AI consumer, by its key in `aiMetrics` (core/metrics.ts). */
export type AiMetricName = keyof ReturnType<typeof aiMetrics>;

export interface ArnContext {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/**
 * The geographies of Bedrock's system-defined (cross-Region) inference profiles: the profile id is the
 * model id with one of these and a dot in front (`us.anthropic.claude-…`). Model ids themselves start
 * with the provider (`anthropic.`, `amazon.`, `meta.` …), never with one of these.
 */
export const CROSS_REGION_PROFILE_GEOGRAPHIES = ['us', 'us-gov', 'eu', 'apac', 'jp', 'au', 'ca', 'global'] as const;

const GEOGRAPHY_PREFIX = new RegExp(`^(?:${CROSS_REGION_PROFILE_GEOGRAPHIES.join('|')})\\.`);
const BEDROCK_ARN = /^arn:([^:]+):bedrock:[^:]*:[^:]*:([a-z-]+)\/(.+)$/;

/**
 * The resources `bedrock:InvokeModel` must allow for the configured model and nothing else:
 * - a cross-Region inference profile id (`us.…`, `eu.…`, `global.…`): the profile in this Region and
 *   account, and the foundation model in any Region, because the profile routes each request to the
 *   model in one of its geography's Regions (for `global.`, to a Region-less model ARN, which `*`
 *   also matches); the model is still exactly one;
 * - a plain model id: the foundation model in this Region;
 * - a full ARN: that ARN, and for a cross-Region inference profile's ARN the foundation model as above
 *   (an application inference profile's model cannot be known here: grant it with its own ARN only).
 */
export function bedrockModelArns(modelId: string, { partition, region, account }: ArnContext): string[] {
  const anyRegionModel = (arnPartition: string, model: string) => `arn:${arnPartition}:bedrock:*::foundation-model/${model}`;
  const arn = BEDROCK_ARN.exec(modelId);
  if (arn) {
    const [, arnPartition, resourceType, resourceId] = arn as unknown as [string, string, string, string];
    if (resourceType === 'inference-profile' && GEOGRAPHY_PREFIX.test(resourceId)) {
      return [modelId, anyRegionModel(arnPartition, resourceId.replace(GEOGRAPHY_PREFIX, ''))];
    }
    return [modelId];
  }
  if (modelId.startsWith('arn:')) throw new Error(`ai.modelId ${modelId} is not a Bedrock model or inference profile ARN`);
  if (GEOGRAPHY_PREFIX.test(modelId)) {
    return [`arn:${partition}:bedrock:${region}:${account}:inference-profile/${modelId}`, anyRegionModel(partition, modelId.replace(GEOGRAPHY_PREFIX, ''))];
  }
  return [`arn:${partition}:bedrock:${region}::foundation-model/${modelId}`];
}

/** The guardrail `bedrock:ApplyGuardrail` is allowed on (Converse with `guardrailConfig` needs it): an id, or its ARN as given. */
export function bedrockGuardrailArn(guardrailId: string, { partition, region, account }: ArnContext): string {
  return guardrailId.startsWith('arn:') ? guardrailId : `arn:${partition}:bedrock:${region}:${account}:guardrail/${guardrailId}`;
}

/**
 * The ai-tasks consumer: the AI workflows (screening, interview-feedback synthesis) on Greenhouse
 * events, and their one writer to Greenhouse (DESIGN principle 1). Fed by ai-tasks.fifo in small
 * batches (a model call and a PDF parse per application take seconds), with partial batch failures
 * and the same concurrency cap as the sync consumers: Greenhouse's rate limit and Bedrock's quotas,
 * not Lambda, bound the throughput. It reads Greenhouse only (no Beamery, no IdMap), keeps its memory
 * and the shared Greenhouse rate budget in the Ledger, appends one Audit item per inference, and may
 * invoke exactly the configured model (and guardrail), or no model at all with the offline provider.
 */
export class AiWorkflows extends Construct {
  readonly consumer: BridgeFunction;
  /** Candidate rediscovery's vectors: only when `ai.rediscovery.enabled`. */
  readonly rediscoveryIndex: RediscoveryIndex | undefined;
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: AiWorkflowsProps) {
    super(scope, id);
    const { config, queues, tables, secrets } = props;
    const queue = queues.get('ai-tasks');
    const harvest = secrets.secret('greenhouse-harvest');
    const { rediscovery } = config.ai;
    this.rediscoveryIndex = rediscovery.enabled ? new RediscoveryIndex(this, 'RediscoveryIndex', { stackName: config.stackName, settings: rediscovery }) : undefined;

    this.consumer = new BridgeFunction(this, 'Consumer', {
      entry: 'lambdas/handlers/ai-tasks.ts',
      service: AI_SERVICE,
      description: 'Runs the AI workflows (screening, feedback synthesis, rediscovery, job-description drafts) on Greenhouse events',
      // Resumes are parsed in memory (PDF and DOCX), and memory buys CPU for the parse.
      memorySize: 1536,
      concurrencyKey: 'aiTasks',
      exposure: {
        invokedBy: 'sqs',
        reaches: 'the Greenhouse Harvest API and AWS Bedrock, DynamoDB, SQS, S3, S3 Vectors and Secrets Manager',
        concurrencyBound: `its SQS event source runs at most sync.maxConcurrency (${config.sync.maxConcurrency}) batches at once, and the Greenhouse rate budget and Bedrock capacity handling pace its calls`,
      },
      // A sixth of the queue's visibility timeout (AWS's rule for SQS event sources).
      timeout: Duration.seconds(queue.definition.visibilityTimeoutSeconds / 6),
      config,
      environment: {
        ...stackEnvironment('ai-tasks', config, { queues, tables, secretArns: { 'greenhouse-harvest': harvest.secretArn } }),
        ...(this.rediscoveryIndex ? rediscoveryIndexEnvironment(this.rediscoveryIndex) : {}),
      },
    });
    const fn = this.consumer.function;
    wireConsumer(queue, fn);
    fn.addEventSource(new SqsEventSource(queue.queue, { batchSize: 5, reportBatchItemFailures: true, maxConcurrency: config.sync.maxConcurrency }));

    // The actions the stores call: AI memory (get, put) and the Greenhouse rate budget (get, put,
    // conditional update) on the Ledger; one put per inference on Audit. No deletes, scans or queries.
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [tables.table('ledger').tableArn],
      }),
    );
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [tables.table('audit').tableArn] }));
    grantSecretValue(harvest, fn);

    if (config.ai.provider === 'bedrock') this.grantInvokeModel(config.ai.modelId, config.ai.guardrail?.id);
    if (this.rediscoveryIndex) {
      this.rediscoveryIndex.grantReadWrite(fn);
      // The embedding model, as exactly as the workflows' model; the offline embedder calls nothing.
      if (rediscovery.embedding.provider === 'bedrock') this.grantInvokeModel(rediscovery.embedding.modelId);
    }

    const { corpus } = config.ai.jobDescriptions;
    if (config.ai.jobDescriptions.enabled && corpus.s3Prefix) this.grantCorpusRead(corpus.s3Prefix);

    this.alarms = notifyOn(
      props.alarmAction,
      anyOccurrenceAlarm(
        this,
        'ErrorsAlarm',
        fn.metricErrors({ period: Duration.minutes(5) }),
        'The AI workflows consumer failed; failed messages return to ai-tasks.fifo and reach its DLQ after maxFailures real failures (rate limits and outages only wait). Nothing is written to Greenhouse for them until they are redriven.',
      ),
      ...this.scoreDriftAlarm(config.aiDrift),
    );
  }

  /**
   * `aiDrift`: the screening score's median over the window, this far from the baseline, with enough
   * scores to mean something (a window with fewer reads 0, as does one with none). Only with a baseline.
   */
  private scoreDriftAlarm(drift: StackConfig['aiDrift']): cloudwatch.Alarm[] {
    if (drift.baselineP50 === undefined) return [];
    const period = Duration.hours(drift.windowHours);
    const expression = new cloudwatch.MathExpression({
      expression: `IF(n >= ${drift.minSamples}, ABS(p50 - ${drift.baselineP50}), 0)`,
      usingMetrics: { p50: this.screeningScoreMetric(cloudwatch.Stats.p(50), period), n: this.screeningScoreMetric(cloudwatch.Stats.SAMPLE_COUNT, period) },
      period,
      label: 'screening score p50 distance from the baseline',
    });
    return [
      expression.createAlarm(this, 'ScoreDriftAlarm', {
        alarmDescription: `The screening score's median over ${drift.windowHours} h is more than ${drift.margin} points from the baseline ${drift.baselineP50} (aiDrift): the applicants, the job posts, the prompt or the model changed. Compare the dashboard's score distribution and the override rate (bridge overrides) before trusting the scores.`,
        threshold: drift.margin,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    ];
  }

  /** Reviewer overrides of screening of one kind (lambdas/core/ai/overrides/), as the consumer counts them. */
  screeningOverrideMetric(kind: keyof typeof SCREENING_OVERRIDE_METRICS, period = Duration.minutes(5)): cloudwatch.Metric {
    return serviceCountMetric(SCREENING_OVERRIDE_METRICS[kind], AI_SERVICE, period).with({ statistic: cloudwatch.Stats.SUM });
  }

  /** A per-workflow metric of the consumer, as Powertools emits it (with the `service` dimension). */
  aiMetric(workflow: AiWorkflowName, name: AiMetricName, statistic: string = cloudwatch.Stats.SUM, period = Duration.minutes(5)): cloudwatch.Metric {
    return serviceCountMetric(aiMetrics(workflow)[name], AI_SERVICE, period).with({ statistic });
  }

  /** The score of each screened application: its percentiles are the score distribution. */
  screeningScoreMetric(statistic: string, period = Duration.minutes(5)): cloudwatch.Metric {
    return serviceCountMetric(SCREENING_SCORE_METRIC, AI_SERVICE, period).with({ statistic });
  }

  /** The company corpus of job-description drafts: list the prefix, read its objects, nothing else of the bucket. */
  private grantCorpusRead(s3Prefix: string): void {
    const { bucket, prefix } = parseS3Prefix(s3Prefix);
    const partition = Stack.of(this).partition;
    const role = this.consumer.role;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [`arn:${partition}:s3:::${bucket}`], conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } } }),
    );
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:${partition}:s3:::${bucket}/${prefix}*`] }));
  }

  /** InvokeModel (which also authorises Converse) on one model or inference profile, and ApplyGuardrail on its guardrail if any. */
  private grantInvokeModel(modelId: string, guardrailId?: string): void {
    const stack = Stack.of(this);
    const context = { partition: stack.partition, region: stack.region, account: stack.account };
    const arns = bedrockModelArns(modelId, context);
    const profiles = arns.filter((arn) => arn.includes(':inference-profile/'));
    const models = arns.filter((arn) => !profiles.includes(arn));
    const role = this.consumer.role;

    // Converse and the embedders' InvokeModel are authorised by bedrock:InvokeModel; nothing else of Bedrock is called.
    if (profiles.length) role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: profiles }));
    if (models.length) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['bedrock:InvokeModel'],
          resources: models,
          // Behind a cross-Region profile, the model only through that profile, never directly.
          ...(profiles.length ? { conditions: { StringEquals: { 'bedrock:InferenceProfileArn': profiles } } } : {}),
        }),
      );
    }
    // On the role's policy, where cdk-nag reports it, and only for this one model's ARN.
    const policy = role.node.findChild('DefaultPolicy');
    for (const arn of models.filter((a) => a.includes(':bedrock:*::foundation-model/'))) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagResource(stack, arn)}]`,
        reason:
          'A cross-Region inference profile routes each request to the foundation model in whichever Region of its geography has capacity (any commercial Region for global. profiles), and IAM checks the model in that destination Region, so the Region must be a wildcard. The resource is still exactly one model, and the statement allows it only through the configured inference profile (bedrock:InferenceProfileArn).',
      });
    }

    if (guardrailId) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['bedrock:ApplyGuardrail'], resources: [bedrockGuardrailArn(guardrailId, context)] }));
    }
  }
}

/** An ARN as cdk-nag names it in a finding: pseudo-parameter references as `<AWS::Partition>`. */
function nagResource(stack: Stack, arn: string): string {
  const resolved: unknown = stack.resolve(arn);
  if (typeof resolved === 'string') return resolved;
  const join = (resolved as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) throw new Error(`cannot name ${JSON.stringify(resolved)} as cdk-nag does`);
  return join[1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const ref = (part as { Ref?: string }).Ref;
      if (!ref) throw new Error(`cannot name ${JSON.stringify(part)} as cdk-nag does`);
      return `<${ref}>`;
    })
    .join(join[0]);
}
