import type { FastifyInstance } from 'fastify';
import { tokenOf, type ScopeConfig } from '../auth.ts';
import { pathId, present, type RouteDeps } from './context.ts';

const config: ScopeConfig = { scope: 'harvest:approval_flows:request_approvals' };

/**
 * `POST /v3/approval_flows/{id}/request_approvals` (official path [H]): asks the flow's approvers, as
 * the token's acting user. Its reply body is ASSUMED (`requestApprovalsReply`: the flow, or 204).
 */
export function registerApprovalRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.post('/v3/approval_flows/:id/request_approvals', { config }, async (request, reply) => {
    const flow = deps.operations.offers.requestApprovals(pathId(request), tokenOf(request)?.sub ?? null);
    if (deps.settings.apiContract.requestApprovalsReply === 'no-content') return reply.code(204).send();
    return present(deps, request, 'approval_flows', flow);
  });
}
