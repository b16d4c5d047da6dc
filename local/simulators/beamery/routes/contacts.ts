import type { FastifyInstance, FastifyRequest } from 'fastify';
import * as z from 'zod';
import { page, pageQuery, parseInput, timeFilter, timeOp, type SimContext } from '../context.ts';
import { contactWriteSchema, type ContactWriteBody } from '../model.ts';
import { renderContact, renderOne, renderPage } from '../render.ts';
import { SimError } from '../sim-error.ts';
import type { SimulatorSettings } from '../settings.ts';

/**
 * Contacts. `GET /contacts` with its filters and `POST /contact`, `PATCH /contact/{id}` (singular)
 * are MED (S4 code, S2 pagination); `GET /contact/{id}` is ASSUMED (inferred from the singular paths; switch
 * `paths.contactRead`).
 */

const listQuery = z.strictObject({
  ...pageQuery,
  email: z.string().min(1).optional(),
  updated_at: z.string().optional(),
  updated_at_op: timeOp.default('gte'),
  created_at: z.string().optional(),
  created_at_op: timeOp.default('gte'),
  // S4 sorts on createdAt; updatedAt is assumed to be accepted too (reference §7 q3).
  sort_field: z.enum(['createdAt', 'updatedAt', 'createdTime', 'updatedTime']).default('createdAt'),
  sort_order: z.enum(['asc', 'desc']).default('asc'),
});

export function registerContactRoutes(app: FastifyInstance, context: SimContext): void {
  const wire = () => context.settings.current.wire;

  app.get('/v1/contacts', async (request) => {
    const q = parseInput(listQuery, request.query);
    const found = context.state.queryContacts(
      {
        email: q.email,
        updatedAt: timeFilter(q.updated_at, q.updated_at_op, 'updated_at'),
        createdAt: timeFilter(q.created_at, q.created_at_op, 'created_at'),
        sortField: q.sort_field.startsWith('updated') ? 'updatedAt' : 'createdAt',
        sortOrder: q.sort_order,
      },
      context.settings.current.behaviour,
    );
    const { slice, ...info } = page(found, q.limit, q.offset);
    return renderPage('contacts', slice.map((c) => renderContact(c, context.settings.current)), info, wire());
  });

  // Both spellings are routed; only the configured one answers (paths.contactRead), the other 404s.
  const readContact = (path: SimulatorSettings['paths']['contactRead']) => async (request: FastifyRequest<{ Params: { id: string } }>) => {
    if (context.settings.current.paths.contactRead !== path) throw new SimError(404, 'Not Found');
    const contact = context.state.requireContact(request.params.id);
    const { behaviour } = context.settings.current;
    if (contact.mergedIn && behaviour.mergedRead === 'not-found') throw new SimError(404, 'Not Found');
    if (contact.anonymized && behaviour.anonymizedRead === 'not-found') throw new SimError(404, 'Not Found');
    return renderOne('contact', renderContact(contact, context.settings.current), wire());
  };
  app.get<{ Params: { id: string } }>('/v1/contact/:id', readContact('/contact/{id}'));
  app.get<{ Params: { id: string } }>('/v1/contacts/:id', readContact('/contacts/{id}'));

  app.post('/v1/contact', async (request, reply) => {
    const body = acceptedFields(parseInput(contactWriteSchema, request.body), context.settings.current);
    if (body.id !== undefined) throw new SimError(400, 'id must not be set on create');
    const contact = context.state.createContact(body);
    return reply.code(201).send(renderOne('contact', renderContact(contact, context.settings.current), wire()));
  });

  app.patch<{ Params: { id: string } }>('/v1/contact/:id', async (request) => {
    const body = acceptedFields(parseInput(contactWriteSchema, request.body), context.settings.current);
    const contact = context.state.patchContact(request.params.id, body, context.settings.current.patchArrays);
    return renderOne('contact', renderContact(contact, context.settings.current), wire());
  });
}

/** `fields.greenhouseId: 'ignored'`: an API client's `integrations` is dropped without an error, as a read-only field would be. */
function acceptedFields(input: ContactWriteBody, settings: SimulatorSettings): ContactWriteBody {
  const body = profileTagsAsStored(input, settings);
  if (settings.fields.greenhouseId === 'integrations' || body.integrations === undefined) return body;
  const { integrations: _ignored, ...accepted } = body;
  return accepted;
}

/** Profile tags under the name `fields.profileTags` gives them, stored as `tags`; the other name is an unknown field. */
function profileTagsAsStored(body: ContactWriteBody, settings: SimulatorSettings): ContactWriteBody {
  const { tags, profileTags, ...rest } = body;
  const [accepted, refused] = settings.fields.profileTags === 'tags' ? [tags, profileTags] : [profileTags, tags];
  if (refused !== undefined) throw new SimError(400, `unknown field: ${settings.fields.profileTags === 'tags' ? 'profileTags' : 'tags'}`);
  return accepted === undefined ? rest : { ...rest, tags: accepted };
}
