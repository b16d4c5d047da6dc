import * as z from '#core/zod-mini';
import { asList, count, flag, parseOrThrow, WireShapeError } from './values.ts';

/**
 * Beamery's list and single-object envelopes. MED: the docs (S2 `/pagination`, fixture
 * get_v1_contacts_paginated) show `{success, contacts, pagination:{total, limit, offset, hasMore}}`;
 * real client code (S4) reads `{contacts, total_count, last_batch}` and advances `offset += last_batch`
 * until `offset >= total_count`. Both are read; when neither a total nor `hasMore` is given, a full
 * page means "maybe more".
 */

const envelopeWire = z.looseObject({
  success: flag,
  pagination: z.catch(z.optional(z.looseObject({ total: count, limit: count, offset: count, hasMore: flag })), undefined),
  total_count: count,
  totalCount: count,
  total: count,
  last_batch: count,
});

export interface ParsedPage<T> {
  readonly items: T[];
  readonly total?: number;
  readonly nextOffset?: number;
}

export function parsePage<T>(body: unknown, key: string, parseItem: (raw: unknown) => T, request: { offset: number; limit: number }): ParsedPage<T> {
  const rawItems = Array.isArray(body) ? body : itemsOf(body, key);
  const envelope = parseOrThrow(envelopeWire, Array.isArray(body) ? {} : body);
  if (envelope.success === false) throw new WireShapeError(['success: false']);
  const items = rawItems.map(parseItem);
  const total = envelope.pagination?.total ?? envelope.total_count ?? envelope.totalCount ?? envelope.total;
  // An empty page ends the scan whatever the envelope claims, so a wrong `hasMore` cannot loop forever.
  const hasMore =
    items.length > 0 &&
    (envelope.pagination?.hasMore ?? (total !== undefined ? request.offset + items.length < total : items.length >= request.limit));
  return { items, ...(total !== undefined ? { total } : {}), ...(hasMore ? { nextOffset: request.offset + items.length } : {}) };
}

function itemsOf(body: unknown, key: string): unknown[] {
  if (!body || typeof body !== 'object') throw new WireShapeError([`${key}: expected an object with a list`]);
  const record = body as Record<string, unknown>;
  const list = record[key] ?? record['data'] ?? record['results'];
  if (list === undefined) throw new WireShapeError([`${key}: missing`]);
  if (!Array.isArray(list) && (typeof list !== 'object' || list === null)) throw new WireShapeError([`${key}: expected array`]);
  return asList(list);
}

/** `{success, contact: {…}}`, `{data: {…}}` or the object itself (S4 reads `id` off the body). */
export function unwrapOne(body: unknown, key: string): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new WireShapeError([`${key}: expected an object`]);
  const record = body as Record<string, unknown>;
  if (record['success'] === false) throw new WireShapeError(['success: false']);
  for (const candidate of [record[key], record['data']]) {
    if (candidate && typeof candidate === 'object' && !Array.isArray(candidate)) return candidate;
  }
  return body;
}

/** Writes answer with at least the record's id (S4: create and update bodies hold `id`). */
export function idOf(body: unknown, key: string): string {
  const record = unwrapOne(body, key) as Record<string, unknown>;
  const value = record['id'];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  throw new WireShapeError([`${key}.id: missing`]);
}
