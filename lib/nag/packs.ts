import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, ServerlessChecks, type NagPack } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** The cdk-nag packs every synth runs: `cdk synth` fails on an unacknowledged finding of either. */
export const ALWAYS_ON_PACKS = ['AwsSolutions', 'Serverless'] as const;
/** Packs a customer's reviewer may ask for, on with config `nag.packs` (docs/security.md). */
export const OPTIONAL_PACKS = ['NIST.800.53.R5', 'HIPAA.Security'] as const;

export type NagPackName = (typeof ALWAYS_ON_PACKS)[number] | (typeof OPTIONAL_PACKS)[number];

const PACKS: Readonly<Record<NagPackName, new (scope?: IConstruct) => NagPack>> = {
  AwsSolutions: AwsSolutionsChecks,
  Serverless: ServerlessChecks,
  'NIST.800.53.R5': NIST80053R5Checks,
  'HIPAA.Security': HIPAASecurityChecks,
};

/** A pack by name, ready for `Validations.of(app).addPlugins` or `validateScope`. */
export function nagPack(name: NagPackName, scope?: IConstruct): NagPack {
  return new PACKS[name](scope);
}

/** The packs a synth with this configuration runs: the always-on ones, then those `nag.packs` names. */
export function nagPacksToRun(optional: readonly (typeof OPTIONAL_PACKS)[number][]): NagPackName[] {
  return [...ALWAYS_ON_PACKS, ...OPTIONAL_PACKS.filter((name) => optional.includes(name))];
}

/**
 * Which packs carry each rule acknowledged across packs (a rule keeps its name from pack to pack:
 * `Serverless-LambdaDLQ`, `NIST.800.53.R5-LambdaDLQ`). Listed, not guessed: test/cdk/nag-packs.test.ts
 * checks each pair against the rules the pack really applies, so an acknowledgement never names a
 * rule a pack does not have.
 */
export const RULE_PACKS = {
  LambdaDLQ: ['Serverless', 'NIST.800.53.R5', 'HIPAA.Security'],
  LambdaEventSourceMappingDestination: ['Serverless'],
  LambdaInsideVPC: ['NIST.800.53.R5', 'HIPAA.Security'],
  LambdaConcurrency: ['NIST.800.53.R5', 'HIPAA.Security'],
  SQSRedrivePolicy: ['Serverless'],
  SNSRedrivePolicy: ['Serverless'],
  S3BucketLoggingEnabled: ['NIST.800.53.R5', 'HIPAA.Security'],
  S3BucketReplicationEnabled: ['NIST.800.53.R5', 'HIPAA.Security'],
  S3BucketVersioningEnabled: ['NIST.800.53.R5', 'HIPAA.Security'],
  S3DefaultEncryptionKMS: ['NIST.800.53.R5', 'HIPAA.Security'],
  APIGWAssociatedWithWAF: ['NIST.800.53.R5'],
  IAMNoInlinePolicy: ['NIST.800.53.R5', 'HIPAA.Security'],
  SecretsManagerRotationEnabled: ['NIST.800.53.R5', 'HIPAA.Security'],
  DynamoDBInBackupPlan: ['NIST.800.53.R5', 'HIPAA.Security'],
  APIGWCacheEnabledAndEncrypted: ['NIST.800.53.R5', 'HIPAA.Security'],
  APIGWSSLEnabled: ['NIST.800.53.R5', 'HIPAA.Security'],
} as const satisfies Record<string, readonly NagPackName[]>;

export type CrossPackRule = keyof typeof RULE_PACKS;

/**
 * Acknowledges `rule` on `scope` (and what it contains) in every pack that has the rule, with one
 * reason, so a finding is decided once whichever packs a reviewer runs.
 */
export function acknowledgeInEveryPack(scope: IConstruct, rule: CrossPackRule, reason: string): void {
  for (const pack of RULE_PACKS[rule]) Validations.of(scope).acknowledge({ id: `${pack}-${rule}`, reason });
}
