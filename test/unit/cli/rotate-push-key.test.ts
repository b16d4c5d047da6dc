import { GetSecretValueCommand, PutSecretValueCommand, ResourceNotFoundException } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatRotation, rotatePushKey, type SecretsSend } from '../../../bin/commands/rotate-push-key.ts';
import { program } from '../../../bin/bridge.ts';
import { UsageError } from '../../../bin/cli-settings.ts';
import { parsePushKeySecret } from '#core/push/push-key-secret';
import { ENV } from '#lambdas/config';

/**
 * `bridge rotate-push-key`: the read-then-write against Secrets Manager, with the client's `send`
 * replaced by a recorder (there is no Secrets Manager emulator in the project). What is written is
 * judged by the same parser the push Lambda uses; the key's strength and the grace period are tested
 * in test/unit/push/push-key-secret.test.ts.
 */
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:BeameryPushApiKey-AbCdEf';
const OLD = 'generated-by-secrets-manager-0123456789abcdefghijklmnopqrstuvwxyz0123';
const NOW = new Date('2026-12-04T12:00:00.000Z');

function recorder(stored: string | Error) {
  const sent: unknown[] = [];
  const client: SecretsSend = {
    send: (async (command: unknown) => {
      sent.push(command);
      if (command instanceof GetSecretValueCommand) {
        if (stored instanceof Error) throw stored;
        return { SecretString: stored };
      }
      return { VersionId: 'v2' };
    }) as SecretsSend['send'],
  };
  return { client, sent };
}

const written = (sent: unknown[]) => {
  const put = sent.find((c): c is PutSecretValueCommand => c instanceof PutSecretValueCommand)!;
  expect(put.input.SecretId).toBe(ARN);
  expect(put.input.ClientRequestToken).toMatch(/^[0-9a-f-]{36}$/);
  return parsePushKeySecret(put.input.SecretString!);
};

describe('rotatePushKey', () => {
  it('writes a new strong current key and keeps the plain-string key it replaces valid for the grace period', async () => {
    const { client, sent } = recorder(OLD);
    const result = await rotatePushKey(client, ARN, 24, NOW);
    expect(sent.map((c) => c!.constructor.name)).toEqual(['GetSecretValueCommand', 'PutSecretValueCommand']);
    const secret = written(sent);
    expect(secret).toEqual({ current: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), previous: OLD, previousValidUntil: '2026-12-05T12:00:00.000Z' });
    expect(result).toEqual({ secretArn: ARN, versionId: 'v2', previousValidUntil: '2026-12-05T12:00:00.000Z', effectiveWithinMinutes: 5 });
    expect(formatRotation(result)).not.toContain((secret as { current: string }).current);
  });

  it('a second rotation keeps only the key current until then', async () => {
    const { client, sent } = recorder(JSON.stringify({ current: 'second-key', previous: OLD, previousValidUntil: '2026-12-05T00:00:00.000Z' }));
    await rotatePushKey(client, ARN, 0, NOW, 'third-key');
    expect(written(sent)).toEqual({ current: 'third-key' });
  });

  it('writes a first key when the secret has no value yet, and stops before writing on any other read failure', async () => {
    const missing = recorder(new ResourceNotFoundException({ message: 'no value', $metadata: {} }));
    await rotatePushKey(missing.client, ARN, 24, NOW, 'first-key');
    expect(written(missing.sent)).toEqual({ current: 'first-key' });
    const denied = recorder(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(rotatePushKey(denied.client, ARN, 24, NOW)).rejects.toThrow('denied');
    expect(denied.sent).toHaveLength(1);
  });
});

describe('bridge rotate-push-key', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('refuses --local with a usage error saying how the local key is set', async () => {
    await expect(program().parseAsync(['node', 'bridge', 'rotate-push-key', '--local'])).rejects.toThrow(UsageError);
    await expect(program().parseAsync(['node', 'bridge', 'rotate-push-key', '--local'])).rejects.toThrow(ENV.beameryPushKeyValue);
  });

  it('refuses a grace period that is not 0 to 720 hours, and a missing secret ARN, before calling anything', async () => {
    for (const hours of ['-1', 'a day', '721']) {
      await expect(program().parseAsync(['node', 'bridge', 'rotate-push-key', '--grace-hours', hours])).rejects.toThrow(/--grace-hours must be/);
    }
    vi.stubEnv(ENV.beameryPushKeyArn, '');
    await expect(program().parseAsync(['node', 'bridge', 'rotate-push-key'])).rejects.toThrow(new RegExp(ENV.beameryPushKeyArn));
  });
});
