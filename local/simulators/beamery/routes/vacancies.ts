import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { page, pageQuery, parseInput, timeFilter, timeOp, type SimContext } from '../context.ts';
import { SEED_ONLY_VACANCY_FIELDS, vacancyWriteSchema, type VacancyWriteBody } from '../model.ts';
import { renderOne, renderPage, renderVacancy } from '../render.ts';
import { SimError } from '../sim-error.ts';

/**
 * Vacancies: `GET /vacancies` is LOW (legacy API had it; the v1 path is unconfirmed); the singular
 * `POST /vacancy`, `PATCH /vacancy/{id}`, `GET /vacancy/{id}` are ASSUMED by analogy with contacts (switch `paths.vacancy`: the
 * singular or the plural `/vacancies…` form).
 */

const listQuery = z.strictObject({ ...pageQuery, updated_at: z.string().optional(), updated_at_op: timeOp.default('gte') });

export function registerVacancyRoutes(app: FastifyInstance, context: SimContext): void {
  const wire = () => context.settings.current.wire;
  /** The body, refused as the strict schema refuses any unknown field when the tenant lacks the seed's fields. */
  const vacancyBody = (raw: unknown): VacancyWriteBody => {
    const body = parseInput(vacancyWriteSchema, raw);
    if (context.settings.current.fields.vacancy === 'model-only') {
      const unknown = SEED_ONLY_VACANCY_FIELDS.filter((f) => body[f] !== undefined);
      if (unknown.length > 0) throw new SimError(400, `unrecognized keys: ${unknown.join(', ')}`);
    }
    return body;
  };

  app.get('/v1/vacancies', async (request) => {
    const q = parseInput(listQuery, request.query);
    const { slice, ...info } = page(context.state.queryVacancies(timeFilter(q.updated_at, q.updated_at_op, 'updated_at')), q.limit, q.offset);
    return renderPage('vacancies', slice.map((v) => renderVacancy(v, wire())), info, wire());
  });

  // Both spellings are routed; only the configured one answers (paths.vacancy), the other 404s.
  for (const base of ['/vacancy', '/vacancies'] as const) {
    const served = () => {
      if (context.settings.current.paths.vacancy !== base) throw new SimError(404, 'Not Found');
    };

    app.get<{ Params: { id: string } }>(`/v1${base}/:id`, async (request) => {
      served();
      return renderOne('vacancy', renderVacancy(context.state.requireVacancy(request.params.id), wire()), wire());
    });

    app.post(`/v1${base}`, async (request, reply) => {
      served();
      const { id: _ignored, ...body } = vacancyBody(request.body);
      const vacancy = context.state.createVacancy(body);
      return reply.code(201).send(renderOne('vacancy', renderVacancy(vacancy, wire()), wire()));
    });

    app.patch<{ Params: { id: string } }>(`/v1${base}/:id`, async (request) => {
      served();
      const body = vacancyBody(request.body);
      return renderOne('vacancy', renderVacancy(context.state.patchVacancy(request.params.id, body), wire()), wire());
    });
  }
}
