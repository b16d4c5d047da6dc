import { describe, expect, it } from 'vitest';
import { addToCollection, currentCollection, removeFromCollection } from '#core/greenhouse/collections';
import type { Candidate } from '#core/greenhouse/records';

const emails = [
  { value: 'ada@example.test', type: 'personal' },
  { value: 'ada@work.example.test', type: 'work' },
];

describe('collection fields are rewritten whole, so one value is added or removed against the current list', () => {
  it('adding keeps every existing value and appends the new one', () => {
    expect(addToCollection('email_addresses', emails, { value: 'new@example.test', type: 'other' })).toEqual([
      ...emails,
      { value: 'new@example.test', type: 'other' },
    ]);
  });

  it('adding a value already there (any case) is no change', () => {
    expect(addToCollection('email_addresses', emails, { value: 'ADA@example.test', type: 'work' })).toBeUndefined();
  });

  it('phone numbers compare by digits', () => {
    expect(addToCollection('phone_numbers', [{ value: '+49 30 555-01', type: 'mobile' }], { value: '+493055501', type: 'work' })).toBeUndefined();
  });

  it('removing drops only the matching value', () => {
    expect(removeFromCollection('email_addresses', emails, 'ada@WORK.example.test')).toEqual([emails[0]]);
  });

  it('removing an absent value is no change', () => {
    expect(removeFromCollection('website_addresses', [], 'https://x.example.test')).toBeUndefined();
  });

  it('reads the current collection in write shape, defaulting a missing type to other', () => {
    const candidate = { id: 1, email_addresses: [{ value: 'a@example.test', type: null, extra: 1 }], social_media_addresses: [{ value: 's', kind: 'x' }] } as unknown as Candidate;
    expect(currentCollection(candidate, 'email_addresses')).toEqual([{ value: 'a@example.test', type: 'other' }]);
    expect(currentCollection(candidate, 'social_media_addresses')).toEqual([{ value: 's' }]);
    expect(currentCollection(candidate, 'phone_numbers')).toEqual([]);
  });
});
