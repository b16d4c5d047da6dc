/**
 * Structural comparison of a JSON value against an official example: same keys at every level,
 * same JSON types, with two allowances the examples force:
 * - null on either side matches anything (an example's null field may hold a value and vice versa);
 * - an empty array on either side matches any array (examples often show `[]`);
 * - a `custom_fields` object is a map keyed by field slugs, which differ per account: each entry must
 *   be `{name, type, value}` (plus the compensation extras the docs list), `value` of any type.
 */
const CUSTOM_FIELD_ENTRY_KEYS = new Set(['name', 'type', 'value']);
const CUSTOM_FIELD_OPTIONAL_KEYS = new Set(['compensation_type', 'frequency', 'rationale']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const kind = (v: Json): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

export function shapeMismatches(actual: Json, example: Json, path = '$'): string[] {
  if (actual === null || example === null) return [];
  const a = kind(actual);
  const e = kind(example);
  if (a !== e) return [`${path}: ${a} where the example has ${e}`];
  if (Array.isArray(actual) && Array.isArray(example)) {
    if (actual.length === 0 || example.length === 0) return [];
    return actual.flatMap((item, i) => shapeMismatches(item, example[0]!, `${path}[${i}]`));
  }
  if (a !== 'object') return [];
  const actualObj = actual as Record<string, Json>;
  const exampleObj = example as Record<string, Json>;
  if (path.endsWith('.custom_fields')) return customFieldMapMismatches(actualObj, path);
  const problems: string[] = [];
  for (const key of Object.keys(exampleObj)) if (!(key in actualObj)) problems.push(`${path}.${key}: missing`);
  for (const key of Object.keys(actualObj)) if (!(key in exampleObj)) problems.push(`${path}.${key}: not in the example`);
  for (const key of Object.keys(exampleObj)) {
    if (key in actualObj) problems.push(...shapeMismatches(actualObj[key]!, exampleObj[key]!, `${path}.${key}`));
  }
  return problems;
}

function customFieldMapMismatches(map: Record<string, Json>, path: string): string[] {
  const problems: string[] = [];
  for (const [slug, entry] of Object.entries(map)) {
    const at = `${path}.${slug}`;
    if (kind(entry) !== 'object') {
      problems.push(`${at}: ${kind(entry)} where a custom field entry is an object`);
      continue;
    }
    const keys = Object.keys(entry as object);
    for (const k of CUSTOM_FIELD_ENTRY_KEYS) if (!keys.includes(k)) problems.push(`${at}.${k}: missing`);
    for (const k of keys) if (!CUSTOM_FIELD_ENTRY_KEYS.has(k) && !CUSTOM_FIELD_OPTIONAL_KEYS.has(k)) problems.push(`${at}.${k}: not a custom field key`);
    const { name, type } = entry as { name: Json; type: Json };
    if (typeof name !== 'string' || typeof type !== 'string') problems.push(`${at}: name and type must be strings`);
  }
  return problems;
}
