import type { BeameryPage } from '#core/beamery/records';

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
