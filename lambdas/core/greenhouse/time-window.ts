/**
 * Greenhouse v3 date filters (reference §2): pipe-delimited operator|value pairs. An incremental read
 * bounds both sides, `updated_at=gte|A|lte|B`, because results come newest id first and a one-sided
 * window lets records move between pages during a long crawl [M] (gotcha 2).
 */
export interface TimeWindow {
  readonly gte?: Date | string | number;
  readonly gt?: Date | string | number;
  readonly lte?: Date | string | number;
  readonly lt?: Date | string | number;
}

/**
 * `gte|2026-01-01T00:00:00Z|lte|2026-01-02T00:00:00Z`. Timestamps go out with whole seconds
 * (whether v3 parses fractions is not documented), rounded outward: lower bounds down, upper bounds
 * up, so a window never shrinks.
 */
export function pipeWindow(window: TimeWindow): string {
  const parts: string[] = [];
  for (const op of ['gte', 'gt', 'lte', 'lt'] as const) {
    const value = window[op];
    if (value === undefined) continue;
    const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
    if (Number.isNaN(ms)) throw new Error(`invalid ${op} bound`);
    const seconds = op === 'gte' || op === 'gt' ? Math.floor(ms / 1000) : Math.ceil(ms / 1000);
    parts.push(op, new Date(seconds * 1000).toISOString().replace('.000Z', 'Z'));
  }
  if (parts.length === 0) throw new Error('a window needs at least one bound');
  return parts.join('|');
}

/** The two-sided window an incremental sync should use. */
export function between(from: Date | string | number, to: Date | string | number): string {
  return pipeWindow({ gte: from, lte: to });
}
