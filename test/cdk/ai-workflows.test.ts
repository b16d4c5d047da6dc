import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '#lambdas/config';
import { AI_SERVICE } from '#core/metrics';
import { DEFAULT_MODEL_ID, parseAiSettings } from '#core/ai/settings';
import { queueDefinition } from '#lib/resource-definitions';
import { bedrockGuardrailArn, bedrockModelArns } from '#lib/constructs/ai-workflows';
import { XRAY_WRITE_STATEMENT, logicalIdOf, synthBridge, withoutXrayWrite, type SynthesizedBridge } from './support.ts';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

const PARTITION = { Ref: 'AWS::Partition' };
const REGION = { Ref: 'AWS::Region' };
const ACCOUNT = { Ref: 'AWS::AccountId' };
const join = (...parts: unknown[]) => ({ 'Fn::Join': ['', parts] });
const HAIKU = 'anthropic.claude-haiku-4-5-20251001-v1:0';

function consumerStatements(bridge: SynthesizedBridge): Statement[] {
  const roleId = logicalIdOf(bridge.stack, bridge.stack.aiWorkflows.consumer.role.roleArn);
  return Object.values(bridge.template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } })).flatMap(
    (p) => p.Properties.PolicyDocument.Statement as Statement[],
  );
}

const actionsOf = (s: Statement) => [s.Action].flat();
const withAction = (statements: Statement[], action: string) => statements.filter((s) => actionsOf(s).includes(action));
const resourcesOf = (statements: Statement[]) => statements.flatMap((s) => [s.Resource].flat());

