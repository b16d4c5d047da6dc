import { describe, expect, it } from 'vitest';
import { offsetPaged, type PageRequest } from '#adapters/beamery/offset-paging';
import { collect } from '#core/async-iterables';

/** A listing of `total` numbered items served `request.limit` at a time, recording each request. */
function listing(total: number) {
  const requests: PageRequest[] = [];
  const fetchPage = async (request: PageRequest) => {
    requests.push(request);
    const items = Array.from({ length: Math.max(0, Math.min(request.limit, total - request.offset)) }, (_, i) => request.offset + i);
    const next = request.offset + items.length;
    return { items, total, ...(next < total ? { nextOffset: next } : {}) };
  };
  return { requests, fetchPage };
}

describe('offsetPaged', () => {
  it('reads every page in order, asking for each next offset, and stops at the page without one', async () => {
    const { requests, fetchPage } = listing(7);
    expect(await collect(offsetPaged(3, fetchPage))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(requests).toEqual([{ offset: 0, limit: 3 }, { offset: 3, limit: 3 }, { offset: 6, limit: 3 }]);
  });

  it('asks once for an empty listing', async () => {
    const { requests, fetchPage } = listing(0);
    expect(await collect(offsetPaged(50, fetchPage))).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it('fetches no page past what the caller reads', async () => {
    const { requests, fetchPage } = listing(100);
    for await (const item of offsetPaged(10, fetchPage)) if (item === 4) break;
    expect(requests).toEqual([{ offset: 0, limit: 10 }]);
  });
});
