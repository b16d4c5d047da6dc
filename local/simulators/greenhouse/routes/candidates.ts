import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseBody } from '../api-errors.ts';
import type { ScopeConfig } from '../auth.ts';
import { anonymizeRequest, candidateCreate, candidatePatch, mergeRequest } from '../write-schemas.ts';
import type { CandidateRecord } from '../records.ts';
import { pathId, present, type RouteDeps } from './context.ts';

const scope = (action: string): { config: ScopeConfig } => ({ config: { scope: `harvest:candidates:${action}` } });

/**
 * Candidate writes (reference §4.2). Creates answer 201 with the object, PATCH 200 [M]. What the
 * merge and anonymize calls answer is not documented: the ASSUMED switch `lifecycleReply` chooses.
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

  app.post('/v3/candidates/:id/merge', scope('merge'), async (request, reply) => {
    const id = pathId(request);
    deps.operations.candidate(id);
    const { duplicate_candidate_id } = parseBody(mergeRequest, request.body);
    return lifecycleReply(deps, request, reply, deps.operations.mergeCandidates(id, duplicate_candidate_id), 'Candidates merged.');
  });

  app.patch('/v3/candidates/:id/anonymize', scope('anonymize'), async (request, reply) => {
    const id = pathId(request);
    deps.operations.candidate(id);
    const { fields } = parseBody(anonymizeRequest, request.body);
    return lifecycleReply(deps, request, reply, deps.operations.anonymizeCandidate(id, fields), 'Candidate anonymized.');
  });
}

/** ASSUMED lifecycleReply (api-contract.ts): what a merge or anonymize answers once done. */
function lifecycleReply(deps: RouteDeps, request: FastifyRequest, reply: FastifyReply, candidate: CandidateRecord, message: string) {
  switch (deps.settings.apiContract.lifecycleReply) {
    case 'candidate':
      return reply.code(200).send(present(deps, request, 'candidates', candidate));
    case 'no-content':
      return reply.code(204).send();
    case 'message':
      return reply.code(200).send({ message });
  }
}
