import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '#lambdas/config';
import { METRICS_NAMESPACE, SERVICES } from '#core/metrics';
import { ACTION_ROUTES } from '#core/webhooks/catalogue';
import { WEBHOOK_PATH_PARTS } from '#lib/constructs/webhook-api';
import { WAF_LOG_GROUP_PREFIX } from '#lib/constructs/webhook-firewall';
import { LogEncryptionKey } from '#lib/constructs/log-encryption';
import { BEAMERY_PUSH_PATH_PARTS } from '#lib/constructs/push-api';
import { QUARANTINE_QUEUE } from '#core/webhooks/delivery';
import { queueDefinition, tableDefinition } from '#lib/resource-definitions';
import type { QueueId } from '#core/queues';
import { WEBHOOK_PATH } from '#local/defaults';
import { XRAY_WRITE_STATEMENT, logicalIdOf, secretsKeyDecryptStatement, synthBridge, withoutXrayWrite, type SynthesizedBridge } from './support.ts';

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

interface Rule {
  readonly Name: string;
  readonly Action?: unknown;
  readonly Statement: Record<string, unknown>;
}

const byNameIn = (rules: Rule[], name: string) => rules.find((r) => r.Name === name)!;
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resourcesOf = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

describe('webhook API', () => {
  let bridge: SynthesizedBridge;
  let withFirewall: SynthesizedBridge;
  let ingestId: string;
  let statements: Statement[];

  beforeAll(() => {
    // The one real esbuild bundle of the suite: it proves the handler entry resolves and bundles.
    bridge = synthBridge({ bundle: true });
    withFirewall = synthBridge({
      bridge: { waf: { enabled: true }, api: { throttlingRateLimit: 5, throttlingBurstLimit: 7 }, webhookPayloadCapBytes: 131072 },
    });
    ingestId = logicalIdOf(bridge.stack, bridge.stack.webhookApi.ingest.function.functionArn);
    const roleId = logicalIdOf(bridge.stack, bridge.stack.webhookApi.ingest.role.roleArn);
    const policies = Object.values(
      bridge.template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
    );
    statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
  });

  it('serves POST /webhooks/greenhouse, proxied to the ingest Lambda, and besides it only POST /beamery/push (push-api.test.ts)', () => {
    bridge.template.resourceCountIs('AWS::ApiGateway::Method', 2);
    bridge.template.resourceCountIs('AWS::ApiGateway::Resource', WEBHOOK_PATH_PARTS.length + BEAMERY_PUSH_PATH_PARTS.length);
    const [webhooksId] = Object.keys(bridge.template.findResources('AWS::ApiGateway::Resource', { Properties: { PathPart: 'webhooks' } }));
    const [greenhouseId] = Object.keys(
      bridge.template.findResources('AWS::ApiGateway::Resource', {
        Properties: { PathPart: 'greenhouse', ParentId: { Ref: webhooksId } },
      }),
    );
    bridge.template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      ResourceId: { Ref: greenhouseId },
      Integration: {
        Type: 'AWS_PROXY',
        Uri: { 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [ingestId, 'Arn'] }])] },
      },
    });
  });

  it('uses the path the local stack serves', () => {
    expect(`/${WEBHOOK_PATH_PARTS.join('/')}`).toBe(WEBHOOK_PATH);
  });

  it('outputs the webhook URL', () => {
    const outputs = bridge.template.toJSON()['Outputs'] as Record<string, { Value: unknown }>;
    expect(JSON.stringify(outputs['WebhookUrl']?.Value)).toContain('/webhooks/greenhouse');
  });

  it('throttles the stage with the configured rate and burst (50/100 by default)', () => {
    for (const [bridgeUnderTest, rate, burst] of [
      [bridge, 50, 100],
      [withFirewall, 5, 7],
    ] as const) {
      bridgeUnderTest.template.hasResourceProperties('AWS::ApiGateway::Stage', {
        MethodSettings: [Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: rate, ThrottlingBurstLimit: burst })],
      });
    }
  });

  it('writes JSON access logs without bodies, error execution logs without data traces, and no per-method metrics', () => {
    const logGroupId = logicalIdOf(bridge.stack, bridge.stack.webhookApi.accessLogGroup.logGroupArn);
    const [stage] = Object.values(bridge.template.findResources('AWS::ApiGateway::Stage'));
    const { AccessLogSetting, MethodSettings } = stage!.Properties;
    expect(AccessLogSetting.DestinationArn).toEqual({ 'Fn::GetAtt': [logGroupId, 'Arn'] });
    const format = JSON.parse(AccessLogSetting.Format) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
    expect(AccessLogSetting.Format).not.toMatch(/\$input|body|requestOverride|header/i);
    expect(MethodSettings).toEqual([
      expect.objectContaining({ LoggingLevel: 'ERROR', DataTraceEnabled: false, MetricsEnabled: false }),
    ]);
    // Detailed per-method metrics are charged: only on when api.methodMetrics asks for them.
    const [configuredStage] = Object.values(synthBridge({ bridge: { api: { methodMetrics: true } } }).template.findResources('AWS::ApiGateway::Stage'));
    expect(configuredStage!.Properties.MethodSettings).toEqual([expect.objectContaining({ MetricsEnabled: true })]);
    bridge.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('runs the ingest Lambda on nodejs24.x and arm64 with JSON logs in its own log group', () => {
    const logGroupId = logicalIdOf(bridge.stack, bridge.stack.webhookApi.ingest.logGroup.logGroupArn);
    bridge.template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logGroupId } },
    });
    const functions = Object.values(bridge.template.findResources('AWS::Lambda::Function'));
    for (const fn of functions) expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
  });

  it('bundles each Lambda as one ESM file with the require shim', () => {
    const assembly = bridge.app.synth();
    const manifest = JSON.parse(readFileSync(join(assembly.directory, `${bridge.stack.artifactId}.assets.json`), 'utf8')) as {
      files: Record<string, { source: { path: string; packaging?: string } }>;
    };
    const bundles = Object.values(manifest.files).filter((f) => f.source.packaging === 'zip');
    expect(bundles.length).toBe(bridge.template.toJSON()['Resources'] ? Object.values(bridge.template.findResources('AWS::Lambda::Function')).filter((r) => r.Properties?.Runtime === 'nodejs24.x').length : 0);
    for (const { source } of bundles) {
      const bundle = join(assembly.directory, source.path, 'index.mjs');
      expect(existsSync(bundle)).toBe(true);
      expect(readFileSync(bundle, 'utf8').split('\n', 1)[0]).toContain('createRequire');
    }
  });

  it('gives the ingest Lambda the URL of every queue the webhook catalogue routes to, the quarantine DLQ, the secret ARN and the payload cap', () => {
    const routed = new Set(Object.values(ACTION_ROUTES).flatMap((r) => r.queues as readonly QueueId[]));
    const queueRef = (id: QueueId, deadLetter = false) => {
      const q = bridge.stack.queues.get(id);
      return { Ref: logicalIdOf(bridge.stack, (deadLetter ? q.deadLetterQueue : q.queue).queueArn) };
    };
    const quarantine = queueDefinition(QUARANTINE_QUEUE);
    const secretId = logicalIdOf(bridge.stack, bridge.stack.secrets.secret('greenhouse-webhook').secretArn);
    const [fn] = Object.values(bridge.template.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs24.x' } }));
    expect(fn!.Properties.Environment.Variables).toEqual({
      ...Object.fromEntries([...routed].map((id) => [queueDefinition(id).urlEnv, queueRef(id)])),
      [quarantine.dlqUrlEnv]: queueRef(QUARANTINE_QUEUE, true),
      [ENV.webhookSecretArn]: { Ref: secretId },
      [ENV.payloadCapBytes]: '262144',
      [tableDefinition('idempotency').nameEnv]: { Ref: logicalIdOf(bridge.stack, bridge.stack.tables.table('idempotency').tableArn) },
      POWERTOOLS_SERVICE_NAME: SERVICES.ingest,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      NODE_OPTIONS: '--enable-source-maps',
    });
    withFirewall.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.payloadCapBytes]: '131072' }) },
    });
  });

  it('lets the ingest Lambda send only to the routed queues and the quarantine DLQ', () => {
    const sqs = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('sqs:')));
    expect(sqs.flatMap(actionsOf)).toEqual(['sqs:SendMessage']);
    const expected = [
      ...new Set(Object.values(ACTION_ROUTES).flatMap((r) => r.queues as readonly QueueId[])),
    ].map((id) => ({ 'Fn::GetAtt': [logicalIdOf(bridge.stack, bridge.stack.queues.get(id).queue.queueArn), 'Arn'] }));
    expected.push({
      'Fn::GetAtt': [logicalIdOf(bridge.stack, bridge.stack.queues.get(QUARANTINE_QUEUE).deadLetterQueue.queueArn), 'Arn'],
    });
    expect(sqs.flatMap(resourcesOf)).toEqual(expect.arrayContaining(expected));
    expect(sqs.flatMap(resourcesOf)).toHaveLength(expected.length);
  });

  it('lets the ingest Lambda read only the webhook secret, and only with GetSecretValue', () => {
    const secrets = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')));
    expect(secrets.flatMap(actionsOf)).toEqual(['secretsmanager:GetSecretValue']);
    const secretId = logicalIdOf(bridge.stack, bridge.stack.secrets.secret('greenhouse-webhook').secretArn);
    expect(secrets.flatMap(resourcesOf)).toEqual([{ Ref: secretId }]);
  });

  it('lets the ingest Lambda read and write items of the idempotency table only, with the four calls Powertools makes', () => {
    const dynamodb = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    expect(dynamodb.flatMap(actionsOf).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    const tableId = logicalIdOf(bridge.stack, bridge.stack.tables.table('idempotency').tableArn);
    expect(dynamodb.flatMap(resourcesOf)).toEqual([{ 'Fn::GetAtt': [tableId, 'Arn'] }]);
    // The table's key is AWS-managed; the only key the role may use is the secrets key, through Secrets Manager.
    expect(statements.filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')))).toEqual([secretsKeyDecryptStatement(bridge.stack)]);
  });

  it('gives the ingest Lambda nothing else: its own log group, its traces, no managed policies, no other wildcard', () => {
    expect(statements).toContainEqual(XRAY_WRITE_STATEMENT);
    const rest = withoutXrayWrite(statements).filter(
      (s) => !actionsOf(s).some((a) => a.startsWith('sqs:') || a.startsWith('secretsmanager:') || a.startsWith('dynamodb:') || a.startsWith('kms:')),
    );
    const logGroupId = logicalIdOf(bridge.stack, bridge.stack.webhookApi.ingest.logGroup.logGroupArn);
    expect(rest).toEqual([
      expect.objectContaining({
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
      }),
    ]);
    expect(JSON.stringify(withoutXrayWrite(statements))).not.toContain('"*"');
    const roleId = logicalIdOf(bridge.stack, bridge.stack.webhookApi.ingest.role.roleArn);
    expect(bridge.template.toJSON()['Resources'][roleId].Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('puts a WAF web ACL in front of the stage by default, and none with waf.enabled=false', () => {
    bridge.template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    const stageId = logicalIdOf(bridge.stack, bridge.stack.webhookApi.api.deploymentStage.stageName);
    bridge.template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { 'Fn::Join': ['', Match.arrayWith([{ Ref: stageId }])] },
    });
    const off = synthBridge({ bridge: { waf: { enabled: false } } });
    for (const type of ['AWS::WAFv2::WebACL', 'AWS::WAFv2::WebACLAssociation', 'AWS::WAFv2::LoggingConfiguration']) off.template.resourceCountIs(type, 0);
    expect(Object.values(off.template.findResources('AWS::Logs::LogGroup')).map((g) => g.Properties.LogGroupName)).not.toContainEqual(
      expect.stringMatching(new RegExp(`^${WAF_LOG_GROUP_PREFIX}`)),
    );
  });

  it('rate-limits per source IP, runs the common rule set with its 8 KB body rule counted only, and blocks a declared body over the payload cap', () => {
    const rulesOf = (b: SynthesizedBridge) => Object.values(b.template.findResources('AWS::WAFv2::WebACL'))[0]!.Properties.Rules as Rule[];
    const rules = rulesOf(bridge);
    expect(rules.map((r) => r.Name)).toEqual(['AmazonIpReputationList', 'PerSourceIpRateLimit', 'DeclaredBodyOverPayloadCap', 'AwsCommonRuleSet']);
    const byName = (name: string) => rules.find((r) => r.Name === name)!;
    expect(byName('PerSourceIpRateLimit')).toMatchObject({ Action: { Block: {} }, Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: 3000 } } });
    expect(byName('AwsCommonRuleSet').Statement).toEqual({
      ManagedRuleGroupStatement: {
        VendorName: 'AWS',
        Name: 'AWSManagedRulesCommonRuleSet',
        RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
      },
    });
    const sizeRule = byName('DeclaredBodyOverPayloadCap');
    expect(sizeRule.Action).toEqual({ Block: {} });
    const match = (sizeRule.Statement as { RegexMatchStatement: { FieldToMatch: unknown; RegexString: string } }).RegexMatchStatement;
    expect(match.FieldToMatch).toEqual({ SingleHeader: { Name: 'content-length' } });
    const blocks = (regex: string, length: number) => new RegExp(regex).test(String(length));
    // The default cap is 256 KiB; withFirewall's is 128 KiB.
    expect([262144, 262145, 300000, 1048576, 9000].map((n) => blocks(match.RegexString, n))).toEqual([false, true, true, true, false]);
    const smaller = (byNameIn(rulesOf(withFirewall), 'DeclaredBodyOverPayloadCap').Statement as { RegexMatchStatement: { RegexString: string } }).RegexMatchStatement;
    expect([131072, 131073, 262144].map((n) => blocks(smaller.RegexString, n))).toEqual([false, true, true]);
  });

  it('logs WAF to an aws-waf-logs- log group encrypted with the stack log key, kept for logRetentionDays', () => {
    const keyId = logicalIdOf(bridge.stack, LogEncryptionKey.of(bridge.stack).keyArn);
    const groups = bridge.template.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: `${WAF_LOG_GROUP_PREFIX}${bridge.stack.stackName}` } });
    expect(Object.values(groups).map((g) => g.Properties)).toEqual([
      expect.objectContaining({ KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, RetentionInDays: 30 }),
    ]);
    const [aclId] = Object.keys(bridge.template.findResources('AWS::WAFv2::WebACL'));
    const [logging] = Object.values(bridge.template.findResources('AWS::WAFv2::LoggingConfiguration'));
    expect(logging!.Properties.ResourceArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    const destination = JSON.stringify(logging!.Properties.LogDestinationConfigs);
    expect(destination).toContain(`:log-group:`);
    expect(destination).toContain(Object.keys(groups)[0]!);
    expect(destination).not.toContain(':*');
  });
});
