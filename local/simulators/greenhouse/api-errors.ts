import type * as z from 'zod';

/**
 * Harvest v3 error bodies: `{"message": "...", "errors": [ "string" | {"field": "msg"} ]}` [M]
 * (reference §4.1). Route handlers throw these; the server's error handler writes them.
 */
export type ErrorEntry = string | Record<string, string>;

export class GreenhouseApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { message: string; errors?: ErrorEntry[] } & Record<string, unknown>,
  ) {
    super(body.message);
  }
}

export const unprocessable = (errors: ErrorEntry[]) =>
  new GreenhouseApiError(422, { message: 'Unprocessable Content', errors });

export const notFound = () => new GreenhouseApiError(404, { message: 'Resource not found' });

/** Scope check failure. The body shape is assumed: v3 answers 403 [M]; naming the scope helps operators. */
export const missingScope = (scope: string) =>
  new GreenhouseApiError(403, {
    message: 'Forbidden',
    errors: [`Missing required scope: ${scope}`],
    missing_scopes: [scope],
  });

/** Zod issues as v3 field errors: `{"first_name": "is required"}`. */
export function fromZod(error: z.ZodError): GreenhouseApiError {
  return unprocessable(
    error.issues.map((issue) => ({ [issue.path.join('.') || 'body']: issue.message })),
  );
}

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw fromZod(result.error);
  return result.data;
}
