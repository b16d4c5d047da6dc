import type { FastifyRequest } from 'fastify';
import { notFound } from '../api-errors.ts';
import type { AttachmentLinks } from '../attachment-links.ts';
import type { TokenIssuer } from '../auth.ts';
import type { GreenhouseOperations } from '../operations.ts';
import type { Query } from '../pagination.ts';
import { LIST_RESOURCES, type ListResource, type ProjectionContext } from '../resources.ts';
import type { GreenhouseState } from '../state.ts';
import type { ApiContract } from '../api-contract.ts';

/** What the route modules share. */
export interface SimSettings {
  /** Overrides the origin of `Link` next URLs (to test that a client refuses a foreign host). */
  linkOrigin: string | undefined;
  /** The ASSUMED API contract in force (api-contract.ts). */
  apiContract: ApiContract;
}

export interface RouteDeps {
  readonly state: GreenhouseState;
  readonly operations: GreenhouseOperations;
  readonly links: AttachmentLinks;
  readonly issuer: TokenIssuer;
  readonly settings: SimSettings;
}

export function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

export function projectionContext(deps: RouteDeps, request: FastifyRequest): ProjectionContext {
  return { state: deps.state, origin: originOf(request), links: deps.links, contract: deps.settings.apiContract };
}

/** Query values as strings; a repeated parameter becomes a comma list. */
export function flatQuery(request: FastifyRequest): Query {
  const out: Query = {};
  for (const [key, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    out[key] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return out;
}

export function pathId(request: FastifyRequest): number {
  const raw = (request.params as { id?: string }).id ?? '';
  const id = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(id)) throw notFound();
  return id;
}

/** A record as the list endpoint of its resource shows it (writes answer with the same shape). */
export function present(deps: RouteDeps, request: FastifyRequest, resourceName: string, record: unknown): unknown {
  const resource = (LIST_RESOURCES as readonly ListResource[]).find((r) => r.name === resourceName);
  if (!resource) throw new Error(`no list resource ${resourceName}`);
  return resource.project(record as never, projectionContext(deps, request));
}
