import { createHash, timingSafeEqual } from 'node:crypto';
import { MAX_PUSH_CONTACTS, pushContactIds } from '#core/sync/beamery-messages';

/**
 * `POST /beamery/push` judged without I/O: the caller's key against the stored one, then the body.
 * The handler (lambdas/handlers/make-beamery-push-handler.ts) reads the key, publishes and answers.
 */

/** 500 ids of 64 characters, quoted and comma-separated, are about 33 KB; room for whitespace on top. */
export const MAX_PUSH_BODY_BYTES = 128 * 1024;

type PushBodyCheck = { readonly ok: true; readonly ids: string[] } | { readonly ok: false; readonly reason: string };

type KeyCheck = 'valid' | 'missing' | 'mismatch';

/** A request header by name, case-insensitive; undefined when absent. */
type HeaderLookup = (name: string) => string | undefined;

export type PushRequestVerdict =
  | { readonly outcome: 'accepted'; readonly ids: string[] }
  | { readonly outcome: 'unauthorized'; readonly reason: Exclude<KeyCheck, 'valid'> }
  | { readonly outcome: 'too-large'; readonly bytes: number }
  | { readonly outcome: 'invalid'; readonly reason: string };

const USAGE = 'expected a JSON body {"contactIds": ["<Beamery contact id>", ...]} or {"contactId": "<Beamery contact id>"}';

/**
 * The key first, so an unauthenticated caller learns nothing about how its body would be judged;
 * then the size cap, then the ids.
 */
export function judgePushRequest(request: {
  readonly header: HeaderLookup;
  readonly body: Uint8Array;
  readonly expectedKey: string;
  /** The key before the last rotation, during its grace period (push-key-secret.ts). */
  readonly previousKey?: string;
}): PushRequestVerdict {
  const key = checkApiKey(presentedKey(request.header), request.expectedKey, request.previousKey);
  if (key !== 'valid') return { outcome: 'unauthorized', reason: key };
  if (request.body.byteLength > MAX_PUSH_BODY_BYTES) return { outcome: 'too-large', bytes: request.body.byteLength };
  const check = parsePushBody(request.body);
  return check.ok ? { outcome: 'accepted', ids: check.ids } : { outcome: 'invalid', reason: check.reason };
}

/** The request body: the ids to push (duplicates dropped), or why not. */
export function parsePushBody(body: Uint8Array): PushBodyCheck {
  let parsed: unknown;
  try {
    // A leading byte-order mark (some Windows tools send one) is not part of the JSON.
    parsed = JSON.parse(new TextDecoder('utf-8').decode(body).replace(/^\uFEFF/, ''));
  } catch {
    return { ok: false, reason: `the body is not JSON; ${USAGE}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, reason: `the body is not a JSON object; ${USAGE}` };
  const { contactIds, contactId } = parsed as { contactIds?: unknown; contactId?: unknown };
  if (contactIds !== undefined && contactId !== undefined) return { ok: false, reason: 'give either contactIds or contactId, not both' };
  let ids: readonly unknown[];
  if (contactIds !== undefined) {
    if (!Array.isArray(contactIds)) return { ok: false, reason: `contactIds must be an array of 1 to ${MAX_PUSH_CONTACTS} Beamery contact ids` };
    ids = contactIds;
  } else if (contactId !== undefined) {
    ids = [contactId];
  } else {
    return { ok: false, reason: `no contact ids; ${USAGE}` };
  }
  return pushContactIds(ids);
}

/**
 * Constant-time comparison of the presented key with the stored one: both are hashed first, so the
 * comparison is over equal-length digests and neither the key's length nor a matching prefix shows in
 * the timing.
 */
function checkApiKey(presented: string | undefined, expected: string, previous: string | undefined): KeyCheck {
  if (presented === undefined) return 'missing';
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  const presentedDigest = digest(presented);
  // Both comparisons always run (non-short-circuiting `|`), so the timing does not tell which key matched.
  const matches = Number(timingSafeEqual(presentedDigest, digest(expected))) | Number(previous !== undefined && timingSafeEqual(presentedDigest, digest(previous)));
  return matches ? 'valid' : 'mismatch';
}

/** `Authorization: Bearer <key>` or `x-api-key: <key>`. */
function presentedKey(header: HeaderLookup): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(header('Authorization')?.trim() ?? '');
  if (bearer) return bearer[1];
  const apiKey = header('x-api-key')?.trim();
  if (apiKey) return apiKey;
  // Another scheme (Basic, AWS4-HMAC-SHA256 …) is no key of ours: the same 401 as a wrong key.
  return header('Authorization')?.trim() ? '' : undefined;
}
