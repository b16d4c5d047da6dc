import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3vectors from 'aws-cdk-lib/aws-s3vectors';
import { Construct } from 'constructs';
import { NON_FILTERABLE_METADATA_KEYS } from '#adapters/ai/s3-vectors-index';
import type { RediscoverySettings } from '#core/ai/settings';
import { rediscoveryIndexLocationFor } from '#lib/function-environments';
import { REDISCOVERY_OUTPUT_VARIABLES } from '#lib/stack-outputs';

export interface RediscoveryIndexProps {
  readonly stackName: string;
  readonly settings: RediscoverySettings;
}

/** What S3 Vectors must allow for rediscovery, and nothing else: no listing, no index or bucket management. */
export const REDISCOVERY_VECTOR_ACTIONS = ['s3vectors:PutVectors', 's3vectors:GetVectors', 's3vectors:DeleteVectors', 's3vectors:QueryVectors'] as const;

/**
 * Candidate rediscovery's vector index: one S3 Vectors bucket and one index in it (cosine, float32, the
 * embedder's size), encrypted with a customer managed KMS key of its own, so who may read the vectors
 * is the key policy's and IAM's to say and every use is in CloudTrail. The vectors are derived from
 * profiles and held only while a candidate has consented; they are rebuilt by re-embedding, so the
 * index goes with the stack. Names: `rediscoveryIndexLocationFor` (a new embedder or size, a new index).
 */
export class RediscoveryIndex extends Construct {
  readonly vectorBucketName: string;
  readonly indexName: string;
  readonly indexArn: string;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: RediscoveryIndexProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { embedding } = props.settings;
    ({ vectorBucketName: this.vectorBucketName, indexName: this.indexName } = rediscoveryIndexLocationFor(props.stackName, embedding));

    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the greenhouse-beamery-bridge candidate rediscovery vectors',
      enableKeyRotation: true,
    });
    // S3 Vectors maintains an index in the background as its own service principal, which must be
    // able to decrypt with the key (S3 user guide, "Data protection and encryption in S3 Vectors"),
    // for this account's rediscovery bucket only. The ARN is built from the name: the bucket's own
    // ARN attribute would make the key and the bucket depend on each other.
    const bucketArn = stack.formatArn({ service: 's3vectors', resource: 'bucket', resourceName: this.vectorBucketName });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'S3VectorsIndexingOfTheRediscoveryBucket',
        principals: [new iam.ServicePrincipal('indexing.s3vectors.amazonaws.com')],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': [bucketArn, `${bucketArn}/*`] },
        },
      }),
    );

    const bucket = new s3vectors.CfnVectorBucket(this, 'Bucket', {
      vectorBucketName: this.vectorBucketName,
      encryptionConfiguration: { sseType: 'aws:kms', kmsKeyArn: this.key.keyArn },
    });
    const index = new s3vectors.CfnIndex(this, 'Index', {
      vectorBucketName: this.vectorBucketName,
      indexName: this.indexName,
      dataType: 'float32',
      dimension: embedding.dimensions,
      distanceMetric: 'cosine',
      // Read back with every match, never filtered on: kept out of the 2 KB of filterable metadata.
      metadataConfiguration: { nonFilterableMetadataKeys: [...NON_FILTERABLE_METADATA_KEYS] },
    });
    index.addResourceDependency(bucket);
    this.indexArn = index.attrIndexArn;

    // For `bridge rediscover --stack <name>` (lib/stack-outputs.ts); only a stack with rediscovery has them.
    const values: Record<string, string> = { RediscoveryVectorBucketName: this.vectorBucketName, RediscoveryIndexName: this.indexName };
    for (const { output, description } of REDISCOVERY_OUTPUT_VARIABLES) {
      new CfnOutput(this, output, { description, value: values[output]! }).overrideLogicalId(output);
    }
  }

  /** The four vector operations on this index, and the key to encrypt and decrypt them with. */
  grantReadWrite(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...REDISCOVERY_VECTOR_ACTIONS], resources: [this.indexArn] }));
    this.key.grant(grantee, 'kms:Decrypt', 'kms:GenerateDataKey');
  }
}