describe('AI workflows consumer', () => {
  let bridge: SynthesizedBridge;
  let functionId: string;
  let statements: Statement[];

  beforeAll(() => {
    bridge = synthBridge({ bridge: { sync: { maxConcurrency: 4, greenhouseActingUserId: 12 }, ai: { screening: { enabled: true, threshold: 60 } } } });
    functionId = logicalIdOf(bridge.stack, bridge.stack.aiWorkflows.consumer.function.functionArn);
    statements = consumerStatements(bridge);
  });

  it('reads ai-tasks.fifo in batches of five with partial batch failures and the sync consumers\' concurrency cap', () => {
    bridge.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId },
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(bridge.stack, bridge.stack.queues.get('ai-tasks').queue.queueArn), 'Arn'] },
      BatchSize: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 4 },
    });
  });

  it('runs on nodejs24.x, arm64, with 1536 MB and a timeout of a sixth of the queue visibility', () => {
    const fn = bridge.template.findResources('AWS::Lambda::Function')[functionId]!;
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 1536,
      Timeout: queueDefinition('ai-tasks').visibilityTimeoutSeconds / 6,
    });
    expect(fn.Properties.Timeout).toBe(150);
  });

  it('gets exactly the environment the handler reads, with AI_SETTINGS the whole ai config', () => {
    const variables = bridge.template.findResources('AWS::Lambda::Function')[functionId]!.Properties.Environment.Variables as Record<string, unknown>;
    const table = (id: 'ledger' | 'audit') => ({ Ref: logicalIdOf(bridge.stack, bridge.stack.tables.table(id).tableArn) });
    expect(variables).toEqual({
      POWERTOOLS_SERVICE_NAME: AI_SERVICE,
      POWERTOOLS_METRICS_NAMESPACE: expect.any(String),
      NODE_OPTIONS: '--enable-source-maps',
      AI_TASKS_QUEUE_URL: { Ref: logicalIdOf(bridge.stack, bridge.stack.queues.get('ai-tasks').queue.queueUrl) },
      AI_TASKS_DLQ_URL: { Ref: logicalIdOf(bridge.stack, bridge.stack.queues.get('ai-tasks').deadLetterQueue.queueUrl) },
      [ENV.maxMessageFailures]: String(bridge.config.maxFailures),
      AUDIT_TABLE: table('audit'),
      LEDGER_TABLE: table('ledger'),
      [ENV.greenhouseCredentialsArn]: { Ref: logicalIdOf(bridge.stack, bridge.stack.secrets.secret('greenhouse-harvest').secretArn) },
      [ENV.tenant]: bridge.config.stackName,
      [ENV.greenhouseActingUserId]: '12',
      [ENV.aiSettings]: expect.any(String),
      [ENV.rateBudgetLiveShare]: '0.3',
    });
    const settings: unknown = JSON.parse(variables[ENV.aiSettings] as string);
    expect(settings).toEqual(bridge.config.ai);
    // What the Lambda does with it at cold start: the same settings, nothing defaulted differently.
    expect(parseAiSettings(settings)).toEqual(bridge.config.ai);
    expect(bridge.config.ai.screening).toMatchObject({ enabled: true, threshold: 60 });
  });

  it('leaves out GREENHOUSE_ACTING_USER_ID when none is configured', () => {
    const plain = synthBridge();
    const id = logicalIdOf(plain.stack, plain.stack.aiWorkflows.consumer.function.functionArn);
    const variables = plain.template.findResources('AWS::Lambda::Function')[id]!.Properties.Environment.Variables as Record<string, unknown>;
    expect(variables).not.toHaveProperty(ENV.greenhouseActingUserId);
  });

  it('may get, put and update Ledger items (memory, rate budget) and put Audit items, nothing else of DynamoDB, and not the IdMap', () => {
    const dynamodb = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    const ledger = { 'Fn::GetAtt': [logicalIdOf(bridge.stack, bridge.stack.tables.table('ledger').tableArn), 'Arn'] };
    const audit = { 'Fn::GetAtt': [logicalIdOf(bridge.stack, bridge.stack.tables.table('audit').tableArn), 'Arn'] };
    expect(dynamodb).toEqual([
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], Resource: ledger },
      { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: audit },
    ]);
    const idMap = logicalIdOf(bridge.stack, bridge.stack.tables.table('id-map').tableArn);
    expect(JSON.stringify(statements)).not.toContain(idMap);
  });

  it('reads the Greenhouse credentials only: not the Beamery credentials, the identity-hash key or the webhook secret', () => {
    const secrets = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')));
    expect(secrets).toEqual([
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: logicalIdOf(bridge.stack, bridge.stack.secrets.secret('greenhouse-harvest').secretArn) } },
    ]);
    const text = JSON.stringify(statements);
    for (const other of [bridge.stack.secrets.secret('beamery'), bridge.stack.secrets.secret('greenhouse-webhook'), bridge.stack.secrets.identityHashKey]) {
      expect(text).not.toContain(logicalIdOf(bridge.stack, other.secretArn));
    }
  });

  it('may invoke only the default inference profile and its model (any Region, only through the profile), and apply no guardrail', () => {
    expect(DEFAULT_MODEL_ID).toBe(`us.${HAIKU}`);
    const bedrock = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('bedrock:')));
    const profile = join('arn:', PARTITION, ':bedrock:', REGION, ':', ACCOUNT, `:inference-profile/us.${HAIKU}`);
    expect(bedrock).toEqual([
      { Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: profile },
      {
        Effect: 'Allow',
        Action: 'bedrock:InvokeModel',
        Resource: join('arn:', PARTITION, `:bedrock:*::foundation-model/${HAIKU}`),
        Condition: { StringEquals: { 'bedrock:InferenceProfileArn': [profile] } },
      },
    ]);
  });

  it('alarms on any consumer error, to the alarm topic', () => {
    const topic = { Ref: logicalIdOf(bridge.stack, bridge.stack.alarmTopic.topic.topicArn) };
    bridge.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
      OKActions: [topic],
    });
    expect(bridge.stack.aiWorkflows.alarms).toHaveLength(1);
  });

  it('reads the workflow metrics with the service dimension Powertools adds', () => {
    const metric = bridge.stack.aiWorkflows.aiMetric('feedback', 'estimatedCostUsd', 'Sum');
    expect(metric).toMatchObject({ namespace: 'GreenhouseBeameryBridge', metricName: 'FeedbackSynthesisEstimatedCostUsd', dimensions: { service: AI_SERVICE }, statistic: 'Sum' });
    expect(bridge.stack.aiWorkflows.aiMetric('screening', 'latencyMs', 'p99')).toMatchObject({ metricName: 'ScreeningLatencyMs', statistic: 'p99' });
    expect(bridge.stack.aiWorkflows.screeningScoreMetric('p50')).toMatchObject({ metricName: 'ScreeningScore', dimensions: { service: AI_SERVICE } });
  });
});

