/** The name of what was thrown, for logs and audit details: never the message, which may carry personal data. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown';
}
