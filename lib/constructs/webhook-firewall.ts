import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { LogEncryptionKey } from './log-encryption.ts';

export interface WebhookFirewallProps {
  readonly stage: apigateway.Stage;
  readonly rateLimitPerFiveMinutes: number;
  /** The webhook payload cap (config webhookPayloadCapBytes): a declared body above it is blocked. */
  readonly payloadCapBytes: number;
  readonly metricPrefix: string;
  /** The WAF log group's name after `aws-waf-logs-`, the prefix WAF requires of a CloudWatch Logs destination. */
  readonly logGroupSuffix: string;
  readonly logRetention: logs.RetentionDays;
}

/** WAF requires this prefix on a CloudWatch Logs log group it logs to. */
export const WAF_LOG_GROUP_PREFIX = 'aws-waf-logs-';

// The common rule set's body-size rule matches any body over 8 KB (a fixed limit, whatever WAF's
// inspection limit), and Greenhouse payloads for candidates with many applications are far larger. A
// blocked delivery is retried and then dropped by Greenhouse, so the rule only counts, and the
// request-size rule below enforces the real cap.
const COMMON_RULES_COUNTED = ['SizeRestrictions_BODY'] as const;

/**
 * An AWS WAF web ACL in front of the API stage (the webhook and the push route): known-bad source
 * IPs, a per-IP rate limit, AWS's common rule set (its 8 KB body rule counted only) and a request-size
 * rule on the declared Content-Length, logged to a KMS-encrypted log group.
 */
export class WebhookFirewall extends Construct {
  readonly webAcl: wafv2.CfnWebACL;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WebhookFirewallProps) {
    super(scope, id);
    const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: `${props.metricPrefix}${name}`,
      sampledRequestsEnabled: true,
    });

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('WebhookWebAcl'),
      rules: [
        {
          name: 'AmazonIpReputationList',
          priority: 0,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesAmazonIpReputationList' } },
          visibilityConfig: visibility('IpReputation'),
        },
        {
          name: 'PerSourceIpRateLimit',
          priority: 1,
          action: { block: {} },
          statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: props.rateLimitPerFiveMinutes } },
          visibilityConfig: visibility('RateLimit'),
        },
        {
          // WAF sees only the first 16 KB of a body on API Gateway, so the size is judged from the declared Content-Length;
          // a body sent without one (chunked) is left to API Gateway's 10 MB limit and the ingest Lambda's cap.
          name: 'DeclaredBodyOverPayloadCap',
          priority: 2,
          action: { block: {} },
          statement: {
            regexMatchStatement: {
              fieldToMatch: { singleHeader: { Name: 'content-length' } },
              regexString: greaterThanPattern(props.payloadCapBytes),
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
          visibilityConfig: visibility('RequestSize'),
        },
        {
          name: 'AwsCommonRuleSet',
          priority: 3,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name: 'AWSManagedRulesCommonRuleSet',
              ruleActionOverrides: COMMON_RULES_COUNTED.map((name) => ({ name, actionToUse: { count: {} } })),
            },
          },
          visibilityConfig: visibility('CommonRuleSet'),
        },
      ],
    });

    new wafv2.CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `${WAF_LOG_GROUP_PREFIX}${props.logGroupSuffix}`,
      retention: props.logRetention,
      encryptionKey: LogEncryptionKey.of(this),
    });
    // WAF wants the log group's ARN without the `:*` that `logGroupArn` carries.
    const logGroupArn = Arn.format(
      { service: 'logs', resource: 'log-group', resourceName: this.logGroup.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME },
      Stack.of(this),
    );
    new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [logGroupArn],
    });
  }
}

/** A regex matching a whole decimal number (no leading zeros) greater than `limit`. */
export function greaterThanPattern(limit: number): string {
  const digits = String(limit);
  const longer = `[1-9][0-9]{${digits.length},}`;
  const sameLength = [...digits].flatMap((digit, i) =>
    digit === '9' ? [] : [`${digits.slice(0, i)}[${Number(digit) + 1}-9][0-9]{${digits.length - i - 1}}`],
  );
  return `^(${[longer, ...sameLength].join('|')})$`;
}
