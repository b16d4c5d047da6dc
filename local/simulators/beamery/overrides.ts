import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { ADMIN_PREFIX } from '../shared/faults.ts';
import { errorBody } from './sim-error.ts';

/**
 * Scripted answers for one route, for the cases random faults cannot stage: a 403, a body of an
 * unexpected shape, or the ambiguous failure that matters most for writes, where Beamery did the
 * write and the answer was lost (`when: 'after'`: the handler runs, then its answer is replaced).
 * Set through `sim.overrides.add(...)` or `POST /_admin/overrides`.
 */
export const overrideSchema = z.strictObject({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).optional(),
  /** A route pattern (`/v1/contact/:id`) or an exact path (`/v1/contact/abc`). */
  path: z.string().startsWith('/'),
  when: z.enum(['before', 'after']).default('before'),
  status: z.number().int().min(100).max(599),
  /** Defaults to the error body `{code, message}` for the status. */
  body: z.unknown().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** How many matching requests to answer this way. */
  times: z.number().int().min(1).default(1),
});
export type Override = z.input<typeof overrideSchema>;
type ActiveOverride = z.output<typeof overrideSchema>;

export class Overrides {
  private active: ActiveOverride[] = [];

  add(override: Override): void {
    this.active.push(overrideSchema.parse(override));
  }

  clear(): void {
    this.active = [];
  }

  get pending(): readonly ActiveOverride[] {
    return this.active;
  }

  private take(when: 'before' | 'after', method: string, path: string, route: string | undefined): ActiveOverride | undefined {
    const index = this.active.findIndex((o) => o.when === when && (!o.method || o.method === method) && (o.path === path || o.path === route));
    if (index < 0) return undefined;
    const found = this.active[index]!;
    found.times--;
    if (found.times <= 0) this.active.splice(index, 1);
    return found;
  }

  /** Registers the hooks (call after auth, so scripted answers only reach authenticated requests) and the admin routes. */
  install(app: FastifyInstance): void {
    const payloadOf = (o: ActiveOverride) => (o.body === undefined ? errorBody(o.status, 'scripted answer') : o.body);
    app.addHook('onRequest', async (request, reply) => {
      if (request.url.startsWith(ADMIN_PREFIX)) return;
      const found = this.take('before', request.method, request.url.split('?')[0]!, request.routeOptions.url);
      if (found) return reply.code(found.status).headers(found.headers ?? {}).send(payloadOf(found));
    });
    app.addHook('onSend', async (request, reply, payload) => {
      if (request.url.startsWith(ADMIN_PREFIX)) return payload;
      const found = this.take('after', request.method, request.url.split('?')[0]!, request.routeOptions.url);
      if (!found) return payload;
      reply.code(found.status).headers({ 'content-type': 'application/json; charset=utf-8', ...found.headers });
      return JSON.stringify(payloadOf(found));
    });
    app.get(`${ADMIN_PREFIX}/overrides`, async () => this.active);
    app.post(`${ADMIN_PREFIX}/overrides`, async (request, reply) => {
      this.add(request.body as Override);
      return reply.code(201).send(this.active);
    });
    app.delete(`${ADMIN_PREFIX}/overrides`, async (_request, reply) => {
      this.clear();
      return reply.code(204).send();
    });
  }
}
