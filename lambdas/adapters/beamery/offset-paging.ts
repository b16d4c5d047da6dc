import { collect } from '#core/async-iterables';
import type { BeameryPage } from '#core/beamery/records';
import type { BeameryOperationName } from './operations.ts';
import type { BeameryTransport, CallSpec } from './transport.ts';
import { parsePage } from './wire/envelope.ts';

/** The window one page request asks for: Beamery lists page by `offset` and `limit`. */
export interface PageRequest {
  readonly offset: number;
  readonly limit: number;
}

/**
 * Every item of an offset-paged listing, fetched a page at a time and only as far as the caller
 * reads. It stops at the first page with no `nextOffset` (wire/envelope.ts decides that from the
 * page's size and total).
 */
export async function* offsetPaged<T>(pageSize: number, fetchPage: (request: PageRequest) => Promise<BeameryPage<T>>): AsyncGenerator<T> {
  let offset: number | undefined = 0;
  while (offset !== undefined) {
    const page: BeameryPage<T> = await fetchPage({ offset, limit: pageSize });
    yield* page.items;
    offset = page.nextOffset;
  }
}

/**
 * Every item of a listing operation, read to its end: each page is one call with `limit`/`offset`
 * added to the query, parsed from the envelope's `key` list.
 */
export function listAll<T>(
  t: BeameryTransport,
  operation: BeameryOperationName,
  key: string,
  parseItem: (raw: unknown) => T,
  request: Pick<CallSpec<unknown>, 'params' | 'query'> = {},
): Promise<T[]> {
  return collect(
    offsetPaged(t.pageSize, (page) =>
      t.call(operation, {
        ...(request.params ? { params: request.params } : {}),
        query: { limit: page.limit, offset: page.offset, ...request.query },
        parse: (body) => parsePage(body, key, parseItem, page),
      }),
    ),
  );
}
