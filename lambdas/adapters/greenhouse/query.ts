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

// Pure, so the core's pollers build the same windows (lambdas/core/greenhouse/time-window.ts).

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
