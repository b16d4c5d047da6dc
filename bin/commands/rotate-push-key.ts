import { randomUUID } from 'node:crypto';
import { GetSecretValueCommand, PutSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Option, type Command } from 'commander';
import { generatePushKey, rotatedPushKeySecret } from '#core/push/push-key-secret';
import { ENV, readConfig } from '#lambdas/config';
import { UsageError } from '../cli-settings.ts';

/**
 * `bridge rotate-push-key [--grace-hours 24]`: a new API key for `POST /beamery/push`, written as the
 * secret's new AWSCURRENT version, with the key it replaces still accepted for the grace period so
 * Beamery's button and recipes can be updated without a gap (lambdas/core/push/push-key-secret.ts).
 * The new key is never printed: the operator reads it from Secrets Manager to paste it into Beamery.
 */
export const DEFAULT_GRACE_HOURS = 24;
/** A previous key valid for longer than a month is a second key nobody remembers. */
const MAX_GRACE_HOURS = 24 * 30;
/** The push Lambda re-reads the secret at most this often (lambdas/adapters/secrets/string-secrets.ts). */
const SECRET_CACHE_MINUTES = 5;

/** The part of the Secrets Manager client the rotation uses, so tests can give it a recording double. */
export type SecretsSend = Pick<SecretsManagerClient, 'send'>;

export interface RotationResult {
  readonly secretArn: string;
  readonly versionId: string | undefined;
  /** ISO; absent when no previous key stays valid. */
  readonly previousValidUntil: string | undefined;
  readonly effectiveWithinMinutes: number;
}

export async function rotatePushKey(client: SecretsSend, secretArn: string, graceHours: number, now: Date, newKey = generatePushKey()): Promise<RotationResult> {
  let stored: string | undefined;
  try {
    stored = (await client.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString;
  } catch (error) {
    // A secret with no value yet has nothing to keep valid; any other failure stops before writing.
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const secret = rotatedPushKeySecret(stored, newKey, now, graceHours);
  const put = await client.send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: JSON.stringify(secret), ClientRequestToken: randomUUID() }));
  return { secretArn, versionId: put.VersionId, previousValidUntil: secret.previousValidUntil, effectiveWithinMinutes: SECRET_CACHE_MINUTES };
}

export function formatRotation(result: RotationResult): string {
  return [
    `rotated the push API key (version ${result.versionId ?? 'unknown'}); the push Lambda uses it within ${result.effectiveWithinMinutes} minutes`,
    result.previousValidUntil ? `the previous key stays valid until ${result.previousValidUntil}: update Beamery before then` : 'the previous key is no longer valid',
    `read the new key: aws secretsmanager get-secret-value --secret-id ${result.secretArn} --query SecretString --output text | jq -r .current`,
  ].join('\n');
}

function graceHoursOption(value: string): number {
  const hours = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || hours > MAX_GRACE_HOURS) throw new UsageError(`--grace-hours must be a number of hours from 0 to ${MAX_GRACE_HOURS}`);
  return hours;
}

export function registerRotatePushKeyCommand(cli: Command): void {
  cli
    .command('rotate-push-key')
    .summary('new push API key; the old one valid for a grace period')
    .description('write a new API key of POST /beamery/push to Secrets Manager; the previous key stays valid for the grace period')
    .addOption(new Option('--grace-hours <hours>', 'how long the previous key stays valid').argParser(graceHoursOption).default(DEFAULT_GRACE_HOURS))
    .option('--json', 'print the result as one JSON object')
    // Refused while parsing, before the program's --local hook looks for a running stack.
    .on('option:local', () => {
      throw new UsageError(`rotate-push-key writes Secrets Manager; the local stack's key is ${ENV.beameryPushKeyValue}, read when npm start begins: set it and restart the stack`);
    })
    .action(async (options: { graceHours: number; json?: boolean }) => {
      const secretArn = readConfig().beameryPushKey.secretArn;
      if (!secretArn) throw new UsageError(`missing configuration (nothing was written): ${ENV.beameryPushKeyArn}. Set it, or run with --stack <name>`);
      const result = await rotatePushKey(new SecretsManagerClient({}), secretArn, options.graceHours, new Date());
      process.stdout.write(`${options.json ? JSON.stringify(result) : formatRotation(result)}\n`);
    });
}
