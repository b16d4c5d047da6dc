/** The name of what was thrown, for logs and audit details: never the message, which may carry personal data. */
export function errorName(error: unknown): string {
  // zod/mini names its parse error `$ZodError` (its core class); operators know it as ZodError.
  return error instanceof Error ? error.name.replace(/^\$/, '') : 'unknown';
}
