import type { ListQuery, QueryValue } from '#core/ports/greenhouse-api';

/**
 * Building v3 list queries (reference §2):
 * - `ids` and parent-id filters take at most 50 values [H] (gotcha 17): larger sets are split into
 *   batches of 50 and listed one batch after another;
 * - dates are pipe-delimited operator|value pairs, and an incremental read bounds both sides,
 *   `updated_at=gte|A|lte|B`, because results come newest id first and a one-sided window lets
 *   records move between pages during a long crawl [M] (gotcha 2);
 * - `created_at` and `updated_at` should not be combined in one request [M] (gotcha 16).
 */
export const MAX_FILTER_VALUES = 50;
export const MAX_PER_PAGE = 500;


export function chunk<T>(items: readonly T[], size: number = MAX_FILTER_VALUES): T[][] {
  if (size < 1) throw new Error('chunk size must be positive');
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface TimeWindow {
  readonly gte?: Date | string | number;
  readonly gt?: Date | string | number;
  readonly lte?: Date | string | number;
  readonly lt?: Date | string | number;
}

/**
 * `gte|2026-01-01T00:00:00Z|lte|2026-01-02T00:00:00Z`. Timestamps go out with whole seconds
 * (whether v3 parses fractions is not documented), rounded outward: lower bounds down, upper bounds
 * up, so a window never shrinks.
 */
export function pipeWindow(window: TimeWindow): string {
  const parts: string[] = [];
  for (const op of ['gte', 'gt', 'lte', 'lt'] as const) {
    const value = window[op];
    if (value === undefined) continue;
    const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
    if (Number.isNaN(ms)) throw new Error(`invalid ${op} bound`);
    const seconds = op === 'gte' || op === 'gt' ? Math.floor(ms / 1000) : Math.ceil(ms / 1000);
    parts.push(op, new Date(seconds * 1000).toISOString().replace('.000Z', 'Z'));
  }
  if (parts.length === 0) throw new Error('a window needs at least one bound');
  return parts.join('|');
}

/** The two-sided window an incremental sync should use. */
export function between(from: Date | string | number, to: Date | string | number): string {
  return pipeWindow({ gte: from, lte: to });
}

/**
 * The queries to send for one logical listing: arrays over 50 values are split into batches. Only
 * one parameter may exceed 50 (batching two would need their cross product, which no caller needs).
 */
export function batchQueries(query: ListQuery): ListQuery[] {
  const oversized = Object.entries(query).filter(
    (entry): entry is [string, readonly (string | number)[]] => Array.isArray(entry[1]) && entry[1].length > MAX_FILTER_VALUES,
  );
  if (oversized.length > 1) throw new Error(`only one filter may exceed ${MAX_FILTER_VALUES} values; got ${oversized.map(([k]) => k).join(', ')}`);
  const [entry] = oversized;
  if (!entry) return [query];
  const [param, values] = entry;
  return chunk([...new Set(values)]).map((batch) => ({ ...query, [param]: batch }));
}

/** A list URL for the first page. Empty arrays and undefined values are left out. */
export function listUrl(baseUrl: string, resource: string, query: ListQuery): string {
  const url = new URL(`/v3/${resource}`, baseUrl);
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      if (value.length === 0) continue;
      url.searchParams.set(key, value.join(','));
    } else {
      url.searchParams.set(key, String(value));
    }
  }
  return url.toString();
}
