import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { page, pageQuery, parseInput, type SimContext } from '../context.ts';
import { renderPage } from '../render.ts';

/** `GET /users`: the path is MED (S1 uses it as its URL example); the response shape is ASSUMED. */
export function registerUserRoutes(app: FastifyInstance, context: SimContext): void {
  app.get('/v1/users', async (request) => {
    const q = parseInput(z.strictObject(pageQuery), request.query);
    const users = [...context.state.users.values()].sort((a, b) => a.id.localeCompare(b.id));
    const { slice, ...info } = page(users, q.limit, q.offset);
    return renderPage('users', slice, info, context.settings.current.wire);
  });
}
