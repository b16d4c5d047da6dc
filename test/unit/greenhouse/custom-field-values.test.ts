import { describe, expect, it } from 'vitest';
import { completeCustomFieldSet, CustomFieldValueRejected, encodeCustomFieldValue, fieldDefinitions } from '#adapters/greenhouse/custom-field-values';

const definitions = fieldDefinitions(
  [
    { id: 1, name_key: 'stage', value_type: 'single_select' },
    { id: 2, name_key: 'skills', value_type: 'multi_select' },
    { id: 3, name_key: 'salary', value_type: 'currency' },
    { id: 4, name_key: 'notes', value_type: 'long_text' },
    { id: 5, name_key: 'consent', value_type: 'single_select' },
  ],
  [
    { id: 11, custom_field_id: 1, name: 'Open', active: true },
    { id: 12, custom_field_id: 1, name: 'Closed', active: true },
    { id: 13, custom_field_id: 1, name: 'closed ', active: true },
    { id: 14, custom_field_id: 1, name: 'Retired', active: false },
    { id: 21, custom_field_id: 2, name: 'Go', active: true },
    { id: 31, custom_field_id: 5, name: 'Yes', active: true },
    { id: 32, custom_field_id: 5, name: 'No', active: true },
  ],
);
const encode = (key: string, value: unknown) => encodeCustomFieldValue('PATCH x', definitions.get(key)!, value);

describe('custom-field values in their declared types', () => {
  it('a select label matching one option becomes its id; an ambiguous or inactive one is refused', () => {
    expect(encode('stage', ' open ')).toBe(11);
    expect(encode('stage', 11)).toBe(11);
    expect(() => encode('stage', 'Closed')).toThrow(CustomFieldValueRejected);
    expect(() => encode('stage', 'Retired')).toThrow(CustomFieldValueRejected);
    expect(() => encode('stage', 99)).toThrow(CustomFieldValueRejected);
  });

  it('a yes/no answer held as true/false goes to the "Yes"/"No" option of a select', () => {
    expect(encode('consent', 'true')).toBe(31);
    expect(encode('consent', false)).toBe(32);
    expect(() => encode('stage', true)).toThrow(CustomFieldValueRejected);
  });

  it('a single multi_select value becomes a one-id list', () => {
    expect(encode('skills', 'Go')).toEqual([21]);
  });

  it('currency must be an object: a bare number has no currency', () => {
    expect(() => encode('salary', 90000)).toThrow(CustomFieldValueRejected);
    expect(encode('salary', { amount: 90000, currency_code: 'EUR' })).toEqual({ amount: 90000, currency_code: 'EUR' });
  });

  it('refuses to write a set that would drop a held value it cannot re-encode', () => {
    const held = { notes: { value: 'kept' }, legacy_field: { value: 'no definition' } };
    expect(() => completeCustomFieldSet('PATCH x', definitions, held, [{ name_key: 'notes', value: 'new' }])).toThrow(/legacy_field/);
  });

  it('leaves out held nulls and lets a change override a held value', () => {
    const held = { notes: { value: 'old' }, stage: { value: null } };
    expect(completeCustomFieldSet('PATCH x', definitions, held, [{ name_key: 'notes', value: 'new' }])).toEqual([{ name_key: 'notes', value: 'new' }]);
  });
});
