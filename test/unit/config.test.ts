import { describe, expect, it } from 'vitest';
import { readConfig } from '#lambdas/config';

describe('Lambda configuration from the environment', () => {
  it('defaults to the real Greenhouse hosts and the default tenant', () => {
    const config = readConfig({});
    expect(config.greenhouse).toMatchObject({ apiBaseUrl: 'https://harvest.greenhouse.io', tokenUrl: 'https://auth.greenhouse.io/token' });
    expect(config.tenant).toBe('default');
  });

  it('reads the rate-limit margins, within 0 to 0.5', () => {
    const config = readConfig({ GREENHOUSE_RATE_LIMIT_MARGIN: '0.2', BEAMERY_RATE_LIMIT_MARGIN: '0' });
    expect(config.greenhouse.rateLimitMargin).toBe(0.2);
    expect(config.beamery.rateLimitMargin).toBe(0);
    expect(() => readConfig({ GREENHOUSE_RATE_LIMIT_MARGIN: '0.9' })).toThrow(/rateLimitMargin/);
  });

  it('takes plain credentials and webhook secrets from the environment only on the local stack', () => {
    const plain = { GREENHOUSE_CLIENT_ID: 'id', GREENHOUSE_CLIENT_SECRET: 'secret', GREENHOUSE_WEBHOOK_SECRET: 'w' };
    expect(readConfig(plain).greenhouse.localCredentials).toBeUndefined();
    expect(readConfig(plain).webhook.secretValue).toBeUndefined();
    const local = readConfig({ ...plain, BRIDGE_RUNTIME: 'local' });
    expect(local.greenhouse.localCredentials).toEqual({ clientId: 'id', clientSecret: 'secret' });
    expect(local.webhook.secretValue).toBe('w');
  });

  it('rejects a Beamery region it does not know', () => {
    expect(() => readConfig({ BEAMERY_REGION: 'apac' })).toThrow(/region/);
  });
});
