import { describe, expect, it } from 'vitest';
import { ENV, readConfig } from '#lambdas/config';
import { QUEUES, TABLES } from '#lib/resource-definitions';
import { SETTINGS_OUTPUT, STACK_OUTPUT_VARIABLES } from '#lib/stack-outputs';
import { environmentFromStackOutputs, missingCliSettings } from '../../bin/cli-settings.ts';
import { logicalIdOf, synthBridge } from './support.ts';

/**
 * The outputs `bridge --stack <name>` reads (lib/stack-outputs.ts): one per queue URL, DLQ URL, table
 * name and secret ARN, each the stack's own resource, plus the Lambdas' other settings as one JSON
 * output; mapped back (bin/cli-settings.ts) they configure every command a deployed stack serves.
 */
const { stack, template } = synthBridge({ bridge: { stackName: 'AcmeBridge', beamery: { region: 'eu' } } });
const outputs = template.findOutputs('*') as Record<string, { Value: unknown; Description?: string }>;

/** What CloudFormation would answer for an output: a resource reference becomes a deployed-looking value. */
function deployedValue(output: string, value: unknown): string {
  if (typeof value === 'string') return value;
  const ref = (value as { Ref?: string }).Ref ?? JSON.stringify(value);
  if (output.endsWith('Arn')) return `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${ref}`;
  return output.endsWith('Url') ? `https://sqs.eu-west-1.amazonaws.com/123456789012/${ref}` : ref;
}

describe('stack outputs for the operator CLI', () => {
  it('names the pollers\' DLQ setting by its stack output when it is missing', () => {
    expect(missingCliSettings(readConfig({ [ENV.runtime]: 'aws' }), ['poller-dlq'], {})).toEqual([`${ENV.pollerDlqUrl} (stack output PollerDlqUrl)`]);
  });

  it('declares an output for every queue URL, DLQ URL and table name, each pointing at that resource', () => {
    for (const q of QUEUES) {
      const queue = stack.queues.get(q.id);
      expect(outputs[STACK_OUTPUT_VARIABLES.find((o) => o.env === q.urlEnv)!.output]?.Value).toEqual({ Ref: logicalIdOf(stack, queue.queue.queueUrl) });
      expect(outputs[STACK_OUTPUT_VARIABLES.find((o) => o.env === q.dlqUrlEnv)!.output]?.Value).toEqual({ Ref: logicalIdOf(stack, queue.deadLetterQueue.queueUrl) });
    }
    for (const t of TABLES) {
      expect(outputs[STACK_OUTPUT_VARIABLES.find((o) => o.env === t.nameEnv)!.output]?.Value).toEqual({ Ref: logicalIdOf(stack, stack.tables.table(t.id).tableName) });
    }
    // The poller schedules' DLQ (a standard queue of its own, not one of QUEUES'), for `bridge dlq --queue pollers`.
    expect(outputs[STACK_OUTPUT_VARIABLES.find((o) => o.env === ENV.pollerDlqUrl)!.output]?.Value).toEqual({ Ref: logicalIdOf(stack, stack.polling.deadLetterQueue.queueUrl) });
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['PollerDlqUrl', 'GreenhouseChangesQueueUrl', 'BeameryChangesDlqUrl', 'AiTasksQueueUrl', 'LedgerTableName', 'IdMapTableName']));
    for (const { output } of STACK_OUTPUT_VARIABLES) expect(outputs[output]?.Description).toBeTruthy();
  });

  it('keeps secrets as ARNs and carries the settings the Lambdas read, the tenant above all', () => {
    expect(outputs['GreenhouseHarvestCredentialsArn']?.Value).toEqual({ Ref: logicalIdOf(stack, stack.secrets.secret('greenhouse-harvest').secretArn) });
    const settings = JSON.parse(outputs[SETTINGS_OUTPUT]!.Value as string) as Record<string, string>;
    expect(settings).toMatchObject({ [ENV.tenant]: 'AcmeBridge', [ENV.beameryRegion]: 'eu', [ENV.anonymizationMode]: 'bidirectional' });
    // Nothing secret in the plain output.
    expect(Object.keys(settings).filter((name) => /SECRET|KEY$|PASSWORD/.test(name) && !name.endsWith('_FIELD'))).toEqual([]);
  });

  it('mapped back, the outputs configure backfill, push, audit, doctor and every DLQ command with nothing missing', () => {
    const env = environmentFromStackOutputs(Object.entries(outputs).map(([OutputKey, o]) => ({ OutputKey, OutputValue: deployedValue(OutputKey, o.Value) })));
    const config = readConfig({ ...env, [ENV.runtime]: 'aws' });
    expect(config.tenant).toBe('AcmeBridge');
    expect(config.greenhouse.credentialsSecretArn).toMatch(/^arn:aws:secretsmanager:/);
    expect(Object.keys(config.queueUrls).sort()).toEqual(QUEUES.map((q) => q.id).sort());
    expect(Object.keys(config.deadLetterQueueUrls).sort()).toEqual(QUEUES.map((q) => q.id).sort());
    expect(Object.keys(config.tableNames).sort()).toEqual(TABLES.map((t) => t.id).sort());
    expect(config.pollerDeadLetterQueueUrl).toMatch(/^https:\/\/sqs\./);
    const everything = [...QUEUES.flatMap((q) => [{ queue: q.id }, { queue: q.id, deadLetter: true }]), ...TABLES.map((t) => ({ table: t.id })), 'poller-dlq', 'greenhouse', 'beamery'] as const;
    expect(missingCliSettings(config, everything, env)).toEqual([]);
  });
});
