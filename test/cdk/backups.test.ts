import { beforeAll, describe, expect, it } from 'vitest';
import { BACKED_UP_TABLES } from '#lib/constructs/backups';
import { TABLES } from '#lib/resource-definitions';
import { logicalIdOf, synthBridge, type SynthesizedBridge } from './support.ts';

describe('table backups', () => {
  let bridge: SynthesizedBridge;

  beforeAll(() => {
    bridge = synthBridge();
  });

  const tableArn = (b: SynthesizedBridge, id: (typeof TABLES)[number]['id']) => ({
    'Fn::GetAtt': [logicalIdOf(b.stack, b.stack.tables.table(id).tableName), 'Arn'],
  });

  it('backs up the Ledger, IdMap and Audit tables, and not the idempotency table', () => {
    expect([...BACKED_UP_TABLES].sort()).toEqual(['audit', 'id-map', 'ledger']);
    bridge.template.resourceCountIs('AWS::Backup::BackupSelection', 1);
    const [selection] = Object.values(bridge.template.findResources('AWS::Backup::BackupSelection'));
    const resources = selection!.Properties.BackupSelection.Resources as unknown[];
    expect(resources).toHaveLength(3);
    expect(resources).toEqual(expect.arrayContaining(BACKED_UP_TABLES.map((id) => tableArn(bridge, id))));
    expect(resources).not.toContainEqual(tableArn(bridge, 'idempotency'));
    expect(selection!.Properties.BackupSelection.ListOfTags).toBeUndefined();
  });

  it('runs one daily rule at the configured hour into the vault, kept 35 days by default', () => {
    const vaultId = logicalIdOf(bridge.stack, bridge.stack.backups!.vault.backupVaultName);
    const [plan] = Object.values(bridge.template.findResources('AWS::Backup::BackupPlan'));
    expect(plan!.Properties.BackupPlan.BackupPlanRule).toEqual([
      {
        RuleName: 'Daily',
        ScheduleExpression: 'cron(0 5 * * ? *)',
        Lifecycle: { DeleteAfterDays: 35 },
        TargetBackupVault: { 'Fn::GetAtt': [vaultId, 'BackupVaultName'] },
      },
    ]);
    const configured = synthBridge({ bridge: { backup: { scheduleHourUtc: 22, retentionDays: 90 } } });
    const [other] = Object.values(configured.template.findResources('AWS::Backup::BackupPlan'));
    expect(other!.Properties.BackupPlan.BackupPlanRule).toEqual([
      expect.objectContaining({ ScheduleExpression: 'cron(0 22 * * ? *)', Lifecycle: { DeleteAfterDays: 90 } }),
    ]);
  });

  it('encrypts the vault with a rotating key of its own, and retains vault and key', () => {
    const resources = bridge.template.toJSON()['Resources'] as Record<string, { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string }>;
    const vault = resources[logicalIdOf(bridge.stack, bridge.stack.backups!.vault.backupVaultName)]!;
    const keyId = (vault.Properties['EncryptionKeyArn'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    expect(resources[keyId]).toMatchObject({ Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
    expect(vault.DeletionPolicy).toBe('Retain');
  });

  it('keeps point-in-time recovery on every table beside the plan', () => {
    for (const table of Object.values(bridge.template.findResources('AWS::DynamoDB::Table'))) {
      expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    }
  });

  it('creates no vault, plan or selection when backup.enabled is false', () => {
    const off = synthBridge({ bridge: { backup: { enabled: false } } });
    expect(off.stack.backups).toBeUndefined();
    for (const type of ['AWS::Backup::BackupVault', 'AWS::Backup::BackupPlan', 'AWS::Backup::BackupSelection']) off.template.resourceCountIs(type, 0);
  });
});
