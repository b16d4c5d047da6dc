import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV, readConfig } from '#lambdas/config';
import { NON_FILTERABLE_METADATA_KEYS } from '#adapters/ai/s3-vectors-index';
import { REDISCOVERY_VECTOR_ACTIONS } from '#lib/constructs/rediscovery-index';
import { rediscoveryIndexLocationFor } from '#lib/function-environments';
import { REDISCOVERY_OUTPUT_VARIABLES } from '#lib/stack-outputs';
import { environmentFromStackOutputs, missingCliSettings } from '../../bin/cli-settings.ts';
import { logicalIdOf, secretsKeyDecryptStatement, synthBridge, type SynthesizedBridge } from './support.ts';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

const actionsOf = (s: Statement) => [s.Action].flat();

function consumerStatements(bridge: SynthesizedBridge): Statement[] {
  const roleId = logicalIdOf(bridge.stack, bridge.stack.aiWorkflows.consumer.role.roleArn);
  return Object.values(bridge.template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } })).flatMap(
    (p) => p.Properties.PolicyDocument.Statement as Statement[],
  );
}

function consumerEnvironment(bridge: SynthesizedBridge): Record<string, unknown> {
  const id = logicalIdOf(bridge.stack, bridge.stack.aiWorkflows.consumer.function.functionArn);
  return bridge.template.findResources('AWS::Lambda::Function')[id]!.Properties.Environment.Variables as Record<string, unknown>;
}

const rediscoveryOn = (embedding: Record<string, unknown> = {}, ai: Record<string, unknown> = { provider: 'offline' }) =>
  synthBridge({ bridge: { stackName: 'AcmeBridge', ai: { ...ai, rediscovery: { enabled: true, consentField: 'open_to_other_roles', embedding } } } });

