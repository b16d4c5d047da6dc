import type { FastifyInstance } from 'fastify';
import { notFound } from '../api-errors.ts';
import type { ScopeConfig } from '../auth.ts';
import type { Predicate } from '../filters.ts';
import { nextLink, paginate, perPageOf, resolvePageRequest } from '../pagination.ts';
import { CUSTOM_FIELD_KEY_PARAM, LIST_RESOURCES, type ListResource } from '../resources.ts';
import { flatQuery, originOf, projectionContext, type RouteDeps } from './context.ts';

/** `GET /v3/<resource>` for every list resource: a bare JSON array, the next page in `Link` [H]. */
export function registerListRoutes(app: FastifyInstance, deps: RouteDeps): void {
  for (const resource of LIST_RESOURCES as readonly ListResource[]) {
    const path = `/v3/${resource.name}`;
    const config: ScopeConfig = { scope: `harvest:${resource.name}:list`, list: true };
    app.get(path, { config }, async (request, reply) => {
      if (resource.served && !resource.served(deps.settings.apiContract)) throw notFound();
      const { filters, below } = resolvePageRequest(flatQuery(request));
      perPageOf(filters);
      const predicates: Predicate<never>[] = [];
      for (const [param, value] of Object.entries(filters)) {
        const parser = resource.filters[param];
        if (parser) predicates.push(parser(value, param) as Predicate<never>);
      }
      if (resource.name === 'custom_field_options' && filters[CUSTOM_FIELD_KEY_PARAM] !== undefined) {
        const keys = new Set(filters[CUSTOM_FIELD_KEY_PARAM].split(','));
        const fieldIds = new Set(deps.state.all('custom_fields').filter((f) => keys.has(f.name_key)).map((f) => f.id));
        predicates.push(((o: { custom_field_id: number }) => fieldIds.has(o.custom_field_id)) as Predicate<never>);
      }
      const matching = deps.state
        .all(resource.table)
        .filter(
          (record) =>
            (resource.listed?.(record as never) ?? true) &&
            (resource.visible?.(record as never, filters) ?? true) &&
            predicates.every((p) => p(record as never)),
        );
      const page = paginate(matching, filters, below);
      if (page.nextCursor) reply.header('Link', nextLink(deps.settings.linkOrigin ?? originOf(request), path, page.nextCursor));
      const ctx = projectionContext(deps, request);
      return page.items.map((record) => resource.project(record as never, ctx));
    });
  }
}
