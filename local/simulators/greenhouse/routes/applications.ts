import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { parseBody, unprocessable } from '../api-errors.ts';
import type { ScopeConfig } from '../auth.ts';
import { applicationPatch, hireRequest, moveRequest, nestedApplication, rejectRequest } from '../write-schemas.ts';
import { pathId, present, type RouteDeps } from './context.ts';

const scope = (action: string): { config: ScopeConfig } => ({ config: { scope: `harvest:applications:${action}` } });

/**
 * Application writes (reference §4.3). move/reject/hire answer 204 [M]. The bridge must never call
 * them (AI output is advice, never a stage move, rejection or hire): they exist so tests can prove
 * it by the admin API's request counts.
 */
export function registerApplicationRoutes(app: FastifyInstance, deps: RouteDeps): void {
  // Either arm of the oneOf, with the candidate named in the body [M]. A second application of one
  // candidate on one job is refused (ASSUMED: Greenhouse's UI refuses it; the API's answer is unpublished).
  app.post('/v3/applications', scope('create'), async (request, reply) => {
    const { candidate_id, ...rest } = parseBody(z.looseObject({ candidate_id: z.number().int().positive() }), request.body);
    const input = parseBody(nestedApplication, rest);
    if ('job_id' in input && deps.state.all('applications').some((a) => a.candidate_id === candidate_id && a.job_id === input.job_id)) {
      throw unprocessable([{ job_id: 'the candidate already has an application on this job' }]);
    }
    return reply.code(201).send(present(deps, request, 'applications', deps.operations.createApplication(candidate_id, input)));
  });

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
