import * as z from 'zod';

/**
 * How the simulated tenant takes the writes whose v3 semantics no official source settles (issue 12,
 * items 1–2). Each switch is ASSUMED: its default is the reading the simulator always had, and the
 * other value is the plausible alternative, so the client is tested against both rather than one guess.
 * Set them with `PUT /_admin/settings {"writeContract": {...}}` or the simulator's start options.
 */
export const writeContractSchema = z.strictObject({
  /**
   * ASSUMED `customFields`: `merge` — a PATCH's `custom_fields` changes only the keys it names;
   * `replace` — it becomes the record's whole set (one public implementation always resends the
   * complete set, as if v3 replaces it [L]).
   */
  customFields: z.enum(['merge', 'replace']).default('merge'),
  /**
   * ASSUMED `selectValues`: `ids-or-labels` — a single/multi select value may be an option id or its
   * label; `ids` — only option ids, a label is a 422 (the public implementation writes ids [L]).
   * Either way reads show the option labels [L].
   */
  selectValues: z.enum(['ids-or-labels', 'ids']).default('ids-or-labels'),
  /**
   * ASSUMED `clearTitleCompany`: `null-accepted` — `title`/`company` null clears them; `empty-string`
   * — null is a 422 and only `""` clears (the public implementation sends `""` [L]).
   */
  clearTitleCompany: z.enum(['null-accepted', 'empty-string']).default('null-accepted'),
});
export type WriteContract = z.infer<typeof writeContractSchema>;
export type WriteContractInput = z.input<typeof writeContractSchema>;

export const DEFAULT_WRITE_CONTRACT: WriteContract = writeContractSchema.parse({});

/** Every switch on its plausible alternative: what a client must survive if each assumption is wrong. */
export const STRICT_WRITE_CONTRACT: WriteContract = { customFields: 'replace', selectValues: 'ids', clearTitleCompany: 'empty-string' };
