import type { FastifyInstance } from 'fastify';
import { parseBody } from '../api-errors.ts';
import type { ScopeConfig } from '../auth.ts';
import { applicationPatch, hireRequest, moveRequest, rejectRequest } from '../write-schemas.ts';
import { pathId, present, type RouteDeps } from './context.ts';

const scope = (action: string): { config: ScopeConfig } => ({ config: { scope: `harvest:applications:${action}` } });

/**
 * Application writes (reference §4.3). move/reject/hire answer 204 [M]. The bridge must never call
 * them (AI output is advice, never a stage move, rejection or hire): they exist so tests can prove
 * it by the admin API's request counts.
 */
export function registerApplicationRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.patch('/v3/applications/:id', scope('update'), async (request) => {
    const application = deps.operations.updateApplication(pathId(request), parseBody(applicationPatch, request.body));
    return present(deps, request, 'applications', application);
  });

  app.post('/v3/applications/:id/move', scope('move'), async (request, reply) => {
    const id = pathId(request);
    deps.operations.application(id);
    deps.operations.moveApplication(id, parseBody(moveRequest, request.body));
    return reply.code(204).send();
  });

  app.post('/v3/applications/:id/reject', scope('reject'), async (request, reply) => {
    const id = pathId(request);
    deps.operations.application(id);
    deps.operations.rejectApplication(id, parseBody(rejectRequest, request.body));
    return reply.code(204).send();
  });

  app.post('/v3/applications/:id/hire', scope('hire'), async (request, reply) => {
    const id = pathId(request);
    deps.operations.application(id);
    deps.operations.hireApplication(id, parseBody(hireRequest, request.body));
    return reply.code(204).send();
  });
}
