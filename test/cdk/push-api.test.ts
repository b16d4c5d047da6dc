import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '#lambdas/config';
import { METRICS_NAMESPACE, PUSH_METRICS, SERVICES } from '#core/metrics';
import { BEAMERY_PUSH_PATH_PARTS, PUSH_UNAUTHORIZED_ALARM_THRESHOLD } from '#lib/constructs/push-api';
import { queueDefinition } from '#lib/resource-definitions';
import { BEAMERY_PUSH_PATH } from '#local/defaults';
import { XRAY_WRITE_STATEMENT, logicalIdOf, secretsKeyDecryptStatement, synthBridge, withoutXrayWrite, type SynthesizedBridge } from './support.ts';

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resourcesOf = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

describe('push API (POST /beamery/push)', () => {
  let bridge: SynthesizedBridge;
  let pushFunctionId: string;
  let secretId: string;
  let statements: Statement[];

  beforeAll(() => {
    bridge = synthBridge();
    pushFunctionId = logicalIdOf(bridge.stack, bridge.stack.pushApi.push.function.functionArn);
    secretId = logicalIdOf(bridge.stack, bridge.stack.secrets.beameryPushApiKey.secretArn);
    const roleId = logicalIdOf(bridge.stack, bridge.stack.pushApi.push.role.roleArn);
    const policies = Object.values(bridge.template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }));
    statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
  });

  it('adds POST /beamery/push to the webhook REST API, proxied to the push Lambda, with no other method on the route', () => {
    const apiId = logicalIdOf(bridge.stack, bridge.stack.webhookApi.api.restApiId);
    const [beameryId, ...more] = Object.keys(
      bridge.template.findResources('AWS::ApiGateway::Resource', {
        Properties: { PathPart: 'beamery', ParentId: { 'Fn::GetAtt': [apiId, 'RootResourceId'] }, RestApiId: { Ref: apiId } },
      }),
    );
    expect(more).toEqual([]);
    const [pushId] = Object.keys(
      bridge.template.findResources('AWS::ApiGateway::Resource', { Properties: { PathPart: 'push', ParentId: { Ref: beameryId } } }),
    );
    const methods = Object.values(bridge.template.findResources('AWS::ApiGateway::Method', { Properties: { ResourceId: { Ref: pushId } } }));
    // Any other method on the path gets API Gateway's own 403 Missing Authentication Token, as on the webhook route.
    expect(methods).toHaveLength(1);
    expect(methods[0]!.Properties).toMatchObject({
      HttpMethod: 'POST',
      AuthorizationType: 'NONE',
      RestApiId: { Ref: apiId },
      Integration: { Type: 'AWS_PROXY', Uri: { 'Fn::Join': ['', expect.arrayContaining([{ 'Fn::GetAtt': [pushFunctionId, 'Arn'] }])] } },
    });
    expect(methods[0]!.Properties).not.toHaveProperty('ApiKeyRequired', true);
  });

  it('uses the path the local stack serves', () => {
    expect(`/${BEAMERY_PUSH_PATH_PARTS.join('/')}`).toBe(BEAMERY_PUSH_PATH);
  });

  it('lets API Gateway invoke the push Lambda only from POST /beamery/push on the API', () => {
    const permissions = Object.values(
      bridge.template.findResources('AWS::Lambda::Permission', { Properties: { FunctionName: { 'Fn::GetAtt': [pushFunctionId, 'Arn'] } } }),
    );
    expect(permissions).toHaveLength(1);
    expect(JSON.stringify(permissions[0]!.Properties.SourceArn)).toContain('/POST/beamery/push');
  });

  it('outputs the push URL and the ARN of its key', () => {
    const outputs = bridge.template.toJSON()['Outputs'] as Record<string, { Value: unknown }>;
    expect(JSON.stringify(outputs['BeameryPushUrl']?.Value)).toContain('/beamery/push');
    expect(outputs['BeameryPushApiKeySecretArn']?.Value).toEqual({ Ref: secretId });
  });

  it('runs the push Lambda on nodejs24.x with only the beamery-changes queue URL and the key secret ARN', () => {
    const fn = bridge.template.toJSON()['Resources'][pushFunctionId];
    expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler' });
    const queue = bridge.stack.queues.get('beamery-changes');
    expect(fn.Properties.Environment.Variables).toEqual({
      [queueDefinition('beamery-changes').urlEnv]: { Ref: logicalIdOf(bridge.stack, queue.queue.queueArn) },
      [ENV.beameryPushKeyArn]: { Ref: secretId },
      POWERTOOLS_SERVICE_NAME: SERVICES.beameryPush,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('lets the push Lambda send only to beamery-changes.fifo, read only its key, and write only its own logs and traces', () => {
    const queueArn = { 'Fn::GetAtt': [logicalIdOf(bridge.stack, bridge.stack.queues.get('beamery-changes').queue.queueArn), 'Arn'] };
    const logGroupId = logicalIdOf(bridge.stack, bridge.stack.pushApi.push.logGroup.logGroupArn);
    expect(statements.map((s) => ({ actions: actionsOf(s), resources: resourcesOf(s), effect: s.Effect }))).toEqual(
      expect.arrayContaining([
        { actions: ['sqs:SendMessage'], resources: [queueArn], effect: 'Allow' },
        { actions: ['secretsmanager:GetSecretValue'], resources: [{ Ref: secretId }], effect: 'Allow' },
        { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [{ 'Fn::GetAtt': [logGroupId, 'Arn'] }], effect: 'Allow' },
      ]),
    );
    expect(statements).toContainEqual(secretsKeyDecryptStatement(bridge.stack));
    expect(statements).toContainEqual(XRAY_WRITE_STATEMENT);
    expect(statements).toHaveLength(5);
    expect(JSON.stringify(withoutXrayWrite(statements))).not.toContain('"*"');
    const roleId = logicalIdOf(bridge.stack, bridge.stack.pushApi.push.role.roleArn);
    expect(bridge.template.toJSON()['Resources'][roleId].Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('gives no other role access to the push key', () => {
    const pushRoleId = logicalIdOf(bridge.stack, bridge.stack.pushApi.push.role.roleArn);
    const readers = Object.values(bridge.template.findResources('AWS::IAM::Policy')).filter((policy) =>
      JSON.stringify(policy.Properties.PolicyDocument).includes(`{"Ref":"${secretId}"}`),
    );
    expect(readers.map((p) => p.Properties.Roles)).toEqual([[{ Ref: pushRoleId }]]);
  });

  it('alarms on a burst of rejected keys and on push Lambda errors', () => {
    bridge.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRICS_NAMESPACE,
      MetricName: PUSH_METRICS.unauthorized,
      Dimensions: [{ Name: 'service', Value: SERVICES.beameryPush }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: PUSH_UNAUTHORIZED_ALARM_THRESHOLD,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    bridge.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: pushFunctionId } }],
      Threshold: 1,
    });
  });

  it('sits behind the same WAF web ACL as the webhook (on by default), whose only body-size rule is counted, not enforced (JSON push requests pass)', () => {
    const stageId = logicalIdOf(bridge.stack, bridge.stack.webhookApi.api.deploymentStage.stageName);
    bridge.template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    bridge.template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { 'Fn::Join': ['', Match.arrayWith([{ Ref: stageId }])] },
    });
    const [acl] = Object.values(bridge.template.findResources('AWS::WAFv2::WebACL'));
    const rules = acl!.Properties.Rules as { Statement: Record<string, unknown> }[];
    expect(acl!.Properties.DefaultAction).toEqual({ Allow: {} });
    // No rule of the ACL's own inspects the body: size is judged from the Content-Length header only.
    expect(JSON.stringify(rules)).not.toMatch(/"(Body|JsonBody)"/);
    expect(JSON.stringify(rules)).toContain('{"ActionToUse":{"Count":{}},"Name":"SizeRestrictions_BODY"}');
  });
});
