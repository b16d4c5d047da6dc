import { describe, expect, it } from 'vitest';
import { GreenhouseApiError } from '#local/simulators/greenhouse/api-errors';
import { parseIdList, parsePipeWindow } from '#local/simulators/greenhouse/filters';
import { CURSOR_WITH_PARAMS_MESSAGE, decodeCursor, encodeCursor, paginate, resolvePageRequest } from '#local/simulators/greenhouse/pagination';

const records = Array.from({ length: 25 }, (_, i) => ({ id: i + 1 }));
const status = (fn: () => unknown) => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof GreenhouseApiError ? error.status : 'other';
  }
};

describe('simulator pagination', () => {
  it('pages newest id first and carries the filters in an opaque base64url cursor', () => {
    const first = paginate(records, { per_page: '10', status: 'active' }, Number.POSITIVE_INFINITY);
    expect(first.items.map((r) => r.id)).toEqual([25, 24, 23, 22, 21, 20, 19, 18, 17, 16]);
    expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const { filters, below } = resolvePageRequest({ cursor: first.nextCursor! });
    expect(filters).toEqual({ per_page: '10', status: 'active' });
    const last = paginate(records, filters, paginate(records, filters, below).items.at(-1)!.id);
    expect(last.items.map((r) => r.id)).toEqual([5, 4, 3, 2, 1]);
    expect(last.nextCursor).toBeUndefined();
  });

  it('rejects a cursor with other parameters, and an unreadable cursor', () => {
    const cursor = encodeCursor({ q: {}, below: 10 });
    const trap = (() => {
      try {
        resolvePageRequest({ cursor, per_page: '5' });
      } catch (error) {
        return error as GreenhouseApiError;
      }
    })();
    expect(trap?.status).toBe(422);
    expect(trap?.body).toEqual({ message: 'Unprocessable Content', errors: [CURSOR_WITH_PARAMS_MESSAGE] });
    expect(status(() => decodeCursor('not-a-cursor'))).toBe(422);
  });

  it('enforces per_page 1..500', () => {
    expect(status(() => paginate(records, { per_page: '501' }, Infinity))).toBe(422);
    expect(status(() => paginate(records, { per_page: '0' }, Infinity))).toBe(422);
    expect(paginate(records, {}, Infinity).items).toHaveLength(25);
  });
});

describe('simulator filters', () => {
  it('caps id lists at 50', () => {
    expect(parseIdList('1,2,3', 'ids')).toEqual(new Set([1, 2, 3]));
    expect(status(() => parseIdList(Array.from({ length: 51 }, (_, i) => i + 1).join(','), 'ids'))).toBe(422);
    expect(status(() => parseIdList('1,abc', 'ids'))).toBe(422);
  });

  it('parses one- and two-sided pipe windows', () => {
    const window = parsePipeWindow('gte|2026-01-01T00:00:00Z|lt|2026-01-02T00:00:00Z', 'updated_at');
    expect(window('2026-01-01T00:00:00Z')).toBe(true);
    expect(window('2026-01-02T00:00:00Z')).toBe(false);
    expect(window(null)).toBe(false);
    expect(parsePipeWindow('gt|2026-01-01T00:00:00Z', 'created_at')('2026-01-01T00:00:01Z')).toBe(true);
    expect(status(() => parsePipeWindow('after|2026-01-01', 'updated_at'))).toBe(422);
    expect(status(() => parsePipeWindow('gte', 'updated_at'))).toBe(422);
  });
});
