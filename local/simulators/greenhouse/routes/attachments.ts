import type { FastifyInstance } from 'fastify';
import { parseBody } from '../api-errors.ts';
import { ATTACHMENT_PATH_PREFIX } from '../attachment-links.ts';
import { hasValidBearer, type ScopeConfig } from '../auth.ts';
import { attachmentCreate } from '../write-schemas.ts';
import { pathId, present, type RouteDeps } from './context.ts';

const config: ScopeConfig = { scope: 'harvest:attachments:create' };

/**
 * `POST /v3/attachments` (base64 `content` or a `url` to fetch) [H], and the signed download links
 * the attachment `url`s point at: no Authorization header (unless ASSUMED attachmentAuth is `bearer`),
 * 403 once expired (as S3 answers).
 */
export function registerAttachmentRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.post('/v3/attachments', { config }, async (request, reply) => {
    const attachment = await deps.operations.createAttachment(parseBody(attachmentCreate, request.body));
    return reply.code(201).send(present(deps, request, 'attachments', attachment));
  });

  app.get(`${ATTACHMENT_PATH_PREFIX}/:id/:filename`, async (request, reply) => {
    // ASSUMED attachmentAuth `bearer` (api-contract.ts): the link is Greenhouse's own and wants the token.
    if (deps.settings.apiContract.attachmentAuth === 'bearer' && !hasValidBearer(deps.issuer, request)) {
      return reply.code(401).send({ message: 'Unauthorized', errors: ['Token could not be decoded. Please check the Authorization header.'] });
    }
    const id = pathId(request);
    const { Expires, Signature } = request.query as { Expires?: string; Signature?: string };
    const verdict = deps.links.check(id, Expires, Signature);
    const attachment = deps.state.get('attachments', id);
    if (verdict !== 'ok' || !attachment) {
      const code = verdict === 'expired' ? 'Request has expired' : 'Access Denied';
      return reply.code(403).type('application/xml').send(`<Error><Code>AccessDenied</Code><Message>${code}</Message></Error>`);
    }
    return reply
      .type(attachment.content_type)
      .header('Content-Disposition', `attachment; filename="${encodeURIComponent(attachment.filename)}"`)
      .send(Buffer.from(attachment.sim_content_base64, 'base64'));
  });
}
