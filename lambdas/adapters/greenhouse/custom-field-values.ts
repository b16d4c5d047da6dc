import type { CustomField, CustomFieldOption } from '#core/greenhouse/records';
import { ApiError } from '#core/api-errors';
import type { CustomFieldWrite } from '#core/ports/greenhouse-api';

/**
 * Custom-field values as Harvest v3 takes them on writes (reference §4.9): each in its field's
 * declared `value_type` — select values as option ids, dates as YYYY-MM-DD, yes_no as a boolean,
 * numbers as numbers, currency as `{amount, currency_code}`. The write shapes come from one public
 * implementation tested against the live API [L]; reads show select values as option labels [L].
 */

/** The field types whose definitions the bridge reads to write values. */
export type WritableFieldType = 'candidate' | 'application';

export interface FieldDefinition {
  readonly nameKey: string;
  readonly valueType: string;
  readonly optionIds: ReadonlySet<number>;
  /** Option label, trimmed and lower-cased → ids (labels need not be unique). */
  readonly optionIdsByLabel: ReadonlyMap<string, readonly number[]>;
}

export type FieldDefinitions = ReadonlyMap<string, FieldDefinition>;

/** A value the bridge cannot write in its field's declared type; retrying cannot help. */
export class CustomFieldValueRejected extends ApiError {
  constructor(operation: string, readonly nameKey: string, readonly reason: string) {
    super('greenhouse', operation, undefined, `custom field ${nameKey}: ${reason}`);
  }
}

export function fieldDefinitions(fields: readonly CustomField[], options: readonly CustomFieldOption[]): FieldDefinitions {
  const byId = new Map<number, { nameKey: string; valueType: string; optionIds: Set<number>; optionIdsByLabel: Map<string, number[]> }>();
  for (const f of fields) byId.set(f.id, { nameKey: f.name_key, valueType: f.value_type ?? 'short_text', optionIds: new Set(), optionIdsByLabel: new Map() });
  for (const o of options) {
    const field = o.custom_field_id == null ? undefined : byId.get(o.custom_field_id);
    if (!field || o.active === false) continue;
    field.optionIds.add(o.id);
    const label = labelKey(o.name ?? '');
    field.optionIdsByLabel.set(label, [...(field.optionIdsByLabel.get(label) ?? []), o.id]);
  }
  return new Map([...byId.values()].map((d) => [d.nameKey, d]));
}

export function isSelect(definition: FieldDefinition): boolean {
  return definition.valueType === 'single_select' || definition.valueType === 'multi_select';
}

/**
 * The complete set to send: every value the record holds, re-encoded for writing (a select read as
 * its label goes back as its option id), overlaid with the changes. If PATCH replaces the whole set
 * (one public implementation behaves as if it does [L]) nothing the customer holds is lost; if it
 * merges by key, resending unchanged values is harmless. A null change clears the field — assumed,
 * v3 documents no clearing (v1 needed `delete_value`).
 */
export function completeCustomFieldSet(
  operation: string,
  definitions: FieldDefinitions,
  held: Readonly<Record<string, { readonly value?: unknown } | null>> | null | undefined,
  changes: readonly CustomFieldWrite[],
): CustomFieldWrite[] {
  const out = new Map<string, CustomFieldWrite>();
  for (const [nameKey, entry] of Object.entries(held ?? {})) {
    if (entry?.value === null || entry?.value === undefined) continue;
    const definition = definitions.get(nameKey);
    // Without its definition a held value cannot be re-encoded; dropping it could wipe it under replace semantics.
    if (!definition) throw new CustomFieldValueRejected(operation, nameKey, 'held value has no readable definition; not written to avoid losing it');
    out.set(nameKey, { name_key: nameKey, value: encodeCustomFieldValue(operation, definition, entry.value) });
  }
  for (const write of encodeCustomFieldWrites(operation, definitions, changes)) out.set(write.name_key, write);
  return [...out.values()];
}

/** The changes alone, each in its declared type (for a create, where nothing is held yet). */
export function encodeCustomFieldWrites(operation: string, definitions: FieldDefinitions, changes: readonly CustomFieldWrite[]): CustomFieldWrite[] {
  return changes.map(({ name_key, value }) => {
    const definition = definitions.get(name_key);
    if (!definition) throw new CustomFieldValueRejected(operation, name_key, 'no such active custom field');
    return { name_key, value: encodeCustomFieldValue(operation, definition, value) };
  });
}

export function encodeCustomFieldValue(operation: string, definition: FieldDefinition, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const refuse = (reason: string): never => {
    throw new CustomFieldValueRejected(operation, definition.nameKey, `${reason} (${definition.valueType})`);
  };
  switch (definition.valueType) {
    case 'short_text':
    case 'long_text':
    case 'url':
    case 'rich_text':
      return typeof value === 'object' ? refuse('not text') : String(value);
    case 'yes_no':
      return yesNo(value) ?? refuse('not a yes/no value');
    case 'number':
    case 'user': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      return Number.isFinite(n) ? n : refuse('not a number');
    }
    case 'date':
      return calendarDate(value) ?? refuse('not a date');
    case 'single_select':
      return optionId(definition, value) ?? refuse('no single option matches');
    case 'multi_select': {
      const ids = (Array.isArray(value) ? value : [value]).map((v) => optionId(definition, v) ?? refuse('no single option matches'));
      return [...new Set(ids)];
    }
    case 'currency':
      return hasKeys(value, ['amount', 'currency_code']) ? value : refuse('not {amount, currency_code}');
    case 'currency_range':
      return hasKeys(value, ['min_amount', 'max_amount', 'currency_code']) ? value : refuse('not {min_amount, max_amount, currency_code}');
    case 'number_range':
      return hasKeys(value, ['min_value', 'max_value']) ? value : refuse('not {min_value, max_value}');
    default:
      // Attachment and the masked *_hris types have no known write shape; the value goes as given.
      return value;
  }
}

const YES_NO_LABELS: Readonly<Record<string, string>> = { true: 'yes', false: 'no' };

function labelKey(label: string): string {
  return label.trim().toLowerCase();
}

/** An option id as given, or the one option whose label matches (reads show labels [L]). */
function optionId(definition: FieldDefinition, value: unknown): number | undefined {
  if (typeof value === 'number') return definition.optionIds.has(value) ? value : undefined;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    return optionId(definition, o.id ?? o.name ?? o.value);
  }
  if (typeof value !== 'string' && typeof value !== 'boolean') return undefined;
  const label = labelKey(String(value));
  // A yes/no answer held as 'true'/'false' (core/mapping/person.ts) goes to a "Yes"/"No" select.
  const ids = definition.optionIdsByLabel.get(label) ?? definition.optionIdsByLabel.get(YES_NO_LABELS[label] ?? '');
  return ids?.length === 1 ? ids[0] : undefined;
}

function yesNo(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  if (text === 'true' || text === 'yes') return true;
  if (text === 'false' || text === 'no') return false;
  return undefined;
}

function calendarDate(value: unknown): string | undefined {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value.trim())) return value.trim();
  const ms = typeof value === 'string' ? Date.parse(value) : value instanceof Date ? value.getTime() : Number.NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString().slice(0, 10);
}

function hasKeys(value: unknown, keys: readonly string[]): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && keys.every((k) => k in value);
}
