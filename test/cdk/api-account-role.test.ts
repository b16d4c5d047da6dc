import { describe, expect, it } from 'vitest';
import { synthBridge } from './support.ts';

describe("API Gateway's account-wide CloudWatch role", () => {
  it('is left alone by default: no AWS::ApiGateway::Account and no role, while the stage still writes access and error logs', () => {
    const { template } = synthBridge();
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
    const roles = Object.values(template.findResources('AWS::IAM::Role'));
    expect(JSON.stringify(roles)).not.toContain('apigateway.amazonaws.com');
    const [stage] = Object.values(template.findResources('AWS::ApiGateway::Stage'));
    expect(stage!.Properties.AccessLogSetting.DestinationArn).toBeDefined();
    expect(stage!.Properties.MethodSettings).toEqual([expect.objectContaining({ LoggingLevel: 'ERROR' })]);
  });

  it('is created and set with api.manageAccountRole, the role trusted by API Gateway with its documented managed policy', () => {
    const { template } = synthBridge({ bridge: { api: { manageAccountRole: true } } });
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'apigateway.amazonaws.com' } }] } },
    });
    const [[roleId, role]] = Object.entries(roles) as [[string, { Properties: { ManagedPolicyArns: unknown[] } }]];
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain('AmazonAPIGatewayPushToCloudWatchLogs');
    const [account] = Object.values(template.findResources('AWS::ApiGateway::Account'));
    expect(account!.Properties.CloudWatchRoleArn).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
  });
});
