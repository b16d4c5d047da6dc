import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_ID } from '#core/ai/settings';
import { BridgeFunction } from '#lib/constructs/bridge-function';
import { XRAY_WRITE_STATEMENT, acknowledgementsIn, synthBridge, type SynthesizedBridge } from './support.ts';


const API_GATEWAY_LOGS_ROLE =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]';
const AWS_BACKUP_ROLE =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]';
// The default model is a cross-Region inference profile: its model in any Region of the geography (lib/constructs/ai-workflows.ts).
const AI_MODEL_ANY_REGION = `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/${DEFAULT_MODEL_ID.replace(/^us\./, '')}]`;

describe('cdk-nag AwsSolutions', () => {
  let defaults: SynthesizedBridge;
  let hardened: SynthesizedBridge;

  beforeAll(() => {
    defaults = synthBridge();
    hardened = synthBridge({ bridge: { alarmEmail: 'ops@example.com' } });
  });

  it('finds no unacknowledged violation with the default configuration', () => {
    expect(new AwsSolutionsChecks().validateScope(defaults.app).violations).toEqual([]);
  });

  it('finds no unacknowledged violation with the stack managing the API Gateway account role, and acknowledges only its managed policy', () => {
    const managing = synthBridge({ bridge: { api: { manageAccountRole: true } } });
    expect(new AwsSolutionsChecks().validateScope(managing.app).violations).toEqual([]);
    expect(acknowledgementsIn(managing.app).filter((a) => a.id === API_GATEWAY_LOGS_ROLE).map((a) => a.path)).toEqual([
      managing.stack.webhookApi.api.node.findChild('CloudWatchRole').node.path,
    ]);
  });

  it('finds no unacknowledged violation with an alarm email (WAF on, the default)', () => {
    expect(new AwsSolutionsChecks().validateScope(hardened.app).violations).toEqual([]);
  });

  it('acknowledges only the documented findings (docs/security.md), each with a reason', () => {
    const acknowledged = acknowledgementsIn(defaults.app).filter((a) => a.id.startsWith('AwsSolutions-'));
    expect([...new Set(acknowledged.map((a) => a.id))].sort()).toEqual(
      [
        'AwsSolutions-APIG2',
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-APIG4',
        'AwsSolutions-COG4',
        'AwsSolutions-SMG4',
        'AwsSolutions-SQS3',
        AWS_BACKUP_ROLE,
        AI_MODEL_ANY_REGION,
      ].sort(),
    );
    for (const { id, reason, path } of acknowledged) {
      expect(typeof reason, `${id} at ${path}`).toBe('string');
      expect((reason as string).trim().length, `${id} at ${path}`).toBeGreaterThan(40);
    }
  });

  it('acknowledges the any-Region model only on the AI consumer\'s policy, and not at all for a plain model id or the offline provider', () => {
    expect(acknowledgementsIn(defaults.app).filter((a) => a.id === AI_MODEL_ANY_REGION).map((a) => a.path)).toEqual([
      defaults.stack.aiWorkflows.consumer.role.node.findChild('DefaultPolicy').node.path,
    ]);
    for (const ai of [{ modelId: DEFAULT_MODEL_ID.replace(/^us\./, '') }, { provider: 'offline' }]) {
      const bridge = synthBridge({ bridge: { ai } });
      expect(new AwsSolutionsChecks().validateScope(bridge.app).violations).toEqual([]);
      expect(acknowledgementsIn(bridge.app).map((a) => a.id)).not.toContain(AI_MODEL_ANY_REGION);
    }
  });

  it('finds no unacknowledged violation with the pipeline reports on, and acknowledges only their access logs and reports/ key', () => {
    const bridge = synthBridge({ bridge: { analytics: { enabled: true } } });
    expect(new AwsSolutionsChecks().validateScope(bridge.app).violations).toEqual([]);
    const reports = bridge.stack.pipelineReports!;
    const added = acknowledgementsIn(bridge.app).filter((a) => a.path.startsWith(reports.node.path) && a.id.startsWith('AwsSolutions-'));
    expect(added.map((a) => [a.id.replace(/<[^>]+>/, '<bucket>'), a.path])).toEqual([
      ['AwsSolutions-S1', reports.bucket.node.path],
      ['AwsSolutions-IAM5[Resource::*]', reports.report.role.node.path],
      ['AwsSolutions-IAM5[Resource::<bucket>/reports/*]', reports.report.role.node.findChild('DefaultPolicy').node.path],
    ]);
  });

  it('acknowledges APIG3 on the stage, with its reason, only when WAF is switched off', () => {
    expect(acknowledgementsIn(defaults.app).map((a) => a.id)).not.toContain('AwsSolutions-APIG3');
    const noWaf = synthBridge({ bridge: { waf: { enabled: false } } });
    expect(new AwsSolutionsChecks().validateScope(noWaf.app).violations).toEqual([]);
    const apig3 = acknowledgementsIn(noWaf.app).filter((a) => a.id === 'AwsSolutions-APIG3');
    expect(apig3.map((a) => a.path)).toEqual([noWaf.stack.webhookApi.api.deploymentStage.node.path]);
    expect(apig3[0]!.reason).toMatch(/HMAC/);
  });

  it('no longer acknowledges the logs role or the backup role once the configuration makes them moot', () => {
    const ids = acknowledgementsIn(hardened.app).map((a) => a.id);
    expect(ids).not.toContain(API_GATEWAY_LOGS_ROLE);
    const noBackups = synthBridge({ bridge: { backup: { enabled: false } } });
    expect(new AwsSolutionsChecks().validateScope(noBackups.app).violations).toEqual([]);
    expect(acknowledgementsIn(noBackups.app).map((a) => a.id)).not.toContain(AWS_BACKUP_ROLE);
  });

  it('acknowledges the AWS Backup managed policy only on the backup selection\'s role', () => {
    expect(acknowledgementsIn(defaults.app).filter((a) => a.id === AWS_BACKUP_ROLE).map((a) => a.path)).toEqual([
      defaults.stack.backups!.selection.node.findChild('Role').node.path,
    ]);
  });

  it('acknowledges the X-Ray wildcard only on function roles, and no role holds another wildcard resource', () => {
    const bridge = synthBridge({ bridge: { analytics: { enabled: true }, ai: { rediscovery: { enabled: true } } } });
    const functionRoles = bridge.app.node.findAll().filter((c): c is BridgeFunction => c instanceof BridgeFunction).map((f) => f.role.node.path);
    expect(functionRoles).toHaveLength(7);
    expect(acknowledgementsIn(bridge.app).filter((a) => a.id === 'AwsSolutions-IAM5[Resource::*]').map((a) => a.path).sort()).toEqual(functionRoles.sort());
    const wildcards = Object.values(bridge.template.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as { Resource: unknown }[])
      .filter((s) => [s.Resource].flat().includes('*'));
    expect(wildcards).toHaveLength(functionRoles.length);
    for (const statement of wildcards) expect(statement).toEqual(XRAY_WRITE_STATEMENT);
  });

  it('acknowledges no finding for the whole stack or app, only on the construct it concerns', () => {
    const broad = acknowledgementsIn(defaults.app).filter((a) => a.path === defaults.stack.node.path || a.path === '');
    expect(broad).toEqual([]);
  });

  it('lets synth with the AwsSolutions plugin registered succeed, as `cdk synth` does', () => {
    const { app } = synthBridge();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const assembly = app.synth({ force: true });
    expect(assembly.stacks).toHaveLength(1);
  });
});
