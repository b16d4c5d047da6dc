import type { Candidate } from './records.ts';

/**
 * PATCH /v3/candidates/{id} replaces a collection field wholesale: sending one email address
 * deletes the others [M] (gotcha 5). Adding or removing one value is therefore read-modify-write:
 * read the candidate, compute the whole new collection here, PATCH it. These functions are that
 * computation, pure; `undefined` means "no change, skip the PATCH".
 */
export type TypedCollection = 'email_addresses' | 'phone_numbers' | 'addresses' | 'website_addresses';
export type CollectionField = TypedCollection | 'social_media_addresses';

export interface TypedValueWrite {
  readonly value: string;
  readonly type: string;
}
export interface UntypedValueWrite {
  readonly value: string;
}
export type CollectionItem<F extends CollectionField> = F extends TypedCollection ? TypedValueWrite : UntypedValueWrite;

/** Emails and links compare case-insensitively; phone numbers by their digits. */
function sameValue(field: CollectionField, a: string, b: string): boolean {
  if (field === 'phone_numbers') return a.replace(/\D/g, '') === b.replace(/\D/g, '') && a.replace(/\D/g, '') !== '';
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** The candidate's collection in write shape (reads may carry extra fields or a null type). */
export function currentCollection<F extends CollectionField>(candidate: Candidate, field: F): CollectionItem<F>[] {
  const items = (candidate[field] ?? []) as { value: string; type?: string | null }[];
  if (field === 'social_media_addresses') return items.map((i) => ({ value: i.value })) as CollectionItem<F>[];
  return items.map((i) => ({ value: i.value, type: i.type ?? 'other' })) as CollectionItem<F>[];
}

export function addToCollection<F extends CollectionField>(
  field: F,
  current: readonly CollectionItem<F>[],
  item: CollectionItem<F>,
): CollectionItem<F>[] | undefined {
  if (current.some((c) => sameValue(field, c.value, item.value))) return undefined;
  return [...current, item];
}

export function removeFromCollection<F extends CollectionField>(
  field: F,
  current: readonly CollectionItem<F>[],
  value: string,
): CollectionItem<F>[] | undefined {
  const next = current.filter((c) => !sameValue(field, c.value, value));
  return next.length === current.length ? undefined : next;
}

/** Tag names compare case-insensitively, as Greenhouse's tag lookup by name does (assumed). */
export function sameTagName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
