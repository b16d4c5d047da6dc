import { beforeAll, describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { ENV } from '#lambdas/config';
import { queueDefinition } from '#lib/resource-definitions';
import { logicalIdOf, synthBridge, type SynthesizedBridge } from './support.ts';

interface Statement {
  Action: string | string[];
  Resource: unknown;
}

describe('Greenhouse → Beamery consumer', () => {
  let bridge: SynthesizedBridge;
  let functionId: string;
  let statements: Statement[];

  beforeAll(() => {
    bridge = synthBridge({ bridge: { beamery: { region: 'eu' }, sync: { maxConcurrency: 7, blockPrivate: false, greenhouseActingUserId: 12 } } });
    const consumer = bridge.stack.greenhouseSync.consumer;
    functionId = logicalIdOf(bridge.stack, consumer.function.functionArn);
    const roleId = logicalIdOf(bridge.stack, consumer.role.roleArn);
    statements = Object.values(bridge.template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } })).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Statement[],
    );
  });

  it('reads greenhouse-changes.fifo in batches of ten with partial batch failures and capped concurrency', () => {
    bridge.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId },
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(bridge.stack, bridge.stack.queues.get('greenhouse-changes').queue.queueArn), 'Arn'] },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 7 },
    });
  });

  it('runs on nodejs24.x, arm64, with a timeout of a sixth of the queue visibility', () => {
    bridge.template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: queueDefinition('greenhouse-changes').visibilityTimeoutSeconds / 6,
      Environment: {
        Variables: Match.objectLike({
          [ENV.greenhouseCredentialsArn]: { Ref: logicalIdOf(bridge.stack, bridge.stack.secrets.secret('greenhouse-harvest').secretArn) },
          [ENV.beameryCredentialsArn]: { Ref: logicalIdOf(bridge.stack, bridge.stack.secrets.secret('beamery').secretArn) },
          [ENV.identityKeyArn]: { Ref: logicalIdOf(bridge.stack, bridge.stack.secrets.identityHashKey.secretArn) },
          [ENV.syncBlockPrivate]: 'false',
          // Without it the consumer cannot build its Beamery client and fails at cold start.
          [ENV.beameryRegion]: 'eu',
          [ENV.greenhouseActingUserId]: '12',
        }),
      },
    });
  });

  it('may only get, put, update and delete items, query the one IdMap index, and append to Audit', () => {
    const dynamodb = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));
    const actions = new Set(dynamodb.flatMap((s) => [s.Action].flat()));
    expect([...actions].sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    expect(JSON.stringify(dynamodb)).not.toContain('index/*');
    expect(JSON.stringify(dynamodb)).toContain('/index/byBeameryKey');
  });

  it('reads exactly the two API credentials and the identity-hash key, not the webhook secret', () => {
    const read = statements.filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue')).flatMap((s) => [s.Resource].flat());
    const expected = [bridge.stack.secrets.secret('greenhouse-harvest'), bridge.stack.secrets.secret('beamery'), bridge.stack.secrets.identityHashKey].map((s) => ({
      Ref: logicalIdOf(bridge.stack, s.secretArn),
    }));
    expect(read).toEqual(expect.arrayContaining(expected));
    expect(read).toHaveLength(3);
  });

  it('may send to its own dead-letter queue only, and knows its URL and the failure count that sends there', () => {
    const queues = bridge.stack.queues;
    const sends = statements.filter((s) => [s.Action].flat().includes('sqs:SendMessage'));
    expect(sends.flatMap((s) => [s.Resource].flat())).toEqual([
      { 'Fn::GetAtt': [logicalIdOf(bridge.stack, queues.get('greenhouse-changes').deadLetterQueue.queueArn), 'Arn'] },
    ]);
    bridge.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          GREENHOUSE_CHANGES_DLQ_URL: { Ref: logicalIdOf(bridge.stack, queues.get('greenhouse-changes').deadLetterQueue.queueUrl) },
          [ENV.maxMessageFailures]: String(bridge.config.maxFailures),
        }),
      },
    });
  });
});
