import { describe, expect, it } from 'vitest';
import { acceptedPushKeys, generatePushKey, parsePushKeySecret, pushKeySecretWeakness, rotatedPushKeySecret } from '#core/push/push-key-secret';
import { judgePushRequest } from '#core/push/push-request';
import { MIN_PUSH_KEY_LENGTH } from '#core/secret-strength';

const OLD = 'old-key-0123456789abcdefghijklmnopqrstuv';
const NOW = new Date('2026-12-04T12:00:00.000Z');

describe('push key secret', () => {
  it('reads the plain string the stack generates as the current key, and the rotated JSON', () => {
    expect(parsePushKeySecret(OLD)).toEqual({ current: OLD });
    const rotated = { current: 'new', previous: OLD, previousValidUntil: '2026-12-05T12:00:00.000Z' };
    expect(parsePushKeySecret(JSON.stringify(rotated))).toEqual(rotated);
    expect(parsePushKeySecret('{"current":')).toEqual({ invalid: 'not valid JSON' });
    expect(parsePushKeySecret('{"previous":"x"}')).toEqual({ invalid: 'no "current" key' });
    expect(parsePushKeySecret('{"current":"a","previous":"b","previousValidUntil":"soon"}')).toHaveProperty('invalid');
  });

  it('judges the strength of the current key, whatever the form', () => {
    expect(pushKeySecretWeakness(OLD)).toBeUndefined();
    expect(pushKeySecretWeakness('short')).toBe(`the current key is shorter than ${MIN_PUSH_KEY_LENGTH} characters`);
    expect(pushKeySecretWeakness(JSON.stringify({ current: 'local-beamery-push-api-key' }))).toBe('the current key is a known default or placeholder');
    expect(pushKeySecretWeakness('{oops')).toBe('not valid JSON');
  });

  it('generates distinct 256-bit base64url keys that pass the strength check', () => {
    const keys = new Set(Array.from({ length: 50 }, generatePushKey));
    expect(keys.size).toBe(50);
    for (const key of keys) {
      expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(key, 'base64url')).toHaveLength(32);
      expect(pushKeySecretWeakness(key)).toBeUndefined();
    }
  });

  it('keeps the key current until now valid for the grace period, from either stored form', () => {
    expect(rotatedPushKeySecret(OLD, 'new-key', NOW, 24)).toEqual({ current: 'new-key', previous: OLD, previousValidUntil: '2026-12-05T12:00:00.000Z' });
    const twice = rotatedPushKeySecret(JSON.stringify(rotatedPushKeySecret(OLD, 'second', NOW, 24)), 'third', NOW, 2);
    expect(twice).toEqual({ current: 'third', previous: 'second', previousValidUntil: '2026-12-04T14:00:00.000Z' });
    expect(rotatedPushKeySecret(OLD, 'new-key', NOW, 0)).toEqual({ current: 'new-key' });
    expect(rotatedPushKeySecret(undefined, 'new-key', NOW, 24)).toEqual({ current: 'new-key' });
    expect(rotatedPushKeySecret('{broken', 'new-key', NOW, 24)).toEqual({ current: 'new-key' });
  });

  it('accepts the current key always, the previous one only before its expiry', () => {
    const secret = rotatedPushKeySecret(OLD, 'new-key-0123456789abcdefghijklmnopqrstuv', NOW, 24);
    const judge = (presented: string, at: Date) => {
      const keys = acceptedPushKeys(secret, at);
      return judgePushRequest({ header: (name) => (name === 'x-api-key' ? presented : undefined), body: Buffer.from('{"contactId":"c1"}'), expectedKey: keys.current, previousKey: keys.previous }).outcome;
    };
    const during = new Date('2026-12-05T11:59:59.999Z');
    const after = new Date('2026-12-05T12:00:00.000Z');
    expect(judge(secret.current, during)).toBe('accepted');
    expect(judge(OLD, during)).toBe('accepted');
    expect(judge('someone-else', during)).toBe('unauthorized');
    expect(judge(secret.current, after)).toBe('accepted');
    expect(judge(OLD, after)).toBe('unauthorized');
  });
});
