import { Readable } from 'node:stream';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { ENV, readConfig } from '#lambdas/config';
import { UsageError, missingCliSettings, readStackEnvironment, requireCliSettings } from '../../../bin/cli-settings.ts';

/**
 * bin/cli-settings.ts: which settings a command lacks (all named at once), and `--stack <name>` read
 * through the real CloudFormation client, its HTTP answered in the Query protocol's XML.
 */
function cloudformation(status: number, xml: string): CloudFormationClient {
  return new CloudFormationClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: { handle: async () => ({ response: { statusCode: status, headers: { 'content-type': 'text/xml' }, body: Readable.from([Buffer.from(xml)]) } }) } as never,
  });
}

const describeStacks = (outputs: Record<string, string>) => `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <DescribeStacksResult><Stacks><member>
    <StackName>AcmeBridge</StackName><StackStatus>UPDATE_COMPLETE</StackStatus><CreationTime>2026-11-01T00:00:00Z</CreationTime>
    <Outputs>${Object.entries(outputs)
      .map(([key, value]) => `<member><OutputKey>${key}</OutputKey><OutputValue>${value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')}</OutputValue></member>`)
      .join('')}</Outputs>
  </member></Stacks></DescribeStacksResult>
  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
</DescribeStacksResponse>`;

describe('--stack <name>', () => {
  it('maps the outputs to the environment lambdas/config.ts reads, with the region it asked and the AWS runtime', async () => {
    const env = await readStackEnvironment(
      'AcmeBridge',
      cloudformation(
        200,
        describeStacks({
          GreenhouseChangesQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/greenhouse-changes.fifo',
          LedgerTableName: 'AcmeBridge-Ledger',
          GreenhouseHarvestCredentialsArn: 'arn:aws:secretsmanager:eu-west-1:1:secret:harvest',
          BridgeCliSettings: JSON.stringify({ BRIDGE_TENANT: 'AcmeBridge', BEAMERY_REGION: 'eu' }),
          WebhookUrl: 'https://example.execute-api.eu-west-1.amazonaws.com/prod/greenhouse/webhook',
        }),
      ),
    );
    expect(env).toEqual({
      GREENHOUSE_CHANGES_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/greenhouse-changes.fifo',
      LEDGER_TABLE: 'AcmeBridge-Ledger',
      [ENV.greenhouseCredentialsArn]: 'arn:aws:secretsmanager:eu-west-1:1:secret:harvest',
      BRIDGE_TENANT: 'AcmeBridge',
      BEAMERY_REGION: 'eu',
      [ENV.runtime]: 'aws',
      AWS_REGION: 'eu-west-1',
    });
    expect(missingCliSettings(readConfig(env), [{ queue: 'greenhouse-changes' }, { table: 'ledger' }, 'greenhouse'], env)).toEqual([]);
  });

  it('a stack that does not exist is a usage error naming it', async () => {
    const error = `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id Nope does not exist</Message></Error><RequestId>r-2</RequestId></ErrorResponse>`;
    await expect(readStackEnvironment('Nope', cloudformation(400, error))).rejects.toThrow(new UsageError('no stack named "Nope" in this account and region'));
  });
});

describe('missing settings', () => {
  it('on AWS: the secret ARNs, the resources and a Beamery region, each with the stack output that sets it', () => {
    const config = readConfig({});
    expect(missingCliSettings(config, [{ queue: 'beamery-changes', deadLetter: true }, { table: 'audit' }, 'greenhouse', 'beamery'], {})).toEqual([
      'AUDIT_TABLE (stack output AuditTableName)',
      'BEAMERY_CHANGES_DLQ_URL (stack output BeameryChangesDlqUrl)',
      'BEAMERY_CREDENTIALS_SECRET_ARN (stack output BeameryCredentialsArn)',
      'BEAMERY_REGION or BEAMERY_BASE_URL',
      'GREENHOUSE_CREDENTIALS_SECRET_ARN (stack output GreenhouseHarvestCredentialsArn)',
      'LEDGER_TABLE (stack output LedgerTableName)',
    ]);
  });

  it('requireCliSettings throws one UsageError (exit 2) naming them all, and passes when nothing is missing', () => {
    expect(() => requireCliSettings(readConfig({}), [{ table: 'audit' }, { queue: 'ai-tasks' }], {})).toThrow(
      /^missing configuration \(nothing was called or written\): AI_TASKS_QUEUE_URL \(stack output AiTasksQueueUrl\), AUDIT_TABLE \(stack output AuditTableName\)\. /,
    );
    const env = { AUDIT_TABLE: 'Audit' };
    expect(() => requireCliSettings(readConfig(env), [{ table: 'audit' }], env)).not.toThrow();
  });
});
