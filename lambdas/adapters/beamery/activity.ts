import { checkAttachment } from './attachment-limits.ts';
import { getContact } from './contacts.ts';
import { BEAMERY_OPERATIONS } from './operations.ts';
import type { BeameryTransport } from './transport.ts';
import type { AttachmentUpload, BeameryAttachment, BeameryNote, NoteWrite, Unsupportable } from '#core/beamery/records';
import { parseAttachment, parseNote } from './wire/activity.ts';
import { idOf } from './wire/envelope.ts';
import { listAll } from './offset-paging.ts';

/**
 * Notes and attachments on a contact. No public source documents either API (reference §2.5, §2.6):
 * paths and bodies are ASSUMED, and both sit behind their capability (`notes`, `attachments`).
 */

const CREATE_SKEW_MS = 30_000;

const contactExists = (t: BeameryTransport, contactId: string) => async () => (await getContact(t, contactId)) !== null;

async function notesSince(t: BeameryTransport, contactId: string, sinceIso?: string): Promise<BeameryNote[]> {
  return listAll(t, 'listNotes', 'notes', parseNote, { params: { id: contactId }, query: sinceIso ? { created_at: sinceIso, created_at_op: 'gte' } : {} });
}

/**
 * ASSUMED `POST /contact/{id}/notes` `{text, private, authorId?, createdAt?}`. After an ambiguous
 * failure, a note with the same text created since the attempt began is taken as the one written.
 */
export async function createNote(t: BeameryTransport, contactId: string, note: NoteWrite): Promise<Unsupportable<{ id: string }>> {
  const startedAt = t.clock.now();
  return t.gated(
    'notes',
    () =>
      t.call('createNote', {
        params: { id: contactId },
        json: { text: note.text, private: note.isPrivate, ...(note.authorUserId ? { authorId: note.authorUserId } : {}), ...(note.occurredAt ? { createdAt: note.occurredAt } : {}) },
        parse: (body) => ({ id: idOf(body, 'note') }),
        verifyWrite: async () => {
          // A back-dated note (occurredAt) is found by text alone among the contact's notes.
          const since = note.occurredAt ? undefined : new Date(startedAt - CREATE_SKEW_MS).toISOString();
          const found = (await notesSince(t, contactId, since)).find((n) => n.text === note.text && n.isPrivate === note.isPrivate);
          return found ? { id: found.id } : undefined;
        },
      }),
    contactExists(t, contactId),
  );
}

/** ASSUMED `GET /contact/{id}/notes?created_at=&created_at_op=gte`, every page. */
export async function listNotesSince(t: BeameryTransport, contactId: string, sinceIso?: string): Promise<Unsupportable<BeameryNote[]>> {
  return t.gated('notes', () => notesSince(t, contactId, sinceIso), contactExists(t, contactId));
}

async function attachmentsOf(t: BeameryTransport, contactId: string): Promise<BeameryAttachment[]> {
  return listAll(t, 'listAttachments', 'attachments', parseAttachment, { params: { id: contactId } });
}

/**
 * ASSUMED `POST /contact/{id}/attachments` with the bytes base64 in JSON `{fileName, contentType,
 * content}` (multipart is the other plausible shape: verify in the sandbox). Size and type are checked
 * locally first (AttachmentRejected). After an ambiguous failure, an attachment with the same name and
 * size created since the attempt began is taken as the one written.
 */
export async function uploadAttachment(t: BeameryTransport, contactId: string, file: AttachmentUpload): Promise<Unsupportable<{ id: string }>> {
  const contentType = checkAttachment(file, `${BEAMERY_OPERATIONS.uploadAttachment.method} /contact/${contactId}/attachments`);
  const startedAt = t.clock.now();
  return t.gated(
    'attachments',
    () =>
      t.call('uploadAttachment', {
        params: { id: contactId },
        json: { fileName: file.fileName, contentType, content: Buffer.from(file.bytes).toString('base64') },
        parse: (body) => ({ id: idOf(body, 'attachment') }),
        verifyWrite: async () => {
          const found = (await attachmentsOf(t, contactId)).find(
            (a) =>
              a.fileName === file.fileName &&
              (a.sizeBytes === undefined || a.sizeBytes === file.bytes.byteLength) &&
              (a.createdAt === undefined || Date.parse(a.createdAt) >= startedAt - CREATE_SKEW_MS),
          );
          return found ? { id: found.id } : undefined;
        },
      }),
    contactExists(t, contactId),
  );
}

export async function listAttachments(t: BeameryTransport, contactId: string): Promise<Unsupportable<BeameryAttachment[]>> {
  return t.gated('attachments', () => attachmentsOf(t, contactId), contactExists(t, contactId));
}
