import * as z from '#core/zod-mini';

/**
 * Building blocks for reading Beamery payloads tolerantly. The public record shows identity lists
 * three ways (arrays of `{id, value, type}` objects, S2; arrays of strings, S4; `{keys, values}` maps,
 * S5/S6) and timestamps two ways; these accept all of them. Optional fields of an unexpected type
 * read as absent instead of failing the whole record: one odd field must not stop a sync.
 */

/** An array, a `{keys, values}` keyed map (in `keys` order), or nothing → an array. */
export function asList(input: unknown): unknown[] {
  if (input === null || input === undefined) return [];
  if (Array.isArray(input)) return input;
  if (typeof input === 'object') {
    const { keys, values } = input as { keys?: unknown; values?: unknown };
    if (values && typeof values === 'object' && !Array.isArray(values)) {
      const map = values as Record<string, unknown>;
      const order = Array.isArray(keys) ? keys.map(String) : Object.keys(map);
      return order.map((key) => map[key]).filter((item) => item !== undefined);
    }
    if (Array.isArray(values)) return values;
    return [input];
  }
  return [input];
}

/** `"a@b"` or `{value: "a@b"}` → `"a@b"`. */
export function valueOf(item: unknown): string | undefined {
  if (typeof item === 'string') return item.trim() || undefined;
  if (item && typeof item === 'object') {
    const value = (item as { value?: unknown }).value;
    if (typeof value === 'string') return value.trim() || undefined;
  }
  return undefined;
}

export function uniqueStrings(values: readonly (string | undefined)[], caseInsensitive: boolean): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of values) {
    if (!value) continue;
    const key = caseInsensitive ? value.toLowerCase() : value;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(value);
  }
  return out;
}

/**
 * Any value, read by `read`, and the key may be missing. (Optional because zod 4 objects only let a
 * key be missing when its schema says so, whatever the transform would make of undefined.)
 */
export function reader<T>(read: (value: unknown) => T) {
  return z.optional(z.pipe(z.unknown(), z.transform(read)));
}

/** A non-empty string, else absent. */
export const text = reader((v) => (typeof v === 'string' && v.trim() !== '' ? v : undefined));

export const flag = reader((v) => (typeof v === 'boolean' ? v : undefined));

export const count = reader((v) => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
});

/** Ids arrive as strings; a number is accepted and read as its decimal string. */
export const id = z.union([z.string().check(z.minLength(1)), z.pipe(z.number(), z.transform(String))]);

export const optionalId = reader((v) => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined));

/** ISO-8601 or epoch (s or ms) → ISO-8601 in UTC, so timestamps compare as strings and as dedupe keys. */
export function isoTime(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value < 1e12 ? value * 1000 : value).toISOString();
  if (typeof value === 'string' && value.trim() !== '') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
  }
  return undefined;
}

export const time = reader(isoTime);

/** `"Engaged"` or `{value: "Engaged"}` (S4 status, S6 creationSource) → `"Engaged"`. */
export const label = reader(valueOf);

/** `true`, `"Opted in"` or `{value: …}` of either → `"true"` / `"Opted in"` (seed: consentStatus is a boolean; ASSUMED shapes). */
export const labelOrFlag = reader((v) => {
  const inner = v && typeof v === 'object' && !Array.isArray(v) ? (v as { value?: unknown }).value : v;
  return typeof inner === 'boolean' ? String(inner) : valueOf(inner);
});

/** `"7a53…"` or `{id: "7a53…"}` → the id. */
export const reference = reader((v) => {
  if (typeof v === 'string' && v !== '') return v;
  if (v && typeof v === 'object') {
    const inner = (v as { id?: unknown }).id;
    if (typeof inner === 'string' && inner !== '') return inner;
    if (typeof inner === 'number') return String(inner);
  }
  return undefined;
});

/** A list of items of `item`'s shape from any list representation; items that do not fit are dropped; absent → []. */
export function listOf<T extends z.ZodMiniType>(item: T) {
  return z._default(
    z.pipe(
      z.unknown(),
      z.transform((input) =>
        asList(input).flatMap((entry) => {
          const parsed = item.safeParse(entry);
          return parsed.success ? [parsed.data as z.output<T>] : [];
        }),
      ),
    ),
    [],
  );
}

/** Identity lists (emails, phoneNumbers, links) → plain strings, de-duplicated; absent → []. */
export function stringList(caseInsensitive: boolean) {
  return z._default(z.pipe(z.unknown(), z.transform((input) => uniqueStrings(asList(input).map(valueOf), caseInsensitive))), []);
}

export const location = reader((v) => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const pick = (key: string) => (typeof o[key] === 'string' && o[key] !== '' ? (o[key] as string) : undefined);
  const out = { address: pick('address'), city: pick('city'), country: pick('country'), countryCode: pick('countryCode'), postCode: pick('postCode') };
  const present = Object.fromEntries(Object.entries(out).filter(([, value]) => value !== undefined));
  return Object.keys(present).length > 0 ? (present as typeof out) : undefined;
});

export const tag = z.pipe(
  z.looseObject({ id, value: text, label: text }),
  z.transform((t) => ({ id: t.id, ...((t.value ?? t.label) ? { label: t.value ?? t.label } : {}) })),
);

/** Field paths and rules of a zod failure, never the values. */
export function issuesOf(error: z.$ZodError): string[] {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message));
}

/** Thrown by the parsers; the transport turns it into BeameryResponseInvalid naming the operation. */
export class WireShapeError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`unexpected Beamery payload: ${issues.join('; ')}`);
    this.name = 'WireShapeError';
  }
}

export function parseOrThrow<T extends z.ZodMiniType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new WireShapeError(issuesOf(parsed.error));
  return parsed.data;
}

/** Attaches the raw payload without making it enumerable (so JSON logging of a record never includes it). */
export function withRaw<T extends object>(record: T, raw: unknown): T & { readonly raw: unknown } {
  return Object.defineProperty(record, 'raw', { value: raw, enumerable: false, writable: false }) as T & { readonly raw: unknown };
}
