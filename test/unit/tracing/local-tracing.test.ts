import { DEFAULT_PROVIDERS } from '@aws-lambda-powertools/parameters/base';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NO_TRACING } from '#adapters/tracing';
import { QUEUES, TABLES } from '#lib/resource-definitions';
import { lambdaRuntime } from '#lambdas/runtime';
import { lambdaEnvironment, LOCAL_TRACING_ENVIRONMENT } from '#local/stack';
import type { LocalQueuePair, LocalResources } from '#local/resources';

/** The local stack's variables for made-up resources: only their names matter here. */
function localStackEnvironment(): Record<string, string> {
  const queue = (name: string) => ({ name, url: `http://127.0.0.1:9/000000000000/${name}`, arn: `arn:aws:sqs:eu-west-1:000000000000:${name}` });
  const resources = {
    queues: Object.fromEntries(QUEUES.map((q) => [q.id, { ...queue(q.id), deadLetter: queue(`${q.id}-dlq`), maxReceiveCount: 3, visibilityTimeoutSeconds: 30 } satisfies LocalQueuePair])),
    tables: Object.fromEntries(TABLES.map((t) => [t.id, t.id])),
  } as LocalResources;
  return lambdaEnvironment({ sqsEndpoint: 'http://127.0.0.1:9', dynamodbEndpoint: 'http://127.0.0.1:9' }, resources, 'local-webhook-secret');
}

function stubEnvironment(variables: Record<string, string>): void {
  for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
}

/**
 * The local stack runs every function in one process with tracing off, even in a shell that looks
 * like Lambda to Powertools (any AWS_EXECUTION_ENV: CloudShell sets one).
 */
describe('tracing on the local stack', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    delete DEFAULT_PROVIDERS['secrets'];
  });

  it('is switched off by the environment the local stack gives its functions', () => {
    expect(localStackEnvironment()).toMatchObject(LOCAL_TRACING_ENVIRONMENT);
    expect(LOCAL_TRACING_ENVIRONMENT).toEqual({ POWERTOOLS_TRACE_ENABLED: 'false' });
  });

  it('leaves every local function untraced, in a shell where Powertools would otherwise trace', () => {
    vi.stubEnv('AWS_EXECUTION_ENV', 'CloudShell');
    stubEnvironment(localStackEnvironment());
    for (const name of ['ingest-webhook', 'greenhouse-changes', 'ai-tasks'] as const) {
      expect(lambdaRuntime(name).tracing).toBe(NO_TRACING);
    }
    // And getSecret keeps its own, untraced client.
    expect(DEFAULT_PROVIDERS['secrets']).toBeUndefined();
  });

  it('would trace in that shell without the local stack’s setting: the setting is what turns it off', () => {
    vi.stubEnv('AWS_EXECUTION_ENV', 'CloudShell');
    vi.stubEnv('POWERTOOLS_TRACE_ENABLED', '');
    expect(lambdaRuntime('ingest-webhook').tracing.enabled).toBe(true);
  });

  it('is off outside Lambda anyway: Powertools traces only where AWS_EXECUTION_ENV is set', () => {
    vi.stubEnv('AWS_EXECUTION_ENV', '');
    vi.stubEnv('POWERTOOLS_TRACE_ENABLED', 'true');
    expect(lambdaRuntime('ingest-webhook').tracing).toBe(NO_TRACING);
  });
});
