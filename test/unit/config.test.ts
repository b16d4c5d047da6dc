import { describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_CAP_BYTES, readConfig } from '#lambdas/config';
import { DEFAULT_MAX_FAILURES } from '#core/queue/redelivery';

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

  it('reads the live share of the rate budgets, 0.3 by default and at most 0.9', () => {
    expect(readConfig({}).rateBudget.liveShare).toBe(0.3);
    expect(readConfig({ RATE_BUDGET_LIVE_SHARE: '0.5' }).rateBudget.liveShare).toBe(0.5);
    expect(() => readConfig({ RATE_BUDGET_LIVE_SHARE: '1' })).toThrow(/liveShare/);
  });

  it('takes plain credentials and webhook secrets from the environment only on the local stack', () => {
    const plain = { GREENHOUSE_CLIENT_ID: 'id', GREENHOUSE_CLIENT_SECRET: 'secret', GREENHOUSE_WEBHOOK_SECRET: 'w' };
    expect(readConfig(plain).greenhouse.localCredentials).toBeUndefined();
    expect(readConfig(plain).webhook.secretValue).toBeUndefined();
    const local = readConfig({ ...plain, BRIDGE_RUNTIME: 'local' });
    expect(local.greenhouse.localCredentials).toEqual({ clientId: 'id', clientSecret: 'secret' });
    expect(local.webhook.secretValue).toBe('w');
  });

  it('refuses a payload cap a kept body could not travel with, and reads the consumers\' failure count', () => {
    expect(() => readConfig({ WEBHOOK_PAYLOAD_CAP_BYTES: String(MAX_PAYLOAD_CAP_BYTES + 1) })).toThrow(/payloadCapBytes/);
    expect(readConfig({}).queues.maxFailures).toBe(DEFAULT_MAX_FAILURES);
    expect(readConfig({ MAX_MESSAGE_FAILURES: '8' }).queues.maxFailures).toBe(8);
    expect(() => readConfig({ MAX_MESSAGE_FAILURES: '0' })).toThrow(/maxFailures/);
    // The short visibility timeout of the local stack's tests never reaches a deployed consumer.
    expect(readConfig({ LOCAL_QUEUE_VISIBILITY_SECONDS: '2' }).queues.visibilityTimeoutSeconds).toBeUndefined();
    expect(readConfig({ BRIDGE_RUNTIME: 'local', LOCAL_QUEUE_VISIBILITY_SECONDS: '2' }).queues.visibilityTimeoutSeconds).toBe(2);
  });

  it('rejects a Beamery region it does not know', () => {
    expect(() => readConfig({ BEAMERY_REGION: 'apac' })).toThrow(/region/);
  });
});
