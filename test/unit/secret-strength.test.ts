import { describe, expect, it } from 'vitest';
import { MIN_PUSH_KEY_LENGTH, MIN_WEBHOOK_SECRET_LENGTH, secretWeakness } from '#core/secret-strength';
import { LOCAL_BEAMERY_PUSH_API_KEY, LOCAL_WEBHOOK_SECRET } from '#local/defaults';

describe('secretWeakness', () => {
  it('accepts a random value at the minimum length', () => {
    expect(secretWeakness('k7PqX2vR9mWc4tYb8nZs1LdH6fJg3AeQ', MIN_WEBHOOK_SECRET_LENGTH)).toBeUndefined();
    expect(MIN_WEBHOOK_SECRET_LENGTH).toBe(32);
    expect(MIN_PUSH_KEY_LENGTH).toBe(32);
  });

  it('refuses a value one character short', () => {
    expect(secretWeakness('k7PqX2vR9mWc4tYb8nZs1LdH6fJg3Ae', 32)).toBe('shorter than 32 characters');
  });

  it('refuses empty, whitespace, one repeated character and the local defaults at any length', () => {
    expect(secretWeakness('', 32)).toBe('empty or only whitespace');
    expect(secretWeakness(' \t\n ', 32)).toBe('empty or only whitespace');
    expect(secretWeakness('a'.repeat(64), 32)).toBe('one character repeated');
    expect(secretWeakness(LOCAL_WEBHOOK_SECRET, 1)).toBe('a known default or placeholder');
    expect(secretWeakness(` ${LOCAL_BEAMERY_PUSH_API_KEY.toUpperCase()} `, 1)).toBe('a known default or placeholder');
  });

  it('never repeats the value in its reason', () => {
    for (const value of ['short-secret', 'x'.repeat(40), 'changeme']) expect(secretWeakness(value, 32)).not.toContain(value);
  });
});
