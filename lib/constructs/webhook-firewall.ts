import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface WebhookFirewallProps {
  readonly stage: apigateway.Stage;
  readonly rateLimitPerFiveMinutes: number;
  readonly metricPrefix: string;
}

/**
 * An optional AWS WAF web ACL in front of the webhook stage: known-bad source IPs and a per-IP rate
 * limit. No body-inspecting rule sets (such as the common rule set's 8 KB body limit): Greenhouse
 * payloads for candidates with many applications are large, and a blocked delivery is retried and then
 * dropped by Greenhouse, so body checks stay in the signed-body handler.
 */
export class WebhookFirewall extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

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
      ],
    });

    new wafv2.CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}
