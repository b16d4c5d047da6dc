import { describe, expect, it } from 'vitest';
import { idOf, parsePage, unwrapOne } from '#adapters/beamery/wire/envelope';
import { WireShapeError } from '#adapters/beamery/wire/values';

const item = (raw: unknown) => (raw as { id: string }).id;
const ids = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ id: `c${from + i}` }));

describe('list envelopes', () => {
  it('reads the documented envelope (S2): pagination.hasMore and total', () => {
    const page = parsePage({ success: true, contacts: ids(2), pagination: { total: 5, limit: 2, offset: 0, hasMore: true } }, 'contacts', item, { offset: 0, limit: 2 });
    expect(page).toEqual({ items: ['c0', 'c1'], total: 5, nextOffset: 2 });
  });

  it('reads the envelope real client code uses (S4): total_count and last_batch, offset += batch until total', () => {
    expect(parsePage({ contacts: ids(2), total_count: 3, last_batch: 2 }, 'contacts', item, { offset: 0, limit: 2 })).toEqual({ items: ['c0', 'c1'], total: 3, nextOffset: 2 });
    expect(parsePage({ contacts: ids(1, 2), total_count: 3, last_batch: 1 }, 'contacts', item, { offset: 2, limit: 2 })).toEqual({ items: ['c2'], total: 3 });
  });

  it('trusts hasMore over the total when both are given', () => {
    expect(parsePage({ contacts: ids(2), pagination: { total: 2, hasMore: true } }, 'contacts', item, { offset: 0, limit: 2 }).nextOffset).toBe(2);
  });

  it('without total or hasMore, a full page means there may be more and a short one ends the list', () => {
    expect(parsePage({ contacts: ids(2) }, 'contacts', item, { offset: 0, limit: 2 }).nextOffset).toBe(2);
    expect(parsePage({ contacts: ids(1) }, 'contacts', item, { offset: 0, limit: 2 }).nextOffset).toBeUndefined();
  });

  it('an empty page ends the list even if the envelope says there is more', () => {
    expect(parsePage({ contacts: [], pagination: { total: 10, hasMore: true } }, 'contacts', item, { offset: 4, limit: 2 }).nextOffset).toBeUndefined();
  });

  it('accepts `data`, a bare array, or a keyed map for the items', () => {
    expect(parsePage({ data: ids(1) }, 'contacts', item, { offset: 0, limit: 5 }).items).toEqual(['c0']);
    expect(parsePage(ids(1), 'contacts', item, { offset: 0, limit: 5 }).items).toEqual(['c0']);
    expect(parsePage({ contacts: { keys: ['k'], values: { k: { id: 'c9' } } } }, 'contacts', item, { offset: 0, limit: 5 }).items).toEqual(['c9']);
  });

  it('refuses a body without the list, or one that says success: false', () => {
    expect(() => parsePage({ total_count: 1 }, 'contacts', item, { offset: 0, limit: 5 })).toThrow(WireShapeError);
    expect(() => parsePage({ success: false, contacts: [] }, 'contacts', item, { offset: 0, limit: 5 })).toThrow(WireShapeError);
    expect(() => parsePage({ contacts: 'x' }, 'contacts', item, { offset: 0, limit: 5 })).toThrow(WireShapeError);
  });
});

describe('single-object envelopes', () => {
  it('unwraps {success, contact}, {data} or takes the object itself', () => {
    expect(unwrapOne({ success: true, contact: { id: 'a' } }, 'contact')).toEqual({ id: 'a' });
    expect(unwrapOne({ data: { id: 'b' } }, 'contact')).toEqual({ id: 'b' });
    expect(unwrapOne({ id: 'c', firstName: 'X' }, 'contact')).toEqual({ id: 'c', firstName: 'X' });
  });

  it('reads the id a write answers with (S4), as a string', () => {
    expect(idOf({ id: 'a' }, 'contact')).toBe('a');
    expect(idOf({ success: true, vacancy: { id: 12 } }, 'vacancy')).toBe('12');
    expect(() => idOf({ ok: true }, 'contact')).toThrow(WireShapeError);
  });
});
