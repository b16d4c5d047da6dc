import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '#lambdas/config';
import { POLLERS } from '#core/sync/poll-window';
import { parseStackConfig } from '#lib/config';
import { AlarmTopic } from '#lib/constructs/alarm-topic';
import { EventQueues } from '#lib/constructs/event-queues';
import { PollSchedules, type PollSchedulesProps } from '#lib/constructs/schedules';
import { BridgeSecrets } from '#lib/constructs/secrets';
import { BridgeTables } from '#lib/constructs/tables';
import { pollerEventSchema } from '#core/sync/poll-window';
import { XRAY_WRITE_STATEMENT, acknowledgementsIn, secretsKeyDecryptStatement, withoutXrayWrite } from './support.ts';

/**
 * The poll schedules in a small app of their own (the stack wires them in lib/bridge-stack.ts): the
 * constructs they depend on, and nothing else, so nag findings and IAM here are theirs.
 */
interface Small {
  readonly app: App;
  readonly stack: Stack;
  readonly schedules: PollSchedules;
  readonly queues: EventQueues;
  readonly tables: BridgeTables;
  readonly secrets: BridgeSecrets;
  readonly alarms: AlarmTopic;
  readonly template: Template;
}

function synthSchedules(overrides: Partial<Omit<PollSchedulesProps, 'config' | 'queues' | 'tables' | 'secrets' | 'alarmAction'>> = {}, bridge: Record<string, unknown> = {}): Small {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Schedules');
  const config = parseStackConfig(bridge);
  const alarms = new AlarmTopic(stack, 'Alarms', {});
  const tables = new BridgeTables(stack, 'Tables');
  const queues = new EventQueues(stack, 'Queues', { namePrefix: '', maxReceiveCount: 5, messageAgeAlarmSeconds: 900, alarmAction: alarms.alarmAction });
  const secrets = new BridgeSecrets(stack, 'Secrets');
  const schedules = new PollSchedules(stack, 'Polling', { config, queues, tables, secrets, alarmAction: alarms.alarmAction, ...overrides });
  return { app, stack, schedules, queues, tables, secrets, alarms, template: Template.fromStack(stack) };
}

const ref = (stack: Stack, token: unknown): string => {
  const value = stack.resolve(token) as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  const id = value.Ref ?? value['Fn::GetAtt']?.[0];
  if (!id) throw new Error(`not a reference: ${JSON.stringify(value)}`);
  return id;
};

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

function statementsOf(small: Small, roleToken: string): Statement[] {
  const roleId = ref(small.stack, roleToken);
  return Object.values(small.template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } })).flatMap(
    (p) => p.Properties.PolicyDocument.Statement as Statement[],
  );
}

interface ScheduleProperties {
  ScheduleExpression: string;
  State: string;
  FlexibleTimeWindow: unknown;
  Target: { Arn: unknown; Input: string; RetryPolicy: unknown; DeadLetterConfig: unknown };
}

const actionsOf = (statements: Statement[]) => [...new Set(statements.flatMap((s) => [s.Action].flat()))].sort();
const arnOf = (small: Small, token: string) => ({ 'Fn::GetAtt': [ref(small.stack, token), 'Arn'] });

