import { randomBytes } from 'node:crypto';
import { MIN_PUSH_KEY_LENGTH, secretWeakness } from '#core/secret-strength';

/**
 * The stored value of the push API key's secret. Secrets Manager generates a plain string (the
 * current key); `bridge rotate-push-key` writes JSON `{"current", "previous", "previousValidUntil"}` so
 * callers still sending the old key keep working for a grace period while Beamery is updated.
 */
export interface PushKeySecret {
  readonly current: string;
  readonly previous?: string;
  /** ISO 8601; the previous key is refused from this instant. */
  readonly previousValidUntil?: string;
}

/** The stored value read: a plain string is the current key; a JSON object is a rotated secret. */
export function parsePushKeySecret(stored: string): PushKeySecret | { readonly invalid: string } {
  if (!stored.trimStart().startsWith('{')) return { current: stored };
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return { invalid: 'not valid JSON' };
  }
  const { current, previous, previousValidUntil } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof current !== 'string') return { invalid: 'no "current" key' };
  if (previous === undefined) return { current };
  if (typeof previous !== 'string' || typeof previousValidUntil !== 'string' || Number.isNaN(Date.parse(previousValidUntil))) {
    return { invalid: '"previous" needs a string key and an ISO "previousValidUntil"' };
  }
  return { current, previous, previousValidUntil };
}

/** Why the stored value cannot be used (never repeating it); undefined when the current key is strong. */
export function pushKeySecretWeakness(stored: string): string | undefined {
  const secret = parsePushKeySecret(stored);
  if ('invalid' in secret) return secret.invalid;
  const weakness = secretWeakness(secret.current, MIN_PUSH_KEY_LENGTH);
  return weakness && `the current key is ${weakness}`;
}

/** The keys a caller may present at `now`: the current one, and the previous one until its expiry. */
export function acceptedPushKeys(secret: PushKeySecret, now: Date): { readonly current: string; readonly previous?: string } {
  const previousValid = secret.previous !== undefined && secret.previousValidUntil !== undefined && now.getTime() < Date.parse(secret.previousValidUntil);
  return previousValid ? { current: secret.current, previous: secret.previous } : { current: secret.current };
}

/** A new key: 32 random bytes (256 bits) as 43 base64url characters, safe in a header without quoting. */
export function generatePushKey(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The secret after a rotation: `newKey` is current and the key current until now stays valid for
 * `graceHours` (none when 0, or when the stored value is unusable and so no caller can hold a valid key).
 */
export function rotatedPushKeySecret(stored: string | undefined, newKey: string, now: Date, graceHours: number): PushKeySecret {
  const old = stored === undefined ? undefined : parsePushKeySecret(stored);
  if (graceHours <= 0 || old === undefined || 'invalid' in old || old.current === newKey) return { current: newKey };
  return { current: newKey, previous: old.current, previousValidUntil: new Date(now.getTime() + graceHours * 3_600_000).toISOString() };
}
