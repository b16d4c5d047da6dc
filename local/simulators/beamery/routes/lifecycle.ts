import type { FastifyInstance } from 'fastify';
import { parseInput, requireCapability, type SimContext } from '../context.ts';
import { mergeSchema } from '../model.ts';
import { renderContact, renderOne } from '../render.ts';

/**
 * Merge and anonymize. Both are product features (S10, S11) with no public API: the paths, bodies
 * and the `mergedIn`/`mergedWith` bookkeeping written here are ASSUMED, and each can be switched off.
 */
export function registerLifecycleRoutes(app: FastifyInstance, context: SimContext): void {
  const wire = () => context.settings.current.wire;

  app.post('/v1/contacts/merge', async (request) => {
    requireCapability(context, 'merge');
    const { primaryId, secondaryId } = parseInput(mergeSchema, request.body);
    return renderOne('contact', renderContact(context.state.mergeContacts(primaryId, secondaryId), context.settings.current), wire());
  });

  app.post<{ Params: { id: string } }>('/v1/contact/:id/anonymize', async (request) => {
    requireCapability(context, 'anonymize');
    return renderOne('contact', renderContact(context.state.anonymizeContact(request.params.id), context.settings.current), wire());
  });
}