describe('poll schedules', () => {
  let small: Small;
  let schedules: Record<string, { Properties: ScheduleProperties }>;

  beforeAll(() => {
    small = synthSchedules();
    schedules = small.template.findResources('AWS::Scheduler::Schedule') as Record<string, { Properties: ScheduleProperties }>;
  });

  it('runs the jobs, candidates, scorecards and profiles pollers and the users reference sync hourly, the Beamery poller every 5 minutes and the deletions sweep and the rediscovery run daily, each with its input', () => {
    const byPoller = Object.fromEntries(
      Object.values(schedules).map((s) => [JSON.parse(s.Properties.Target.Input).poller as string, s.Properties] as const),
    );
    expect(Object.keys(byPoller).sort()).toEqual(['beamery', 'candidates', 'deletions', 'jobs', 'profiles', 'rediscovery', 'scorecards', 'users']);
    for (const [poller, properties] of Object.entries(byPoller)) {
      expect(properties.ScheduleExpression).toBe(poller === 'beamery' ? 'rate(5 minutes)' : poller === 'deletions' || poller === 'rediscovery' ? 'rate(1 day)' : 'rate(1 hour)');
      // Rediscovery is off by default: its two schedules are deployed, disabled.
      expect(properties.State).toBe(poller === 'profiles' || poller === 'rediscovery' ? 'DISABLED' : 'ENABLED');
      expect(properties.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
      expect(properties.Target.Arn).toEqual(arnOf(small, small.schedules.poller.function.functionArn));
      // What the handler accepts, with the window policy spelled out.
      const input = pollerEventSchema.parse(JSON.parse(properties.Target.Input));
      // The users sync reads every user each run: it has no window.
      expect(input).toEqual(
        poller === 'users' || poller === 'beamery' || poller === 'deletions' || poller === 'rediscovery'
          ? { poller }
          : { poller, window: { overlapSeconds: 600, maxWindowSeconds: 86_400, firstRunLookbackSeconds: 3600 } },
      );
    }
  });

  it('retries an invocation a few times within the hour, then parks it on an encrypted, TLS-only dead-letter queue', () => {
    const dlq = small.schedules.deadLetterQueue;
    for (const { Properties } of Object.values(schedules)) {
      expect(Properties.Target.RetryPolicy).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 });
      expect(Properties.Target.DeadLetterConfig).toEqual({ Arn: arnOf(small, dlq.queueArn) });
    }
    const dlqId = ref(small.stack, dlq.queueArn);
    const queue = small.template.toJSON().Resources[dlqId];
    expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    expect(queue.Properties.FifoQueue).toBeUndefined();
    expect(queue.Properties.MessageRetentionPeriod).toBe(14 * 86_400);
    small.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: dlqId }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it('retries a failed run twice, then records it (with its error) on the same dead-letter queue', () => {
    small.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: ref(small.stack, small.schedules.poller.function.functionArn) },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: arnOf(small, small.schedules.deadLetterQueue.queueArn) } },
    });
  });

  it('runs the poller on nodejs24.x with the queue, the Ledger, the IdMap and both APIs\' credentials in its environment, nothing more', () => {
    const fnId = ref(small.stack, small.schedules.poller.function.functionArn);
    const fn = small.template.toJSON().Resources[fnId].Properties;
    expect(fn.Runtime).toBe('nodejs24.x');
    expect(fn.Timeout).toBe(300);
    expect(fn.Environment.Variables).toEqual({
      POWERTOOLS_SERVICE_NAME: 'greenhouse-poller',
      POWERTOOLS_METRICS_NAMESPACE: 'GreenhouseBeameryBridge',
      NODE_OPTIONS: '--enable-source-maps',
      GREENHOUSE_CHANGES_QUEUE_URL: { Ref: ref(small.stack, small.queues.get('greenhouse-changes').queue.queueUrl) },
      BEAMERY_CHANGES_QUEUE_URL: { Ref: ref(small.stack, small.queues.get('beamery-changes').queue.queueUrl) },
      AI_TASKS_QUEUE_URL: { Ref: ref(small.stack, small.queues.get('ai-tasks').queue.queueUrl) },
      [ENV.beameryPushTag]: 'Add to Greenhouse',
      LEDGER_TABLE: { Ref: ref(small.stack, small.tables.table('ledger').tableName) },
      ID_MAP_TABLE: { Ref: ref(small.stack, small.tables.table('id-map').tableName) },
      [ENV.greenhouseCredentialsArn]: { Ref: ref(small.stack, small.secrets.secret('greenhouse-harvest').secretArn) },
      [ENV.beameryCredentialsArn]: { Ref: ref(small.stack, small.secrets.secret('beamery').secretArn) },
      [ENV.beameryRegion]: 'us',
      [ENV.beameryAuth]: 'oauth',
      [ENV.beameryGreenhouseIdField]: 'integrations',
      [ENV.beameryConsentStatusField]: 'top-level',
      [ENV.beameryConsentDateField]: 'top-level',
      [ENV.beameryProfileTagsField]: 'tags',
      [ENV.beameryVacancyDepartmentField]: 'department',
      [ENV.beameryVacancyManagerField]: 'manager',
      [ENV.beameryVacancySourcerField]: 'sourcer',
      [ENV.beameryVacancyPrivacyField]: 'visibility',
      [ENV.tenant]: 'GreenhouseBeameryBridge',
      [ENV.rateBudgetLiveShare]: '0.3',
    });
  });

  it('lets the poller send to greenhouse-changes, beamery-changes and ai-tasks (and its failure queue), read greenhouse-changes\' depth, use Ledger items, get and put IdMap items, and read the two APIs\' credentials only', () => {
    const statements = statementsOf(small, small.schedules.poller.role.roleArn);
    const sqs = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('sqs:')));
    expect(sqs.filter((s) => [s.Action].flat().includes('sqs:SendMessage')).flatMap((s) => [s.Resource].flat())).toEqual(
      expect.arrayContaining([arnOf(small, small.queues.get('greenhouse-changes').queue.queueArn), arnOf(small, small.schedules.deadLetterQueue.queueArn)]),
    );
    const sendTargets = sqs.flatMap((s) => [s.Resource].flat());
    expect(sendTargets).toContainEqual(arnOf(small, small.queues.get('beamery-changes').queue.queueArn));
    expect(sendTargets).toContainEqual(arnOf(small, small.queues.get('ai-tasks').queue.queueArn));
    expect(sendTargets).toHaveLength(5);
    expect(sendTargets).not.toContainEqual(arnOf(small, small.queues.get('greenhouse-changes').deadLetterQueue.queueArn));
    // What it may do on each queue: read greenhouse-changes' depth (the pollers' backpressure), and no other's.
    const onQueue = (arn: unknown) => actionsOf(sqs.filter((s) => [s.Resource].flat().some((r) => JSON.stringify(r) === JSON.stringify(arn))));
    expect(onQueue(arnOf(small, small.queues.get('greenhouse-changes').queue.queueArn))).toEqual(['sqs:GetQueueAttributes', 'sqs:SendMessage']);
    expect(onQueue(arnOf(small, small.queues.get('beamery-changes').queue.queueArn))).toEqual(['sqs:SendMessage']);
    expect(onQueue(arnOf(small, small.queues.get('ai-tasks').queue.queueArn))).toEqual(['sqs:SendMessage']);

    const dynamodb = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));
    const onTable = (name: 'ledger' | 'id-map') => {
      const arn = arnOf(small, small.tables.table(name).tableArn);
      return actionsOf(dynamodb.filter((s) => [s.Resource].flat().some((r) => JSON.stringify(r) === JSON.stringify(arn))));
    };
    expect(onTable('ledger')).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    // User links only: no UpdateItem, no Query of the reverse index, no DeleteItem.
    // Scan for the daily deletions sweep, on the table only (its index is queried, never scanned).
    expect(onTable('id-map')).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Scan']);
    // And the reverse index, to tell a linked Beamery contact (the Beamery poller).
    const indexQueries = dynamodb.filter((s) => [s.Action].flat().includes('dynamodb:Query')).flatMap((s) => [s.Resource].flat());
    expect(JSON.stringify(indexQueries)).toContain('/index/byBeameryKey');
    expect(dynamodb.flatMap((s) => [s.Resource].flat())).toHaveLength(3);

    const secrets = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('secretsmanager:')));
    expect(secrets.flatMap((s) => [s.Resource].flat())).toEqual([
      { Ref: ref(small.stack, small.secrets.secret('greenhouse-harvest').secretArn) },
      { Ref: ref(small.stack, small.secrets.secret('beamery').secretArn) },
    ]);

    expect(statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('kms:')))).toEqual([secretsKeyDecryptStatement(small.stack, small.secrets)]);

    expect(statements).toContainEqual(XRAY_WRITE_STATEMENT);
    const everything = actionsOf(withoutXrayWrite(statements)).filter((a) => !a.startsWith('logs:'));
    expect(everything).toEqual(
      ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:UpdateItem', 'kms:Decrypt', 'secretsmanager:GetSecretValue', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'].sort(),
    );
    expect(JSON.stringify(withoutXrayWrite(statements))).not.toMatch(/"\*"/);
  });

  it('lets Scheduler invoke the unqualified poller and write to the dead-letter queue, for this account\'s schedules only', () => {
    const statements = statementsOf(small, small.schedules.schedulerRole.roleArn);
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Action: 'lambda:InvokeFunction', Resource: arnOf(small, small.schedules.poller.function.functionArn) }),
        expect.objectContaining({ Action: 'sqs:SendMessage', Resource: arnOf(small, small.schedules.deadLetterQueue.queueArn) }),
      ]),
    );
    expect(statements).toHaveLength(2);
    const roleId = ref(small.stack, small.schedules.schedulerRole.roleArn);
    const trust = small.template.toJSON().Resources[roleId].Properties.AssumeRolePolicyDocument.Statement;
    expect(trust).toEqual([
      expect.objectContaining({
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' }, 'aws:SourceArn': expect.anything() } },
      }),
    ]);
    expect(JSON.stringify(trust[0].Condition.StringEquals['aws:SourceArn'])).toContain(':schedule-group/default');
  });

  it('alarms to the alarm topic on repeated run failures and on anything in the dead-letter queue', () => {
    const topic = { Ref: ref(small.stack, small.alarms.topic.topicArn) };
    small.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: ref(small.stack, small.schedules.poller.function.functionArn) } }],
      Period: 3600,
      Threshold: 3,
      AlarmActions: [topic],
      OKActions: [topic],
    });
    small.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [ref(small.stack, small.schedules.deadLetterQueue.queueArn), 'QueueName'] } }],
      Threshold: 1,
      AlarmActions: [topic],
    });
    expect(small.schedules.alarms).toHaveLength(2);
  });

  it('finds no unacknowledged AwsSolutions violation, and acknowledges only SQS3 on its own dead-letter queue and the X-Ray wildcard on the poller role', () => {
    expect(new AwsSolutionsChecks().validateScope(small.app).violations).toEqual([]);
    const acknowledged = acknowledgementsIn(small.schedules).filter((a) => a.id.startsWith('AwsSolutions-'));
    expect(acknowledged.map((a) => [a.id, a.path])).toEqual([
      ['AwsSolutions-SQS3', small.schedules.deadLetterQueue.node.path],
      ['AwsSolutions-IAM5[Resource::*]', small.schedules.poller.role.node.path],
    ]);
    for (const { reason } of acknowledged) expect(String(reason).length).toBeGreaterThan(40);
  });
});

