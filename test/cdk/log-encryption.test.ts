import { beforeAll, describe, expect, it } from 'vitest';
import { WAF_LOG_GROUP_PREFIX } from '#lib/constructs/webhook-firewall';
import { synthBridge, type SynthesizedBridge } from './support.ts';

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

describe('log encryption', () => {
  let bridge: SynthesizedBridge;
  let resources: Resources;
  let logKeyId: string;

  beforeAll(() => {
    // The pipeline reports on: every optional function's log group is in the template too.
    bridge = synthBridge({ bridge: { analytics: { enabled: true }, waf: { enabled: true } } });
    resources = bridge.template.toJSON()['Resources'] as Resources;
    const ids = Object.keys(resources).filter((id) => id.startsWith('LogEncryptionKey') && resources[id]!.Type === 'AWS::KMS::Key');
    expect(ids).toHaveLength(1);
    logKeyId = ids[0]!;
  });

  it('encrypts every log group of the stack with the one log key, keeping the configured retention', () => {
    const logGroups = Object.values(resources).filter((r) => r.Type === 'AWS::Logs::LogGroup');
    expect(logGroups.length).toBeGreaterThanOrEqual(8);
    for (const group of logGroups) {
      expect(group.Properties['KmsKeyId']).toEqual({ 'Fn::GetAtt': [logKeyId, 'Arn'] });
      expect(group.Properties['RetentionInDays']).toBe(30);
    }
    const longer = synthBridge({ bridge: { logRetentionDays: 365 } });
    for (const group of Object.values(longer.template.findResources('AWS::Logs::LogGroup'))) {
      expect(group.Properties.RetentionInDays).toBe(365);
      expect(group.Properties.KmsKeyId).toBeDefined();
    }
  });

  it("lets CloudWatch Logs of the stack's Region use the key only for this stack's log groups, and rotates it", () => {
    const key = resources[logKeyId]!;
    expect(key.Properties['EnableKeyRotation']).toBe(true);
    const statements = key.Properties['KeyPolicy'].Statement as Array<Record<string, any>>;
    const logs = statements.filter((s) => JSON.stringify(s.Principal ?? {}).includes('logs.'));
    expect(logs).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Condition: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':log-group:*']],
            },
          },
        },
      }),
    ]);
  });

  it('names no log group itself but the WAF one, whose name WAF requires to start with aws-waf-logs-', () => {
    const named = Object.values(resources)
      .filter((r) => r.Type === 'AWS::Logs::LogGroup')
      .flatMap((group) => (group.Properties['LogGroupName'] === undefined ? [] : [group.Properties['LogGroupName']]));
    // The key policy allows every log group of the account and Region, so a fixed name needs no key change.
    expect(named).toEqual([`${WAF_LOG_GROUP_PREFIX}${bridge.stack.stackName}`]);
  });
});
