import type { FastifyInstance } from 'fastify';
import { parseBody } from '../api-errors.ts';
import { tokenOf, type ScopeConfig } from '../auth.ts';
import { appliedTagCreate, candidateTagCreate, noteCreate } from '../write-schemas.ts';
import { pathId, present, type RouteDeps } from './context.ts';

const scope = (name: string): { config: ScopeConfig } => ({ config: { scope: `harvest:${name}` } });

/**
 * Notes and tags (reference §4.6, §4.8). A note without `user_id` is attributed to the token's
 * `sub` (the acting user in v3 [H]). The note answer shows the read spelling of visibility
 * (`publicly_visible`); one client expects the write spelling back [L] — clients should accept both.
 */
export function registerNoteAndTagRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.post('/v3/notes', scope('notes:create'), async (request, reply) => {
    const note = deps.operations.createNote(parseBody(noteCreate, request.body), tokenOf(request)?.sub ?? null);
    return reply.code(201).send(present(deps, request, 'notes', note));
  });

  app.post('/v3/candidate_tags', scope('candidate_tags:create'), async (request, reply) => {
    const tag = deps.operations.createTag(parseBody(candidateTagCreate, request.body).name);
    return reply.code(201).send(present(deps, request, 'candidate_tags', tag));
  });

  app.post('/v3/applied_candidate_tags', scope('applied_candidate_tags:create'), async (request, reply) => {
    const { candidate_id, candidate_tag_id } = parseBody(appliedTagCreate, request.body);
    const row = deps.operations.applyTag(candidate_id, candidate_tag_id);
    return reply.code(201).send(present(deps, request, 'applied_candidate_tags', row));
  });

  app.delete('/v3/applied_candidate_tags/:id', scope('applied_candidate_tags:destroy'), async (request, reply) => {
    deps.operations.removeAppliedTag(pathId(request));
    return reply.code(204).send();
  });
}
