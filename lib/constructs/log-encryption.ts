import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

const CONSTRUCT_ID = 'LogEncryptionKey';

/**
 * The stack's one KMS key for CloudWatch Logs: every log group the stack creates (each function's, the
 * API's access logs) is encrypted with it. One per stack, found or made by `of`, so BridgeFunction
 * needs no new prop from each construct that builds one.
 *
 * CloudWatch Logs uses the key as its own service principal, for log groups of this account and Region
 * (the condition AWS documents for a key shared by log groups). Narrower is not safe to write: the log
 * groups' own ARNs cannot be named in the key policy (each log group refers to the key, so the key
 * referring back would be a cycle), and a prefix of the names CloudFormation generates would rest on
 * an undocumented naming rule; a wrong guess fails the deploy. Only this stack's log groups refer to
 * the key, and associating another log group with it needs `logs:AssociateKmsKey` in the account.
 */
export class LogEncryptionKey extends Construct {
  readonly key: kms.Key;

  /** The stack's key, made on first use. */
  static of(scope: Construct): kms.IKey {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(CONSTRUCT_ID);
    return (existing instanceof LogEncryptionKey ? existing : new LogEncryptionKey(stack, CONSTRUCT_ID)).key;
  }

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `${Stack.of(this).stackName}: encrypts the bridge's CloudWatch log groups`,
      enableKeyRotation: true,
      // The default (RETAIN) is kept on purpose: logs written under a deleted key can never be read again.
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsOfThisAccountAndRegion',
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': logGroupArnPattern() },
        },
      }),
    );
  }
}

/** `arn:<partition>:logs:<region>:<account>:log-group:*`: the log groups of this account and Region. */
export function logGroupArnPattern(): string {
  return `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`;
}