describe('AI workflows consumer with other models', () => {
  it('with a plain model id and a guardrail: that model in this Region, ApplyGuardrail on that guardrail only', () => {
    const bridge = synthBridge({ bridge: { ai: { modelId: HAIKU, guardrail: { id: 'gr7abc', version: '3' } } } });
    const statements = consumerStatements(bridge);
    expect(withAction(statements, 'bedrock:InvokeModel')).toEqual([
      { Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: join('arn:', PARTITION, ':bedrock:', REGION, `::foundation-model/${HAIKU}`) },
    ]);
    expect(withAction(statements, 'bedrock:ApplyGuardrail')).toEqual([
      { Effect: 'Allow', Action: 'bedrock:ApplyGuardrail', Resource: join('arn:', PARTITION, ':bedrock:', REGION, ':', ACCOUNT, ':guardrail/gr7abc') },
    ]);
    expect(statements).toContainEqual(XRAY_WRITE_STATEMENT);
    expect(JSON.stringify(withoutXrayWrite(statements))).not.toContain('*');
  });

  it('with the default model and no guardrail: no ApplyGuardrail', () => {
    const statements = consumerStatements(synthBridge());
    expect(withAction(statements, 'bedrock:ApplyGuardrail')).toEqual([]);
  });

  it('with an inference profile ARN: that ARN, and its model through it', () => {
    const arn = `arn:aws:bedrock:eu-west-1:111122223333:inference-profile/eu.${HAIKU}`;
    const statements = consumerStatements(synthBridge({ bridge: { ai: { modelId: arn } } }));
    expect(resourcesOf(withAction(statements, 'bedrock:InvokeModel'))).toEqual([arn, `arn:aws:bedrock:*::foundation-model/${HAIKU}`]);
  });

  it('with the offline provider: no Bedrock action anywhere in the role', () => {
    const bridge = synthBridge({ bridge: { ai: { provider: 'offline', guardrail: { id: 'gr7abc', version: '3' } } } });
    const statements = consumerStatements(bridge);
    expect(statements.flatMap(actionsOf).filter((a) => a.startsWith('bedrock'))).toEqual([]);
    expect(JSON.stringify(statements)).not.toContain('bedrock');
    // The consumer itself is still there: the offline provider runs the workflows without a model.
    expect(withAction(statements, 'dynamodb:PutItem')).toHaveLength(2);
  });

  it('reads the job-description corpus under its S3 prefix only, and no S3 at all without one', () => {
    const corpus = 's3://acme-hr-texts/bridge/corpus/';
    const statements = consumerStatements(synthBridge({ bridge: { ai: { jobDescriptions: { enabled: true, corpus: { s3Prefix: corpus } } } } }));
    const s3 = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    expect(s3.map((s) => ({ actions: actionsOf(s), resources: [s.Resource].flat(), condition: s.Condition }))).toEqual([
      { actions: ['s3:ListBucket'], resources: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::acme-hr-texts']] }], condition: { StringLike: { 's3:prefix': ['bridge/corpus/*'] } } },
      { actions: ['s3:GetObject'], resources: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::acme-hr-texts/bridge/corpus/*']] }], condition: undefined },
    ]);
    expect(JSON.stringify(consumerStatements(synthBridge({ bridge: { ai: { jobDescriptions: { enabled: true } } } })))).not.toContain('s3:');
  });
});

describe('bedrockModelArns', () => {
  const context = { partition: 'aws', region: 'us-east-1', account: '111122223333' };

  it('a geographic cross-Region profile: the profile here, the model in any Region', () => {
    expect(bedrockModelArns(`us.${HAIKU}`, context)).toEqual([
      `arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.${HAIKU}`,
      `arn:aws:bedrock:*::foundation-model/${HAIKU}`,
    ]);
    expect(bedrockModelArns('eu.anthropic.claude-sonnet-4-6', { ...context, region: 'eu-central-1' })).toEqual([
      'arn:aws:bedrock:eu-central-1:111122223333:inference-profile/eu.anthropic.claude-sonnet-4-6',
      'arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-6',
    ]);
    for (const geography of ['apac', 'jp', 'au', 'ca', 'us-gov']) {
      expect(bedrockModelArns(`${geography}.amazon.nova-2-lite-v1:0`, context)[1]).toBe('arn:aws:bedrock:*::foundation-model/amazon.nova-2-lite-v1:0');
    }
  });

  it('a global profile: the same shape (the Region wildcard also matches global routing\'s Region-less model ARN)', () => {
    expect(bedrockModelArns(`global.${HAIKU}`, context)).toEqual([
      `arn:aws:bedrock:us-east-1:111122223333:inference-profile/global.${HAIKU}`,
      `arn:aws:bedrock:*::foundation-model/${HAIKU}`,
    ]);
  });

  it('a plain model id: that model in this Region only', () => {
    expect(bedrockModelArns(HAIKU, context)).toEqual([`arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`]);
    expect(bedrockModelArns('amazon.nova-2-lite-v1:0', { ...context, partition: 'aws-us-gov', region: 'us-gov-west-1' })).toEqual([
      'arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/amazon.nova-2-lite-v1:0',
    ]);
  });

  it('a full ARN: itself, plus the model behind a cross-Region profile ARN (in the ARN\'s partition)', () => {
    const model = `arn:aws:bedrock:us-west-2::foundation-model/${HAIKU}`;
    expect(bedrockModelArns(model, context)).toEqual([model]);
    const profile = `arn:aws-cn:bedrock:cn-north-1:111122223333:inference-profile/apac.${HAIKU}`;
    expect(bedrockModelArns(profile, context)).toEqual([profile, `arn:aws-cn:bedrock:*::foundation-model/${HAIKU}`]);
    const application = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3d4e5f6';
    expect(bedrockModelArns(application, context)).toEqual([application]);
  });

  it('refuses an ARN that is not Bedrock\'s', () => {
    expect(() => bedrockModelArns('arn:aws:s3:::bucket/key', context)).toThrow(/not a Bedrock/);
  });

  it('the guardrail: by id in this Region and account, or its ARN as given', () => {
    expect(bedrockGuardrailArn('gr7abc', context)).toBe('arn:aws:bedrock:us-east-1:111122223333:guardrail/gr7abc');
    const arn = 'arn:aws:bedrock:us-east-1:111122223333:guardrail/gr7abc';
    expect(bedrockGuardrailArn(arn, context)).toBe(arn);
  });
});
