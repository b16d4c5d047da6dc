/**
 * The minimum strength of a secret the bridge is given rather than generates, checked each time it is
 * read (lambdas/adapters/secrets/string-secrets.ts), so a weak value is refused and alarmed on instead
 * of silently protecting an endpoint.
 */

/**
 * Greenhouse lets the admin type any string as the web hook's secret key, and it is the HMAC-SHA256 key
 * of every delivery: 32 characters of a random string carry at least the 128 bits an HMAC key needs,
 * and are short enough to paste into Greenhouse's form.
 */
export const MIN_WEBHOOK_SECRET_LENGTH = 32;

/**
 * The push API key is generated (Secrets Manager: 64 characters; `bridge rotate-push-key`: 43
 * base64url characters, 256 bits); 32 refuses a hand-typed short key while accepting both.
 */
export const MIN_PUSH_KEY_LENGTH = 32;

/** Values that are never secret: the local stack's defaults (local/defaults.ts) and common placeholders. */
const KNOWN_PLACEHOLDERS: ReadonlySet<string> = new Set(
  ['local-webhook-secret', 'local-beamery-push-api-key', 'changeme', 'change-me', 'secret', 'password', 'placeholder', 'todo', 'replace-me', 'xxx'].map((value) =>
    value.toLowerCase(),
  ),
);

/**
 * Why `value` is too weak to use as a secret, in words that never repeat it; undefined when it is
 * strong enough. A known placeholder is refused at any length (a padded default is still a default).
 */
export function secretWeakness(value: string, minLength: number): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return 'empty or only whitespace';
  if (KNOWN_PLACEHOLDERS.has(trimmed.toLowerCase())) return 'a known default or placeholder';
  if (new Set(trimmed).size === 1) return 'one character repeated';
  if (value.length < minLength) return `shorter than ${minLength} characters`;
  return undefined;
}
