import type { FastifyInstance } from 'fastify';
import { notFound, parseBody } from '../api-errors.ts';
import { tokenOf, type ScopeConfig } from '../auth.ts';
import { jobNoteCreate, jobPostPatch } from '../write-schemas.ts';
import { pathId, present, type RouteDeps } from './context.ts';

const scope = (name: string): { config: ScopeConfig } => ({ config: { scope: `harvest:${name}` } });

/**
 * Writes on a job's own records: a private job note, and the content of a job post that is not live.
 * Whether the tenant serves them is an ASSUMED switch each (api-contract.ts `jobNotes`, `jobPostWrites`).
 */
export function registerJobWriteRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.post('/v3/job_notes', scope('job_notes:create'), async (request, reply) => {
    if (deps.settings.apiContract.jobNotes === 'absent') throw notFound();
    const note = deps.operations.createJobNote(parseBody(jobNoteCreate, request.body), tokenOf(request)?.sub ?? null);
    return reply.code(201).send(present(deps, request, 'job_notes', note));
  });

  app.patch('/v3/job_posts/:id', scope('job_posts:update'), async (request) => {
    if (deps.settings.apiContract.jobPostWrites === 'read-only') throw notFound();
    const post = deps.operations.patchJobPost(pathId(request), parseBody(jobPostPatch, request.body));
    return present(deps, request, 'job_posts', post);
  });
}
