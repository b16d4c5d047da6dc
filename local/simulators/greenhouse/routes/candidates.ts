import type { FastifyInstance } from 'fastify';
import { parseBody } from '../api-errors.ts';
import type { ScopeConfig } from '../auth.ts';
import { anonymizeRequest, candidateCreate, candidatePatch, mergeRequest } from '../write-schemas.ts';
import { pathId, present, type RouteDeps } from './context.ts';

const scope = (action: string): { config: ScopeConfig } => ({ config: { scope: `harvest:candidates:${action}` } });

/**
 * Candidate writes (reference §4.2). Creates answer 201 with the object, PATCH 200 [M]. What the
 * merge and anonymize calls answer is not documented: 200 with the (primary) candidate, assumed.
 */
export function registerCandidateRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.post('/v3/candidates', scope('create'), async (request, reply) => {
    const { candidate } = deps.operations.createCandidate(parseBody(candidateCreate, request.body));
    return reply.code(201).send(present(deps, request, 'candidates', candidate));
  });

  app.patch('/v3/candidates/:id', scope('update'), async (request) => {
    const candidate = deps.operations.updateCandidate(pathId(request), parseBody(candidatePatch, request.body));
    return present(deps, request, 'candidates', candidate);
  });

  app.post('/v3/candidates/:id/merge', scope('merge'), async (request) => {
    const id = pathId(request);
    deps.operations.candidate(id);
    const { duplicate_candidate_id } = parseBody(mergeRequest, request.body);
    return present(deps, request, 'candidates', deps.operations.mergeCandidates(id, duplicate_candidate_id));
  });

  app.patch('/v3/candidates/:id/anonymize', scope('anonymize'), async (request) => {
    const id = pathId(request);
    deps.operations.candidate(id);
    const { fields } = parseBody(anonymizeRequest, request.body);
    return present(deps, request, 'candidates', deps.operations.anonymizeCandidate(id, fields));
  });
}
