import { describe, expect, it } from 'vitest';
import { batchQueries, chunk, listUrl } from '#adapters/greenhouse/query';
import { between, pipeWindow } from '#core/greenhouse/time-window';

describe('pipe-delimited date windows', () => {
  it('formats a two-sided window with whole seconds', () => {
    expect(between('2026-11-01T10:00:00Z', '2026-11-01T11:00:00Z')).toBe('gte|2026-11-01T10:00:00Z|lte|2026-11-01T11:00:00Z');
  });

  it('rounds outward so the window never shrinks', () => {
    expect(pipeWindow({ gte: '2026-11-01T10:00:00.900Z', lte: '2026-11-01T10:00:05.100Z' })).toBe(
      'gte|2026-11-01T10:00:00Z|lte|2026-11-01T10:00:06Z',
    );
  });

  it('accepts Dates, epoch ms and one-sided bounds', () => {
    expect(pipeWindow({ gt: new Date(Date.UTC(2026, 0, 1)) })).toBe('gt|2026-01-01T00:00:00Z');
    expect(pipeWindow({ lt: Date.UTC(2026, 0, 2) })).toBe('lt|2026-01-02T00:00:00Z');
  });

  it('refuses an empty or invalid window', () => {
    expect(() => pipeWindow({})).toThrow();
    expect(() => pipeWindow({ gte: 'yesterday' })).toThrow();
  });
});

describe('batching of id filters', () => {
  it('chunks into groups of at most 50', () => {
    expect(chunk(Array.from({ length: 120 }, (_, i) => i)).map((c) => c.length)).toEqual([50, 50, 20]);
    expect(chunk([])).toEqual([]);
  });

  it('leaves a query with 50 or fewer values alone', () => {
    const query = { ids: Array.from({ length: 50 }, (_, i) => i + 1), per_page: 500 };
    expect(batchQueries(query)).toEqual([query]);
  });

  it('splits the one oversized filter and keeps the others in every batch', () => {
    const batches = batchQueries({ candidate_ids: Array.from({ length: 101 }, (_, i) => i + 1), per_page: 500, status: 'active' });
    expect(batches.map((b) => (b['candidate_ids'] as number[]).length)).toEqual([50, 50, 1]);
    expect(batches.every((b) => b['per_page'] === 500 && b['status'] === 'active')).toBe(true);
  });

  it('drops duplicate ids before batching', () => {
    const batches = batchQueries({ ids: [...Array.from({ length: 60 }, (_, i) => i), ...Array.from({ length: 60 }, (_, i) => i)] });
    expect(batches.flatMap((b) => b['ids'] as number[])).toHaveLength(60);
  });

  it('refuses two oversized filters', () => {
    const many = Array.from({ length: 51 }, (_, i) => i);
    expect(() => batchQueries({ candidate_ids: many, job_ids: many })).toThrow(/only one filter/);
  });
});

describe('listUrl', () => {
  it('builds /v3 URLs with comma lists and leaves out empty values', () => {
    const url = new URL(listUrl('https://harvest.greenhouse.io', 'applications', { candidate_ids: [1, 2], job_ids: [], status: undefined, prospect: false, per_page: 500 }));
    expect(url.pathname).toBe('/v3/applications');
    expect(Object.fromEntries(url.searchParams)).toEqual({ candidate_ids: '1,2', prospect: 'false', per_page: '500' });
  });
});