describe('rediscovery index (S3 Vectors)', () => {
  let offline: SynthesizedBridge;
  let bedrock: SynthesizedBridge;

  beforeAll(() => {
    offline = rediscoveryOn();
    bedrock = rediscoveryOn({ provider: 'bedrock', modelId: 'amazon.titan-embed-text-v2:0', dimensions: 1024 });
  });

  it('creates nothing, grants nothing and sets nothing while rediscovery is off', () => {
    const off = synthBridge({ bridge: { ai: { provider: 'offline' } } });
    expect(off.stack.aiWorkflows.rediscoveryIndex).toBeUndefined();
    expect(Object.keys(off.template.findResources('AWS::S3Vectors::VectorBucket'))).toEqual([]);
    expect(Object.keys(off.template.findResources('AWS::S3Vectors::Index'))).toEqual([]);
    expect(consumerStatements(off).flatMap(actionsOf).filter((a) => a.startsWith('s3vectors:'))).toEqual([]);
    // The one key it may use is the secrets key, through Secrets Manager, for the Harvest credentials.
    expect(consumerStatements(off).filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')))).toEqual([secretsKeyDecryptStatement(off.stack)]);
    expect(Object.keys(consumerEnvironment(off))).not.toContain(ENV.rediscoveryVectorBucket);
    expect(Object.keys(off.template.findOutputs('*'))).not.toContain('RediscoveryIndexName');
  });

  it('encrypts the vector bucket with its own rotated KMS key, which S3 Vectors\' indexing may use for this bucket only', () => {
    const index = offline.stack.aiWorkflows.rediscoveryIndex!;
    const keyId = logicalIdOf(offline.stack, index.key.keyArn);
    offline.template.hasResourceProperties('AWS::S3Vectors::VectorBucket', {
      VectorBucketName: 'acmebridge-rediscovery',
      EncryptionConfiguration: { SseType: 'aws:kms', KmsKeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] } },
    });
    const key = offline.template.findResources('AWS::KMS::Key')[keyId]!;
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const indexing = (key.Properties.KeyPolicy.Statement as Statement[]).filter((s) => JSON.stringify(s.Principal).includes('indexing.s3vectors.amazonaws.com'));
    expect(indexing).toHaveLength(1);
    expect(indexing[0]).toMatchObject({ Effect: 'Allow', Action: 'kms:Decrypt', Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } });
    expect(JSON.stringify(indexing[0]!.Condition)).toContain(':bucket/acmebridge-rediscovery');
  });

  it('makes a cosine float32 index of the embedder\'s size, its hash and activity text not filterable', () => {
    offline.template.hasResourceProperties('AWS::S3Vectors::Index', {
      VectorBucketName: 'acmebridge-rediscovery',
      IndexName: 'candidates-offline-512',
      DataType: 'float32',
      Dimension: 512,
      DistanceMetric: 'cosine',
      MetadataConfiguration: { NonFilterableMetadataKeys: [...NON_FILTERABLE_METADATA_KEYS] },
    });
    expect(NON_FILTERABLE_METADATA_KEYS).toContain('hash');
    bedrock.template.hasResourceProperties('AWS::S3Vectors::Index', { IndexName: 'candidates-bedrock-1024', Dimension: 1024 });
  });

  it('lets the ai-tasks consumer call exactly the four vector operations, on the index only, and use the key', () => {
    const index = offline.stack.aiWorkflows.rediscoveryIndex!;
    const statements = consumerStatements(offline);
    const vectors = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('s3vectors:')));
    expect(vectors).toHaveLength(1);
    expect(actionsOf(vectors[0]!).sort()).toEqual([...REDISCOVERY_VECTOR_ACTIONS].sort());
    expect(vectors[0]!.Resource).toEqual(offline.stack.resolve(index.indexArn));
    expect(vectors[0]!.Resource).toEqual({ 'Fn::GetAtt': [expect.any(String), 'IndexArn'] });
    const kms = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')) && JSON.stringify(s) !== JSON.stringify(secretsKeyDecryptStatement(offline.stack)));
    expect(kms.flatMap(actionsOf).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(kms.map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [logicalIdOf(offline.stack, index.key.keyArn), 'Arn'] }]);
    // The offline embedder and the offline providers call no model.
    expect(statements.flatMap(actionsOf)).not.toContain('bedrock:InvokeModel');
  });

  it('allows InvokeModel on the Bedrock embedding model alone when rediscovery embeds with Bedrock', () => {
    const invoke = consumerStatements(bedrock).filter((s) => actionsOf(s).includes('bedrock:InvokeModel'));
    expect(invoke.map((s) => s.Resource)).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:', { Ref: 'AWS::Region' }, '::foundation-model/amazon.titan-embed-text-v2:0']] },
    ]);
  });

  it('gives ai-tasks the bucket and index names', () => {
    expect(consumerEnvironment(offline)).toMatchObject({ [ENV.rediscoveryVectorBucket]: 'acmebridge-rediscovery', [ENV.rediscoveryVectorIndex]: 'candidates-offline-512' });
  });

  it('outputs the names, which configure `bridge rediscover --stack` with nothing missing', () => {
    const outputs = offline.template.findOutputs('*') as Record<string, { Value: unknown; Description?: string }>;
    for (const { output } of REDISCOVERY_OUTPUT_VARIABLES) expect(outputs[output]?.Description).toBeTruthy();
    const env = environmentFromStackOutputs(REDISCOVERY_OUTPUT_VARIABLES.map(({ output }) => ({ OutputKey: output, OutputValue: outputs[output]!.Value as string })));
    const config = readConfig({ ...env, [ENV.runtime]: 'aws' });
    expect(config.rediscoveryIndex).toEqual({ vectorBucketName: 'acmebridge-rediscovery', indexName: 'candidates-offline-512' });
    expect(missingCliSettings(config, ['rediscovery-index'], env)).toEqual([]);
    expect(missingCliSettings(readConfig({ [ENV.runtime]: 'aws' }), ['rediscovery-index'], {})).toEqual([
      `${ENV.rediscoveryVectorBucket} (stack output RediscoveryVectorBucketName)`,
      `${ENV.rediscoveryVectorIndex} (stack output RediscoveryIndexName)`,
    ]);
  });

  it('passes cdk-nag with rediscovery on, embedding with Bedrock', () => {
    expect(new AwsSolutionsChecks().validateScope(bedrock.app).violations).toEqual([]);
  });

  it('names the vector bucket within S3 Vectors\' rules for any stack name', () => {
    const bucketFor = (stackName: string) => rediscoveryIndexLocationFor(stackName, { provider: 'offline', dimensions: 512 }).vectorBucketName;
    expect(bucketFor('GreenhouseBeameryBridge')).toBe('greenhousebeamerybridge-rediscovery');
    const long = bucketFor(`A${'b'.repeat(49)}-${'c'.repeat(70)}`);
    expect(long).toMatch(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/);
    expect(long.endsWith('-rediscovery')).toBe(true);
  });
});
