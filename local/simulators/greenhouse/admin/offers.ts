import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { ADMIN_PREFIX } from '../../shared/faults.ts';
import { parseBody } from '../api-errors.ts';
import { pathId, present, type RouteDeps } from '../routes/context.ts';
import { approvalChain } from '../scenario.ts';

/**
 * Admin offers: a recruiter makes or changes an offer (with its approval chain), the approvers give
 * the final approval, someone deletes a version. Each fires the web hooks Greenhouse fires for it
 * (offer-operations.ts). The answer shows the offer as `GET /v3/offers` does, with its approval flow.
 */
const A = ADMIN_PREFIX;
const id = z.number().int().positive();
const day = z.iso.date();
const customFields = z.record(z.string(), z.unknown());
const offerCreate = z.object({
  application_id: id,
  starts_on: day.nullable().optional(),
  sent_on: day.nullable().optional(),
  opening_id: id.nullable().optional(),
  user_id: id.nullable().optional(),
  notes: z.string().nullable().optional(),
  custom_fields: customFields.optional(),
  approval: approvalChain.optional(),
});
const offerChange = z.object({
  starts_on: day.nullable().optional(),
  sent_on: day.nullable().optional(),
  opening_id: id.nullable().optional(),
  notes: z.string().nullable().optional(),
  custom_fields: customFields.optional(),
  status: z.enum(['Accepted', 'Rejected']).optional(),
});

export function registerAdminOfferRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const offers = deps.operations.offers;
  const show = (request: Parameters<typeof present>[1], offerId: number) => {
    const flow = offers.flowOf(offerId);
    return {
      offer: present(deps, request, 'offers', offers.offer(offerId)),
      approval_flow: flow ? present(deps, request, 'approval_flows', flow) : null,
    };
  };

  app.post(`${A}/offers`, async (request, reply) => reply.code(201).send(show(request, offers.createOffer(parseBody(offerCreate, request.body)).id)));
  app.patch(`${A}/offers/:id`, async (request) => show(request, offers.updateOffer(pathId(request), parseBody(offerChange, request.body)).id));
  // A recruiter clicks "Request approvals" (the v3 route does the same as the token's acting user).
  app.post(`${A}/approval_flows/:id/request_approvals`, async (request) => {
    const { user_id } = parseBody(z.object({ user_id: id.optional() }), request.body ?? {});
    return present(deps, request, 'approval_flows', offers.requestApprovals(pathId(request), user_id ?? null));
  });
  app.post(`${A}/offers/:id/approve`, async (request) => show(request, offers.approveOffer(pathId(request)).id));
  app.delete(`${A}/offers/:id`, async (request, reply) => {
    offers.deleteOffer(pathId(request));
    return reply.code(204).send();
  });
}
