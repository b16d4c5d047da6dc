import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { StackConfig } from '#lib/config';
import type { TableId } from '#lib/resource-definitions';
import { acknowledgeInEveryPack } from '#lib/nag/packs';
import type { BridgeTables } from './tables.ts';

/** The tables AWS Backup copies. Not the idempotency table (NOT_BACKED_UP_REASON says why). */
export const BACKED_UP_TABLES: readonly TableId[] = ['ledger', 'id-map', 'audit'];

const NOT_BACKED_UP_REASON =
  "The idempotency table holds ingest's per-delivery records, which expire after 48 hours and are worth nothing once a delivery is done: losing them only lets a late Greenhouse retry be queued again (harmless, the sync is idempotent), and restoring old ones brings back nothing. Point-in-time recovery stays on.";

/**
 * Acknowledges the NIST/HIPAA DynamoDBInBackupPlan finding of each table no backup plan covers: the
 * idempotency table always, every table while `backup.enabled` is false.
 */
export function acknowledgeTablesWithoutBackups(tables: BridgeTables, enabled: boolean): void {
  for (const tableId of tables.ids) {
    if (enabled && BACKED_UP_TABLES.includes(tableId)) continue;
    acknowledgeInEveryPack(
      tables.table(tableId),
      'DynamoDBInBackupPlan',
      BACKED_UP_TABLES.includes(tableId)
        ? 'AWS Backup is switched off in this configuration (backup.enabled=false): the table keeps point-in-time recovery (35 days) only, and a deleted table cannot be restored after that. Set backup.enabled=true (the default) for a daily plan.'
        : NOT_BACKED_UP_REASON,
    );
  }
}

export interface TableBackupsProps {
  readonly config: StackConfig['backup'];
  readonly tables: BridgeTables;
}

/**
 * A daily AWS Backup plan for BACKED_UP_TABLES, into a vault of its own encrypted with a key of its
 * own. Point-in-time recovery (35 days, to the second) stays on each table; these backups are what
 * is left when a table is deleted or its PITR window has passed, kept `retentionDays`.
 */
export class TableBackups extends Construct {
  readonly vault: backup.BackupVault;
  readonly plan: backup.BackupPlan;
  readonly selection: backup.BackupSelection;

  constructor(scope: Construct, id: string, props: TableBackupsProps) {
    super(scope, id);
    const { config, tables } = props;
    const key = new kms.Key(this, 'VaultKey', {
      description: `${Stack.of(this).stackName}: encrypts the bridge's table backups`,
      enableKeyRotation: true,
    });
    // Vault and key keep CDK's default RETAIN: deleting the stack must not delete the backups.
    this.vault = new backup.BackupVault(this, 'Vault', { encryptionKey: key });
    this.plan = new backup.BackupPlan(this, 'Plan', {
      backupPlanName: `${Stack.of(this).stackName}-tables`,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'Daily',
          backupVault: this.vault,
          scheduleExpression: events.Schedule.cron({ minute: '0', hour: String(config.scheduleHourUtc) }),
          deleteAfter: Duration.days(config.retentionDays),
        }),
      ],
    });
    this.selection = this.plan.addSelection('Tables', {
      resources: BACKED_UP_TABLES.map((tableId) => backup.BackupResource.fromDynamoDbTable(tables.table(tableId))),
    });
    const role = this.selection.node.tryFindChild('Role');
    if (role) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
        reason:
          "AWS Backup assumes this role to take the tables' backups; AWS's managed policy is the documented one for it and follows the service's needs (the DynamoDB backup and tagging calls AWS Backup makes change with its features). The role can be assumed only by backup.amazonaws.com and the selection names the three tables.",
      });
    }
  }
}
