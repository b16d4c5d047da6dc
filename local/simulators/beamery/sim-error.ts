/**
 * A refusal the simulated API answers with its error body `{code, message}`. The body shape is LOW
 * evidence (one S4 example: top-level `code` and `message` on a 400), and it is the one shape the
 * simulator uses for every error, 401, 404 and 429 included.
 */
export class SimError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'SimError';
  }
}

export function errorBody(status: number, message: string): { code: number; message: string } {
  return { code: status, message };
}
