import * as z from '#core/zod-mini';
import type { BeameryAttachment, BeameryMembership, BeameryNote, BeameryUser } from '#core/beamery/records';
import { strip } from './contact.ts';
import { count, flag, id, optionalId, parseOrThrow, reference, text, time } from './values.ts';

/**
 * Notes, attachments, vacancy memberships and users. All ASSUMED shapes (no public examples); each
 * parser accepts the obvious alternative spellings so that a sandbox answer close to our guess still
 * reads, and a far one fails loudly as BeameryResponseInvalid.
 */

const noteWire = z.looseObject({
  id,
  contactId: optionalId,
  text: text,
  body: text,
  content: text,
  private: flag,
  isPrivate: flag,
  authorId: reference,
  author: reference,
  createdBy: reference,
  createdAt: time,
  createdTime: time,
});

export function parseNote(raw: unknown): BeameryNote {
  const n = parseOrThrow(noteWire, raw);
  return strip({
    id: n.id,
    contactId: n.contactId,
    text: n.text ?? n.body ?? n.content ?? '',
    isPrivate: n.private ?? n.isPrivate ?? false,
    authorUserId: n.authorId ?? n.author ?? n.createdBy,
    createdAt: n.createdAt ?? n.createdTime,
  });
}

const attachmentWire = z.looseObject({
  id,
  fileName: text,
  filename: text,
  name: text,
  contentType: text,
  mimeType: text,
  size: count,
  sizeBytes: count,
  createdAt: time,
  createdTime: time,
});

export function parseAttachment(raw: unknown): BeameryAttachment {
  const a = parseOrThrow(attachmentWire, raw);
  return strip({
    id: a.id,
    fileName: a.fileName ?? a.filename ?? a.name,
    contentType: a.contentType ?? a.mimeType,
    sizeBytes: a.size ?? a.sizeBytes,
    createdAt: a.createdAt ?? a.createdTime,
  });
}

const membershipWire = z.looseObject({
  contactId: optionalId,
  vacancyId: optionalId,
  id: optionalId,
  stage: z.optional(z.unknown()),
  stageId: optionalId,
  stageName: text,
  rejectionReason: text,
  updatedAt: time,
  updatedTime: time,
});

/** `stage` as `{id, name}` (our guess), `{value}` (legacy S5 `stage: {value}`), or a plain name. */
export function parseMembership(raw: unknown, known: { contactId: string; vacancyId?: string }): BeameryMembership {
  const m = parseOrThrow(membershipWire, raw);
  const stageObject = m.stage && typeof m.stage === 'object' ? (m.stage as Record<string, unknown>) : undefined;
  const stageId = m.stageId ?? (typeof stageObject?.['id'] === 'string' ? (stageObject['id'] as string) : undefined);
  const stageName =
    m.stageName ??
    (typeof m.stage === 'string' ? m.stage : undefined) ??
    text.parse(stageObject?.['name']) ??
    text.parse(stageObject?.['value']);
  const vacancyId = m.vacancyId ?? known.vacancyId ?? m.id;
  if (!vacancyId) throw new z.$ZodRealError([{ code: 'custom', path: ['vacancyId'], message: 'missing', input: undefined }]);
  return strip({
    contactId: m.contactId ?? known.contactId,
    vacancyId,
    stage: stageId || stageName ? strip({ id: stageId, name: stageName }) : undefined,
    rejectionReason: m.rejectionReason,
    updatedAt: m.updatedAt ?? m.updatedTime,
  });
}

const userWire = z.looseObject({ id, email: text, primaryEmail: text, firstName: text, lastName: text, fullName: text, name: text });

export function parseUser(raw: unknown): BeameryUser {
  const u = parseOrThrow(userWire, raw);
  const name = u.fullName ?? u.name ?? ([u.firstName, u.lastName].filter(Boolean).join(' ') || undefined);
  return strip({ id: u.id, email: u.email ?? u.primaryEmail, name });
}

const tokenWire = z
  .looseObject({
    access_token: text,
    // GET /v1/auth (S1, older render) "returns a token"; its field name is not public: ASSUMED `token` or `accessToken`.
    token: text,
    accessToken: text,
    // "Bearer (typically)" (S2); anything else is kept and sent as given.
    token_type: text,
    expires_in: count,
    expiresIn: count,
  })
  .check(z.refine((t) => (t.access_token ?? t.token ?? t.accessToken) !== undefined, { message: 'expected access_token or token', path: ['access_token'] }));

export interface MintedToken {
  readonly accessToken: string;
  readonly tokenType: string;
  /** Absent when the response omits it; the cache then assumes a short life. */
  readonly expiresInSeconds?: number;
}

export function parseToken(raw: unknown): MintedToken {
  const t = parseOrThrow(tokenWire, raw);
  return strip({ accessToken: (t.access_token ?? t.token ?? t.accessToken)!, tokenType: t.token_type ?? 'Bearer', expiresInSeconds: t.expires_in ?? t.expiresIn });
}
