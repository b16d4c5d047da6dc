import { unprocessable } from './api-errors.ts';

/**
 * Query filters of v3 list endpoints (reference §2).
 *
 * - `ids` and parent-id filters (`candidate_ids`, `job_ids`, …): comma lists of at most 50 values [H]
 *   (gotcha 17); more → 422. The 422 wording is assumed.
 * - Date filters: pipe-delimited operator/value pairs, `updated_at=gte|A|lte|B`, operators
 *   gte, lte, gt, lt [H]; the two-sided form is what the docs' request builder emits [M]. The
 *   bracket form (`updated_at[gte]=`) mentioned on one page is not supported (open question 5).
 * - Unknown parameters are ignored (assumed; v3 documents no strictness either way).
 */
export const MAX_FILTER_VALUES = 50;

export type Predicate<R> = (record: R) => boolean;
export type FilterParser<R> = (value: string, param: string) => Predicate<R>;

export function parseIdList(value: string, param: string): Set<number> {
  const parts = value.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length > MAX_FILTER_VALUES) {
    throw unprocessable([{ [param]: `must contain at most ${MAX_FILTER_VALUES} values, got ${parts.length}` }]);
  }
  const ids = parts.map(Number);
  if (ids.some((id) => !Number.isSafeInteger(id) || id <= 0)) {
    throw unprocessable([{ [param]: 'must be a comma-separated list of integer ids' }]);
  }
  return new Set(ids);
}

const OPERATORS = {
  gte: (a: number, b: number) => a >= b,
  lte: (a: number, b: number) => a <= b,
  gt: (a: number, b: number) => a > b,
  lt: (a: number, b: number) => a < b,
} as const;

export function parsePipeWindow(value: string, param: string): (iso: string | null) => boolean {
  const parts = value.split('|');
  const invalid = () => unprocessable([{ [param]: 'must be operator|datetime pairs, e.g. gte|2026-01-01T00:00:00Z' }]);
  if (parts.length === 0 || parts.length % 2 !== 0 || parts.length > 4) throw invalid();
  const checks: ((t: number) => boolean)[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const op = parts[i] as keyof typeof OPERATORS;
    const bound = Date.parse(parts[i + 1] ?? '');
    if (!Object.hasOwn(OPERATORS, op) || Number.isNaN(bound)) throw invalid();
    checks.push((t) => OPERATORS[op](t, bound));
  }
  return (iso) => iso !== null && checks.every((check) => check(Date.parse(iso)));
}

export function parseBoolean(value: string, param: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw unprocessable([{ [param]: 'must be true or false' }]);
}

// --- Filter builders, combined per resource in resources.ts -------------------------------------

/** `ids=`-style filter on one numeric field. */
export const idIn =
  <R>(field: (record: R) => number | null | readonly number[]): FilterParser<R> =>
  (value, param) => {
    const ids = parseIdList(value, param);
    return (record) => {
      const v = field(record);
      if (v === null) return false;
      return typeof v === 'number' ? ids.has(v) : v.some((id) => ids.has(id));
    };
  };

export const dateWindow =
  <R>(field: (record: R) => string | null): FilterParser<R> =>
  (value, param) => {
    const test = parsePipeWindow(value, param);
    return (record) => test(field(record));
  };

export const booleanIs =
  <R>(field: (record: R) => boolean): FilterParser<R> =>
  (value, param) => {
    const wanted = parseBoolean(value, param);
    return (record) => field(record) === wanted;
  };

export const oneOf =
  <R>(allowed: readonly string[], test: (record: R, value: string) => boolean): FilterParser<R> =>
  (value, param) => {
    if (!allowed.includes(value)) throw unprocessable([{ [param]: `must be one of ${allowed.join(', ')}` }]);
    return (record) => test(record, value);
  };

export const equals =
  <R>(field: (record: R) => string | number | null, caseInsensitive = false): FilterParser<R> =>
  (value) =>
  (record) => {
    const v = field(record);
    if (v === null) return false;
    return caseInsensitive ? String(v).toLowerCase() === value.toLowerCase() : String(v) === value;
  };

/** ids, created_at and updated_at: on every list endpoint [H]. */
export function commonFilters<R extends { id: number; created_at?: string; updated_at?: string }>(): Record<string, FilterParser<R>> {
  return {
    ids: idIn((r) => r.id),
    created_at: dateWindow((r) => r.created_at ?? null),
    updated_at: dateWindow((r) => r.updated_at ?? null),
  };
}
