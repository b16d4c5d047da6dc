import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { ENV, type BridgeConfig } from '#lambdas/config';

export type SecretReader = () => Promise<string>;

/**
 * Re-read at most every five minutes, so a rotated webhook secret takes effect without a redeploy
 * while a burst of deliveries costs one Secrets Manager call.
 */
const SECRET_CACHE_SECONDS = 300;

export function webhookSecretReader(config: BridgeConfig): SecretReader {
  const { secretArn, secretValue } = config.webhook;
  if (secretArn) {
    return async () => {
      const value = await getSecret(secretArn, { maxAge: SECRET_CACHE_SECONDS });
      if (typeof value !== 'string' || value === '') {
        throw new Error('the Greenhouse webhook secret has no string value; set it as described in docs/configuration.md');
      }
      return value;
    };
  }
  if (config.runtime === 'local' && secretValue) return async () => secretValue;
  throw new Error(`configuration: ${ENV.webhookSecretArn} is not set`);
}
