import { unprocessable } from './api-errors.ts';

/**
 * v3 cursor pagination (reference §2):
 * - results ordered by id descending, no sort parameter [M];
 * - `per_page` 1–500, default 100 [H]; over 500 → 422 with `{"per_page": "`600` number is greater than: 500"}` [M];
 * - the next page is only in `Link: <url>; rel="next"` [H]; the URL carries a `cursor` alone;
 * - the cursor is opaque URL-safe base64 that embeds the original filters [H];
 * - a request with `cursor` and any other query parameter → 422 with the exact message below [H].
 * The cursor's inner format (JSON of the filters and the last id served) is the simulator's own.
 */
export const DEFAULT_PER_PAGE = 100;
export const MAX_PER_PAGE = 500;
export const CURSOR_WITH_PARAMS_MESSAGE = 'When passing a cursor, do not include other query params.';

export type Query = Record<string, string>;

interface CursorContent {
  /** The first request's query, per_page included. */
  readonly q: Query;
  /** Next page holds ids below this one. */
  readonly below: number;
}

export function encodeCursor(content: CursorContent): string {
  return Buffer.from(JSON.stringify(content), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CursorContent {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorContent;
    if (typeof parsed.below !== 'number' || typeof parsed.q !== 'object' || parsed.q === null) throw new Error('shape');
    return parsed;
  } catch {
    // Airbyte lists "an expired cursor" among 422 causes [L]; an unreadable one is treated alike.
    throw unprocessable(['Invalid cursor.']);
  }
}

/** Where this request starts: the first page's filters, or the ones a cursor carries. */
export function resolvePageRequest(query: Query): { filters: Query; below: number } {
  if (query['cursor'] !== undefined) {
    if (Object.keys(query).length > 1) throw unprocessable([CURSOR_WITH_PARAMS_MESSAGE]);
    const { q, below } = decodeCursor(query['cursor']);
    return { filters: q, below };
  }
  return { filters: query, below: Number.POSITIVE_INFINITY };
}

export function perPageOf(filters: Query): number {
  const raw = filters['per_page'];
  if (raw === undefined) return DEFAULT_PER_PAGE;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw unprocessable([{ per_page: `\`${raw}\` is not an integer` }]);
  if (n > MAX_PER_PAGE) throw unprocessable([{ per_page: `\`${raw}\` number is greater than: ${MAX_PER_PAGE}` }]);
  if (n < 1) throw unprocessable([{ per_page: `\`${raw}\` number is less than: 1` }]);
  return n;
}

export interface Page<R> {
  readonly items: R[];
  /** Cursor for the next page, if any. */
  readonly nextCursor?: string;
}

export function paginate<R extends { id: number }>(matching: R[], filters: Query, below: number): Page<R> {
  const perPage = perPageOf(filters);
  const sorted = matching.filter((r) => r.id < below).sort((a, b) => b.id - a.id);
  const items = sorted.slice(0, perPage);
  const last = items.at(-1);
  if (sorted.length <= perPage || last === undefined) return { items };
  return { items, nextCursor: encodeCursor({ q: filters, below: last.id }) };
}

export function nextLink(origin: string, path: string, cursor: string): string {
  return `<${origin}${path}?cursor=${cursor}>; rel="next"`;
}