describe('poll schedule settings', () => {
  it('takes a rate and an on/off per poller, and the window policy', () => {
    const { template } = synthSchedules({
      pollers: { jobs: { rate: Duration.minutes(30) }, candidates: { enabled: false } },
      window: { overlap: Duration.minutes(5), maxWindow: Duration.hours(6), firstRunLookback: Duration.days(1) },
      invokeRetryAttempts: 0,
    });
    const all = Object.values(template.findResources('AWS::Scheduler::Schedule')).map((s) => s.Properties);
    const jobs = all.find((p) => JSON.parse(p.Target.Input).poller === 'jobs')!;
    const candidates = all.find((p) => JSON.parse(p.Target.Input).poller === 'candidates')!;
    expect(jobs.ScheduleExpression).toBe('rate(30 minutes)');
    expect(jobs.State).toBe('ENABLED');
    expect(candidates.State).toBe('DISABLED');
    expect(JSON.parse(jobs.Target.Input).window).toEqual({ overlapSeconds: 300, maxWindowSeconds: 21_600, firstRunLookbackSeconds: 86_400 });
    expect(jobs.Target.RetryPolicy.MaximumRetryAttempts).toBe(0);
  });

  it('enables the profiles (hourly) and rediscovery (daily) schedules with ai.rediscovery.enabled, and leaves the others as they are', () => {
    const { template } = synthSchedules({}, { ai: { rediscovery: { enabled: true, consentField: 'rediscovery_consent' } } });
    const all = Object.values(template.findResources('AWS::Scheduler::Schedule')).map((s) => s.Properties);
    const of = (poller: string) => all.find((p) => JSON.parse(p.Target.Input).poller === poller)!;
    expect(of('profiles')).toMatchObject({ State: 'ENABLED', ScheduleExpression: 'rate(1 hour)' });
    expect(JSON.parse(of('profiles').Target.Input)).toEqual({ poller: 'profiles', window: { overlapSeconds: 600, maxWindowSeconds: 86_400, firstRunLookbackSeconds: 3600 } });
    expect(of('rediscovery')).toMatchObject({ State: 'ENABLED', ScheduleExpression: 'rate(1 day)' });
    expect(JSON.parse(of('rediscovery').Target.Input)).toEqual({ poller: 'rediscovery' });
    expect(all.every((p) => p.State === 'ENABLED')).toBe(true);
    // A per-run setting still wins over the AI settings.
    const off = synthSchedules({ pollers: { rediscovery: { enabled: false } } }, { ai: { rediscovery: { enabled: true, consentField: 'rediscovery_consent' } } });
    const offAll = Object.values(off.template.findResources('AWS::Scheduler::Schedule')).map((s) => s.Properties);
    expect(offAll.find((p) => JSON.parse(p.Target.Input).poller === 'rediscovery')!.State).toBe('DISABLED');
    expect(offAll.find((p) => JSON.parse(p.Target.Input).poller === 'profiles')!.State).toBe('ENABLED');
  });

  it('runs the deletions sweep every sync.deletionSweepHours', () => {
    const { template } = synthSchedules({}, { sync: { deletionSweepHours: 6 } });
    const all = Object.values(template.findResources('AWS::Scheduler::Schedule')).map((s) => s.Properties);
    expect(all.find((p) => JSON.parse(p.Target.Input).poller === 'deletions')!.ScheduleExpression).toBe('rate(6 hours)');
  });

  it('passes the acting Harvest user when the stack sets one', () => {
    const small = synthSchedules({}, { sync: { greenhouseActingUserId: 42 } });
    small.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.greenhouseActingUserId]: '42' }) },
    });
  });

  it.each([
    { case: 'a rate under a minute', overrides: { pollers: { jobs: { rate: Duration.seconds(30) } } }, error: /at least a minute/ },
    { case: 'a maximum window no longer than the overlap', overrides: { window: { overlap: Duration.hours(1), maxWindow: Duration.hours(1) } }, error: /longer than the overlap/ },
    { case: 'a window setting in fractions of a second', overrides: { window: { overlap: Duration.millis(1500) } }, error: /whole seconds/ },
    { case: 'more Scheduler retries than it allows', overrides: { invokeRetryAttempts: 186 }, error: /0 to 185/ },
  ])('refuses $case at synth', ({ overrides, error }) => {
    expect(() => synthSchedules(overrides as Partial<PollSchedulesProps>)).toThrow(error);
  });

  it('keeps one watermark per poller in the Ledger', () => {
    expect(POLLERS.jobs.watermarkKey).not.toBe(POLLERS.candidates.watermarkKey);
  });
});
