import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseStackConfig } from '#lib/config';
import { FUNCTION_ENVIRONMENTS, functionEnvironment, type BridgeFunctionId, type SecretRef } from '#lib/function-environments';

/**
 * Each entry file reads its configuration and resolves its queues, tables and secrets when its module
 * is evaluated (a cold start), so importing it with exactly the variables its map gives shows whether
 * the map lists all it needs: a missing one throws "configuration: <VARIABLE> is not set".
 */
// The sync consumers read the identity key at cold start, after their configuration: Secrets Manager
// is out of reach here, so it answers with a key of valid length. The ARN check stays the adapter's.
vi.mock('@aws-lambda-powertools/parameters/secrets', () => ({ getSecret: async () => 'k'.repeat(32) }));

const config = parseStackConfig({ sync: { greenhouseActingUserId: 42 } });
const SECRET_ARNS: Record<SecretRef, string> = {
  'greenhouse-webhook': 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:webhook',
  'greenhouse-harvest': 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:harvest',
  beamery: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:beamery',
  'identity-hash-key': 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:identity',
  'beamery-push-key': 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:push',
};

function environmentOf(id: BridgeFunctionId): Record<string, string> {
  return functionEnvironment(id, config, {
    queueUrl: (queue, deadLetter) => `https://sqs.eu-west-1.amazonaws.com/111111111111/${queue}${deadLetter ? '-dlq' : ''}.fifo`,
    tableName: (table) => `bridge-${table}`,
    secretArns: SECRET_ARNS,
  });
}

const saved = { ...process.env };

async function coldStart(id: BridgeFunctionId, environment: Record<string, string>): Promise<void> {
  for (const key of Object.keys(process.env)) delete process.env[key];
  // What Lambda itself sets for every function, outside the bridge's configuration.
  Object.assign(process.env, { AWS_REGION: 'eu-west-1', AWS_LAMBDA_FUNCTION_NAME: id }, environment);
  vi.resetModules();
  await import(`../../../${FUNCTION_ENVIRONMENTS[id].entry}`);
}

describe('function environments', () => {
  beforeEach(() => vi.resetModules());
  afterEach(() => {
    for (const key of Object.keys(process.env)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  const ids = Object.keys(FUNCTION_ENVIRONMENTS) as BridgeFunctionId[];

  it.each(ids)('%s starts with only the variables its map lists', async (id) => {
    await expect(coldStart(id, environmentOf(id))).resolves.toBeUndefined();
  });

  it.each(ids)('%s fails its cold start without its queue and table variables (the check above is not vacuous)', async (id) => {
    const spec = FUNCTION_ENVIRONMENTS[id];
    const withoutResources = Object.fromEntries(Object.entries(environmentOf(id)).filter(([name]) => !/_(QUEUE|DLQ)_URL$|_TABLE(_NAME)?$/.test(name)));
    if (spec.queues.length + spec.deadLetters.length + spec.tables.length === 0) return;
    await expect(coldStart(id, withoutResources)).rejects.toThrow(/is not set/);
  });

  it('gives a function only the secrets it reads', () => {
    expect(Object.keys(environmentOf('beamery-push')).filter((name) => name.endsWith('_SECRET_ARN'))).toEqual(['BEAMERY_PUSH_API_KEY_SECRET_ARN']);
    expect(() => functionEnvironment('beamery-push', config, { queueUrl: () => 'u', tableName: () => 't', secretArns: {} })).toThrow('beamery-push reads the beamery-push-key secret');
  });
});
