import * as z from 'zod';
import type { Clock } from '#core/clock';
import type { RequestLog } from './request-log.ts';
import type { Capability, SettingsHolder } from './settings.ts';
import { SimError } from './sim-error.ts';
import type { BeameryState, TimeOp } from './state.ts';
import type { TokenIssuer } from './tokens.ts';

/** What every route of the simulator works with. */
export interface SimContext {
  readonly state: BeameryState;
  readonly clock: Clock;
  readonly settings: SettingsHolder;
  readonly tokens: TokenIssuer;
  readonly requests: RequestLog;
}

/** Parses a body or query, answering 400 `{code, message}` with zod's account of what is wrong. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw new SimError(400, describeIssues(parsed.error));
  return parsed.data;
}

/** Field paths and rules only; zod's messages do not quote the rejected values. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}

/** A tenant without the feature answers exactly as for a route that does not exist. */
export function requireCapability(context: SimContext, capability: Capability): void {
  if (!context.settings.current.capabilities[capability]) throw new SimError(404, 'Not Found');
}

/** Offset paging (S2 `/pagination`): `limit` default 50, max 100; `offset` default 0. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100, 'limit must be at most 100').default(50),
  offset: z.coerce.number().int().min(0).default(0),
};

export const timeOp = z.enum(['gte', 'gt', 'lte', 'lt']);

export function timeFilter(iso: string | undefined, op: TimeOp, name: string): { op: TimeOp; at: number } | undefined {
  if (iso === undefined) return undefined;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) throw new SimError(400, `${name} is not an ISO-8601 timestamp`);
  return { op, at };
}

export function page<T>(items: readonly T[], limit: number, offset: number): { slice: T[]; total: number; limit: number; offset: number } {
  return { slice: items.slice(offset, offset + limit), total: items.length, limit, offset };
}
