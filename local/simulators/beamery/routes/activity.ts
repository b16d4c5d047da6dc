import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { page, pageQuery, parseInput, requireCapability, timeFilter, timeOp, type SimContext } from '../context.ts';
import { ATTACHMENT_MAX_BYTES, attachmentWriteSchema, membershipWriteSchema, noteWriteSchema, type StoredMembership } from '../model.ts';
import { renderOne, renderPage } from '../render.ts';
import { SimError } from '../sim-error.ts';

/**
 * Vacancy membership and stage, notes and attachments. No public source documents any of these
 * endpoints (reference §2.1): every path and body here is ASSUMED, and each sits behind a capability
 * switch so a tenant without it can be simulated (404, as for an unknown route).
 */

type IdParams = { Params: { id: string } };

const BASE64_BODY_LIMIT = Math.ceil((ATTACHMENT_MAX_BYTES * 4) / 3) + 64 * 1024;

export function registerActivityRoutes(app: FastifyInstance, context: SimContext): void {
  const wire = () => context.settings.current.wire;
  const renderMembership = (m: StoredMembership) => {
    const stage = context.state.stageOf(m);
    return {
      contactId: m.contactId,
      vacancyId: m.vacancyId,
      stage: stage ? { id: stage.id, name: stage.name } : null,
      ...(m.rejectionReason !== undefined ? { rejectionReason: m.rejectionReason } : {}),
      addedAt: m.addedAt,
      updatedAt: m.updatedAt,
    };
  };

  // --- vacancy membership and stage ---
  app.put<{ Params: { id: string; vacancyId: string } }>('/v1/contact/:id/vacancies/:vacancyId', async (request) => {
    requireCapability(context, 'vacancyStages');
    const { stage, rejectionReason } = parseInput(membershipWriteSchema, request.body);
    return renderOne('membership', renderMembership(context.state.setMembership(request.params.id, request.params.vacancyId, stage, true, rejectionReason)), wire());
  });

  app.delete<{ Params: { id: string; vacancyId: string } }>('/v1/contact/:id/vacancies/:vacancyId', async (request, reply) => {
    requireCapability(context, 'vacancyStages');
    context.state.removeMembership(request.params.id, request.params.vacancyId);
    return reply.code(204).send();
  });

  app.get<IdParams>('/v1/contact/:id/vacancies', async (request) => {
    requireCapability(context, 'vacancyStages');
    const q = parseInput(z.strictObject(pageQuery), request.query);
    const { slice, ...info } = page(context.state.membershipsOf(request.params.id), q.limit, q.offset);
    return renderPage('vacancies', slice.map(renderMembership), info, wire());
  });

  // --- notes ---
  app.post<IdParams>('/v1/contact/:id/notes', async (request, reply) => {
    requireCapability(context, 'notes');
    const note = parseInput(noteWriteSchema, request.body);
    const stored = context.state.addNote(request.params.id, note, context.settings.current.behaviour.notesBumpContact);
    return reply.code(201).send(renderOne('note', stored, wire()));
  });

  app.get<IdParams>('/v1/contact/:id/notes', async (request) => {
    requireCapability(context, 'notes');
    const q = parseInput(z.strictObject({ ...pageQuery, created_at: z.string().optional(), created_at_op: timeOp.default('gte') }), request.query);
    const notes = context.state.notesOf(request.params.id, timeFilter(q.created_at, q.created_at_op, 'created_at'));
    const { slice, ...info } = page(notes, q.limit, q.offset);
    return renderPage('notes', slice, info, wire());
  });

  // --- attachments: base64 in JSON (multipart is the other plausible shape; not simulated) ---
  app.post<IdParams>('/v1/contact/:id/attachments', { bodyLimit: BASE64_BODY_LIMIT }, async (request, reply) => {
    requireCapability(context, 'attachments');
    const body = parseInput(attachmentWriteSchema, request.body);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body.content)) throw new SimError(400, 'content is not base64');
    const bytes = Buffer.from(body.content, 'base64');
    const stored = context.state.addAttachment(request.params.id, { fileName: body.fileName, contentType: body.contentType, bytes });
    const { sha256: _internal, ...shown } = stored;
    return reply.code(201).send(renderOne('attachment', shown, wire()));
  });

  app.get<IdParams>('/v1/contact/:id/attachments', async (request) => {
    requireCapability(context, 'attachments');
    const q = parseInput(z.strictObject(pageQuery), request.query);
    const { slice, ...info } = page(context.state.attachmentsOf(request.params.id).map(({ sha256: _internal, ...shown }) => shown), q.limit, q.offset);
    return renderPage('attachments', slice, info, wire());
  });
}
