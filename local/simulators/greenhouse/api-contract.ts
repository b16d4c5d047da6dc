import * as z from 'zod';

/**
 * How the simulated tenant behaves where no official source settles v3's contract
 * (docs/api-contract.md). Each switch is ASSUMED: its default is the reading the simulator always had
 * (or, for `tokenBasicAuth`, what the public clients send), and the other value is the plausible
 * alternative, so the client is tested against both rather than one guess. Set them with
 * `PUT /_admin/settings {"apiContract": {...}}` or the simulator's `apiContract` start option.
 */
export const apiContractSchema = z.strictObject({
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
  /**
   * ASSUMED `rejectionReasons`: `on-application` — application reads carry `rejection_reason_id`;
   * `rejection-details-only` — they do not (the field list generated from the official reference
   * has no such field), and the reason is only on `GET /v3/rejection_details` [M].
   */
  rejectionReasons: z.enum(['on-application', 'rejection-details-only']).default('on-application'),
  /**
   * ASSUMED `lifecycleReply`: what `POST /v3/candidates/{id}/merge` and `PATCH /v3/candidates/{id}/anonymize`
   * answer: `candidate` — 200 with the (primary) candidate; `no-content` — 204, empty; `message` —
   * 200 `{"message": …}`. No source shows the reply body.
   */
  lifecycleReply: z.enum(['candidate', 'no-content', 'message']).default('candidate'),
  /**
   * ASSUMED `tokenBasicAuth`: how `POST /token` decodes the Basic client credentials: `raw` — the
   * id and secret as they are, split at the first colon (what the public clients send [M]);
   * `form-urlencoded` — each form-urlencoded first (RFC 6749 §2.3.1), so a raw `+` is a space and a
   * raw `%` must start an escape.
   */
  tokenBasicAuth: z.enum(['raw', 'form-urlencoded']).default('raw'),
  /**
   * ASSUMED `attachmentAuth`: `presigned` — an attachment `url` is a pre-signed storage link needing
   * no Authorization header [M]; `bearer` — it answers 401 unless sent `Authorization: Bearer <valid token>`.
   */
  attachmentAuth: z.enum(['presigned', 'bearer']).default('presigned'),
  /**
   * ASSUMED `jobNotes`: `available` — `/v3/job_notes` lists and creates a job's private notes (the path
   * is in the registry generated from the official v3 reference; fields and `visibility` values from a
   * public implementation [M]); `absent` — every `/v3/job_notes` route answers 404, as for a tenant or
   * plan without them (one secondary source lists them [M], none shows a tenant answering).
   */
  jobNotes: z.enum(['available', 'absent']).default('available'),
  /**
   * ASSUMED `jobPostWrites`: `not-live` — `PATCH /v3/job_posts/{id}` changes `title`/`content` of a post
   * that is not live, and a live one is a 422 (no source says what v3 does with a live post);
   * `read-only` — the route answers 404 for every post, as if post content were not writable through
   * the API on this tenant (the path is official, its body is documented only for v2 [M]).
   */
  jobPostWrites: z.enum(['not-live', 'read-only']).default('not-live'),
  /**
   * ASSUMED `requestApprovalsReply`: what `POST /v3/approval_flows/{id}/request_approvals` answers on
   * success: `flow` — 200 with the approval flow as `GET /v3/approval_flows` shows it; `no-content` —
   * 204, empty. The path is official [H], the reply body is in no public source (v1 documented none).
   * Either way a flow already started is a 422 (v1 [H]: "fail with a 422 if the approval flow can't be
   * started").
   */
  requestApprovalsReply: z.enum(['flow', 'no-content']).default('flow'),
  /**
   * ASSUMED `currencyValues`: how v3 reads spell `currency` and `currency_range` custom-field values
   * (offers, jobs, openings): `unit` — `{amount, unit}` and `{min_value, max_value, unit}`, as the
   * official webhook examples do [H for webhooks]; `currency-code` — `{amount, currency_code}` and
   * `{min_amount, max_amount, currency_code}`, the spelling a public v3 implementation writes [L].
   */
  currencyValues: z.enum(['unit', 'currency-code']).default('unit'),
  /**
   * ASSUMED `eeocSkipped`: how `GET /v3/eeoc` shows a question the candidate skipped: `null` — the key
   * with null (one reading of the official v3 reference [M]); `absent` — the key left out. The v3
   * answer shape itself, `{id, description}` per question, is v1's [H for v1], kept for v3 [M].
   */
  eeocSkipped: z.enum(['null', 'absent']).default('null'),
});
export type ApiContract = z.infer<typeof apiContractSchema>;
export type ApiContractInput = z.input<typeof apiContractSchema>;

export const DEFAULT_API_CONTRACT: ApiContract = apiContractSchema.parse({});

/**
 * Every switch on its plausible alternative: what a client must survive if each assumption is wrong.
 * Except the two that take a feature away (`jobNotes`, `jobPostWrites`): there the client can only say
 * so (Unsupported), so a strict run would test nothing else of the feature; their tests set them.
 */
export const STRICT_API_CONTRACT: ApiContract = {
  customFields: 'replace',
  selectValues: 'ids',
  clearTitleCompany: 'empty-string',
  rejectionReasons: 'rejection-details-only',
  lifecycleReply: 'no-content',
  tokenBasicAuth: 'form-urlencoded',
  attachmentAuth: 'bearer',
  jobNotes: 'available',
  jobPostWrites: 'not-live',
  requestApprovalsReply: 'no-content',
  currencyValues: 'currency-code',
  eeocSkipped: 'absent',
};
