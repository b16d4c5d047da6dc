import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/**
 * What every simulated AWS JSON service does before its own routes (documented AWS behaviour): a
 * request id on every answer, 403 AccessDeniedException without a SigV4 Authorization header (only
 * its presence is checked: the local stack signs with fixed credentials), and 404
 * UnknownOperationException for a path the service does not have. `fail` builds the service's own
 * error, which its error handler turns into the answer.
 */
export function behaveAsAwsService(app: FastifyInstance, fail: (status: number, type: string, message: string) => Error): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-amzn-requestid', randomUUID());
    if (!request.headers.authorization?.startsWith('AWS4-HMAC-SHA256 ')) throw fail(403, 'AccessDeniedException', 'Missing or malformed SigV4 authorization.');
  });
  app.setNotFoundHandler(() => {
    throw fail(404, 'UnknownOperationException', 'Unknown operation.');
  });
}
